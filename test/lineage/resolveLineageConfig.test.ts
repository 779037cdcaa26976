import { describe, expect, it } from 'vitest';
import { InputError } from '../../platform/errors.js';
import { DEFAULT_CATALOG_URL } from '../../platform/lineage/meshFacets.js';
import { MESH_PRODUCER } from '../../platform/lineage/producer.js';
import { resolveLineageConfig, type ConfigFiles, type LineageConfigInput } from '../../platform/lineage/resolveLineageConfig.js';

const CWD = '/work/repo';
const HOME = '/home/ada';

function files(map: Record<string, string> = {}): ConfigFiles {
  return { cwd: CWD, homeDir: HOME, readFile: (path) => map[path] };
}

const HTTP_FILE = 'transport:\n  type: http\n  url: http://file.example:5000\n  auth:\n    type: api_key\n    api_key: from-file\n';

interface Case {
  readonly name: string;
  readonly input?: LineageConfigInput;
  readonly env?: Record<string, string>;
  readonly files?: Record<string, string>;
  /** Expected `transport` (partial), `origin`. */
  readonly transport: Record<string, unknown>;
  readonly origin: string;
}

const CASES: Case[] = [
  { name: 'nothing configured: the console', transport: { type: 'console', stream: 'stderr' }, origin: 'default' },
  {
    name: 'OPENLINEAGE_URL alone: http at api/v1/lineage',
    env: { OPENLINEAGE_URL: 'http://legacy.example:5000' },
    transport: { type: 'http', url: 'http://legacy.example:5000', endpoint: 'api/v1/lineage', timeoutMs: 5000 },
    origin: 'OPENLINEAGE_URL',
  },
  {
    name: 'OPENLINEAGE_URL with OPENLINEAGE_ENDPOINT and OPENLINEAGE_API_KEY',
    env: { OPENLINEAGE_URL: 'http://legacy.example', OPENLINEAGE_ENDPOINT: 'api/v2/events', OPENLINEAGE_API_KEY: 'k1' },
    transport: { type: 'http', url: 'http://legacy.example', endpoint: 'api/v2/events', apiKey: 'k1' },
    origin: 'OPENLINEAGE_URL',
  },
  {
    name: 'OPENLINEAGE__TRANSPORT__* win over OPENLINEAGE_URL',
    env: {
      OPENLINEAGE_URL: 'http://legacy.example',
      OPENLINEAGE__TRANSPORT__TYPE: 'http',
      OPENLINEAGE__TRANSPORT__URL: 'http://env.example',
      OPENLINEAGE__TRANSPORT__AUTH__TYPE: 'api_key',
      OPENLINEAGE__TRANSPORT__AUTH__API_KEY: '12345',
      OPENLINEAGE__TRANSPORT__COMPRESSION: 'gzip',
      OPENLINEAGE__TRANSPORT__TIMEOUT: '2.5',
    },
    transport: { type: 'http', url: 'http://env.example', apiKey: '12345', compression: 'gzip', timeoutMs: 2500 },
    origin: 'OPENLINEAGE__ variables',
  },
  {
    name: './openlineage.yml wins over OPENLINEAGE__ variables key by key, which fill what it leaves out',
    files: { [`${CWD}/openlineage.yml`]: HTTP_FILE },
    env: { OPENLINEAGE__TRANSPORT__URL: 'http://env.example', OPENLINEAGE__TRANSPORT__COMPRESSION: 'gzip', OPENLINEAGE_URL: 'http://legacy.example' },
    transport: { type: 'http', url: 'http://file.example:5000', apiKey: 'from-file', compression: 'gzip' },
    origin: `${CWD}/openlineage.yml`,
  },
  {
    name: 'OPENLINEAGE_CONFIG wins over ./openlineage.yml',
    files: { '/etc/mesh/ol.yml': 'transport: { type: console, stream: stdout }\n', [`${CWD}/openlineage.yml`]: HTTP_FILE },
    env: { OPENLINEAGE_CONFIG: '/etc/mesh/ol.yml' },
    transport: { type: 'console', stream: 'stdout' },
    origin: '/etc/mesh/ol.yml',
  },
  {
    name: 'a relative OPENLINEAGE_CONFIG is found from the working directory',
    files: { [`${CWD}/config/ol.yml`]: 'transport: { type: noop }\n' },
    env: { OPENLINEAGE_CONFIG: 'config/ol.yml' },
    transport: { type: 'noop' },
    origin: `${CWD}/config/ol.yml`,
  },
  {
    name: './openlineage.yml wins over ~/.openlineage/openlineage.yml',
    files: { [`${CWD}/openlineage.yml`]: HTTP_FILE, [`${HOME}/.openlineage/openlineage.yml`]: 'transport: { type: noop }\n' },
    transport: { type: 'http', url: 'http://file.example:5000' },
    origin: `${CWD}/openlineage.yml`,
  },
  {
    name: '~/.openlineage/openlineage.yml when there is no other file',
    files: { [`${HOME}/.openlineage/openlineage.yml`]: 'transport:\n  type: file\n  log_file_path: lineage/events.jsonl\n' },
    transport: { type: 'file', path: `${CWD}/lineage/events.jsonl` },
    origin: `${HOME}/.openlineage/openlineage.yml`,
  },
  {
    name: 'code wins over every file and variable',
    input: { transport: { type: 'file', logFilePath: 'out/events.jsonl' } },
    files: { [`${CWD}/openlineage.yml`]: HTTP_FILE },
    env: { OPENLINEAGE__TRANSPORT__TYPE: 'console', OPENLINEAGE_URL: 'http://legacy.example' },
    transport: { type: 'file', path: `${CWD}/out/events.jsonl` },
    origin: 'code',
  },
  {
    name: 'code may set one key of a transport the file describes',
    input: { transport: { timeout: 1, retry: { total: 2, backoffFactor: 0.05 } } },
    files: { [`${CWD}/openlineage.yml`]: HTTP_FILE },
    transport: { type: 'http', url: 'http://file.example:5000', apiKey: 'from-file', timeoutMs: 1000, retry: { total: 2, backoffMs: 50, maxBackoffMs: 10000 } },
    origin: `${CWD}/openlineage.yml`,
  },
  {
    name: 'a section given whole as JSON wins over single keys inside it (as the official clients do)',
    env: { OPENLINEAGE__TRANSPORT: '{"type":"http","url":"http://json.example"}', OPENLINEAGE__TRANSPORT__URL: 'http://single.example' },
    transport: { type: 'http', url: 'http://json.example' },
    origin: 'OPENLINEAGE__ variables',
  },
  {
    name: 'composite children from the file, with OPENLINEAGE_URL added as default_http',
    files: {
      [`${CWD}/openlineage.yml`]: 'transport:\n  type: composite\n  continue_on_failure: false\n  transports:\n    audit:\n      type: file\n      log_file_path: audit.jsonl\n    screen:\n      type: console\n',
    },
    env: { OPENLINEAGE_URL: 'http://legacy.example', OPENLINEAGE_API_KEY: 'k2' },
    transport: {
      type: 'composite',
      continueOnFailure: false,
      transports: [
        { name: 'audit', transport: { type: 'file', path: `${CWD}/audit.jsonl` } },
        { name: 'screen', transport: { type: 'console', stream: 'stderr' } },
        { name: 'default_http', transport: expect.objectContaining({ type: 'http', url: 'http://legacy.example', apiKey: 'k2' }) },
      ],
    },
    origin: `${CWD}/openlineage.yml`,
  },
  {
    name: 'composite children as a list',
    input: { transport: { type: 'composite', transports: [{ type: 'noop' }, { type: 'console', name: 'screen' }] } },
    transport: { type: 'composite', continueOnFailure: true, transports: [{ name: '0', transport: { type: 'noop' } }, { name: 'screen', transport: { type: 'console', stream: 'stderr' } }] },
    origin: 'code',
  },
];

describe('resolveLineageConfig: precedence', () => {
  it.each(CASES)('$name', (c) => {
    const config = resolveLineageConfig(c.input ?? {}, c.env ?? {}, files(c.files));
    expect(config.disabled).toBe(false);
    expect(config.transport).toMatchObject(c.transport);
    expect(config.origin).toBe(c.origin);
  });

  it.each([
    { value: 'true', disabled: true },
    { value: ' TRUE ', disabled: true },
    { value: 'false', disabled: false },
    { value: '1', disabled: false },
  ])('OPENLINEAGE_DISABLED=$value', ({ value, disabled }) => {
    // When disabled, nothing else is read: not even a broken configuration file.
    const broken = { [`${CWD}/openlineage.yml`]: 'transport: [' };
    const env = { OPENLINEAGE_DISABLED: value, OPENLINEAGE_URL: 'http://legacy.example' };
    if (disabled) {
      const config = resolveLineageConfig({ transport: { type: 'console' } }, env, files(broken));
      expect(config).toMatchObject({ disabled: true, transport: { type: 'noop' }, origin: 'OPENLINEAGE_DISABLED' });
    } else {
      expect(resolveLineageConfig({}, env, files()).transport).toMatchObject({ type: 'http' });
    }
  });

  it('disabled in code', () => {
    expect(resolveLineageConfig({ disabled: true }, { OPENLINEAGE_URL: 'http://x.example' }, files())).toMatchObject({ disabled: true, origin: 'code', transport: { type: 'noop' } });
  });

  it("mesh's own settings come from the same sources, under mesh", () => {
    const config = resolveLineageConfig(
      { namespace: 'from-code' },
      { OPENLINEAGE__MESH__SPOOL_DIR: '/var/spool/mesh', OPENLINEAGE_NAMESPACE: 'from-env', OPENLINEAGE_URL: 'http://catalog.example:4000' },
      files({ [`${CWD}/openlineage.yml`]: 'mesh:\n  schema_base_url: https://catalog.example.com\n' }),
    );
    expect(config).toMatchObject({ namespace: 'from-code', spoolDir: '/var/spool/mesh', schemaBaseUrl: 'https://catalog.example.com', producer: MESH_PRODUCER });
  });

  it('defaults: namespace mesh, spool under .mesh, schemas at the http endpoint, else the local catalog', () => {
    expect(resolveLineageConfig({}, {}, files())).toMatchObject({ namespace: 'mesh', spoolDir: `${CWD}/.mesh/lineage-spool`, schemaBaseUrl: DEFAULT_CATALOG_URL, configFile: undefined });
    expect(resolveLineageConfig({}, { OPENLINEAGE_URL: 'http://catalog.internal:4000' }, files()).schemaBaseUrl).toBe('http://catalog.internal:4000');
    expect(resolveLineageConfig({}, { OPENLINEAGE_NAMESPACE: 'prod' }, files()).namespace).toBe('prod');
  });
});

describe('resolveLineageConfig: problems', () => {
  function problems(input: LineageConfigInput, env: Record<string, string>, map: Record<string, string> = {}): string {
    try {
      resolveLineageConfig(input, env, files(map));
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as Error).message;
    }
    throw new Error('no error');
  }

  it('reports a misspelt key at its line and column in the file, and every problem at once', () => {
    const message = problems({}, { OPENLINEAGE__TRANSPORT__TIMEOUT: 'soon' }, { [`${CWD}/openlineage.yml`]: 'transport:\n  type: http\n  ulr: http://x.example\n' });
    expect(message).toContain(`${CWD}/openlineage.yml:3:8 (transport.ulr): unknown key ulr`);
    expect(message).toContain('OPENLINEAGE__TRANSPORT__TIMEOUT: must be a number >= 0, not "soon"');
  });

  it('names the variable of a bad value', () => {
    expect(problems({}, { OPENLINEAGE__TRANSPORT__TYPE: 'kafka' })).toContain('OPENLINEAGE__TRANSPORT__TYPE: must be one of console, file, http, composite, noop, not "kafka"');
    expect(problems({}, { OPENLINEAGE__TRANSPORT__AUTH: '{"type":"api_key","api_key":7,"extra":1}' })).toContain('OPENLINEAGE__TRANSPORT__AUTH (at extra): unknown key extra');
  });

  it('requires what a transport needs, after merging', () => {
    expect(problems({}, { OPENLINEAGE__TRANSPORT__TYPE: 'http' })).toContain('transport.url is required for the http transport');
    expect(problems({ transport: { type: 'http', url: 'ftp://x.example' } }, {})).toContain('transport.url must be an http:// or https:// URL');
    expect(problems({ transport: { type: 'file' } }, {})).toContain('transport.logFilePath is required for the file transport');
    expect(problems({ transport: { type: 'composite', transports: {} } }, {})).toContain('transport.transports must name at least one transport');
    expect(problems({ transport: { type: 'http', url: 'http://x.example', auth: { type: 'api_key' } } }, {})).toContain('transport.auth.apiKey is required');
  });

  it('refuses an OPENLINEAGE_CONFIG that names no file rather than falling back', () => {
    expect(problems({}, { OPENLINEAGE_CONFIG: '/nowhere/ol.yml' }, { [`${CWD}/openlineage.yml`]: HTTP_FILE })).toContain('OPENLINEAGE_CONFIG names /nowhere/ol.yml, which does not exist');
  });

  it('locates YAML syntax errors', () => {
    expect(problems({}, {}, { [`${CWD}/openlineage.yml`]: 'transport:\n  type: [http\n' })).toMatch(/openlineage\.yml:\d+:\d+: YAML syntax/);
    expect(problems({}, {}, { [`${CWD}/openlineage.yml`]: '- a\n- b\n' })).toContain('the configuration must be a mapping');
  });

  it('refuses prototype keys without polluting anything', () => {
    expect(problems({}, { OPENLINEAGE__TRANSPORT: '{"__proto__":{"polluted":true},"type":"console"}' })).toContain('the key __proto__ is not allowed');
    expect(problems({}, { OPENLINEAGE__TRANSPORT__CONSTRUCTOR: 'x' })).toContain('the key constructor is not allowed');
    expect(problems({}, { OPENLINEAGE__TRANSPORT____TYPE: 'x' })).toContain('empty section');
    expect(problems({}, {}, { [`${CWD}/openlineage.yml`]: 'transport:\n  __proto__: { polluted: true }\n' })).toContain('__proto__');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses configuration nested absurdly deep, without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(problems({}, { OPENLINEAGE__TRANSPORT__CUSTOM_HEADERS: deep })).toContain('nested deeper than 32 levels');
  });

  it('refuses a file transport that would not append', () => {
    expect(problems({ transport: { type: 'file', logFilePath: 'x.jsonl', append: false } }, {})).toContain('append: false is not supported');
  });
});
