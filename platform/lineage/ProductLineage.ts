import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recordShape, type RecordField } from '../contract/recordFields.js';
import { errorMessage, InputError, NotFoundError } from '../errors.js';
import type { DataProductManifest, Input, Output, PipelineStep } from '../manifest/DataProductManifest.js';
import { findSqlRefs } from '../pipeline/sqlRefs.js';
import type { Product, Repository } from '../repo/Repository.js';
import { isObject, type JsonObject } from '../util/guards.js';
import { portTable } from '../warehouse/portTable.js';
import type { WarehouseConfig } from '../warehouse/resolveWarehouseConfig.js';
import { DEFAULT_CATALOG_URL, meshDatasetFacet, meshJobFacet, MESH_FACET_KEY } from './meshFacets.js';
import {
  createDatasetEvent,
  createJobEvent,
  createRunEvent,
  type DatasetEvent,
  type DatasetId,
  type EventTime,
  type EventType,
  type InputDataset,
  type Job,
  type JobEvent,
  type JobId,
  type OutputDataset,
  type RunEvent,
} from './OpenLineageEvent.js';
import { MESH_PRODUCER, MESH_VERSION } from './producer.js';
import type { LineageConfig } from './resolveLineageConfig.js';
import {
  FacetFactory,
  type Assertion,
  type ColumnLineageFacetBody,
  type DataQualityMetricsFacetBody,
  type DatasetFacets,
  type DatasetTag,
  type InputDatasetFacets,
  type InputField,
  type JobFacets,
  type LifecycleStateChange,
  type Owner,
  type OutputDatasetFacets,
  type ParentFacetBody,
  type RunFacets,
  type SchemaField,
  type SourceCodeLocationFacetBody,
  type Tag,
} from './StandardFacets.js';
import { uuidv7 } from './uuidv7.js';

/** `jobType.integration` of every mesh job. */
export const MESH_INTEGRATION = 'MESH';

/** `jobType.jobType` of mesh's jobs: a product's pipeline, its data test, one step of the pipeline. */
export const MESH_JOB_TYPES = { run: 'DATA_PRODUCT', test: 'TEST', step: 'STEP' } as const;

/** The namespace of port datasets that do not name their own `dataset`: the embedded mesh warehouse. */
export const DEFAULT_WAREHOUSE_NAMESPACE = 'postgres://warehouse';

/** The namespace of local files (pipeline loads), per the OpenLineage naming conventions; names are paths. */
export const FILE_NAMESPACE = 'file';

/**
 * The dataset an output port publishes: its `outputs[].dataset` when the manifest gives one (the OpenLineage
 * identity, taken as written), otherwise the port's table in the mesh warehouse, named as the warehouse names it
 * (`portTable`: `<layer>.<domain>_<name>`, with `__<port>` for a port not named like the product), in the
 * warehouse's namespace.
 */
export function portDataset(
  manifest: Pick<DataProductManifest, 'layer' | 'id' | 'outputs'>,
  port: string,
  warehouseNamespace: string = DEFAULT_WAREHOUSE_NAMESPACE,
): DatasetId {
  const output = manifest.outputs.find((o) => o.port === port);
  if (!output) throw new NotFoundError(`${manifest.id} has no output port ${port}`);
  if (output.dataset) return { namespace: output.dataset.namespace, name: output.dataset.name };
  const table = portTable(manifest, port);
  return { namespace: warehouseNamespace, name: `${table.schema}.${table.name}` };
}

/**
 * The OpenLineage namespace of the warehouse: `postgres://<host>:<port>` for a PostgreSQL server (the naming
 * conventions' form, credentials and database left out), `postgres://warehouse` for the embedded one.
 */
export function warehouseNamespace(config: WarehouseConfig): string {
  if (config.kind !== 'postgres') return DEFAULT_WAREHOUSE_NAMESPACE;
  try {
    const url = new URL(config.url);
    return `postgres://${url.hostname}:${url.port || '5432'}`;
  } catch {
    return DEFAULT_WAREHOUSE_NAMESPACE;
  }
}

/** The SQL of one pipeline step: as written (with `{{ ref(...) }}`), and as run against the warehouse. */
export interface StepSql {
  readonly sql: string;
  /** The query executed, references replaced by tables; the `sql` facet shows it when given. */
  readonly compiled?: string;
}

/** The SQL of a product's SQL steps, by port, read from its files (or inline `query`). */
export async function readStepSql(repository: Repository, productId: string): Promise<Record<string, StepSql>> {
  const product = repository.products.get(productId);
  if (!product) throw new NotFoundError(`no product ${productId}`);
  const out: Record<string, StepSql> = {};
  for (const step of product.manifest.pipeline?.steps ?? []) {
    if (step.query !== undefined) out[step.port] = { sql: step.query };
    else if (step.sql !== undefined) {
      const file = join(repository.root, product.dir, step.sql);
      try {
        out[step.port] = { sql: await readFile(file, 'utf8') };
      } catch (error) {
        throw new InputError(`cannot read ${product.dir}/${step.sql}: ${errorMessage(error)}`, { cause: error });
      }
    }
  }
  return out;
}

export interface ProductLineageOptions {
  /** `producer` of the events (default mesh's). */
  readonly producer?: string;
  /** Namespace of mesh's jobs (default `mesh`). */
  readonly namespace?: string;
  /** Namespace of port datasets without their own `dataset` (see `warehouseNamespace`; default `postgres://warehouse`). */
  readonly warehouseNamespace?: string;
  /** Base URL of the catalog that serves mesh's facet schemas. */
  readonly schemaBaseUrl?: string;
  /** Where a product's pipeline lives in version control (git remote and sha), for `sourceCodeLocation`. */
  readonly sourceCodeLocation?: (product: Product) => SourceCodeLocationFacetBody | undefined;
}

export type ProductRunKind = 'run' | 'test' | 'step';

/** One run of a product's pipeline, data test or pipeline step, from START to COMPLETE or FAIL. */
export interface ProductRun {
  readonly kind: ProductRunKind;
  readonly productId: string;
  /** The port a step builds. */
  readonly port?: string;
  readonly runId: string;
  readonly job: JobId;
  readonly parent?: ParentFacetBody;
  readonly steps: Readonly<Record<string, StepSql>>;
  readonly extraInputs: readonly DatasetId[];
  readonly extraOutputs: readonly DatasetId[];
}

export interface RunOptions {
  /** Default: a new UUID v7. */
  readonly runId?: string;
  /** The run that started this one (a `mesh run --all` over several products, an orchestrator). */
  readonly parent?: ParentFacetBody;
  /** SQL of the product's SQL steps by port (see `readStepSql`): `sql` facets and step inputs. */
  readonly steps?: Readonly<Record<string, StepSql>>;
  /** Datasets beyond those the manifest names, e.g. a data test's dead-letter table. */
  readonly extraInputs?: readonly DatasetId[];
  readonly extraOutputs?: readonly DatasetId[];
}

/** What a run produced, per output port. */
export interface PortResult {
  readonly rowCount?: number;
  /** Bytes written. */
  readonly size?: number;
  /** Which input fields each output field comes from; replaces what mesh derives (file loads). */
  readonly columnLineage?: ColumnLineageFacetBody['fields'];
}

/** What a data test measured on an output port. */
export interface PortQuality {
  readonly metrics?: DataQualityMetricsFacetBody;
  readonly assertions?: readonly Assertion[];
}

export interface EndDetails {
  readonly eventTime?: EventTime;
  readonly outputs?: Readonly<Record<string, PortResult>>;
  readonly quality?: Readonly<Record<string, PortQuality>>;
}

/**
 * Builds the OpenLineage events of what mesh does with data products, from the repository: run events for
 * pipeline runs, data tests and pipeline steps (START, then COMPLETE or FAIL), and the static lineage that
 * `mesh publish` announces (JobEvents and DatasetEvents). Builders return events; a `LineageClient` emits
 * them.
 *
 * Jobs: `<product id>` (the pipeline), `<product id>.test` (the data test), `<product id>.step.<port>` (one
 * step, a child of the pipeline run through the `parent` facet). Datasets: each output port's
 * (`portDataset`), upstream ports' and external datasets as the manifest names them, and the files that
 * load steps read.
 */
export class ProductLineage {
  readonly producer: string;
  readonly namespace: string;
  readonly warehouseNamespace: string;
  readonly schemaBaseUrl: string;
  private readonly facets: FacetFactory;
  private readonly fieldCache = new Map<string, readonly RecordField[] | undefined>();

  constructor(
    readonly repository: Repository,
    private readonly options: ProductLineageOptions = {},
  ) {
    this.producer = options.producer ?? MESH_PRODUCER;
    this.namespace = options.namespace ?? 'mesh';
    this.warehouseNamespace = options.warehouseNamespace ?? DEFAULT_WAREHOUSE_NAMESPACE;
    this.schemaBaseUrl = options.schemaBaseUrl ?? DEFAULT_CATALOG_URL;
    this.facets = new FacetFactory(this.producer);
  }

  /** Takes producer, namespace and schema base URL from a resolved configuration. */
  static fromConfig(repository: Repository, config: LineageConfig, options: Omit<ProductLineageOptions, 'producer' | 'namespace' | 'schemaBaseUrl'> = {}): ProductLineage {
    return new ProductLineage(repository, { ...options, producer: config.producer, namespace: config.namespace, schemaBaseUrl: config.schemaBaseUrl });
  }

  product(productId: string): Product {
    const product = this.repository.products.get(productId);
    if (!product) throw new NotFoundError(`no product ${productId} in ${this.repository.root}`);
    return product;
  }

  portDataset(productId: string, port: string): DatasetId {
    return portDataset(this.product(productId).manifest, port, this.warehouseNamespace);
  }

  // -------------------------------------------------------------------------------------------------------
  // Runs

  /** A run of a product's pipeline (`mesh run`). */
  run(productId: string, options: RunOptions = {}): ProductRun {
    return this.newRun('run', productId, undefined, `${productId}`, options);
  }

  /** A run of a product's data test (`mesh test`): the ports' datasets are its inputs, measured. */
  test(productId: string, options: RunOptions = {}): ProductRun {
    return this.newRun('test', productId, undefined, `${productId}.test`, options);
  }

  /** One step of a pipeline run, building one port; its parent is the pipeline run. */
  step(parent: ProductRun, port: string, options: Omit<RunOptions, 'parent'> = {}): ProductRun {
    const manifest = this.product(parent.productId).manifest;
    if (!manifest.outputs.some((o) => o.port === port)) throw new NotFoundError(`${parent.productId} has no output port ${port}`);
    const parentFacet: ParentFacetBody = {
      run: { runId: parent.runId },
      job: { namespace: parent.job.namespace, name: parent.job.name },
      ...(parent.parent ? { root: parent.parent.root ?? { run: parent.parent.run, job: parent.parent.job } } : {}),
    };
    return this.newRun('step', parent.productId, port, `${parent.productId}.step.${port}`, {
      steps: parent.steps,
      ...options,
      parent: parentFacet,
    });
  }

  private newRun(kind: ProductRunKind, productId: string, port: string | undefined, jobName: string, options: RunOptions): ProductRun {
    this.product(productId);
    return {
      kind,
      productId,
      ...(port !== undefined ? { port } : {}),
      runId: options.runId ?? uuidv7(),
      job: { namespace: this.namespace, name: jobName },
      ...(options.parent ? { parent: options.parent } : {}),
      steps: options.steps ?? {},
      extraInputs: options.extraInputs ?? [],
      extraOutputs: options.extraOutputs ?? [],
    };
  }

  start(run: ProductRun, options: { eventTime?: EventTime } = {}): RunEvent {
    return this.runEvent(run, 'START', undefined, options);
  }

  complete(run: ProductRun, details: EndDetails = {}): RunEvent {
    return this.runEvent(run, 'COMPLETE', undefined, details);
  }

  /** FAIL, with the error's message and stack in the `errorMessage` facet. */
  fail(run: ProductRun, error: unknown, details: EndDetails = {}): RunEvent {
    return this.runEvent(run, 'FAIL', error, details);
  }

  private runEvent(run: ProductRun, eventType: EventType, error: unknown, details: EndDetails): RunEvent {
    const product = this.product(run.productId);
    const ended = eventType === 'COMPLETE' || eventType === 'FAIL';
    const runFacets: RunFacets = {
      processing_engine: this.facets.run.processingEngine({ version: MESH_VERSION, name: 'mesh', openlineageAdapterVersion: MESH_VERSION }),
      ...(run.parent ? { parent: this.facets.run.parent(run.parent) } : {}),
      ...(eventType === 'FAIL' ? { errorMessage: this.facets.run.errorMessage(errorBody(error)) } : {}),
    };
    const job: Job = { ...run.job, facets: this.jobFacets(product, run.kind, run.port, run.steps) };

    let inputs: InputDataset[];
    let outputs: OutputDataset[];
    if (run.kind === 'test') {
      inputs = product.manifest.outputs.map((output) => {
        const quality = ended ? details.quality?.[output.port] : undefined;
        const inputFacets: InputDatasetFacets = {
          ...(quality?.metrics ? { dataQualityMetrics: this.facets.input.dataQualityMetrics(quality.metrics) } : {}),
          ...(quality?.assertions ? { dataQualityAssertions: this.facets.input.dataQualityAssertions(quality.assertions) } : {}),
        };
        return { ...this.outputAsDataset(product, output), ...(Object.keys(inputFacets).length > 0 ? { inputFacets } : {}) };
      });
      outputs = [];
    } else {
      const ports = run.kind === 'step' ? product.manifest.outputs.filter((o) => o.port === run.port) : product.manifest.outputs;
      inputs = run.kind === 'step' ? this.stepInputs(product, run.port!, run.steps) : this.runInputs(product);
      outputs = ports.map((output) => this.runOutput(product, output, run, eventType, details.outputs?.[output.port]));
    }
    inputs.push(...run.extraInputs.map((d) => ({ namespace: d.namespace, name: d.name })));
    outputs.push(...run.extraOutputs.map((d) => ({ namespace: d.namespace, name: d.name })));

    return createRunEvent({
      eventType,
      producer: this.producer,
      eventTime: details.eventTime,
      run: { runId: run.runId, facets: runFacets },
      job,
      inputs,
      outputs,
    });
  }

  /** Inputs of a whole pipeline run: the manifest's inputs and the files its load steps read. */
  private runInputs(product: Product): InputDataset[] {
    const inputs = (product.manifest.inputs ?? []).map((input) => this.manifestInput(product, input));
    for (const step of product.manifest.pipeline?.steps ?? []) if (step.load) inputs.push(this.loadFile(product, step));
    return uniqueDatasets(inputs);
  }

  /** Inputs of one step: the ports its SQL references, or the file it loads. */
  private stepInputs(product: Product, port: string, steps: Readonly<Record<string, StepSql>>): InputDataset[] {
    const step = product.manifest.pipeline?.steps.find((s) => s.port === port);
    if (step?.load) return [this.loadFile(product, step)];
    const sql = steps[port]?.sql ?? step?.query;
    if (sql === undefined) return [];
    const inputs: InputDataset[] = [];
    for (const ref of findSqlRefs(sql)) {
      const upstream = this.repository.products.get(ref.product);
      if (!upstream) continue; // `mesh validate` reports it (PIPELINE_REF_UNKNOWN)
      const output = ref.port !== undefined ? upstream.manifest.outputs.find((o) => o.port === ref.port) : upstream.manifest.outputs.length === 1 ? upstream.manifest.outputs[0] : undefined;
      if (output) inputs.push(this.outputAsDataset(upstream, output));
    }
    return uniqueDatasets(inputs);
  }

  private manifestInput(product: Product, input: Input): InputDataset {
    if (input.dataset) {
      const { namespace, name } = input.dataset;
      const facets: DatasetFacets = {
        dataSource: this.facets.dataset.dataSource(dataSourceOf(namespace)),
        ...(input.description !== undefined ? { documentation: this.facets.dataset.documentation({ description: input.description }) } : {}),
      };
      return { namespace, name, facets };
    }
    const upstream = input.product !== undefined ? this.repository.products.get(input.product) : undefined;
    const output = upstream?.manifest.outputs.find((o) => o.port === input.port);
    if (!upstream || !output) {
      throw new NotFoundError(`input ${input.product ?? '?'}/${input.port ?? '?'} of ${product.id} is not an output port of a known product; run mesh validate`);
    }
    return this.outputAsDataset(upstream, output);
  }

  private loadFile(product: Product, step: PipelineStep): InputDataset {
    return {
      namespace: FILE_NAMESPACE,
      name: join(this.repository.root, product.dir, step.load!.file),
      facets: { dataSource: this.facets.dataset.dataSource({ name: FILE_NAMESPACE }) },
    };
  }

  private runOutput(product: Product, output: Output, run: ProductRun, eventType: EventType, result: PortResult | undefined): OutputDataset {
    const dataset = this.outputAsDataset(product, output);
    if (eventType !== 'COMPLETE') return dataset;
    // Only a completed run swaps in new data (write, audit, publish); its run id is the data's version.
    const step = product.manifest.pipeline?.steps.find((s) => s.port === output.port);
    const change = lifecycleChange(step);
    const lineage = result?.columnLineage ?? (step?.load ? this.identityLineage(product, output, step) : undefined);
    const facets: DatasetFacets = {
      ...dataset.facets,
      version: this.facets.dataset.version(run.runId),
      ...(change ? { lifecycleStateChange: this.facets.dataset.lifecycleStateChange({ lifecycleStateChange: change }) } : {}),
      ...(lineage && Object.keys(lineage).length > 0 ? { columnLineage: this.facets.dataset.columnLineage({ fields: lineage }) } : {}),
    };
    const statistics = result && (result.rowCount !== undefined || result.size !== undefined);
    const outputFacets: OutputDatasetFacets = statistics
      ? { outputStatistics: this.facets.output.outputStatistics({ ...(result.rowCount !== undefined ? { rowCount: result.rowCount } : {}), ...(result.size !== undefined ? { size: result.size } : {}) }) }
      : {};
    return { ...dataset, facets, ...(statistics ? { outputFacets } : {}) };
  }

  /** A file load maps each column of the file to the contract field of the same name, unchanged. */
  private identityLineage(product: Product, output: Output, step: PipelineStep): ColumnLineageFacetBody['fields'] | undefined {
    const fields = this.contractFields(output.contract);
    if (!fields) return undefined;
    const file = this.loadFile(product, step);
    const out: Record<string, { inputFields: InputField[] }> = {};
    for (const field of fields) {
      out[field.name] = {
        inputFields: [{ namespace: file.namespace, name: file.name, field: field.name, transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] }],
      };
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------------------
  // Static lineage (mesh publish)

  /**
   * The static lineage of every valid product, producers before consumers: a DatasetEvent for each output
   * port, then a JobEvent for the product's pipeline with its inputs and outputs, each dataset with its
   * schema (from the contract), ownership and documentation. `products` restricts them to some products (those
   * a publication changed).
   */
  async publishEvents(options: { eventTime?: EventTime; products?: Iterable<string> } = {}): Promise<(JobEvent | DatasetEvent)[]> {
    const events: (JobEvent | DatasetEvent)[] = [];
    const eventTime = options.eventTime ?? new Date();
    for (const id of this.repository.graph.order(options.products ?? this.repository.products.keys())) {
      const product = this.repository.products.get(id);
      if (!product) continue;
      const outputs = product.manifest.outputs.map((output) => this.outputAsDataset(product, output));
      for (const dataset of outputs) events.push(createDatasetEvent({ producer: this.producer, eventTime, dataset }));
      const inputs = (product.manifest.inputs ?? []).flatMap((input) => {
        try {
          return [this.manifestInput(product, input)];
        } catch {
          return []; // an input that does not resolve is a validation problem, not lineage
        }
      });
      const steps = await readStepSql(this.repository, id).catch(() => ({}));
      const job: Job = { namespace: this.namespace, name: id, facets: this.jobFacets(product, 'run', undefined, steps) };
      events.push(createJobEvent({ producer: this.producer, eventTime, job, inputs: uniqueDatasets(inputs), outputs }));
    }
    return events;
  }

  // -------------------------------------------------------------------------------------------------------
  // Facets

  private jobFacets(product: Product, kind: ProductRunKind, port: string | undefined, steps: Readonly<Record<string, StepSql>>): JobFacets {
    const manifest = product.manifest;
    const output = port !== undefined ? manifest.outputs.find((o) => o.port === port) : undefined;
    const description =
      kind === 'test'
        ? `Data test of ${manifest.name} (${manifest.id}): every output port against its contract and quality checks.`
        : kind === 'step'
          ? `Builds port ${port} of ${manifest.name} (${manifest.id})${output?.description ? `: ${output.description}` : '.'}`
          : manifest.description;
    const sql = kind === 'step' ? steps[port!] : kind === 'run' ? onlyOne(Object.values(steps)) : undefined;
    const code = this.options.sourceCodeLocation?.(product);
    return {
      jobType: this.facets.job.jobType({
        processingType: manifest.pattern === 'streaming' ? 'STREAMING' : 'BATCH',
        integration: MESH_INTEGRATION,
        jobType: MESH_JOB_TYPES[kind],
      }),
      documentation: this.facets.job.documentation({ description }),
      ...(manifest.owner ? { ownership: this.facets.job.ownership(ownersOf(manifest)) } : {}),
      tags: this.facets.job.tags(productTags(manifest)),
      ...(sql ? { sql: this.facets.job.sql({ query: sql.compiled ?? sql.sql, dialect: 'postgres' }) } : {}),
      ...(code ? { sourceCodeLocation: this.facets.job.sourceCodeLocation(code) } : {}),
      [MESH_FACET_KEY]: meshJobFacet(this.producer, this.schemaBaseUrl, manifest),
    };
  }

  /** An output port as a dataset, with the facets that describe it wherever it appears. */
  private outputAsDataset(product: Product, output: Output): OutputDataset {
    const manifest = product.manifest;
    const { namespace, name } = portDataset(manifest, output.port, this.warehouseNamespace);
    const fields = this.contractFields(output.contract);
    const contract = this.repository.contracts.get(output.contract);
    const facets: DatasetFacets = {
      ...(fields ? { schema: this.facets.dataset.schema(fields.map(schemaField)) } : {}),
      dataSource: this.facets.dataset.dataSource(dataSourceOf(namespace)),
      documentation: this.facets.dataset.documentation({ description: output.description ?? manifest.description }),
      ...(manifest.owner ? { ownership: this.facets.dataset.ownership(ownersOf(manifest)) } : {}),
      tags: this.facets.dataset.tags([...productTags(manifest), ...fieldTags(fields ?? [], this.rootClassification(output.contract))]),
      [MESH_FACET_KEY]: meshDatasetFacet(this.producer, this.schemaBaseUrl, manifest, output, contract?.version),
    };
    return { namespace, name, facets };
  }

  /** The top-level fields of a contract, or `undefined` when it is missing or does not compile. */
  private contractFields(file: string): readonly RecordField[] | undefined {
    if (!this.fieldCache.has(file)) {
      const contracts = this.repository.contracts;
      const contract = contracts.get(file);
      const fields = contract && contracts.isCompilable(file) ? recordShape(contract.schema, contract.uri, contracts.resolver).fields : undefined;
      this.fieldCache.set(file, fields);
    }
    return this.fieldCache.get(file);
  }

  private rootClassification(file: string): string | undefined {
    const contract = this.repository.contracts.get(file);
    return isObject(contract?.schema) && typeof contract.schema['x-classification'] === 'string' ? contract.schema['x-classification'] : undefined;
  }
}

function onlyOne<T>(items: readonly T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

function lifecycleChange(step: PipelineStep | undefined): LifecycleStateChange | undefined {
  if (!step) return undefined;
  if (step.load?.cdc) return undefined; // changes applied by key: the table is altered in place, not replaced
  switch (step.materialized ?? 'table') {
    case 'table':
      return 'OVERWRITE';
    case 'view':
      return 'CREATE';
    case 'incremental':
      return undefined;
  }
}

function errorBody(error: unknown): { message: string; programmingLanguage: string; stackTrace?: string } {
  const message = errorMessage(error) || 'the run failed';
  const stack = error instanceof Error ? error.stack : undefined;
  return { message, programmingLanguage: 'JAVASCRIPT', ...(stack ? { stackTrace: stack } : {}) };
}

/** `dataSource` of a namespace: its name, and its URI when the namespace is one (`postgres://host:5432`). */
function dataSourceOf(namespace: string): { name: string; uri?: string } {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/.test(namespace) && URL.canParse(namespace) ? { name: namespace, uri: namespace } : { name: namespace };
}

function ownersOf(manifest: DataProductManifest): Owner[] {
  const owner = manifest.owner!;
  return [
    { name: `team:${owner.team}`, type: 'OWNER' },
    { name: `email:${owner.email}`, type: 'CONTACT' },
  ];
}

/** The product's tags, layer, domain and pattern as `key: value` tags. */
function productTags(manifest: DataProductManifest): Tag[] {
  return [
    { key: 'domain', value: manifest.domain, source: 'MANIFEST' },
    { key: 'layer', value: manifest.layer, source: 'MANIFEST' },
    { key: 'pattern', value: manifest.pattern, source: 'MANIFEST' },
    ...(manifest.tags ?? []).map((tag) => ({ key: tag, value: 'true', source: 'MANIFEST' })),
  ];
}

/** PII marks and classifications of the contract's fields, and the contract's own classification. */
function fieldTags(fields: readonly RecordField[], classification: string | undefined): DatasetTag[] {
  const tags: DatasetTag[] = classification !== undefined ? [{ key: 'classification', value: classification, source: 'CONTRACT' }] : [];
  for (const field of fields) {
    if (field.pii) tags.push({ key: 'pii', value: 'true', source: 'CONTRACT', field: field.name });
    if (field.classification !== undefined) tags.push({ key: 'classification', value: field.classification, source: 'CONTRACT', field: field.name });
  }
  return tags;
}

const MAX_NESTING = 3;

function schemaField(field: RecordField, index: number): SchemaField {
  return {
    name: field.name,
    ...(field.type !== undefined ? { type: field.type } : {}),
    ...(field.description !== undefined ? { description: field.description } : {}),
    ordinal_position: index + 1,
    ...nested(field.schema, 1),
  };
}

/**
 * Nested fields of an object field, from properties written in place. A nested `$ref` is not followed:
 * its base URI is not known here, so the field is listed by name only rather than guessed.
 */
function nested(schema: JsonObject, depth: number): { fields?: SchemaField[] } {
  if (depth > MAX_NESTING || !isObject(schema['properties'])) return {};
  const fields = Object.entries(schema['properties']).map(([name, child], i): SchemaField => {
    const own = isObject(child) ? child : {};
    const type = typeof own['type'] === 'string' ? own['type'] : Array.isArray(own['type']) ? own['type'].find((t) => t !== 'null') : undefined;
    return {
      name,
      ...(typeof type === 'string' ? { type } : {}),
      ...(typeof own['description'] === 'string' ? { description: own['description'] } : {}),
      ordinal_position: i + 1,
      ...(own['$ref'] === undefined ? nested(own, depth + 1) : {}),
    };
  });
  return fields.length > 0 ? { fields } : {};
}

function uniqueDatasets<T extends DatasetId>(datasets: T[]): T[] {
  const seen = new Set<string>();
  return datasets.filter((d) => {
    const key = `${d.namespace}\u0000${d.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
