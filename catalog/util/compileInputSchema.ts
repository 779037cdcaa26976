import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { InvalidContentError } from '../errors.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

let ajv: Ajv2020 | undefined;

/**
 * Compiles a JSON Schema for an input the catalog accepts (once), and returns a check that throws
 * `InvalidContentError` with every violation, located by pointer, or returns the value typed.
 */
export function compileInputSchema<T>(what: string, schema: object): (value: unknown) => T {
  ajv ??= (() => {
    const instance = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(instance);
    return instance;
  })();
  const validate = ajv.compile(schema);
  return (value) => {
    if (validate(value)) return value as T;
    const violations = (validate.errors ?? []).map((e) => {
      const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : '';
      return { pointer: e.instancePath || '/', message: `${e.message ?? 'is invalid'}${extra}` };
    });
    throw new InvalidContentError(`${what} is not valid: ${violations[0]?.pointer} ${violations[0]?.message}`, violations);
  };
}
