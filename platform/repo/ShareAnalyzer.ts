import type { Contract } from '../contract/Contract.js';
import { checkContractStructure, compileContracts, type ContractVerdicts } from '../contract/checkContracts.js';
import { loadContracts, type LoadedContracts } from '../contract/loadContracts.js';
import { loadManifest, type LoadedManifest } from '../manifest/loadManifest.js';
import type { DataProductManifest } from '../manifest/DataProductManifest.js';
import type { Problem } from '../problems/Problem.js';
import { lazyYamlDocument } from '../source/parseYaml.js';
import { mapLimit } from '../util/mapLimit.js';

/** A loaded manifest as plain data, to cross a thread boundary. */
export interface ManifestReport {
  readonly file: string;
  readonly text: string | undefined;
  readonly value: unknown;
  readonly valid: boolean;
  readonly id: string | undefined;
  readonly ports: readonly string[];
  readonly contracts: readonly string[];
  readonly problems: Problem[];
}

export function toManifestReport(loaded: LoadedManifest): ManifestReport {
  const { file, document, manifest, id, ports, contracts, problems } = loaded;
  return { file, text: document?.text, value: document?.value, valid: manifest !== undefined, id, ports, contracts, problems };
}

export function fromManifestReport(report: ManifestReport): LoadedManifest {
  const document = report.text === undefined ? undefined : lazyYamlDocument(report.file, report.text, report.value);
  const manifest = report.valid ? (report.value as DataProductManifest) : undefined;
  return { file: report.file, document, manifest, id: report.id, ports: report.ports, contracts: report.contracts, problems: report.problems };
}

export interface AnalyzeRequest {
  /** Manifests of this share. */
  readonly manifests: readonly string[];
  /** Every contract file: each share reads them all, for `$ref`s. */
  readonly contracts: readonly string[];
  /** Contracts this share checks. */
  readonly contractShare: readonly string[];
}

export interface AnalyzeResult {
  readonly manifests: ManifestReport[];
  readonly contracts: ContractVerdicts;
}

/**
 * The per-file work of validating a repository, for one share of its files: reading and checking manifests,
 * checking and linting contracts, and compiling them. The same code runs in the main thread and in worker
 * threads (see `loadRepository`), so that both give the same answers.
 */
export class ShareAnalyzer {
  private loaded: LoadedContracts | undefined;

  constructor(readonly root: string) {}

  /** The contracts read by `analyze`. */
  get contracts(): LoadedContracts {
    if (!this.loaded) throw new Error('analyze() first');
    return this.loaded;
  }

  async analyze(request: AnalyzeRequest): Promise<AnalyzeResult> {
    const manifests = await mapLimit(request.manifests, 32, async (file) => toManifestReport(await loadManifest(this.root, file)));
    this.loaded = await loadContracts(this.root, request.contracts);
    const share = new Set(request.contractShare);
    return { manifests, contracts: checkContractStructure(this.loaded, (c: Contract) => share.has(c.file)) };
  }

  compile(request: { broken: readonly string[]; contractShare: readonly string[] }): ContractVerdicts {
    const share = new Set(request.contractShare);
    return compileContracts(this.contracts, this.root, new Set(request.broken), (c) => share.has(c.file));
  }
}
