import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { InvalidContentError } from '../errors.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

let ajv: Ajv2020 | undefined;

function inputAjv(): Ajv2020 {
  ajv ??= (() => {
    const instance = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(instance);
    return instance;
  })();
  return ajv;
}

/**
 * Compiles a JSON Schema for an input the catalog accepts (once, on first use: modules declare their checks
 * at load, and a CLI command that never records anything should not pay for compiling them), and returns a check that throws
 * `InvalidContentError` with every violation, located by pointer, or returns the value typed.
 */
export function compileInputSchema<T>(what: string, schema: object): (value: unknown) => T {
  let validate: ValidateFunction | undefined;
  return (value) => {
    validate ??= inputAjv().compile(schema);
    if (validate(value)) return value as T;
    const violations = (validate.errors ?? []).map((e) => {
      const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : '';
      return { pointer: e.instancePath || '/', message: `${e.message ?? 'is invalid'}${extra}` };
    });
    throw new InvalidContentError(`${what} is not valid: ${violations[0]?.pointer} ${violations[0]?.message}`, violations);
  };
}
