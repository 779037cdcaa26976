import type { RecordShape } from '../../contract/recordFields.js';
import type { DataProductManifest, Scoring } from '../../manifest/DataProductManifest.js';
import type { CheckResult, DimensionName, FieldMetrics, Grade, KeyMetrics, QualityDimension, QualityScore, SlaStatus } from '../QualityReport.js';

/** The default weight of each dimension (DESIGN.md "Quality score"); a manifest's `scoring.weights` overrides them one by one. */
export const DEFAULT_WEIGHTS: Readonly<Record<DimensionName, number>> = {
  validity: 0.3,
  completeness: 0.15,
  uniqueness: 0.15,
  freshness: 0.2,
  checks: 0.1,
  documentation: 0.1,
};

const DIMENSIONS = Object.keys(DEFAULT_WEIGHTS) as DimensionName[];

export interface ScoreInputs {
  readonly manifest: Pick<DataProductManifest, 'owner' | 'sla' | 'description'>;
  readonly weights: Scoring['weights'] | undefined;
  readonly shape: RecordShape;
  /** The contract's own `description`. */
  readonly contractDescription: string | undefined;
  readonly records: number;
  readonly valid: number;
  readonly fields: readonly FieldMetrics[];
  readonly keys: readonly KeyMetrics[];
  readonly sla: SlaStatus;
  /** Manifest checks only: the contract's own checks are already validity and uniqueness. */
  readonly checks: readonly CheckResult[];
}

/** One dimension as measured: a score 0-100 and how, or null and why not. */
interface Measured {
  readonly score: number | null;
  readonly detail: string;
}

/**
 * The quality score of a port, 0-100, as the weighted mean of the dimensions that could be measured; a
 * dimension that could not be is left out and the other weights renormalized (its `share` is 0 and its
 * detail says why). Grades: A >= 90, B >= 80, C >= 70, D >= 60, else F.
 */
export function scoreQuality(inputs: ScoreInputs): QualityScore {
  const measured: Record<DimensionName, Measured> = {
    validity: validity(inputs),
    completeness: completeness(inputs),
    uniqueness: uniqueness(inputs),
    freshness: freshness(inputs),
    checks: checks(inputs),
    documentation: documentation(inputs),
  };
  const weights = { ...DEFAULT_WEIGHTS, ...inputs.weights };
  const total = DIMENSIONS.reduce((sum, name) => sum + (measured[name].score === null ? 0 : weights[name]), 0);
  const dimensions: QualityDimension[] = DIMENSIONS.map((name) => ({
    name,
    score: measured[name].score === null ? null : round(measured[name].score!),
    weight: weights[name],
    share: measured[name].score === null || total === 0 ? 0 : round(weights[name] / total, 4),
    detail: measured[name].detail,
  }));
  const left = dimensions.filter((d) => d.score === null).map((d) => d.name);
  if (total === 0) {
    return { score: null, grade: null, dimensions, detail: 'no dimension with a weight could be measured' };
  }
  const score = round(DIMENSIONS.reduce((sum, name) => sum + (measured[name].score === null ? 0 : (weights[name] / total) * measured[name].score!), 0));
  const detail = left.length === 0 ? 'weighted mean of all six dimensions' : `weighted mean of ${6 - left.length} dimensions; not measured: ${left.join(', ')} (weights renormalized)`;
  return { score, grade: grade(score), dimensions, detail };
}

export function grade(score: number): Grade {
  if (score >= 90) return 'A';
  if (score >= 80) return 'B';
  if (score >= 70) return 'C';
  if (score >= 60) return 'D';
  return 'F';
}

function validity({ records, valid }: ScoreInputs): Measured {
  if (records === 0) return { score: null, detail: 'no records' };
  return { score: (100 * valid) / records, detail: `${valid} of ${records} records valid against the contract` };
}

function completeness({ records, fields }: ScoreInputs): Measured {
  if (records === 0) return { score: null, detail: 'no records' };
  if (fields.length === 0) return { score: null, detail: 'the contract has no fields' };
  const cells = records * fields.length;
  const present = fields.reduce((sum, f) => sum + f.count, 0);
  const sparse = fields.filter((f) => f.nulls > 0).map((f) => `${f.name} ${f.nulls}`);
  return {
    score: (100 * present) / cells,
    detail: `${present} of ${cells} values non-null across ${fields.length} contract fields${sparse.length ? `; nulls: ${sparse.slice(0, 5).join(', ')}${sparse.length > 5 ? ', ...' : ''}` : ''}`,
  };
}

function uniqueness({ keys }: ScoreInputs): Measured {
  const contractKeys = keys.filter((k) => k.origin !== 'check' && k.count > 0);
  if (contractKeys.length === 0) {
    return { score: null, detail: keys.some((k) => k.origin !== 'check') ? 'no key values' : 'the contract declares no primary key or unique field' };
  }
  const score = contractKeys.reduce((sum, k) => sum + (100 * k.distinct) / k.count, 0) / contractKeys.length;
  const parts = contractKeys.map((k) => `${k.fields.join('+')} ${k.distinct} distinct of ${k.count}${k.enforced ? ' (unique index)' : ''}`);
  return { score, detail: `mean share of distinct key values: ${parts.join('; ')}` };
}

function freshness({ sla }: ScoreInputs): Measured {
  const { lagSeconds, maxSeconds, detail } = sla.freshness;
  if (lagSeconds === null || maxSeconds === null || maxSeconds === 0) return { score: null, detail };
  // Full marks within the SLA, then down linearly to 0 at twice the allowed age.
  const score = lagSeconds <= maxSeconds ? 100 : Math.max(0, 100 * (1 - (lagSeconds - maxSeconds) / maxSeconds));
  return { score, detail: `${detail}; 100 within max, 0 at twice max` };
}

function checks({ checks }: ScoreInputs): Measured {
  const counted = checks.filter((c) => c.status !== 'skipped');
  if (counted.length === 0) return { score: null, detail: checks.length === 0 ? 'the manifest declares no quality checks' : 'every check was skipped' };
  const passed = counted.filter((c) => c.passed).length;
  const skipped = checks.length - counted.length;
  return { score: (100 * passed) / counted.length, detail: `${passed} of ${counted.length} quality checks passed${skipped ? ` (${skipped} skipped)` : ''}` };
}

function documentation({ manifest, shape, contractDescription }: ScoreInputs): Measured {
  const items: Array<[string, number]> = [];
  if (shape.fields.length > 0) {
    const described = shape.fields.filter((f) => f.description !== undefined && f.description.trim() !== '').length;
    items.push([`${described} of ${shape.fields.length} fields described`, described / shape.fields.length]);
  }
  items.push([contractDescription ? 'contract described' : 'contract has no description', contractDescription ? 1 : 0]);
  items.push([manifest.owner ? 'owner named' : 'no owner', manifest.owner ? 1 : 0]);
  items.push([manifest.sla ? 'SLA declared' : 'no SLA', manifest.sla ? 1 : 0]);
  const score = (100 * items.reduce((sum, [, v]) => sum + v, 0)) / items.length;
  return { score, detail: `mean of ${items.length} items: ${items.map(([label]) => label).join(', ')}` };
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
