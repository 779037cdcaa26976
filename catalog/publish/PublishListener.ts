import type { CliIo } from '../../platform/cli/CliIo.js';
import type { Repository } from '../../platform/repo/Repository.js';
import type { PublishOutcome } from '../store/publishProducts.js';
import type { PublishBundle } from './PublishBundle.js';

/**
 * Called by `mesh publish` after a publication succeeded. This is the seam for the OpenLineage client
 * (`platform/lineage/`, built on its own branch): emitting JobEvents and DatasetEvents for the products
 * published. `createPublishCommand(listeners)` takes the listeners; the command registry passes none until the
 * lead wires the lineage client in.
 */
export type PublishListener = (published: PublishedRepository, io: CliIo) => Promise<void>;

export interface PublishedRepository {
  readonly repository: Repository;
  readonly bundle: PublishBundle;
  readonly outcome: PublishOutcome;
}
