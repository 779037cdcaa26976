import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitIn } from '../support/generateMesh.js';
import { runCli } from '../support/runCli.js';

/** Git needs PATH; HOME keeps it away from the user's configuration. */
const baseEnv = (cwd: string) => ({ PATH: process.env['PATH'], HOME: cwd });
import { CheckRepo, manifest, ordersContract, port } from './checkRepo.js';

interface Report {
  ok: boolean;
  base: { ref: string; commit: string; comparedWith: string };
  ports: { product: string; port: string; status: string; level: string; compatible: boolean; replaces?: string; version: { base?: string; head?: string; required: string; ok: boolean }; downstream: { product: string; team?: string; distance: number }[]; changes: { code: string; file?: string }[] }[];
  problems: { code: string; severity: string; file: string; line: number; message: string }[];
}

const repos: CheckRepo[] = [];
function repo(): CheckRepo {
  const r = new CheckRepo();
  repos.push(r);
  return r;
}
afterEach(() => {
  for (const r of repos.splice(0)) r.remove();
});

async function check(r: CheckRepo, extra: string[] = [], env: Record<string, string> = {}): Promise<{ code: number; report: Report; stderr: string }> {
  const run = await runCli(['check', '--base', 'main', '--format', 'json', ...extra], { cwd: r.root, env: { ...baseEnv(r.root), ...env } });
  return { code: run.code, report: run.code === 2 ? (undefined as never) : (JSON.parse(run.stdout) as Report), stderr: run.stderr };
}

const codes = (report: Report, severity?: string) => report.problems.filter((p) => severity === undefined || p.severity === severity).map((p) => p.code);

/** sales.orders writes a new status value: a forward break for everything that reads orders. */
function addLostStatus(r: CheckRepo, version: string): void {
  r.edit('contracts/sales/orders.schema.json', (s) => {
    s['x-version'] = version;
    s['properties']['status']['enum'].push('lost');
  });
}

function setProductVersion(r: CheckRepo, product: string, version: string): void {
  r.editText(`products/${product.replace('.', '/')}/product.yaml`, (t) => t.replace(/^version: .*$/m, `version: ${version}`));
}

describe('mesh check', () => {
  it('passes when nothing changed', async () => {
    const r = repo();
    const { code, report } = await check(r);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.ports).toEqual([]);
    expect(report.base.ref).toBe('main');
    expect(report.base.comparedWith).toBe(r.git('rev-parse', 'main').trim());
  });

  it('fails a breaking change and names the downstream products and their teams', async () => {
    const r = repo();
    addLostStatus(r, '1.0.0');
    const { code, report } = await check(r);
    expect(code).toBe(1);
    expect(codes(report, 'error').sort()).toEqual(['CONTRACT_BREAKING_CHANGE', 'CONTRACT_VERSION_BUMP_REQUIRED', 'PRODUCT_VERSION_BUMP_REQUIRED']);
    const breaking = report.problems.find((p) => p.code === 'CONTRACT_BREAKING_CHANGE')!;
    expect(breaking.file).toBe('contracts/sales/orders.schema.json');
    expect(breaking.message).toContain('ENUM_VALUE_ADDED at /properties/status/enum');
    expect(breaking.message).toContain('finance.revenue (team finance-core), marketing.campaigns (team growth, 2 hops away)');
    expect(report.ports).toHaveLength(1);
    expect(report.ports[0]).toMatchObject({
      product: 'sales.orders',
      port: 'orders',
      status: 'changed',
      level: 'breaking',
      compatible: false,
      version: { base: '1.0.0', head: '1.0.0', required: 'major', ok: false },
      downstream: [
        { product: 'finance.revenue', team: 'finance-core', distance: 1 },
        { product: 'marketing.campaigns', team: 'growth', distance: 2 },
      ],
    });
  });

  it('still fails a break with a major bump while consumers read the port', async () => {
    const r = repo();
    addLostStatus(r, '2.0.0');
    setProductVersion(r, 'sales.orders', '2.0.0');
    r.commit('break orders');
    const { code, report } = await check(r);
    expect(code).toBe(1);
    expect(codes(report, 'error')).toEqual(['CONTRACT_BREAKING_CHANGE']);
    expect(report.ports[0]!.version).toEqual({ base: '1.0.0', head: '2.0.0', required: 'major', ok: true });
  });

  it('lets a break with a major bump through when nothing in the repository reads the port', async () => {
    const r = repo();
    // A nullable id: new data may hold null, which old readers reject (a forward break).
    r.edit('contracts/marketing/campaigns.schema.json', (s) => {
      s['x-version'] = '2.0.0';
      s['properties']['id']['type'] = ['string', 'null'];
    });
    setProductVersion(r, 'marketing.campaigns', '2.0.0');
    const { code, report } = await check(r);
    expect(code).toBe(0);
    expect(report.problems.map((p) => [p.code, p.severity])).toEqual([['CONTRACT_BREAKING_CHANGE', 'warning']]);
  });

  it('passes the same break shipped with the versioning workflow', async () => {
    const r = repo();
    r.write('contracts/sales/orders.v2.schema.json', { ...ordersContract('2.0.0'), properties: { ...(ordersContract('2.0.0')['properties'] as object), status: { enum: ['open', 'shipped', 'lost'], description: 'Fulfilment state.' } } });
    r.writeText(
      'products/sales/orders/product.yaml',
      manifest({
        id: 'sales.orders',
        team: 'sales-analytics',
        version: '1.1.0',
        outputs: [
          port('orders', 'contracts/sales/orders.schema.json', 'status: deprecated', 'sunset: "2999-12-31"', 'replacedBy: orders_v2'),
          port('orders_v2', 'contracts/sales/orders.v2.schema.json'),
        ],
      }),
    );
    const { code, report } = await check(r);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(codes(report)).toEqual(['CONSUMES_DEPRECATED']);
    expect(report.ports).toEqual([
      expect.objectContaining({ port: 'orders_v2', status: 'added', replaces: 'orders', level: 'breaking', version: { base: '1.0.0', head: '2.0.0', required: 'major', ok: true } }),
    ]);
  });

  it('requires the replacing port to carry the new major', async () => {
    const r = repo();
    r.write('contracts/sales/orders.v2.schema.json', { ...ordersContract('1.1.0'), properties: { ...(ordersContract('1.1.0')['properties'] as object), status: { enum: ['open', 'shipped', 'lost'] } } });
    r.writeText(
      'products/sales/orders/product.yaml',
      manifest({ id: 'sales.orders', team: 'sales-analytics', version: '1.1.0', outputs: [port('orders', 'contracts/sales/orders.schema.json', 'status: deprecated', 'sunset: "2999-12-31"', 'replacedBy: orders_v2'), port('orders_v2', 'contracts/sales/orders.v2.schema.json')] }),
    );
    const { code, report } = await check(r);
    expect(code).toBe(1);
    const problem = report.problems.find((p) => p.code === 'CONTRACT_VERSION_BUMP_REQUIRED')!;
    expect(problem.file).toBe('contracts/sales/orders.v2.schema.json');
    expect(problem.message).toContain('needs x-version 2.0.0 or higher (it is 1.1.0)');
  });

  it('prints GitHub workflow annotations and writes the step summary', async () => {
    const r = repo();
    addLostStatus(r, '1.0.0');
    const summary = join(r.root, '.summary.md');
    const run = await runCli(['check', '--base', 'main', '--format', 'github'], { cwd: r.root, env: { ...baseEnv(r.root), GITHUB_STEP_SUMMARY: summary } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        '::error file=contracts/sales/orders.schema.json,line=3,col=16,title=CONTRACT_VERSION_BUMP_REQUIRED::a breaking change (under forward) needs x-version 2.0.0 or higher (it is 1.0.0)',
        '::error file=contracts/sales/orders.schema.json,line=19,col=15,title=CONTRACT_BREAKING_CHANGE::ENUM_VALUE_ADDED at /properties/status/enum: the new schema allows "lost"; the old one rejects it; breaks sales.orders.orders for finance.revenue (team finance-core), marketing.campaigns (team growth, 2 hops away) (mode forward)',
        '::error file=products/sales/orders/product.yaml,line=6,col=10,title=PRODUCT_VERSION_BUMP_REQUIRED::the product\'s version moves at least as far as its contracts and ports (a major change): 1.0.0 needs to become 2.0.0 or higher, not 1.0.0',
        'mesh check failed: 3 errors, 0 warnings, 1 port changed',
        '',
      ].join('\n'),
    );
    const written = readFileSync(summary, 'utf8');
    expect(written).toContain('<!-- mesh-contract-check -->');
    expect(written).toContain('## mesh contract check: ❌ failed');
  });

  it('writes a pull-request comment in Markdown', async () => {
    const r = repo();
    addLostStatus(r, '1.0.0');
    const run = await runCli(['check', '--base', 'main', '--format', 'markdown'], { cwd: r.root, env: baseEnv(r.root) });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('<!-- mesh-contract-check -->\n## mesh contract check: ❌ failed');
    expect(run.stdout).toContain('### Breaking changes');
    expect(run.stdout).toContain('#### `sales.orders.orders` (team sales-analytics): breaking change under forward, x-version 1.0.0 → 1.0.0 (a major bump is needed)');
    expect(run.stdout).toContain('**Affected downstream:** `finance.revenue` (team finance-core), `marketing.campaigns` (team growth, 2 hops)');
    expect(run.stdout).toContain('| ❌ | `ENUM_VALUE_ADDED` | `/properties/status/enum` | yes | **no** | the new schema allows "lost"; the old one rejects it |');
  });

  it.each([
    ['a compatible schema change with a minor bump', '1.1.0', '1.1.0', true, []],
    ['a compatible schema change with a patch bump', '1.0.1', '1.0.1', false, ['CONTRACT_VERSION_BUMP_REQUIRED', 'PRODUCT_VERSION_BUMP_REQUIRED']],
    ['a compatible schema change without a product bump', '1.1.0', '1.0.0', false, ['PRODUCT_VERSION_BUMP_REQUIRED']],
    ['a version that went back', '0.9.0', '1.1.0', false, ['VERSION_DECREASED']],
  ])('version rules: %s', async (_name, contractVersion, productVersion, ok, expected) => {
    const r = repo();
    // Dropping a status value narrows what orders writes: compatible under forward.
    r.edit('contracts/sales/orders.schema.json', (s) => {
      s['x-version'] = contractVersion;
      s['properties']['status']['enum'] = ['open'];
    });
    setProductVersion(r, 'sales.orders', productVersion);
    const { code, report } = await check(r);
    expect(code).toBe(ok ? 0 : 1);
    expect(codes(report, 'error')).toEqual(expected);
  });

  it('asks only a patch for a metadata change', async () => {
    const r = repo();
    r.edit('contracts/sales/orders.schema.json', (s) => {
      s['properties']['order_id']['description'] = 'The order number from the shop.';
    });
    expect(codes((await check(r)).report, 'error')).toEqual(['CONTRACT_VERSION_BUMP_REQUIRED', 'PRODUCT_VERSION_BUMP_REQUIRED']);
    r.edit('contracts/sales/orders.schema.json', (s) => {
      s['x-version'] = '1.0.1';
    });
    setProductVersion(r, 'sales.orders', '1.0.1');
    const { code, report } = await check(r);
    expect(code).toBe(0);
    expect(report.ports[0]).toMatchObject({ level: 'metadata', version: { required: 'patch', ok: true } });
  });

  it('follows $refs: a change to shared types breaks the ports that use them', async () => {
    const r = repo();
    r.edit('contracts/common/types.schema.json', (s) => {
      s['$defs']['money']['multipleOf'] = 0.001;
    });
    const { code, report } = await check(r);
    expect(code).toBe(1);
    const revenue = report.ports.find((p) => p.product === 'finance.revenue')!;
    expect(revenue).toMatchObject({ level: 'breaking', downstream: [{ product: 'marketing.campaigns', team: 'growth', distance: 1 }] });
    expect(revenue.changes).toContainEqual(expect.objectContaining({ code: 'MULTIPLE_OF_CHANGED', file: 'contracts/common/types.schema.json' }));
    expect(report.ports.map((p) => `${p.product}.${p.port}`).sort()).toEqual(['finance.revenue.revenue', 'sales.orders.orders']);
    const atCommon = report.problems.filter((p) => p.code === 'CONTRACT_BREAKING_CHANGE').map((p) => p.file);
    expect(atCommon).toContain('contracts/common/types.schema.json');
  });

  it('compares a renamed contract with its old file', async () => {
    const r = repo();
    r.git('mv', 'contracts/sales/orders.schema.json', 'contracts/sales/orders-v1.schema.json');
    r.editText('products/sales/orders/product.yaml', (t) => t.replace('contracts/sales/orders.schema.json', 'contracts/sales/orders-v1.schema.json'));
    r.commit('rename');
    const { code, report } = await check(r);
    expect(code).toBe(0);
    expect(report.ports).toEqual([expect.objectContaining({ port: 'orders', level: 'none', contract: { base: 'contracts/sales/orders.schema.json', head: 'contracts/sales/orders-v1.schema.json' } })]);
  });

  it('reads new files that git does not track yet', async () => {
    const r = repo();
    r.write('contracts/sales/returns.schema.json', { $schema: 'https://json-schema.org/draft/2020-12/schema', 'x-version': '1.0.0', 'x-primary-key': ['id'], type: 'object', properties: { id: { type: 'string', description: 'Return.' } } });
    r.writeText('products/sales/returns/product.yaml', manifest({ id: 'sales.returns', team: 'sales-analytics', version: '1.0.0', outputs: [port('returns', 'contracts/sales/returns.schema.json')] }));
    const { code, report } = await check(r);
    expect(code).toBe(0);
    expect(report.ports).toEqual([expect.objectContaining({ product: 'sales.returns', status: 'added' })]);
  });

  it.each([
    [
      'an output port removed while it is read',
      (r: CheckRepo) => r.writeText('products/sales/orders/product.yaml', manifest({ id: 'sales.orders', team: 'sales-analytics', version: '2.0.0', outputs: [port('orders_all', 'contracts/sales/orders.schema.json')] })),
      ['PORT_REMOVED_WITH_CONSUMERS', 'INPUT_PORT_UNKNOWN'],
    ],
    ['a product removed while it is read', (r: CheckRepo) => r.git('rm', '-q', 'products/sales/orders/product.yaml'), ['PRODUCT_REMOVED_WITH_CONSUMERS', 'INPUT_PRODUCT_UNKNOWN']],
    ['a product retired while it is read', (r: CheckRepo) => r.editText('products/sales/orders/product.yaml', (t) => t.replace('status: active', 'status: retired')), ['PRODUCT_RETIRED_WITH_CONSUMERS', 'RETIRED_HAS_CONSUMERS']],
    ['a compatibility mode loosened', (r: CheckRepo) => r.editText('products/sales/orders/product.yaml', (t) => t.replace('contract: contracts/sales/orders.schema.json', 'contract: contracts/sales/orders.schema.json\n    compatibility: none')), ['COMPATIBILITY_LOOSENED']],
  ])('catches %s', async (_name, change, expected) => {
    const r = repo();
    change(r);
    const { code, report } = await check(r);
    expect(code).toBe(1);
    expect(codes(report, 'error').sort()).toEqual([...expected].sort());
  });

  it('warns when an SLA is loosened', async () => {
    const r = repo();
    r.writeText('products/marketing/campaigns/product.yaml', manifest({ id: 'marketing.campaigns', team: 'growth', version: '1.0.0', inputs: ['finance.revenue/revenue'], outputs: [port('campaigns', 'contracts/marketing/campaigns.schema.json')], sla: ['freshness: { max: PT6H }', 'availability: 99.5'] }));
    r.commit('sla');
    r.editText('products/marketing/campaigns/product.yaml', (t) => t.replace('PT6H', 'P1D').replace('99.5', '99'));
    const { code, report } = await check(r, ['--base', 'HEAD']);
    expect(code).toBe(0);
    expect(report.problems.map((p) => [p.code, p.severity, p.message])).toEqual([
      ['SLA_LOOSENED', 'warning', 'freshness loosened from PT6H to P1D'],
      ['SLA_LOOSENED', 'warning', 'availability loosened from 99.5% to 99%'],
    ]);
  });

  it('reports validation problems as mesh validate does', async () => {
    const r = repo();
    r.editText('products/finance/revenue/product.yaml', (t) => t + 'colour: blue\n');
    const { code, report } = await check(r);
    expect(code).toBe(1);
    expect(report.problems).toContainEqual(expect.objectContaining({ code: 'MANIFEST_FIELD_UNKNOWN', file: 'products/finance/revenue/product.yaml', line: 17 }));
  });

  it('finds a base branch on its own when --base is left out', async () => {
    const r = repo();
    const run = await runCli(['check', '--format', 'json'], { cwd: r.root, env: baseEnv(r.root) });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Report).base.ref).toBe('main');
  });

  it('exits 2 when the base does not exist', async () => {
    const r = repo();
    const run = await runCli(['check', '--base', 'nope'], { cwd: r.root, env: baseEnv(r.root) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('base revision "nope" not found');
  });

  it('exits 2 outside a git repository', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesh-nogit-'));
    try {
      const run = await runCli(['check', '--base', 'main'], { cwd: dir, env: { ...baseEnv(dir), GIT_CEILING_DIRECTORIES: tmpdir() } });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('is not inside a git repository');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains a shallow clone without the base, and compares without a merge base when only the base tip is there', async () => {
    const r = repo();
    addLostStatus(r, '1.0.0');
    r.commit('break');
    const clone = mkdtempSync(join(tmpdir(), 'mesh-shallow-'));
    try {
      gitIn(clone, ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${r.root}`, 'work']);
      const work = join(clone, 'work');
      const missing = await runCli(['check', '--base', 'origin/main'], { cwd: work, env: baseEnv(work) });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('shallow clone');
      expect(missing.stderr).toContain('fetch-depth: 0');
      gitIn(work, ['fetch', '-q', '--depth', '1', 'origin', 'main:refs/remotes/origin/main']);
      const run = await runCli(['check', '--base', 'origin/main', '--format', 'json'], { cwd: work, env: baseEnv(work) });
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as Report;
      expect(codes(report, 'warning')).toContain('BASE_WITHOUT_MERGE_BASE');
      expect(codes(report, 'error')).toContain('CONTRACT_BREAKING_CHANGE');
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });
});
