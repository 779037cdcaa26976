import type { FacetPlace } from './OpenLineageValidator.js';

/**
 * The standard facets mesh writes, typed after the spec's facet schemas (`spec/facets/*.json`), and a factory
 * that stamps each with `_producer` and the `_schemaURL` of the facet's version in the vendored spec.
 */

/** What every facet carries. */
export interface BaseFacet {
  readonly _producer: string;
  readonly _schemaURL: string;
}

/** Facet body types: the facet without `_producer` and `_schemaURL`. */

export interface SchemaField {
  readonly name: string;
  readonly type?: string;
  readonly description?: string;
  /** 1-based position of the field in the record. */
  readonly ordinal_position?: number;
  /** Nested fields of a struct. */
  readonly fields?: readonly SchemaField[];
}

export interface SchemaFacetBody {
  readonly fields: readonly SchemaField[];
}

export interface Owner {
  /** e.g. `team:sales-analytics`, `email:sales@example.com`. */
  readonly name: string;
  /** e.g. `OWNER`, `MAINTAINER`. */
  readonly type?: string;
}

export interface OwnershipFacetBody {
  readonly owners: readonly Owner[];
}

export interface DocumentationFacetBody {
  readonly description: string;
  /** MIME type of `description`, e.g. `text/markdown`. */
  readonly contentType?: string;
}

export interface DataSourceFacetBody {
  readonly name?: string;
  /** Must be an absolute URI. */
  readonly uri?: string;
}

export type ProcessingType = 'BATCH' | 'STREAMING';

export interface JobTypeFacetBody {
  readonly processingType: ProcessingType;
  /** The integration that runs the job, e.g. `SPARK`, `DBT`; mesh writes `MESH`. */
  readonly integration: string;
  /** e.g. `QUERY`, `DAG`, `TASK`; mesh writes `DATA_PRODUCT`, `TEST`, `STEP`. */
  readonly jobType?: string;
}

export interface SqlFacetBody {
  readonly query: string;
  readonly dialect?: string;
}

export interface SourceCodeLocationFacetBody {
  /** The source control system, e.g. `git`. */
  readonly type: string;
  /** The full URL of the file; must be an absolute URI. */
  readonly url: string;
  readonly repoUrl?: string;
  readonly path?: string;
  /** The exact revision (a git sha). */
  readonly version?: string;
  readonly tag?: string;
  readonly branch?: string;
  readonly pullRequestNumber?: string;
}

export interface RunRef {
  readonly runId: string;
}

export interface ParentFacetBody {
  readonly run: RunRef;
  readonly job: { readonly namespace: string; readonly name: string };
  readonly root?: { readonly run: RunRef; readonly job: { readonly namespace: string; readonly name: string } };
}

export interface ErrorMessageFacetBody {
  readonly message: string;
  /** The language of the observed system, e.g. `JAVASCRIPT`. */
  readonly programmingLanguage: string;
  readonly stackTrace?: string;
}

export interface ProcessingEngineFacetBody {
  readonly version: string;
  readonly name?: string;
  readonly openlineageAdapterVersion?: string;
}

export interface ColumnMetrics {
  readonly nullCount?: number;
  readonly distinctCount?: number;
  readonly sum?: number;
  readonly count?: number;
  readonly min?: number;
  readonly max?: number;
  /** Keyed by quantile, e.g. `"0.5"`. */
  readonly quantiles?: Readonly<Record<string, number>>;
}

export interface DataQualityMetricsFacetBody {
  readonly rowCount?: number;
  readonly bytes?: number;
  readonly fileCount?: number;
  /** ISO date-time of the last change to the dataset. */
  readonly lastUpdated?: string;
  /** Keyed by column name. */
  readonly columnMetrics: Readonly<Record<string, ColumnMetrics>>;
}

export interface Assertion {
  /** The kind of test: `not_null`, `unique`, `row_count`, `freshness`, `custom_sql`... */
  readonly assertion: string;
  /** True when the test found no issue (whatever its severity). */
  readonly success: boolean;
  /** The column tested; absent when the test is about the whole dataset. */
  readonly column?: string;
  /** `error` or `warn`. */
  readonly severity?: string;
  readonly name?: string;
  readonly description?: string;
  readonly expected?: string;
  readonly actual?: string;
  /** The assertion body, e.g. its SQL. */
  readonly content?: string;
  readonly contentType?: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

export interface DataQualityAssertionsFacetBody {
  readonly assertions: readonly Assertion[];
}

export type TransformationType = 'DIRECT' | 'INDIRECT';

export interface Transformation {
  readonly type: TransformationType;
  /** e.g. `IDENTITY`, `TRANSFORMATION`, `AGGREGATION` (DIRECT); `JOIN`, `FILTER`, `SORT` (INDIRECT). */
  readonly subtype?: string;
  readonly description?: string;
  readonly masking?: boolean;
}

export interface InputField extends DatasetIdLike {
  readonly field: string;
  readonly transformations?: readonly Transformation[];
}

interface DatasetIdLike {
  readonly namespace: string;
  readonly name: string;
}

export interface ColumnLineageFacetBody {
  /** Keyed by output field: the input fields it is computed from. */
  readonly fields: Readonly<Record<string, { readonly inputFields: readonly InputField[] }>>;
  /** Input fields that affect the whole dataset (filters, joins, sorts). */
  readonly dataset?: readonly InputField[];
}

export type LifecycleStateChange = 'ALTER' | 'CREATE' | 'DROP' | 'OVERWRITE' | 'RENAME' | 'TRUNCATE';

export interface LifecycleStateChangeFacetBody {
  readonly lifecycleStateChange: LifecycleStateChange;
  readonly previousIdentifier?: DatasetIdLike;
}

export interface DatasetVersionFacetBody {
  readonly datasetVersion: string;
}

export interface Tag {
  readonly key: string;
  readonly value: string;
  /** Who set the tag, e.g. `MANIFEST`, `CONTRACT`. */
  readonly source?: string;
}

export interface DatasetTag extends Tag {
  /** The field the tag applies to, when it is about one field. */
  readonly field?: string;
}

export interface TagsFacetBody<T extends Tag = Tag> {
  readonly tags: readonly T[];
}

export interface OutputStatisticsFacetBody {
  readonly rowCount?: number;
  readonly size?: number;
  readonly fileCount?: number;
}

export type Facet<Body> = BaseFacet & Body;

/** A facet of a kind mesh does not model: held to the core's BaseFacet only. */
export type CustomFacet = BaseFacet & Readonly<Record<string, unknown>>;

export interface RunFacets {
  readonly parent?: Facet<ParentFacetBody>;
  readonly errorMessage?: Facet<ErrorMessageFacetBody>;
  readonly processing_engine?: Facet<ProcessingEngineFacetBody>;
  readonly tags?: Facet<TagsFacetBody>;
  readonly [key: string]: BaseFacet | undefined;
}

export interface JobFacets {
  readonly jobType?: Facet<JobTypeFacetBody>;
  readonly sql?: Facet<SqlFacetBody>;
  readonly sourceCodeLocation?: Facet<SourceCodeLocationFacetBody>;
  readonly documentation?: Facet<DocumentationFacetBody>;
  readonly ownership?: Facet<OwnershipFacetBody>;
  readonly tags?: Facet<TagsFacetBody>;
  readonly [key: string]: BaseFacet | undefined;
}

export interface DatasetFacets {
  readonly schema?: Facet<SchemaFacetBody>;
  readonly dataSource?: Facet<DataSourceFacetBody>;
  readonly documentation?: Facet<DocumentationFacetBody>;
  readonly ownership?: Facet<OwnershipFacetBody>;
  readonly columnLineage?: Facet<ColumnLineageFacetBody>;
  readonly lifecycleStateChange?: Facet<LifecycleStateChangeFacetBody>;
  readonly version?: Facet<DatasetVersionFacetBody>;
  readonly tags?: Facet<TagsFacetBody<DatasetTag>>;
  readonly [key: string]: BaseFacet | undefined;
}

export interface InputDatasetFacets {
  readonly dataQualityMetrics?: Facet<DataQualityMetricsFacetBody>;
  readonly dataQualityAssertions?: Facet<DataQualityAssertionsFacetBody>;
  readonly [key: string]: BaseFacet | undefined;
}

export interface OutputDatasetFacets {
  readonly outputStatistics?: Facet<OutputStatisticsFacetBody>;
  readonly [key: string]: BaseFacet | undefined;
}

const FACETS = 'https://openlineage.io/spec/facets';

/**
 * The `_schemaURL` of every standard facet mesh writes, by place and key: the facet file's `$id` in the
 * vendored spec with a pointer to its definition, as the official clients write it. A test checks each
 * against the spec files, so a spec update that moves a version fails loudly.
 */
export const STANDARD_FACET_SCHEMA_URLS = {
  run: {
    parent: `${FACETS}/1-2-0/ParentRunFacet.json#/$defs/ParentRunFacet`,
    errorMessage: `${FACETS}/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet`,
    processing_engine: `${FACETS}/1-1-1/ProcessingEngineRunFacet.json#/$defs/ProcessingEngineRunFacet`,
    tags: `${FACETS}/1-0-0/TagsRunFacet.json#/$defs/TagsRunFacet`,
  },
  job: {
    jobType: `${FACETS}/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet`,
    sql: `${FACETS}/1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet`,
    sourceCodeLocation: `${FACETS}/1-1-0/SourceCodeLocationJobFacet.json#/$defs/SourceCodeLocationJobFacet`,
    documentation: `${FACETS}/1-1-0/DocumentationJobFacet.json#/$defs/DocumentationJobFacet`,
    ownership: `${FACETS}/1-0-1/OwnershipJobFacet.json#/$defs/OwnershipJobFacet`,
    tags: `${FACETS}/1-0-0/TagsJobFacet.json#/$defs/TagsJobFacet`,
  },
  dataset: {
    schema: `${FACETS}/1-2-0/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet`,
    dataSource: `${FACETS}/1-0-1/DatasourceDatasetFacet.json#/$defs/DatasourceDatasetFacet`,
    documentation: `${FACETS}/1-1-0/DocumentationDatasetFacet.json#/$defs/DocumentationDatasetFacet`,
    ownership: `${FACETS}/1-0-1/OwnershipDatasetFacet.json#/$defs/OwnershipDatasetFacet`,
    columnLineage: `${FACETS}/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet`,
    lifecycleStateChange: `${FACETS}/1-0-1/LifecycleStateChangeDatasetFacet.json#/$defs/LifecycleStateChangeDatasetFacet`,
    version: `${FACETS}/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet`,
    tags: `${FACETS}/1-0-0/TagsDatasetFacet.json#/$defs/TagsDatasetFacet`,
  },
  inputDataset: {
    dataQualityMetrics: `${FACETS}/1-0-3/DataQualityMetricsInputDatasetFacet.json#/$defs/DataQualityMetricsInputDatasetFacet`,
    dataQualityAssertions: `${FACETS}/1-1-0/DataQualityAssertionsDatasetFacet.json#/$defs/DataQualityAssertionsDatasetFacet`,
  },
  outputDataset: {
    outputStatistics: `${FACETS}/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet`,
  },
} as const satisfies Record<FacetPlace, Record<string, string>>;

const URLS = STANDARD_FACET_SCHEMA_URLS;

/**
 * Builds standard facets stamped with one producer. Grouped by place, because a key can mean different
 * facets at different places (`documentation` of a job is not `documentation` of a dataset).
 */
export class FacetFactory {
  constructor(readonly producer: string) {}

  /** Any facet: the body with `_producer` and the given `_schemaURL` in front. */
  facet<Body extends object>(schemaURL: string, body: Body): Facet<Body> {
    return { _producer: this.producer, _schemaURL: schemaURL, ...body };
  }

  readonly run = {
    parent: (body: ParentFacetBody) => this.facet(URLS.run.parent, body),
    errorMessage: (body: ErrorMessageFacetBody) => this.facet(URLS.run.errorMessage, body),
    processingEngine: (body: ProcessingEngineFacetBody) => this.facet(URLS.run.processing_engine, body),
    tags: (tags: readonly Tag[]) => this.facet(URLS.run.tags, { tags }),
  };

  readonly job = {
    jobType: (body: JobTypeFacetBody) => this.facet(URLS.job.jobType, body),
    sql: (body: SqlFacetBody) => this.facet(URLS.job.sql, body),
    sourceCodeLocation: (body: SourceCodeLocationFacetBody) => this.facet(URLS.job.sourceCodeLocation, body),
    documentation: (body: DocumentationFacetBody) => this.facet(URLS.job.documentation, body),
    ownership: (owners: readonly Owner[]) => this.facet(URLS.job.ownership, { owners }),
    tags: (tags: readonly Tag[]) => this.facet(URLS.job.tags, { tags }),
  };

  readonly dataset = {
    schema: (fields: readonly SchemaField[]) => this.facet(URLS.dataset.schema, { fields }),
    dataSource: (body: DataSourceFacetBody) => this.facet(URLS.dataset.dataSource, body),
    documentation: (body: DocumentationFacetBody) => this.facet(URLS.dataset.documentation, body),
    ownership: (owners: readonly Owner[]) => this.facet(URLS.dataset.ownership, { owners }),
    columnLineage: (body: ColumnLineageFacetBody) => this.facet(URLS.dataset.columnLineage, body),
    lifecycleStateChange: (body: LifecycleStateChangeFacetBody) => this.facet(URLS.dataset.lifecycleStateChange, body),
    version: (datasetVersion: string) => this.facet(URLS.dataset.version, { datasetVersion }),
    tags: (tags: readonly DatasetTag[]) => this.facet(URLS.dataset.tags, { tags }),
  };

  readonly input = {
    dataQualityMetrics: (body: DataQualityMetricsFacetBody) => this.facet(URLS.inputDataset.dataQualityMetrics, body),
    dataQualityAssertions: (assertions: readonly Assertion[]) => this.facet(URLS.inputDataset.dataQualityAssertions, { assertions }),
  };

  readonly output = {
    outputStatistics: (body: OutputStatisticsFacetBody) => this.facet(URLS.outputDataset.outputStatistics, body),
  };
}
