import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ContractSet } from '../../contract/ContractSet.js';
import type { DeadLetterError } from '../QualityReport.js';

/** Most errors kept for one record: a hostile record must not make a dead letter of unbounded size. */
export const MAX_ERRORS_PER_RECORD = 50;

/**
 * Validates records against a port's contract with Ajv, the fast way: the validator that stops at the first
 * error decides, and only a rejected record is validated again with `allErrors` for its dead letter. Counts,
 * per contract field, the records whose errors point into it.
 */
export class RecordValidator {
  private readonly fast: ValidateFunction;
  private readonly compileFull: () => ValidateFunction;
  private full: ValidateFunction | undefined;

  /** The validator of a contract of `contracts`. */
  static of(contracts: ContractSet, file: string, fields: readonly string[]): RecordValidator {
    return new RecordValidator(contracts.validator(file), () => contracts.validator(file, { allErrors: true }), fields);
  }

  private readonly fieldIndex: Map<string, number>;
  /** Rejected records per field, in the order of `fields`. */
  readonly invalidByField: number[];

  /**
   * `fast` stops at the first error; `full` gives the validator that collects all (Ajv's `allErrors`), compiled
   * on the first reject only: clean data never pays for it (a worker thread compiles its own).
   */
  constructor(fast: ValidateFunction, full: () => ValidateFunction, fields: readonly string[]) {
    this.fast = fast;
    this.compileFull = full;
    this.fieldIndex = new Map(fields.map((name, i) => [name, i]));
    this.invalidByField = fields.map(() => 0);
  }

  /** The verdict on a record. A record too deep for the validator's stack is invalid. */
  isValid(record: unknown): boolean {
    try {
      return this.fast(record) === true;
    } catch {
      return false;
    }
  }

  /** Every error of a rejected record (at most `MAX_ERRORS_PER_RECORD`), counted against its fields. */
  explain(record: unknown): DeadLetterError[] {
    let errors: ErrorObject[];
    const full = (this.full ??= this.compileFull());
    try {
      full(record);
      errors = full.errors ?? [];
    } catch (error) {
      return [{ instancePath: '', schemaPath: '', keyword: 'depth', params: {}, message: `could not be validated: ${(error as Error).message}` }];
    }
    const out = errors.slice(0, MAX_ERRORS_PER_RECORD).map(
      ({ instancePath, schemaPath, keyword, params, message }): DeadLetterError => ({ instancePath, schemaPath, keyword, params, message: message ?? keyword }),
    );
    if (out.length === 0) {
      // The fast validator rejected what the full one accepts: never expected, but say so rather than hide it.
      out.push({ instancePath: '', schemaPath: '', keyword: 'contract', params: {}, message: 'rejected by the contract' });
    }
    this.countFields(out);
    return out;
  }

  private countFields(errors: readonly DeadLetterError[]): void {
    const seen = new Set<number>();
    for (const error of errors) {
      const name = errorField(error);
      const index = name === undefined ? undefined : this.fieldIndex.get(name);
      if (index !== undefined && !seen.has(index)) {
        seen.add(index);
        this.invalidByField[index]!++;
      }
    }
  }
}

/** The top-level field an Ajv error is about: the first segment of its path, or the missing property. */
export function errorField(error: DeadLetterError): string | undefined {
  if (error.instancePath === '') {
    const missing = (error.params as { missingProperty?: unknown }).missingProperty;
    return typeof missing === 'string' ? missing : undefined;
  }
  const end = error.instancePath.indexOf('/', 1);
  const segment = error.instancePath.slice(1, end === -1 ? undefined : end);
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
