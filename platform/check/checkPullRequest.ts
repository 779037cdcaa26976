import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffContracts, type Change, type CompatibilityMode, type ContractRevision, type DiffResult } from '../compat/diffContracts.js';
import { isMetadataCode } from '../compat/ChangeCode.js';
import { breaks } from '../compat/renderChanges.js';
import { contractUri } from '../contract/loadContracts.js';
import { SchemaResolver } from '../contract/SchemaResolver.js';
import { rebase, walkSchemas } from '../contract/schemaKeywords.js';
import { InputError } from '../errors.js';
import type { DataProductManifest, Output } from '../manifest/DataProductManifest.js';
import { parseManifest } from '../manifest/loadManifest.js';
import type { Problem, Severity } from '../problems/Problem.js';
import { compareProblems } from '../problems/Problem.js';
import { ProblemCode } from '../problems/codes.js';
import { loadRepository } from '../repo/loadRepository.js';
import type { Repository } from '../repo/Repository.js';
import { parseJson } from '../source/parseJson.js';
import { FILE_LIMITS, stripBom } from '../source/readSource.js';
import { problemAt, problemInFile, type SourceDocument } from '../source/SourceDocument.js';
import { isObject } from '../util/guards.js';
import { GitRepository } from './GitRepository.js';
import { atLeast, bumpBetween, durationSeconds, largest, nextVersion, requiredBump, type Bump, type ChangeLevel } from './versionRules.js';

export interface CheckOptions {
  /** The repository folder (with `products/` and `contracts/`), inside a git work tree. */
  readonly root: string;
  /** The git revision to compare with (a branch, tag or commit). */
  readonly base: string;
  /** Today's date, `YYYY-MM-DD`, for sunset dates. */
  readonly today: string;
  /** Environment git runs with. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The repository, when the caller has opened it already. */
  readonly git?: GitRepository;
}

/** A product downstream of a changed port, and who owns it. */
export interface Downstream {
  readonly product: string;
  readonly team: string | undefined;
  /** 1 for a direct consumer of the port, 2 for a consumer of that consumer... */
  readonly distance: number;
}

/** What happened to one output port. */
export interface PortReport {
  readonly product: string;
  readonly port: string;
  readonly team: string | undefined;
  readonly status: 'added' | 'removed' | 'changed';
  readonly contract: { readonly base: string | undefined; readonly head: string | undefined };
  readonly mode: CompatibilityMode;
  /** Whether the change keeps the promise of the mode; removed ports with consumers do not. */
  readonly compatible: boolean;
  readonly level: ChangeLevel;
  readonly version: { readonly base: string | undefined; readonly head: string | undefined; readonly required: Bump; readonly ok: boolean };
  /** For a new port that replaces a deprecated one (the intended-break workflow): that port. */
  readonly replaces: string | undefined;
  readonly changes: readonly Change[];
  readonly downstream: readonly Downstream[];
}

export interface CheckReport {
  readonly base: { readonly ref: string; readonly commit: string; readonly comparedWith: string };
  /** Where the repository folder sits below the git work tree's top (`""` or `path/`): paths in annotations start with it. */
  readonly prefix: string;
  /** No error among the problems. */
  readonly ok: boolean;
  readonly ports: readonly PortReport[];
  /** Validation problems of the working tree, then every rule the change breaks; sorted by file. */
  readonly problems: readonly Problem[];
}

interface ProductAt {
  readonly file: string;
  readonly document: SourceDocument;
  readonly manifest: DataProductManifest;
}

/**
 * The pull-request check: validates the working tree as `mesh validate` does, compares it with the base
 * revision (from the point where the branch left it), diffs every output port whose contract, or a file
 * its `$ref`s reach, changed, under the port's compatibility mode, and enforces the version rules and the
 * manifest-level rules (ports and products removed or retired while read, modes and SLAs loosened). Every
 * breaking change names the products downstream of the port and their owning teams.
 */
export async function checkPullRequest(options: CheckOptions): Promise<CheckReport> {
  // Validation is most of the work: it starts first and runs while git answers in other processes.
  const loading = loadRepository(options.root);
  loading.catch(() => undefined);
  const git = options.git ?? (await GitRepository.open(options.root, options.env));
  const commit = await git.resolveCommit(options.base);
  if (commit === undefined) {
    const hint = (await git.isShallow())
      ? '; this is a shallow clone: fetch the base (actions/checkout with fetch-depth: 0, or git fetch origin <branch>)'
      : '; fetch it, or name an existing branch, tag or commit with --base';
    throw new InputError(`base revision "${options.base}" not found${hint}`);
  }
  const problems: Problem[] = [];
  let comparedWith = await git.mergeBase(commit, 'HEAD');
  if (comparedWith === undefined) {
    comparedWith = commit;
    problems.push(problemInFile('.', ProblemCode.BASE_WITHOUT_MERGE_BASE, 'warning', `no common ancestor of HEAD and ${options.base} here (shallow clone?): comparing with ${options.base} itself`, { line: 0, column: 0 }));
  }

  const [changed, head] = await Promise.all([git.changedFiles(comparedWith), loading]);
  problems.push(...head.problems);
  const status = new Map(changed.map((c) => [c.path, c.status]));
  const baseTexts = await git.readFilesAt(comparedWith, changed.filter((c) => c.status !== 'added').map((c) => c.path));
  const base = new BaseRevision(options.root, status, baseTexts);

  const context = new CheckContext(options, head, base, status, problems);
  context.compareProducts(base.products(head));
  problems.sort(compareProblems);
  return {
    base: { ref: options.base, commit, comparedWith },
    prefix: git.prefix,
    ok: !problems.some((p) => p.severity === 'error'),
    ports: context.ports,
    problems,
  };
}

/** The files of the base revision: changed ones from git, the others as they are on disk. */
class BaseRevision {
  readonly resolver: SchemaResolver;

  constructor(
    private readonly root: string,
    private readonly status: ReadonlyMap<string, ChangedFileStatus>,
    private readonly texts: ReadonlyMap<string, string>,
  ) {
    this.resolver = new SchemaResolver((uri) => this.json(uri));
  }

  text(file: string): string | undefined {
    const state = this.status.get(file);
    if (state !== undefined) return state === 'added' ? undefined : this.texts.get(file);
    const path = join(this.root, file);
    try {
      if (!existsSync(path) || statSync(path).size > FILE_LIMITS.contract) return undefined;
      return stripBom(readFileSync(path, 'utf8'));
    } catch {
      return undefined;
    }
  }

  /** A JSON document of the base revision by `file:` URI, for the resolver. */
  private json(uri: string): unknown {
    if (!uri.startsWith('file:')) return undefined;
    const path = fileURLToPath(uri);
    const file = relative(this.root, path).split(sep).join('/');
    if (file.startsWith('..')) return undefined;
    const text = this.text(file);
    if (text === undefined) return undefined;
    const parsed = parseJson(file, text);
    return parsed.problems.length === 0 ? parsed.document.value : undefined;
  }

  /** The products of the base revision, by id: unchanged manifests are the working tree's. */
  products(head: Repository): Map<string, ProductAt> {
    const out = new Map<string, ProductAt>();
    for (const loaded of head.manifests) {
      if (this.status.has(loaded.file) || !loaded.manifest || !loaded.document) continue;
      out.set(loaded.manifest.id, { file: loaded.file, document: loaded.document, manifest: loaded.manifest });
    }
    for (const [file, state] of this.status) {
      if (state === 'added' || !/^products\/[^/]+\/[^/]+\/product\.yaml$/.test(file)) continue;
      const text = this.texts.get(file);
      if (text === undefined) continue;
      const parsed = parseManifest(file, text);
      if (parsed.manifest && parsed.document && !out.has(parsed.manifest.id)) out.set(parsed.manifest.id, { file, document: parsed.document, manifest: parsed.manifest });
    }
    return out;
  }
}

type ChangedFileStatus = 'added' | 'modified' | 'deleted';

const MODE_PROMISES: Readonly<Record<CompatibilityMode, { backward: boolean; forward: boolean }>> = {
  backward: { backward: true, forward: false },
  forward: { backward: false, forward: true },
  full: { backward: true, forward: true },
  none: { backward: false, forward: false },
};

class CheckContext {
  readonly ports: PortReport[] = [];
  private readonly refs = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly options: CheckOptions,
    private readonly head: Repository,
    private readonly base: BaseRevision,
    private readonly status: ReadonlyMap<string, ChangedFileStatus>,
    private readonly problems: Problem[],
  ) {}

  compareProducts(baseProducts: ReadonlyMap<string, ProductAt>): void {
    const headIds = new Set(this.head.manifests.map((m) => m.id).filter((id): id is string => id !== undefined));
    for (const product of this.head.products.values()) {
      const before = baseProducts.get(product.id);
      if (before) this.compareProduct(before, product);
      else for (const output of product.manifest.outputs) this.addedPort(product, output);
    }
    for (const [id, before] of baseProducts) {
      if (!headIds.has(id)) this.removedProduct(id, before);
    }
  }

  private report(document: Pick<SourceDocument, 'file' | 'position'>, code: Problem['code'], severity: Severity, pointer: string, message: string): void {
    this.problems.push(problemAt(document, code, severity, pointer, message));
  }

  private team(id: string): string | undefined {
    return this.head.products.get(id)?.manifest.owner?.team;
  }

  private downstream(id: string, port: string | undefined): Downstream[] {
    return this.head.graph.downstream(id, port).map((r) => ({ product: r.id, team: this.team(r.id), distance: r.distance }));
  }

  private removedProduct(id: string, before: ProductAt): void {
    const readers = this.downstream(id, undefined);
    const document = before.document;
    if (readers.length > 0) {
      this.report(document, ProblemCode.PRODUCT_REMOVED_WITH_CONSUMERS, 'error', '/id', `product "${id}" removed while ${describeDownstream(readers)} read it; deprecate it with a sunset date and move its consumers first`);
    } else if (before.manifest.status === 'deprecated' && before.manifest.sunset && before.manifest.sunset > this.options.today) {
      this.report(document, ProblemCode.PRODUCT_REMOVED_BEFORE_SUNSET, 'error', '/sunset', `product "${id}" removed before its sunset date ${before.manifest.sunset}`);
    }
    for (const output of before.manifest.outputs) {
      this.ports.push(this.portReport(id, before.manifest, output, { status: 'removed', contract: { base: output.contract, head: undefined }, compatible: readers.length === 0 }));
    }
  }

  private compareProduct(before: ProductAt, after: { file: string; document: SourceDocument; manifest: DataProductManifest; id: string }): void {
    const id = after.id;
    const b = before.manifest;
    const a = after.manifest;
    if (a.status === 'retired' && b.status !== 'retired') {
      const readers = this.head.graph.consumers(id);
      if (readers.length > 0) {
        const names = [...new Set(readers.map((r) => r.consumer))].map((c) => `${c}${this.team(c) ? ` (team ${this.team(c)})` : ''}`);
        this.report(after.document, ProblemCode.PRODUCT_RETIRED_WITH_CONSUMERS, 'error', '/status', `product "${id}" retired while ${names.join(', ')} still read it`);
      }
    }
    const bumps: Bump[] = [];
    const headPorts = new Map(a.outputs.map((o, i) => [o.port, { output: o, index: i }]));
    for (const output of b.outputs) {
      const now = headPorts.get(output.port);
      if (!now) {
        this.removedPort(id, before, after, output);
        bumps.push('major');
        continue;
      }
      bumps.push(...this.comparePort(id, a, after.document, output, now.output, now.index));
    }
    const basePorts = new Set(b.outputs.map((o) => o.port));
    for (const output of a.outputs) {
      if (basePorts.has(output.port)) continue;
      bumps.push('minor');
      this.addedPort(after, output);
    }
    this.compareSla(b, a, after.document);

    const required = largest(bumps);
    const bump = bumpBetween(b.version, a.version);
    if (bump === 'decreased') {
      this.report(after.document, ProblemCode.VERSION_DECREASED, 'error', '/version', `version went back from ${b.version} to ${a.version}`);
    } else if (bump !== undefined && !atLeast(bump, required)) {
      this.report(after.document, ProblemCode.PRODUCT_VERSION_BUMP_REQUIRED, 'error', '/version', `the product's version moves at least as far as its contracts and ports (a ${required} change): ${b.version} needs to become ${nextVersion(b.version, required)} or higher, not ${a.version}`);
    }
  }

  private removedPort(id: string, before: ProductAt, after: { document: SourceDocument }, output: Output): void {
    const readers = this.downstream(id, output.port);
    const direct = this.head.graph.consumers(id, output.port);
    if (direct.length > 0) {
      this.report(after.document, ProblemCode.PORT_REMOVED_WITH_CONSUMERS, 'error', '/outputs', `output port "${output.port}" removed while ${describeDownstream(readers)} read it; keep it as a deprecated port with a sunset date until they move`);
    } else if (output.status === 'deprecated' && output.sunset && output.sunset > this.options.today) {
      this.report(after.document, ProblemCode.PORT_REMOVED_BEFORE_SUNSET, 'error', '/outputs', `output port "${output.port}" removed before its sunset date ${output.sunset}`);
    } else if (output.status !== 'deprecated') {
      this.report(after.document, ProblemCode.PORT_REMOVED_WITHOUT_DEPRECATION, 'warning', '/outputs', `output port "${output.port}" removed without a deprecation period; consumers outside this repository get no warning`);
    }
    this.ports.push(this.portReport(id, before.manifest, output, { status: 'removed', contract: { base: output.contract, head: undefined }, compatible: direct.length === 0, downstream: readers }));
  }

  /** Compares one port present on both sides; returns the bumps it asks of the product's version. */
  private comparePort(id: string, manifest: DataProductManifest, document: SourceDocument, before: Output, after: Output, index: number): Bump[] {
    const baseMode = before.compatibility ?? 'forward';
    const headMode = after.compatibility ?? 'forward';
    if (loosens(baseMode, headMode)) {
      this.report(document, ProblemCode.COMPATIBILITY_LOOSENED, 'error', `/outputs/${index}/compatibility`, `port "${after.port}": compatibility loosened from ${baseMode} to ${headMode}; consumers rely on the promise they read from`);
    }
    const baseUri = contractUri(this.options.root, before.contract);
    const headUri = contractUri(this.options.root, after.contract);
    const touched = before.contract !== after.contract || this.status.has(before.contract) || this.touched(headUri);
    if (!touched) return [];
    // The promise that binds this change is the base's, plus whatever the head now adds to it.
    const mode = combine(baseMode, headMode);
    const oldRevision = this.revision(this.base.resolver, baseUri, undefined);
    const newRevision = this.head.contracts.isCompilable(after.contract) ? this.revision(this.head.contracts.resolver, headUri, this.head.contracts.get(after.contract)?.schema) : undefined;
    if (!oldRevision || !newRevision) {
      const why = !oldRevision ? `the base revision of ${before.contract} cannot be read` : `${after.contract} is not a valid contract (see its problems)`;
      this.report(document, ProblemCode.CONTRACT_NOT_COMPARED, !oldRevision ? 'warning' : 'error', `/outputs/${index}/contract`, `port "${after.port}" not compared: ${why}`);
      return [];
    }
    const { diff, level, version, bump } = this.assess(oldRevision, newRevision, mode);
    const contractDocument = this.head.contracts.get(after.contract)?.document;
    if (contractDocument && bump === 'decreased') {
      this.report(contractDocument, ProblemCode.VERSION_DECREASED, 'error', '/x-version', `x-version went back from ${version.base} to ${version.head}`);
    } else if (contractDocument && !version.ok) {
      this.report(contractDocument, ProblemCode.CONTRACT_VERSION_BUMP_REQUIRED, 'error', '/x-version', `${describeLevel(level, mode)} needs x-version ${nextVersion(version.base!, version.required)} or higher (it is ${version.head})`);
    }
    const readers = this.downstream(id, after.port);
    if (!diff.compatible) this.reportBreaks(id, after, diff, readers, contractDocument ?? document);
    this.ports.push(
      this.portReport(id, manifest, after, {
        status: 'changed',
        contract: { base: before.contract, head: after.contract },
        compatible: diff.compatible,
        level,
        mode,
        changes: diff.changes,
        version,
        downstream: readers,
      }),
    );
    return [largest([version.required, bump === undefined || bump === 'decreased' ? 'none' : bump])];
  }

  /** Diffs two revisions of a port's contract and applies the version rules to their `x-version`s. */
  private assess(oldRevision: ContractRevision, newRevision: ContractRevision, mode: CompatibilityMode): { diff: DiffResult; level: ChangeLevel; version: PortReport['version']; bump: Bump | 'decreased' | undefined } {
    const diff = diffContracts(oldRevision, newRevision, { mode, fileName: (uri) => this.fileOf(uri) });
    const level = levelOf(diff);
    const base = versionOf(oldRevision.schema);
    const head = versionOf(newRevision.schema);
    const required = requiredBump(level);
    const bump = base !== undefined && head !== undefined ? bumpBetween(base, head) : undefined;
    const ok = bump === undefined || (bump !== 'decreased' && atLeast(bump, required));
    return { diff, level, bump, version: { base, head, required, ok } };
  }

  /** One problem per breaking change, at its place in the working tree's contract. */
  private reportBreaks(id: string, port: Output, diff: DiffResult, readers: readonly Downstream[], fallback: SourceDocument): void {
    const severity: Severity = readers.length > 0 ? 'error' : 'warning';
    const who = readers.length > 0 ? `breaks ${id}.${port.port} for ${describeDownstream(readers)}` : `breaks ${id}.${port.port}; no product in this repository reads it`;
    for (const change of diff.changes.filter((c) => breaks(c, diff.mode))) {
      const document = change.file !== undefined ? (this.head.contracts.get(change.file)?.document ?? fallback) : fallback;
      this.report(document, ProblemCode.CONTRACT_BREAKING_CHANGE, severity, document === fallback && change.file !== undefined ? '' : change.pointer, `${change.code} at ${change.pointer || '/'}: ${change.message}; ${who} (mode ${diff.mode})`);
    }
  }

  private addedPort(product: { id: string; document: SourceDocument; manifest: DataProductManifest }, output: Output): void {
    const manifest = product.manifest;
    const replaced = manifest.outputs.find((o) => o.status === 'deprecated' && o.replacedBy === output.port);
    if (!replaced) {
      this.ports.push(this.portReport(product.id, manifest, output, { status: 'added', contract: { base: undefined, head: output.contract } }));
      return;
    }
    // The intended-break workflow: the new port carries the new major, the deprecated one keeps the old.
    const index = manifest.outputs.indexOf(replaced);
    if (replaced.sunset !== undefined && replaced.sunset <= this.options.today) {
      this.report(product.document, ProblemCode.SUNSET_PASSED, 'warning', `/outputs/${index}/sunset`, `port "${replaced.port}" is replaced by "${output.port}" with a sunset date (${replaced.sunset}) that has already passed: its consumers get no time to move`);
    }
    const mode = replaced.compatibility ?? 'forward';
    const oldRevision = this.head.contracts.isCompilable(replaced.contract) ? this.revision(this.head.contracts.resolver, contractUri(this.options.root, replaced.contract), undefined) : undefined;
    const newRevision = this.head.contracts.isCompilable(output.contract) ? this.revision(this.head.contracts.resolver, contractUri(this.options.root, output.contract), undefined) : undefined;
    if (!oldRevision || !newRevision) {
      this.ports.push(this.portReport(product.id, manifest, output, { status: 'added', contract: { base: undefined, head: output.contract }, replaces: replaced.port }));
      return;
    }
    const { diff, level, version } = this.assess(oldRevision, newRevision, mode);
    const contractDocument = this.head.contracts.get(output.contract)?.document;
    if (!version.ok && contractDocument) {
      this.report(contractDocument, ProblemCode.CONTRACT_VERSION_BUMP_REQUIRED, 'error', '/x-version', `port "${output.port}" replaces "${replaced.port}" (x-version ${version.base}) with ${describeLevel(level, mode)}: it needs x-version ${nextVersion(version.base!, version.required)} or higher (it is ${version.head})`);
    }
    this.ports.push(
      this.portReport(product.id, manifest, output, {
        status: 'added',
        contract: { base: replaced.contract, head: output.contract },
        compatible: true,
        level,
        mode,
        changes: diff.changes,
        version,
        replaces: replaced.port,
      }),
    );
  }

  private compareSla(before: DataProductManifest, after: DataProductManifest, document: SourceDocument): void {
    const b = before.sla;
    const a = after.sla;
    if (!b) return;
    const warn = (pointer: string, message: string) => this.report(document, ProblemCode.SLA_LOOSENED, 'warning', pointer, message);
    if (!a) {
      warn('', 'the SLA was removed');
      return;
    }
    if (b.freshness) {
      const was = durationSeconds(b.freshness.max);
      const now = a.freshness ? durationSeconds(a.freshness.max) : undefined;
      if (!a.freshness) warn('/sla', `freshness (${b.freshness.max}) removed from the SLA`);
      else if (was !== undefined && now !== undefined && now > was) warn('/sla/freshness/max', `freshness loosened from ${b.freshness.max} to ${a.freshness.max}`);
    }
    for (const key of ['availability', 'completeness'] as const) {
      const was = b[key];
      const now = a[key];
      if (was === undefined) continue;
      if (now === undefined) warn('/sla', `${key} (${was}%) removed from the SLA`);
      else if (now < was) warn(`/sla/${key}`, `${key} loosened from ${was}% to ${now}%`);
    }
    if (b.latency) {
      const was = durationSeconds(b.latency);
      const now = a.latency ? durationSeconds(a.latency) : undefined;
      if (!a.latency) warn('/sla', `latency (${b.latency}) removed from the SLA`);
      else if (was !== undefined && now !== undefined && now > was) warn('/sla/latency', `latency loosened from ${b.latency} to ${a.latency}`);
    }
  }

  /**
   * Whether a contract or a document its `$ref`s reach changed since the base. The working tree's
   * references suffice: an unchanged document refers to the same documents in both revisions, so the first
   * changed document on any path of the base is on a path of the working tree too.
   */
  private touched(uri: string): boolean {
    const resolver = this.head.contracts.resolver;
    const seen = new Set<string>([uri]);
    const pending = [uri];
    while (pending.length > 0) {
      const current = pending.pop()!;
      if (current.startsWith('file:') && this.status.has(this.fileOf(current))) return true;
      for (const next of this.references(resolver, current)) {
        if (!seen.has(next)) {
          seen.add(next);
          pending.push(next);
        }
      }
    }
    return false;
  }

  /** The documents one document refers to with `$ref`, read once. */
  private references(resolver: SchemaResolver, uri: string): ReadonlySet<string> {
    let out = this.refs.get(uri);
    if (out) return out;
    const found = new Set<string>();
    const document = resolver.document(uri);
    if (document !== undefined) {
      const add = (ref: string, baseUri: string) => {
        const target = resolver.resolve(ref, baseUri);
        if (target && target.documentUri !== uri) found.add(target.documentUri);
      };
      const refs = refsWithoutEmbeddedIds(document);
      if (refs) {
        const base = rebase(uri, document);
        // One base for all of them: each distinct reference is resolved once (a contract names its shared
        // types many times).
        for (const ref of new Set(refs)) add(ref, base);
      } else {
        // Embedded $id resources change the base of the $refs below them: walk schema by schema.
        walkSchemas(document, uri, ({ schema, baseUri }) => {
          if (!isObject(schema)) return;
          for (const keyword of ['$ref', '$dynamicRef']) if (typeof schema[keyword] === 'string') add(schema[keyword], baseUri);
        });
      }
    }
    this.refs.set(uri, (out = found));
    return out;
  }

  private revision(resolver: SchemaResolver, uri: string, schema: unknown): ContractRevision | undefined {
    const value = schema ?? resolver.document(uri);
    return value === undefined ? undefined : { schema: value, uri, resolver };
  }

  /** A `file:` URI as a repository-relative path. */
  private fileOf(uri: string): string {
    if (!uri.startsWith('file:')) return uri;
    return relative(this.options.root, fileURLToPath(uri)).split(sep).join('/');
  }

  private portReport(
    product: string,
    manifest: DataProductManifest,
    output: Output,
    parts: Partial<PortReport> & Pick<PortReport, 'status' | 'contract'>,
  ): PortReport {
    return {
      product,
      port: output.port,
      team: manifest.owner?.team,
      mode: output.compatibility ?? 'forward',
      compatible: true,
      level: 'none',
      version: { base: undefined, head: undefined, required: 'none', ok: true },
      replaces: undefined,
      changes: [],
      downstream: parts.downstream ?? this.downstream(product, output.port),
      ...parts,
    };
  }
}

/**
 * Every `$ref`/`$dynamicRef` string of a document, found by a plain scan of its value; `undefined` when a
 * schema below the root has an `$id` (then the scan cannot tell each reference's base).
 */
function refsWithoutEmbeddedIds(document: unknown): string[] | undefined {
  const refs: string[] = [];
  const stack: unknown[] = [document];
  let root = true;
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value) if (item !== null && typeof item === 'object') stack.push(item);
    } else if (isObject(value)) {
      if (!root && typeof value['$id'] === 'string') return undefined;
      for (const key in value) {
        const item = value[key];
        if ((key === '$ref' || key === '$dynamicRef') && typeof item === 'string') refs.push(item);
        else if (item !== null && typeof item === 'object') stack.push(item);
      }
    }
    root = false;
  }
  return refs;
}

function versionOf(schema: unknown): string | undefined {
  return isObject(schema) && typeof schema['x-version'] === 'string' ? schema['x-version'] : undefined;
}

function levelOf(diff: DiffResult): ChangeLevel {
  if (!diff.compatible) return 'breaking';
  if (diff.changes.some((c) => !isMetadataCode(c.code))) return 'schema';
  return diff.changes.length > 0 ? 'metadata' : 'none';
}

function describeLevel(level: ChangeLevel, mode: CompatibilityMode): string {
  switch (level) {
    case 'breaking':
      return `a breaking change (under ${mode})`;
    case 'schema':
      return 'a compatible schema change';
    case 'metadata':
      return 'a metadata change';
    case 'none':
      return 'no change';
  }
}

/** Whether the new mode drops a promise the old one made. */
function loosens(before: CompatibilityMode, after: CompatibilityMode): boolean {
  const b = MODE_PROMISES[before];
  const a = MODE_PROMISES[after];
  return (b.backward && !a.backward) || (b.forward && !a.forward);
}

function combine(a: CompatibilityMode, b: CompatibilityMode): CompatibilityMode {
  const backward = MODE_PROMISES[a].backward || MODE_PROMISES[b].backward;
  const forward = MODE_PROMISES[a].forward || MODE_PROMISES[b].forward;
  return backward && forward ? 'full' : backward ? 'backward' : forward ? 'forward' : 'none';
}

/** "finance.revenue (team finance), marketing.churn (team growth, via 2 hops)". */
export function describeDownstream(readers: readonly Downstream[]): string {
  if (readers.length === 0) return 'no product';
  const shown = readers.slice(0, 10).map((r) => `${r.product} (${[r.team && `team ${r.team}`, r.distance > 1 && `${r.distance} hops away`].filter(Boolean).join(', ') || 'no owner'})`);
  return shown.join(', ') + (readers.length > 10 ? ` and ${readers.length - 10} more` : '');
}
