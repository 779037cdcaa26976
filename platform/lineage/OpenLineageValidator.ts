import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { addFastFormats } from '../contract/fastFormats.js';
import { packageRoot } from '../util/packageRoot.js';
import { isObject } from '../util/guards.js';
import { meshFacetSchemas } from './meshFacets.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Where a facet may stand in an event. */
export type FacetPlace = 'run' | 'job' | 'dataset' | 'inputDataset' | 'outputDataset';

/** A facet schema known to the validator: its key, the places it may stand, and the schema's `$id`. */
export interface KnownFacet {
  readonly key: string;
  readonly places: readonly FacetPlace[];
  readonly schemaId: string;
}

/** One reason an event does not conform. */
export interface EventViolation {
  /** JSON pointer into the event. */
  readonly pointer: string;
  readonly message: string;
  /** `$id` of the schema that failed (the core, or a facet's). */
  readonly schema: string;
}

const PLACE_OF_CORE_DEF: Record<string, FacetPlace> = {
  RunFacet: 'run',
  JobFacet: 'job',
  DatasetFacet: 'dataset',
  InputDatasetFacet: 'inputDataset',
  OutputDatasetFacet: 'outputDataset',
};

/** The vendored spec shipped with mesh. */
export function vendoredSpecDir(): string {
  return join(packageRoot(), 'platform', 'lineage', 'spec');
}

/**
 * Checks OpenLineage events the way the spec's README prescribes: the event against the core schema first,
 * then every facet `{key: facet}` against the schema for that key at that place (run, job, dataset,
 * inputFacets, outputFacets). Facets with keys no schema knows are held to the core's BaseFacet only.
 * Extra facet schemas (mesh's own) are loaded in the same format as the standard ones.
 */
export class OpenLineageValidator {
  private readonly ajv: Ajv2020;
  private readonly core: ValidateFunction;
  readonly coreId: string;
  private readonly facets = new Map<string, { facet: KnownFacet; validate: ValidateFunction }>();
  /** The same schemas compiled with `allErrors`, made on the first event that does not conform, to explain it. */
  private explainer: OpenLineageValidator | undefined;

  /**
   * `allErrors` (default false) collects every failure. The verdict is the same either way, and stopping at the
   * first failure is several times faster, so `validate` decides with a first-failure validator and asks an
   * all-errors one only to explain an event that fails.
   */
  constructor(
    private readonly coreSchema: object,
    private readonly facetSchemas: readonly object[],
    private readonly allErrors = false,
  ) {
    this.ajv = new Ajv2020({ allErrors, strict: false, validateFormats: true });
    addFormats(this.ajv);
    addFastFormats(this.ajv);
    addMemoizedFormat(this.ajv, 'uri');
    this.ajv.addKeyword('example');
    this.ajv.addKeyword('documentation');
    this.ajv.addSchema(coreSchema);
    for (const schema of facetSchemas) this.ajv.addSchema(schema);
    this.coreId = String((coreSchema as { $id?: string }).$id);
    this.core = this.ajv.getSchema(this.coreId)!;
    for (const schema of facetSchemas) {
      const id = String((schema as { $id?: string }).$id);
      const properties = isObject((schema as Record<string, unknown>)['properties']) ? (schema as { properties: Record<string, unknown> }).properties : {};
      const places = placesOf(schema);
      const validate = this.ajv.getSchema(id)!;
      for (const key of Object.keys(properties)) {
        for (const place of places) this.facets.set(`${place}:${key}`, { facet: { key, places, schemaId: id }, validate });
      }
    }
  }

  /** Loads a spec directory laid out like the upstream one: `OpenLineage.json` and `facets/*.json`. */
  static fromDirectory(specDir: string, extraFacetSchemas: readonly object[] = []): OpenLineageValidator {
    const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as object;
    const facetDir = join(specDir, 'facets');
    const facets = readdirSync(facetDir).filter((f) => f.endsWith('.json')).sort().map((f) => read(join(facetDir, f)));
    return new OpenLineageValidator(read(join(specDir, 'OpenLineage.json')), [...facets, ...extraFacetSchemas]);
  }

  /**
   * The validator mesh uses for its own events: a spec directory (the vendored copy by default) plus mesh's
   * own facet schemas, so `mesh_dataProduct` is checked against its schema like a standard facet.
   */
  static forMesh(specDir: string = vendoredSpecDir()): OpenLineageValidator {
    return OpenLineageValidator.fromDirectory(specDir, meshFacetSchemas());
  }

  knownFacets(): KnownFacet[] {
    return [...new Set([...this.facets.values()].map((f) => f.facet))];
  }

  /** Every violation; empty when the event conforms. */
  validate(event: unknown): EventViolation[] {
    const violations = this.check(event);
    if (violations.length === 0 || this.allErrors) return violations;
    this.explainer ??= new OpenLineageValidator(this.coreSchema, this.facetSchemas, true);
    return this.explainer.check(event);
  }

  private check(event: unknown): EventViolation[] {
    if (!this.core(event)) {
      // The root is a oneOf of the three event kinds; explain against the kind the event looks like.
      const kind = isObject(event) ? ('run' in event ? 'RunEvent' : 'dataset' in event ? 'DatasetEvent' : 'JobEvent') : 'RunEvent';
      const specific = this.ajv.getSchema(`${this.coreId}#/$defs/${kind}`)!;
      const errors = specific(event) ? this.core.errors ?? [] : specific.errors ?? [];
      return errors.map((e) => violation(e, this.coreId));
    }
    const violations: EventViolation[] = [];
    const check = (place: FacetPlace, facets: unknown, pointer: string) => {
      if (!isObject(facets)) return;
      for (const key of Object.keys(facets)) {
        const known = this.facets.get(`${place}:${key}`);
        if (!known) continue;
        if (!known.validate({ [key]: facets[key] })) {
          for (const e of known.validate.errors ?? []) violations.push(violation(e, known.facet.schemaId, pointer));
        }
      }
    };
    const e = event as Record<string, unknown>;
    if (isObject(e['run'])) check('run', e['run']['facets'], '/run/facets');
    if (isObject(e['job'])) check('job', e['job']['facets'], '/job/facets');
    if (isObject(e['dataset'])) check('dataset', e['dataset']['facets'], '/dataset/facets');
    for (const side of ['inputs', 'outputs'] as const) {
      const list = e[side];
      if (!Array.isArray(list)) continue;
      list.forEach((dataset: unknown, i) => {
        if (!isObject(dataset)) return;
        const base = `/${side}/${i}`;
        check('dataset', dataset['facets'], `${base}/facets`);
        if (side === 'inputs') check('inputDataset', dataset['inputFacets'], `${base}/inputFacets`);
        else check('outputDataset', dataset['outputFacets'], `${base}/outputFacets`);
      });
    }
    return violations;
  }
}

/** Most strings a memoized format remembers, and the longest it remembers. */
const FORMAT_MEMO_ENTRIES = 4096;
const FORMAT_MEMO_LENGTH = 2048;

/**
 * A format check that remembers its verdicts. Events repeat the same few URIs (every facet's `_producer` and
 * `_schemaURL`), and ajv-formats' `uri` is a long regular expression: the verdict is the same, looked up.
 */
function addMemoizedFormat(ajv: Ajv2020, name: string): void {
  const original = ajv.formats[name] as { validate?: unknown } | ((data: string) => boolean) | RegExp | undefined;
  const check = typeof original === 'function' ? original : original instanceof RegExp ? (data: string) => original.test(data) : undefined;
  if (check === undefined) return;
  const verdicts = new Map<string, boolean>();
  ajv.addFormat(name, {
    type: 'string',
    validate: (data: string) => {
      let verdict = verdicts.get(data);
      if (verdict === undefined) {
        verdict = check(data);
        if (data.length <= FORMAT_MEMO_LENGTH) {
          if (verdicts.size >= FORMAT_MEMO_ENTRIES) verdicts.clear();
          verdicts.set(data, verdict);
        }
      }
      return verdict;
    },
  });
}

/** The places a facet file allows, from the core facet types it builds on (`allOf` refs into the core). */
function placesOf(schema: object): FacetPlace[] {
  const places = new Set<FacetPlace>();
  for (const match of JSON.stringify(schema).matchAll(/OpenLineage\.json#\/\$defs\/(\w+)"/g)) {
    const place = PLACE_OF_CORE_DEF[match[1]!];
    if (place) places.add(place);
  }
  return [...places];
}

function violation(error: ErrorObject, schema: string, base = ''): EventViolation {
  const extra = error.keyword === 'additionalProperties' ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})` : '';
  // Facets are validated as `{key: facet}`, so the instance path starts with the key: `base` is the facets map.
  const pointer = base === '' ? error.instancePath : base + error.instancePath;
  return { pointer: pointer || '/', message: `${error.message ?? 'is invalid'}${extra}`, schema };
}
