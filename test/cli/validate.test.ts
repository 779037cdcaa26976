import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validRepoFiles, writeTempRepo } from '../support/fixtureRepo.js';
import { runBin, runCli } from '../support/runCli.js';
import { replaceLine } from '../support/validateRepo.js';

describe('mesh validate', () => {
  let valid: Awaited<ReturnType<typeof writeTempRepo>>;
  let broken: Awaited<ReturnType<typeof writeTempRepo>>;

  beforeAll(async () => {
    valid = await writeTempRepo(validRepoFiles());
    const files = validRepoFiles();
    files['products/sales/orders/product.yaml'] = replaceLine(files['products/sales/orders/product.yaml']!, 11, 'layer: platinum');
    files['contracts/sales/customers.schema.json'] = files['contracts/sales/customers.schema.json']!.replace('"format": "email"', '"format": "e-mail"');
    broken = await writeTempRepo(files);
  });
  afterAll(async () => {
    await valid.cleanup();
    await broken.cleanup();
  });

  it('exits 0 on a valid repository and counts it', async () => {
    const result = await runCli(['validate', '--format', 'json'], { cwd: valid.root });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ products: 2, contracts: 3, problems: [] });
  });

  it('exits 1 and lists every problem with file, line, column and pointer', async () => {
    const result = await runCli(['validate', broken.root, '--format', 'json'], { cwd: '/' });
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout);
    expect(output.problems).toEqual([
      {
        code: 'CONTRACT_FORMAT_UNKNOWN',
        severity: 'error',
        file: 'contracts/sales/customers.schema.json',
        line: 22,
        column: 17,
        pointer: '/properties/email/format',
        message: 'unknown format "e-mail"',
      },
      {
        code: 'CONTRACT_FILE_INVALID',
        severity: 'error',
        file: 'products/sales/customers/product.yaml',
        line: 17,
        column: 15,
        pointer: '/outputs/0/contract',
        message: 'contract contracts/sales/customers.schema.json is not a valid contract (see its own problems)',
      },
      {
        code: 'MANIFEST_VALUE_NOT_ALLOWED',
        severity: 'error',
        file: 'products/sales/orders/product.yaml',
        line: 11,
        column: 8,
        pointer: '/layer',
        message: '"layer" must be one of "bronze", "silver", "gold"',
      },
    ]);
  });

  it('prints file:line:column in text output, and a summary', async () => {
    const result = await runCli(['validate', broken.root], { cwd: '/' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('products/sales/orders/product.yaml:11:8  error  MANIFEST_VALUE_NOT_ALLOWED  "layer" must be one of');
    expect(result.stdout.trim().split('\n').pop()).toBe('2 products, 3 contracts: 3 errors, 0 warnings');
  });

  it.each([
    [['validate', '--bogus'], /Unknown option '--bogus'/],
    [['validate', '--format', 'xml'], /--format must be one of text, json/],
    [['validate', 'a', 'b'], /too many arguments: b/],
    [['validate', '/no/such/dir'], /is not a directory/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('usage error %j exits 2 with a message', async (argv, message) => {
    const result = await runCli(argv, { cwd: valid.root });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('the built binary behaves the same', async () => {
    const result = await runBin(['validate', '--format', 'json'], { cwd: valid.root });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).products).toBe(2);
  });
});
