import { createLineageClient, type LineageClient } from '../lineage/createLineageClient.js';
import { ProductLineage, warehouseNamespace } from '../lineage/ProductLineage.js';
import { nodeConfigFiles, resolveLineageConfig } from '../lineage/resolveLineageConfig.js';
import type { Repository } from '../repo/Repository.js';
import type { WarehouseConfig } from '../warehouse/resolveWarehouseConfig.js';
import type { CliIo } from './CliIo.js';

/**
 * The OpenLineage client and event builders of a command, configured the official way (`openlineage.yml`,
 * `OPENLINEAGE__*`, `OPENLINEAGE_URL`...); delivery trouble is reported on stderr, never fatal: what cannot be
 * sent is spooled for `mesh lineage flush`.
 */
export function openLineage(io: CliIo, repository: Repository, warehouse?: WarehouseConfig): { lineage: ProductLineage; client: LineageClient } {
  const config = resolveLineageConfig({}, io.env, nodeConfigFiles(io.cwd, io.env));
  const client = createLineageClient(config, { stdout: io.stdout, stderr: io.stderr, warn: (message) => io.stderr.write(`mesh: ${message}\n`) });
  const lineage = ProductLineage.fromConfig(repository, config, warehouse ? { warehouseNamespace: warehouseNamespace(warehouse) } : {});
  return { lineage, client };
}
