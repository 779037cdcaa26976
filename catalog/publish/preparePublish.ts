import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { checkContract } from '../../platform/contract/checkContract.js';
import { checkPortContract } from '../../platform/contract/checkPortContract.js';
import type { Contract } from '../../platform/contract/Contract.js';
import { recordShape } from '../../platform/contract/recordFields.js';
import { SchemaResolver } from '../../platform/contract/SchemaResolver.js';
import { SEMVER_PATTERN } from '../../platform/contract/vocabulary.js';
import { checkManifestShape } from '../../platform/manifest/checkManifestShape.js';
import type { DataProductManifest } from '../../platform/manifest/DataProductManifest.js';
import type { SourceDocument } from '../../platform/source/SourceDocument.js';
import { isObject } from '../../platform/util/guards.js';
import { InputError } from '../../platform/errors.js';
import { InvalidContentError, type Violation } from '../errors.js';
import { datasetKey } from '../lineageKeys.js';
import { contentHash } from '../util/canonicalJson.js';
import { inspectJson } from '../util/inspectJson.js';
import type { PublishBundle } from './PublishBundle.js';
import { referencedDocuments } from './referencedDocuments.js';

/** A contract field as the catalog keeps it (the contract's top-level properties, `$ref`s followed). */
export interface ContractFieldSummary {
  readonly name: string;
  /** The name and its words, for the full-text index. */
  readonly search: string;
  readonly type: string | null;
  readonly nullable: boolean;
  readonly required: boolean;
  readonly format: string | null;
  readonly description: string | null;
  readonly pii: boolean;
  readonly classification: string | null;
  readonly unique: boolean;
  readonly primaryKey: boolean;
  readonly enum: readonly unknown[] | null;
}

export interface PreparedContract {
  readonly path: string;
  readonly ownerTeam: string;
  readonly version: string | null;
  readonly title: string | null;
  readonly description: string | null;
  readonly schema: unknown;
  /** The documents the contract refers to, by repository path. */
  readonly documents: Readonly<Record<string, unknown>>;
  readonly fields: readonly ContractFieldSummary[];
  /** sha-256 of the canonical `{schema, documents}`: a change in a shared definition is a change of the contract. */
  readonly hash: string;
}

export interface PreparedProduct {
  readonly id: string;
  readonly file: string;
  readonly manifest: DataProductManifest;
  readonly ownerTeam: string;
  /** Per output port: its contract's path and hash. */
  readonly contracts: Readonly<Record<string, { readonly path: string; readonly hash: string; readonly version: string | null }>>;
  /** sha-256 of the canonical `{manifest, contracts}`: what republishing compares. */
  readonly hash: string;
  /** Text for the full-text index, by weight: A names, B descriptions, C field names, D field descriptions. */
  readonly search: { readonly a: string; readonly b: string; readonly c: string; readonly d: string };
}

/** A publication checked and hashed, ready for the store. */
export interface PreparedPublish {
  readonly products: readonly PreparedProduct[];
  readonly contracts: readonly PreparedContract[];
}

/** Where bundled documents live for `$ref` resolution: a root no real repository has. */
const BUNDLE_ROOT = 'file:///mesh-publish/';
const MAX_DEPTH = 128;

/**
 * Checks a publication on the receiving side, trusting nothing the client says: the bundle's shape, every
 * manifest against the manifest schema, the structure of every port contract (`checkContract`), that every
 * output's contract is in the bundle, that each product has an owner and each contract one owning team.
 * Computes what the store keeps: content hashes, contract fields (`recordShape`), referenced documents, search
 * text. Throws `InvalidContentError` with every violation, located by pointer into the bundle.
 */
export function preparePublish(bundle: unknown): PreparedPublish {
  if (!isObject(bundle)) throw new InputError('a publication is a JSON object {products, contracts}');
  const findings = inspectJson(bundle, MAX_DEPTH);
  if (findings.length > 0) throw invalid(findings);
  const validateBundle = bundleValidator();
  if (!validateBundle(bundle)) {
    throw invalid((validateBundle.errors ?? []).map((e) => ({ pointer: e.instancePath || '/', message: e.message ?? 'is invalid' })));
  }
  const { products, contracts } = bundle as unknown as PublishBundle;
  const violations: Violation[] = [];

  const documents = new Map<string, { schema: unknown; index: number }>();
  contracts.forEach((c, index) => {
    if (hasDotSegment(c.file)) violations.push({ pointer: `/contracts/${index}/file`, message: `${c.file} is not a plain repository path` });
    else if (documents.has(c.file)) violations.push({ pointer: `/contracts/${index}/file`, message: `${c.file} is in the publication twice` });
    else documents.set(c.file, { schema: c.schema, index });
  });
  const resolver = new SchemaResolver((uri) => (uri.startsWith(BUNDLE_ROOT) ? documents.get(uri.slice(BUNDLE_ROOT.length))?.schema : undefined));

  const manifests: { manifest: DataProductManifest; file: string; index: number }[] = [];
  const ids = new Map<string, number>();
  products.forEach((p, index) => {
    const at = `/products/${index}`;
    if (hasDotSegment(p.file)) violations.push({ pointer: `${at}/file`, message: `${p.file} is not a plain repository path` });
    const checked = checkManifestShape(unlocated(p.file, p.manifest));
    for (const problem of checked.problems) violations.push({ pointer: `${at}/manifest${problem.pointer}`, message: problem.message, schema: problem.code });
    const manifest = checked.manifest;
    if (!manifest) return;
    if (ids.has(manifest.id)) violations.push({ pointer: `${at}/manifest/id`, message: `product ${manifest.id} is in the publication twice` });
    ids.set(manifest.id, index);
    if (!manifest.owner) violations.push({ pointer: `${at}/manifest/owner`, message: 'a published product needs an owner team' });
    manifest.outputs.forEach((output, j) => {
      if (!documents.has(output.contract)) {
        violations.push({ pointer: `${at}/manifest/outputs/${j}/contract`, message: `contract ${output.contract} is not in the publication` });
      }
    });
    manifests.push({ manifest, file: p.file, index });
  });

  // Each port contract: its owning team (one), and its checks.
  const contractOwners = new Map<string, { team: string; by: string }>();
  const datasetClaims = new Map<string, string>();
  for (const { manifest, index } of manifests) {
    const team = manifest.owner?.team;
    if (team === undefined) continue;
    manifest.outputs.forEach((output, j) => {
      const owner = contractOwners.get(output.contract);
      if (owner && owner.team !== team) {
        violations.push({ pointer: `/products/${index}/manifest/outputs/${j}/contract`, message: `contract ${output.contract} is also the contract of ${owner.by}, owned by team ${owner.team}; a contract belongs to one team` });
      } else if (!owner) {
        contractOwners.set(output.contract, { team, by: manifest.id });
      }
      if (output.dataset) {
        const key = datasetKey(output.dataset.namespace, output.dataset.name);
        const claimant = datasetClaims.get(key);
        const port = `${manifest.id}:${output.port}`;
        if (claimant !== undefined && claimant !== port) {
          violations.push({ pointer: `/products/${index}/manifest/outputs/${j}/dataset`, message: `dataset ${key} is also published by ${claimant}` });
        }
        datasetClaims.set(key, port);
      }
    });
  }

  const prepared = new Map<string, PreparedContract>();
  const references = new Map<string, readonly string[]>();
  for (const [path, owner] of contractOwners) {
    const entry = documents.get(path);
    if (!entry) continue;
    const uri = BUNDLE_ROOT + path;
    resolver.document(uri);
    const schema = entry.schema;
    const version = isObject(schema) && typeof schema['x-version'] === 'string' && SEMVER_PATTERN.test(schema['x-version']) ? schema['x-version'] : undefined;
    const contract: Contract = { file: path, uri, document: unlocated(path, schema), schema, version };
    for (const problem of [...checkContract(contract, resolver), ...checkPortContract(contract)]) {
      if (problem.severity === 'error') violations.push({ pointer: `/contracts/${entry.index}/schema${problem.pointer}`, message: problem.message, schema: problem.code });
    }
    const referenced: Record<string, unknown> = {};
    for (const target of referencedDocuments(uri, resolver, references)) {
      if (target.startsWith(BUNDLE_ROOT)) referenced[target.slice(BUNDLE_ROOT.length)] = resolver.document(target);
    }
    const shape = recordShape(schema, uri, resolver);
    prepared.set(path, {
      path,
      ownerTeam: owner.team,
      version: version ?? null,
      title: isObject(schema) && typeof schema['title'] === 'string' ? schema['title'] : null,
      description: isObject(schema) && typeof schema['description'] === 'string' ? schema['description'] : null,
      schema,
      documents: referenced,
      fields: shape.fields.map((f) => ({
        name: f.name,
        search: words(f.name),
        type: f.type ?? null,
        nullable: f.nullable,
        required: f.required,
        format: f.format ?? null,
        description: f.description ?? null,
        pii: f.pii,
        classification: f.classification ?? null,
        unique: f.unique,
        primaryKey: f.primaryKey,
        enum: f.enum ?? null,
      })),
      hash: contentHash({ schema, documents: referenced }),
    });
  }
  if (violations.length > 0) throw invalid(violations);

  return {
    contracts: [...prepared.values()],
    products: manifests.map(({ manifest, file }) => {
      const ports: Record<string, { path: string; hash: string; version: string | null }> = {};
      for (const output of manifest.outputs) {
        const contract = prepared.get(output.contract)!;
        ports[output.port] = { path: contract.path, hash: contract.hash, version: contract.version };
      }
      return {
        id: manifest.id,
        file,
        manifest,
        ownerTeam: manifest.owner!.team,
        contracts: ports,
        hash: contentHash({ manifest, contracts: ports }),
        search: searchText(manifest, manifest.outputs.map((o) => prepared.get(o.contract)!)),
      };
    }),
  };
}

function searchText(manifest: DataProductManifest, contracts: readonly PreparedContract[]): PreparedProduct['search'] {
  const fields = contracts.flatMap((c) => c.fields);
  return {
    a: [manifest.name, words(manifest.id), ...(manifest.tags ?? [])].join(' '),
    b: [manifest.description, manifest.domain, manifest.owner?.team ?? '', manifest.owner?.name ?? ''].join(' '),
    c: [...manifest.outputs.map((o) => words(o.port)), ...fields.map((f) => words(f.name))].join(' '),
    d: [...manifest.outputs.map((o) => o.description ?? ''), ...contracts.map((c) => `${c.title ?? ''} ${c.description ?? ''}`), ...fields.map((f) => f.description ?? '')].join(' '),
  };
}

/** A name and its words: `customerEmail` and `sales.orders` are also found as `customer email`, `sales orders`. */
export function words(name: string): string {
  const split = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.\-:/]+/g, ' ');
  return split === name ? name : `${name} ${split}`;
}

function hasDotSegment(path: string): boolean {
  return path.split('/').some((s) => s === '.' || s === '..' || s === '');
}

/** A document for checks that report by pointer; positions do not apply to JSON received over the wire. */
function unlocated(file: string, value: unknown): SourceDocument {
  return { file, text: '', value, position: () => ({ line: 0, column: 0 }) };
}

function invalid(violations: readonly Violation[]): InvalidContentError {
  const first = violations[0]!;
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
  return new InvalidContentError(`the publication is not valid: ${first.pointer} ${first.message}${more}`, violations);
}

let compiled: ValidateFunction | undefined;

function bundleValidator(): ValidateFunction {
  compiled ??= new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile({
    type: 'object',
    required: ['products', 'contracts'],
    additionalProperties: false,
    properties: {
      products: {
        type: 'array',
        maxItems: 100_000,
        items: {
          type: 'object',
          required: ['file', 'manifest'],
          additionalProperties: false,
          properties: { file: { type: 'string', maxLength: 1024, pattern: '^products/.+\\.ya?ml$' }, manifest: { type: 'object' } },
        },
      },
      contracts: {
        type: 'array',
        maxItems: 200_000,
        items: {
          type: 'object',
          required: ['file', 'schema'],
          additionalProperties: false,
          properties: { file: { type: 'string', maxLength: 1024, pattern: '^contracts/.+\\.json$' }, schema: { type: ['object', 'boolean'] } },
        },
      },
    },
  });
  return compiled;
}
