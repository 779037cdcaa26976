import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, Options } from 'ajv';
import { multipleOfTest } from './decimalMultipleOf.js';
import addFormatsModule from 'ajv-formats';
import { addFastFormats } from './fastFormats.js';
import { addMeshVocabulary } from './vocabulary.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module namespace.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Formats that contracts may use: those ajv-formats implements. */
export const KNOWN_FORMATS: ReadonlySet<string> = new Set([
  'date', 'time', 'date-time', 'iso-time', 'iso-date-time', 'duration', 'uri', 'uri-reference', 'uri-template', 'url',
  'email', 'hostname', 'ipv4', 'ipv6', 'regex', 'uuid', 'json-pointer', 'json-pointer-uri-fragment',
  'relative-json-pointer', 'byte', 'int32', 'int64', 'float', 'double', 'password', 'binary',
]);

export type ContractAjv = Ajv2020;

/**
 * An Ajv instance for contracts: draft 2020-12, strict mode (unknown keywords and formats are errors), the
 * formats of ajv-formats, and the mesh vocabulary. `allErrors` collects every failure of a record, for
 * dead-letter output; leave it off where only the verdict matters, it is faster. `optimize: false` compiles
 * twice as fast for validators that will not see data (`mesh validate`). `checked: true` skips the meta-schema
 * check of schemas already checked (a `ContractSet`'s, a worker thread's). `compileOnly: true` is for validators
 * that are compiled to prove a contract compiles and never run.
 */
export function createContractAjv(options: { allErrors?: boolean; optimize?: boolean; checked?: boolean; compileOnly?: boolean } & Pick<Options, 'logger'> = {}): ContractAjv {
  const ajv = new Ajv2020({
    strict: true,
    strictRequired: false,
    strictTypes: false,
    strictTuples: false,
    allErrors: options.allErrors ?? false,
    logger: options.logger ?? false,
    // Compile-only instances take schemas already checked against the meta-schema (checkContract).
    validateSchema: !options.checked && (options.optimize ?? true),
    // The optimizer halves validation work but doubles compile time: worth it for data, not for a check. A
    // compile-only validator (never run) needs no error messages nor its source kept either (a fifth of the compile).
    code: { regExp: unicodeRegExp, optimize: options.optimize ?? true, source: !options.compileOnly },
    messages: !options.compileOnly,
  });
  addFormats(ajv);
  addFastFormats(ajv);
  addMeshVocabulary(ajv);
  addExactMultipleOf(ajv);
  return ajv;
}

/**
 * Replaces Ajv's `multipleOf`, which divides in binary floating point (so 10.1 is "not a multiple" of 0.01, and a
 * tolerance only moves the problem to larger amounts), with an exact decimal check.
 */
function addExactMultipleOf(ajv: Ajv2020): void {
  ajv.removeKeyword('multipleOf');
  ajv.addKeyword({
    keyword: 'multipleOf',
    type: 'number',
    schemaType: 'number',
    errors: true,
    compile(divisor: number) {
      const test = multipleOfTest(divisor);
      const validate: DataValidateFunction = (data: number) => {
        if (test(data)) return true;
        validate.errors = [{ keyword: 'multipleOf', message: `must be multiple of ${divisor}`, params: { multipleOf: divisor } }];
        return false;
      };
      return validate;
    },
  });
}

type DataValidateFunction = ((data: number) => boolean) & { errors?: Partial<ErrorObject>[] };

/** Patterns compile with the `u` flag, as JSON Schema (ECMA-262 with Unicode) expects. */
function unicodeRegExp(pattern: string, flags: string): RegExp {
  return new RegExp(pattern, flags.includes('u') ? flags : flags + 'u');
}
unicodeRegExp.code = 'new RegExp';
