import { describe, expect, it } from 'vitest';
import { COMMON_TYPES, ORDERS_CONTRACT, validRepoFiles } from '../support/fixtureRepo.js';
import { lineOf, validateFiles } from '../support/validateRepo.js';

const FILE = 'contracts/sales/orders.schema.json';
type Schema = Record<string, any>;

interface Case {
  readonly name: string;
  readonly edit: (contract: Schema) => void;
  readonly code: string;
  readonly severity?: 'error' | 'warning';
  readonly pointer: string;
  /** Text whose first occurrence marks the expected line (default: the whole file, line 1). */
  readonly at?: string;
  readonly message?: RegExp;
}

// One fault per case in the orders contract: code, severity, pointer and line of the problem.
const CASES: readonly Case[] = [
  { name: 'invalid regular expression', edit: (c) => (c.properties.order_id.pattern = '^SO-([0-9]{6}$'), code: 'CONTRACT_PATTERN_INVALID', pointer: '/properties/order_id/pattern', at: '"^SO-([0-9]{6}$"', message: /invalid regular expression/ },
  { name: 'invalid regular expression in patternProperties', edit: (c) => (c.patternProperties = { '^x-(': { type: 'string' } }), code: 'CONTRACT_PATTERN_INVALID', pointer: '/patternProperties/^x-(', at: '"^x-("' },
  { name: 'unknown keyword (typo)', edit: (c) => (c.properties.order_id.maxlength = 9), code: 'CONTRACT_KEYWORD_UNKNOWN', pointer: '/properties/order_id/maxlength', at: '"maxlength"' },
  { name: 'unknown mesh annotation', edit: (c) => (c.properties.customer_id['x-pi'] = true), code: 'CONTRACT_KEYWORD_UNKNOWN', pointer: '/properties/customer_id/x-pi', at: '"x-pi"', message: /x-pii/ },
  { name: 'unknown classification', edit: (c) => (c.properties.customer_id['x-classification'] = 'secret'), code: 'CONTRACT_SCHEMA_INVALID', pointer: '/properties/customer_id/x-classification', at: '"secret"' },
  { name: 'x-pii not a boolean', edit: (c) => (c.properties.customer_id['x-pii'] = 'yes'), code: 'CONTRACT_SCHEMA_INVALID', pointer: '/properties/customer_id/x-pii', at: '"yes"' },
  { name: 'unknown format', edit: (c) => (c.properties.customer_id.format = 'phone'), code: 'CONTRACT_FORMAT_UNKNOWN', pointer: '/properties/customer_id/format', at: '"phone"' },
  { name: 'unresolved local $ref', edit: (c) => (c.properties.customer_id = { description: 'x', $ref: '#/$defs/nope' }), code: 'CONTRACT_REF_UNRESOLVED', pointer: '/properties/customer_id/$ref', at: '"#/$defs/nope"' },
  { name: 'unresolved cross-file $ref', edit: (c) => (c.properties.total.$ref = '../common/types.schema.json#/$defs/amount'), code: 'CONTRACT_REF_UNRESOLVED', pointer: '/properties/total/$ref', at: '"../common/types.schema.json#/$defs/amount"' },
  { name: '$ref out of the repository', edit: (c) => (c.properties.total.$ref = '../../../../../../../../etc/passwd'), code: 'CONTRACT_REF_UNRESOLVED', pointer: '/properties/total/$ref', at: '"../../../../../../../../etc/passwd"' },
  {
    name: 'cyclic $ref that never consumes data',
    edit: (c) => {
      c.$defs = { a: { $ref: '#/$defs/b' }, b: { allOf: [{ $ref: '#/$defs/a' }] } };
      c.properties.customer_id = { description: 'x', $ref: '#/$defs/b' };
    },
    code: 'CONTRACT_REF_CYCLE',
    pointer: '/$defs/a/$ref',
    at: '"$ref": "#/$defs/b"\n    },\n    "b"',
    message: /\/\$defs\/b -> \/\$defs\/b\/allOf\/0 -> \/\$defs\/a -> \/\$defs\/b/,
  },
  { name: 'x-version missing', edit: (c) => delete c['x-version'], code: 'CONTRACT_VERSION_MISSING', pointer: '' },
  { name: 'x-version not semver', edit: (c) => (c['x-version'] = 'v2'), code: 'CONTRACT_SCHEMA_INVALID', pointer: '/x-version', at: '"v2"' },
  { name: 'misspelt type', edit: (c) => (c.properties.customer_id.type = 'strin'), code: 'CONTRACT_SCHEMA_INVALID', pointer: '/properties/customer_id/type', at: '"strin"' },
  { name: 'minLength not an integer', edit: (c) => (c.properties.customer_id.minLength = 'one'), code: 'CONTRACT_SCHEMA_INVALID', pointer: '/properties/customer_id/minLength', at: '"one"' },
  { name: 'primary key names no property', edit: (c) => (c['x-primary-key'] = ['order_no']), code: 'CONTRACT_PRIMARY_KEY_UNKNOWN', pointer: '/x-primary-key/0', at: '"order_no"' },
  { name: 'another dialect', edit: (c) => (c.$schema = 'http://json-schema.org/draft-07/schema#'), code: 'CONTRACT_DIALECT_UNSUPPORTED', pointer: '/$schema', at: '"http://json-schema.org/draft-07/schema#"' },
  { name: 'root is not an object', edit: (c) => (c.type = 'array'), code: 'CONTRACT_NOT_OBJECT', pointer: '/type', at: '"type": "array"' },
  { name: '__proto__ as a property name', edit: (c) => Object.defineProperty(c.properties, '__proto__', { value: { type: 'string' }, enumerable: true }), code: 'UNSAFE_KEY', pointer: '/properties/__proto__', at: '"__proto__"' },
  // Lint: warnings a reviewer would raise.
  { name: 'property without description', edit: (c) => delete c.properties.customer_id.description, code: 'LINT_DESCRIPTION_MISSING', severity: 'warning', pointer: '/properties/customer_id', at: '"customer_id": {' },
  { name: 'no primary key', edit: (c) => delete c['x-primary-key'], code: 'LINT_PRIMARY_KEY_MISSING', severity: 'warning', pointer: '' },
  { name: 'PII-looking field not marked', edit: (c) => (c.properties.billing_email = { description: 'Invoice address.', type: 'string' }), code: 'LINT_PII_UNMARKED', severity: 'warning', pointer: '/properties/billing_email', at: '"billing_email"' },
  { name: 'PII field without classification', edit: (c) => (c.properties.phone_number = { description: 'Phone.', type: 'string', 'x-pii': true }), code: 'LINT_PII_UNCLASSIFIED', severity: 'warning', pointer: '/properties/phone_number', at: '"phone_number"' },
  { name: 'PII field classified public', edit: (c) => (c.properties.first_name = { description: 'Given name.', type: 'string', 'x-pii': true, 'x-classification': 'public' }), code: 'LINT_PII_UNCLASSIFIED', severity: 'warning', pointer: '/properties/first_name/x-classification', at: '"public"' },
];

describe('contract checks and lint: one fault per case', () => {
  it.each(CASES)('$name -> $code', async (c) => {
    const contract = structuredClone(ORDERS_CONTRACT) as Schema;
    c.edit(contract);
    const text = JSON.stringify(contract, null, 2);
    const files = validRepoFiles();
    files[FILE] = text;
    const problems = (await validateFiles(files)).filter((p) => p.file === FILE);
    const found = problems.find((p) => p.code === c.code);
    expect(found, JSON.stringify(problems, null, 2)).toBeDefined();
    expect(found).toMatchObject({ severity: c.severity ?? 'error', pointer: c.pointer, line: c.at ? lineOf(text, c.at) : 1 });
    if (c.message) expect(found!.message).toMatch(c.message);
    // A single fault is reported once.
    expect(problems.filter((p) => p.code === c.code)).toHaveLength(1);
  });

  it('a JSON syntax error is located at its line and column', async () => {
    const files = validRepoFiles();
    files[FILE] = '{\n  "type": "object",\n  "properties": { "a": { "type": "string" }, }\n}\n';
    const [problem] = (await validateFiles(files)).filter((p) => p.file === FILE);
    expect(problem).toMatchObject({ code: 'JSON_SYNTAX', line: 3, column: 46 });
  });

  it('PII lint reads words, not substrings', async () => {
    const files = validRepoFiles();
    const contract = structuredClone(ORDERS_CONTRACT) as Schema;
    for (const name of ['emailed_at', 'product_name', 'campaign_name', 'address_count_x']) contract.properties[name] = { description: 'x', type: 'string' };
    files[FILE] = JSON.stringify(contract, null, 2);
    const flagged = (await validateFiles(files)).filter((p) => p.code === 'LINT_PII_UNMARKED').map((p) => p.pointer);
    expect(flagged).toEqual(['/properties/address_count_x']);
  });

  it('a property refined in a condition or branch is linted where it is declared, not in the branch', async () => {
    const files = validRepoFiles();
    const contract = structuredClone(ORDERS_CONTRACT) as Schema;
    // status and total are declared (and described) at the root; the branches only refine them.
    contract.if = { properties: { status: { const: 'cancelled' } }, required: ['status'] };
    contract.then = { properties: { total: { maximum: 0 } } };
    contract.allOf = [{ if: { properties: { status: { const: 'open' } } }, then: { properties: { total: { minimum: 0 }, open_since: { type: 'string' } } } }];
    files[FILE] = JSON.stringify(contract, null, 2);
    const lint = (await validateFiles(files)).filter((p) => p.code.startsWith('LINT_'));
    // open_since is declared only in the branch: it still needs a description.
    expect(lint.map((p) => [p.code, p.pointer])).toEqual([['LINT_DESCRIPTION_MISSING', '/allOf/0/then/properties/open_since']]);
  });

  it('shared definitions without x-version are fine; a recursive schema through properties is not a cycle', async () => {
    const files = validRepoFiles();
    const common = structuredClone(COMMON_TYPES) as Schema;
    common.$defs.category = {
      description: 'A category and its subcategories.',
      type: 'object',
      properties: { name: { description: 'Label.', type: 'string', 'x-pii': false }, children: { description: 'Subcategories.', type: 'array', items: { $ref: '#/$defs/category' } } },
    };
    files['contracts/common/types.schema.json'] = JSON.stringify(common, null, 2);
    expect(await validateFiles(files)).toEqual([]);
  });
});
