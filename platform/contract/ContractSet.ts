import type { ValidateFunction } from 'ajv';
import type { Contract } from './Contract.js';
import { createContractAjv, type ContractAjv } from './createContractAjv.js';
import type { SchemaResolver } from './SchemaResolver.js';

export interface ValidatorOptions {
  /** Collect every failure of a record (dead letters), not only the first. */
  readonly allErrors?: boolean;
  /** Compile without optimizing: proves the contract compiles, twice as fast; not for validating data. */
  readonly compileOnly?: boolean;
}

/**
 * The contracts of a repository, with one resolver for `$ref` across them and Ajv instances that know every
 * contract. Ajv instances and validators are built on first use: `mesh validate` compiles each contract once,
 * `mesh test` compiles only the ports it tests.
 */
export class ContractSet {
  private readonly byFile = new Map<string, Contract>();
  private readonly ajvs = new Map<string, ContractAjv>();

  constructor(
    readonly root: string,
    contracts: readonly Contract[],
    readonly resolver: SchemaResolver,
    /** URIs of contracts that failed their structural checks; Ajv never sees them. */
    private readonly broken: ReadonlySet<string>,
  ) {
    for (const contract of contracts) this.byFile.set(contract.file, contract);
  }

  get(file: string): Contract | undefined {
    return this.byFile.get(file);
  }

  has(file: string): boolean {
    return this.byFile.has(file);
  }

  get size(): number {
    return this.byFile.size;
  }

  all(): Contract[] {
    return [...this.byFile.values()];
  }

  /** Whether the contract passed the structural checks, so that Ajv can compile it. */
  isCompilable(file: string): boolean {
    const contract = this.byFile.get(file);
    return contract !== undefined && !this.broken.has(contract.uri);
  }

  /**
   * An Ajv instance holding every document of the resolver but the broken ones, keyed by URI. `compileOnly`
   * skips code optimization: for proving that contracts compile, not for validating data.
   */
  ajv(options: ValidatorOptions = {}): ContractAjv {
    const allErrors = options.allErrors ?? false;
    const key = `${allErrors}/${options.compileOnly ?? false}`;
    let ajv = this.ajvs.get(key);
    if (!ajv) {
      // Contracts reach a set after their structural checks (the meta-schema among them) and a compile that
      // does not check again; checking here would compile the meta-schema, in every instance, for nothing.
      ajv = createContractAjv({ allErrors, optimize: !options.compileOnly, compileOnly: options.compileOnly ?? false, checked: true });
      for (const [uri, document] of this.resolver.documents()) {
        if (this.broken.has(uri)) continue;
        try {
          ajv.addSchema(document as object, uri);
        } catch {
          // A document that Ajv refuses (only auxiliary files get here unchecked): refs to it fail to compile.
        }
      }
      this.ajvs.set(key, ajv);
    }
    return ajv;
  }

  /** The compiled validator of a contract. Throws when the contract is missing or does not compile. */
  validator(file: string, options: ValidatorOptions = {}): ValidateFunction {
    const contract = this.byFile.get(file);
    if (!contract) throw new Error(`no contract ${file}`);
    if (this.broken.has(contract.uri)) throw new Error(`contract ${file} is not valid; run mesh validate`);
    const validate = this.ajv(options).getSchema(contract.uri);
    if (!validate) throw new Error(`contract ${file} did not compile`);
    return validate;
  }
}
