import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { parseYaml } from '../source/parseYaml.js';
import { isObject, type JsonObject } from '../util/guards.js';
import { DEFAULT_CATALOG_URL } from './meshFacets.js';
import { MESH_PRODUCER } from './producer.js';
import { DEFAULT_ENDPOINT, DEFAULT_TIMEOUT_MS } from './transports/createHttpTransport.js';

/** A transport, resolved and checked. */
export type TransportConfig =
  | { readonly type: 'console'; readonly stream: 'stdout' | 'stderr' }
  | { readonly type: 'file'; readonly path: string }
  | HttpTransportConfig
  | {
      readonly type: 'composite';
      readonly transports: readonly { readonly name: string; readonly transport: TransportConfig }[];
      readonly continueOnFailure: boolean;
    }
  | { readonly type: 'noop' };

export interface HttpTransportConfig {
  readonly type: 'http';
  readonly url: string;
  readonly endpoint: string;
  readonly apiKey?: string;
  readonly compression?: 'gzip';
  readonly timeoutMs: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly retry: { readonly total: number; readonly backoffMs: number; readonly maxBackoffMs: number };
}

export type TransportType = TransportConfig['type'];

/** Everything the lineage client needs, from one place. */
export interface LineageConfig {
  /** `OPENLINEAGE_DISABLED=true` (or the code option): nothing is emitted and `transport` is `noop`. */
  readonly disabled: boolean;
  readonly transport: TransportConfig;
  /** Where the transport came from: `code`, the config file's path, an environment variable, or `default`. */
  readonly origin: string;
  /** The `openlineage.yml` read, if any. */
  readonly configFile: string | undefined;
  /** Namespace of mesh's jobs (default `mesh`). */
  readonly namespace: string;
  /** `producer` and `_producer` of every event. */
  readonly producer: string;
  /** Base URL of the catalog that serves mesh's facet schemas, for their `_schemaURL`. */
  readonly schemaBaseUrl: string;
  /** Folder of the spools of undelivered events, one sub-folder per http endpoint. */
  readonly spoolDir: string;
  /**
   * Validate every event against the spec before it leaves (`MESH_LINEAGE_VALIDATE=1`): the test suite sets
   * it, so that commands it runs in child processes check their events too.
   */
  readonly validate: boolean;
}

/** Options set in code: the highest precedence. `transport` takes the same keys as `openlineage.yml`. */
export interface LineageConfigInput {
  readonly transport?: Readonly<Record<string, unknown>>;
  readonly disabled?: boolean;
  readonly namespace?: string;
  readonly producer?: string;
  readonly schemaBaseUrl?: string;
  readonly spoolDir?: string;
  readonly validate?: boolean;
}

/** The little of a file system that configuration needs; tests pass their own. */
export interface ConfigFiles {
  /** Relative paths (`OPENLINEAGE_CONFIG`, `./openlineage.yml`, spool and log files) resolve against it. */
  readonly cwd: string;
  readonly homeDir: string | undefined;
  /** The file's text, or `undefined` when there is no such file. */
  readFile(path: string): string | undefined;
}

export const DEFAULT_NAMESPACE = 'mesh';
export const DEFAULT_SPOOL_DIR = '.mesh/lineage-spool';
const CONFIG_FILE_NAME = 'openlineage.yml';
const ENV_PREFIX = 'OPENLINEAGE__';
const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_COMPOSITE_DEPTH = 4;
/** Deeper than any real configuration; guards the recursive walks against hostile JSON in variables. */
const MAX_CONFIG_DEPTH = 32;
/** The composite child `OPENLINEAGE_URL` becomes, as in the official Python client. */
const URL_TRANSPORT_NAME = 'default_http';

/** The real file system, for the CLI. */
export function nodeConfigFiles(cwd: string, env: Readonly<Record<string, string | undefined>>): ConfigFiles {
  return {
    cwd,
    homeDir: env['HOME'] ?? env['USERPROFILE'] ?? homedir(),
    readFile(path) {
      let size: number;
      try {
        const info = statSync(path);
        if (!info.isFile()) return undefined;
        size = info.size;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new InputError(`cannot read ${path}: ${(error as Error).message}`);
      }
      if (size > MAX_CONFIG_BYTES) throw new InputError(`${path} is larger than ${MAX_CONFIG_BYTES} bytes`);
      return readFileSync(path, 'utf8');
    },
  };
}

/** One source of configuration, with a way to name where a value sits in it. */
interface Source {
  readonly label: string;
  readonly value: JsonObject;
  /** Where a value at `path` was written, for messages. */
  where(path: readonly string[]): string;
  /** Environment values are strings by nature: a number where a string is expected is taken as its text. */
  readonly coerce: boolean;
}

/**
 * Resolves the OpenLineage configuration the way the official clients do.
 *
 * 1. `OPENLINEAGE_DISABLED=true` (or `disabled` in code) turns emission off; nothing else is read.
 * 2. The configuration is merged, key by key, from (highest first) the options given in code, the
 *    `openlineage.yml` found through `OPENLINEAGE_CONFIG`, then `./openlineage.yml`, then
 *    `~/.openlineage/openlineage.yml` (the first that exists), and the `OPENLINEAGE__` variables, whose
 *    double underscores nest (`OPENLINEAGE__TRANSPORT__AUTH__API_KEY` is `transport.auth.apiKey`; snake_case
 *    becomes camelCase; a value that parses as JSON is taken as that JSON).
 * 3. When that merge names a transport `type`, it is used. Otherwise `OPENLINEAGE_URL` (with
 *    `OPENLINEAGE_ENDPOINT` and `OPENLINEAGE_API_KEY`) selects the http transport; otherwise events go to the
 *    console. With a `composite` transport, `OPENLINEAGE_URL` adds an http child named `default_http`.
 *
 * mesh's own settings (`namespace`, `spoolDir`, `schemaBaseUrl`, `producer`) live under the `mesh` key of the
 * same sources (`mesh.spoolDir`, `OPENLINEAGE__MESH__SPOOL_DIR`), where the official clients ignore them.
 * Every problem found is reported at once, as an InputError naming the file and line or the variable.
 */
export function resolveLineageConfig(
  input: LineageConfigInput,
  env: Readonly<Record<string, string | undefined>>,
  files: ConfigFiles,
): LineageConfig {
  const disabledByEnv = (env['OPENLINEAGE_DISABLED'] ?? '').trim().toLowerCase() === 'true';
  const validate = input.validate ?? ['1', 'true'].includes((env['MESH_LINEAGE_VALIDATE'] ?? '').trim().toLowerCase());
  if (disabledByEnv || input.disabled === true) {
    return {
      disabled: true,
      transport: { type: 'noop' },
      origin: disabledByEnv ? 'OPENLINEAGE_DISABLED' : 'code',
      configFile: undefined,
      namespace: input.namespace ?? env['OPENLINEAGE_NAMESPACE'] ?? DEFAULT_NAMESPACE,
      producer: input.producer ?? MESH_PRODUCER,
      schemaBaseUrl: input.schemaBaseUrl ?? DEFAULT_CATALOG_URL,
      spoolDir: resolve(files.cwd, input.spoolDir ?? DEFAULT_SPOOL_DIR),
      validate,
    };
  }

  const errors: string[] = [];
  const code = codeSource(input);
  const file = fileSource(env, files, errors);
  const fromEnv = envSource(env, errors);
  const sources = [code, ...(file ? [file.source] : []), ...(fromEnv ? [fromEnv] : [])];
  for (const source of sources) checkSource(source, errors);
  if (errors.length > 0) throw configError(errors);

  // Lowest precedence first, so that each later source wins key by key.
  let merged: JsonObject = {};
  for (const source of [...sources].reverse()) merged = deepMerge(merged, source.value);
  const transportValue = isObject(merged['transport']) ? merged['transport'] : {};
  const mesh = isObject(merged['mesh']) ? merged['mesh'] : {};

  let transport: TransportConfig;
  let origin: string;
  const url = nonEmpty(env['OPENLINEAGE_URL']);
  if (typeof transportValue['type'] === 'string') {
    origin = sources.find((s) => isObject(s.value['transport']) && s.value['transport']['type'] !== undefined)!.label;
    let value = transportValue;
    if (value['type'] === 'composite' && url !== undefined) value = withUrlTransport(value, env, url);
    transport = buildTransport(value, ['transport'], files.cwd, errors, 0);
  } else if (url !== undefined) {
    origin = 'OPENLINEAGE_URL';
    transport = buildTransport(legacyHttp(env, url), ['transport'], files.cwd, errors, 0);
  } else {
    origin = 'default';
    transport = { type: 'console', stream: 'stderr' };
  }
  if (errors.length > 0) throw configError(errors);

  const meshString = (key: string): string | undefined => (typeof mesh[key] === 'string' && mesh[key] !== '' ? (mesh[key] as string) : undefined);
  return {
    disabled: false,
    transport,
    origin,
    configFile: file?.path,
    namespace: meshString('namespace') ?? nonEmpty(env['OPENLINEAGE_NAMESPACE']) ?? DEFAULT_NAMESPACE,
    producer: meshString('producer') ?? MESH_PRODUCER,
    schemaBaseUrl: meshString('schemaBaseUrl') ?? firstHttpUrl(transport) ?? DEFAULT_CATALOG_URL,
    spoolDir: resolve(files.cwd, meshString('spoolDir') ?? DEFAULT_SPOOL_DIR),
    validate,
  };
}

/** Every http transport in a configuration, composites included, with its name path. */
export function httpTransports(transport: TransportConfig, name = 'transport'): { name: string; config: HttpTransportConfig }[] {
  if (transport.type === 'http') return [{ name, config: transport }];
  if (transport.type === 'composite') return transport.transports.flatMap((t) => httpTransports(t.transport, `${name}.${t.name}`));
  return [];
}

function firstHttpUrl(transport: TransportConfig): string | undefined {
  return httpTransports(transport)[0]?.config.url;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function configError(errors: readonly string[]): InputError {
  return new InputError(`invalid OpenLineage configuration:\n${errors.map((e) => `  ${e}`).join('\n')}`);
}

// ---------------------------------------------------------------------------------------------------------
// Sources

function codeSource(input: LineageConfigInput): Source {
  const mesh: JsonObject = {};
  for (const key of ['namespace', 'producer', 'schemaBaseUrl', 'spoolDir'] as const) if (input[key] !== undefined) mesh[key] = input[key];
  const value: JsonObject = {};
  if (input.transport !== undefined) value['transport'] = normalizeKeys(input.transport, ['transport']);
  if (Object.keys(mesh).length > 0) value['mesh'] = mesh;
  return { label: 'code', value, where: (path) => `code option ${path.join('.')}`, coerce: false };
}

function fileSource(env: Readonly<Record<string, string | undefined>>, files: ConfigFiles, errors: string[]): { source: Source; path: string } | undefined {
  const explicit = nonEmpty(env['OPENLINEAGE_CONFIG']);
  const candidates: string[] = [];
  if (explicit !== undefined) candidates.push(isAbsolute(explicit) ? explicit : resolve(files.cwd, explicit));
  candidates.push(join(files.cwd, CONFIG_FILE_NAME));
  if (files.homeDir) candidates.push(join(files.homeDir, '.openlineage', CONFIG_FILE_NAME));
  for (const [i, path] of candidates.entries()) {
    let text: string | undefined;
    try {
      text = files.readFile(path);
    } catch (error) {
      errors.push((error as Error).message);
      return undefined;
    }
    if (text === undefined) {
      // A file named explicitly must exist: silently falling back would send events somewhere unexpected.
      if (i === 0 && explicit !== undefined) {
        errors.push(`OPENLINEAGE_CONFIG names ${path}, which does not exist`);
        return undefined;
      }
      continue;
    }
    const parsed = parseYaml(path, text);
    if (parsed.problems.length > 0) {
      for (const p of parsed.problems) errors.push(`${p.file}:${p.line}:${p.column}: ${p.message}`);
      return undefined;
    }
    const raw = parsed.document.value ?? {};
    if (!isObject(raw)) {
      errors.push(`${path}:1:1: the configuration must be a mapping (transport: ...)`);
      return undefined;
    }
    const source: Source = {
      label: path,
      value: normalizeKeys(raw, []) as JsonObject,
      where(keys) {
        // Keys were camel-cased; the position is found through the spelling the file used.
        const pointer = originalPointer(raw, keys);
        const at = parsed.document.position(pointer, 'value');
        return `${path}:${at.line}:${at.column} (${keys.join('.')})`;
      },
      coerce: false,
    };
    return { source, path };
  }
  return undefined;
}

function envSource(env: Readonly<Record<string, string | undefined>>, errors: string[]): Source | undefined {
  const names = Object.keys(env).filter((n) => n.startsWith(ENV_PREFIX) && env[n] !== undefined);
  if (names.length === 0) return undefined;
  const value: JsonObject = {};
  const origins = new Map<string, string>();
  // Reverse order puts a section before its sub-keys (`..._TRANSPORT__URL` sorts after `..._TRANSPORT`), so
  // that, as in the official clients, a section given whole as JSON wins over single keys inside it.
  for (const name of names.sort().reverse()) {
    const segments = name.slice(ENV_PREFIX.length).split('__');
    if (segments.some((s) => s === '')) {
      errors.push(`${name}: empty section between double underscores`);
      continue;
    }
    const keys = segments.map((s) => camelCase(s.toLowerCase()));
    if (keys.some(unsafeKey)) {
      errors.push(`${name}: the key ${keys.find(unsafeKey)} is not allowed`);
      continue;
    }
    const parsed = envValue(env[name]!);
    if (parsed === null) continue;
    const normalized = isObject(parsed) || Array.isArray(parsed) ? normalizeKeys(parsed, keys) : parsed;
    insert(value, keys, normalized);
    origins.set(keys.join('.'), name);
  }
  return {
    label: 'OPENLINEAGE__ variables',
    value,
    where(path) {
      for (let n = path.length; n > 0; n--) {
        const name = origins.get(path.slice(0, n).join('.'));
        if (name !== undefined) return n === path.length ? name : `${name} (at ${path.slice(n).join('.')})`;
      }
      return `${ENV_PREFIX}${path.map((k) => snakeCase(k).toUpperCase()).join('__')}`;
    },
    coerce: true,
  };
}

/** A variable's value: its JSON when it parses as JSON, its text otherwise. */
function envValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function insert(target: JsonObject, keys: readonly string[], value: unknown): void {
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as JsonObject;
  }
  const last = keys[keys.length - 1]!;
  const existing = node[last];
  node[last] = isObject(existing) && isObject(value) ? deepMerge(existing, value) : value;
}

/** `OPENLINEAGE_URL`, `OPENLINEAGE_ENDPOINT`, `OPENLINEAGE_API_KEY`: the official clients' short form. */
function legacyHttp(env: Readonly<Record<string, string | undefined>>, url: string): JsonObject {
  const endpoint = nonEmpty(env['OPENLINEAGE_ENDPOINT']);
  const apiKey = nonEmpty(env['OPENLINEAGE_API_KEY']);
  return {
    type: 'http',
    url,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(apiKey !== undefined ? { auth: { type: 'api_key', apiKey } } : {}),
  };
}

function withUrlTransport(composite: JsonObject, env: Readonly<Record<string, string | undefined>>, url: string): JsonObject {
  const children = composite['transports'];
  if (Array.isArray(children)) {
    if (children.some((c) => isObject(c) && c['name'] === URL_TRANSPORT_NAME)) return composite;
    return { ...composite, transports: [...children, { ...legacyHttp(env, url), name: URL_TRANSPORT_NAME }] };
  }
  const map = isObject(children) ? children : {};
  if (URL_TRANSPORT_NAME in map) return composite;
  return { ...composite, transports: { ...map, [URL_TRANSPORT_NAME]: legacyHttp(env, url) } };
}

// ---------------------------------------------------------------------------------------------------------
// Keys

/** `log_file_path` is `logFilePath`; leading and trailing underscores stay (`__proto__` is not re-spelled). */
function camelCase(key: string): string {
  return key.replace(/(?<=[A-Za-z0-9])_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function unsafeKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/** Keys whose children are user-chosen names (header names, composite children), never re-spelled. */
function keepsChildKeys(path: readonly string[]): boolean {
  const last = path[path.length - 1];
  return last === 'customHeaders' || last === 'transports';
}

/** snake_case keys become camelCase, at every level, as the official clients read them. */
function normalizeKeys(value: unknown, path: readonly string[]): unknown {
  if (path.length > MAX_CONFIG_DEPTH) throw new InputError(`invalid OpenLineage configuration: ${path.slice(0, 3).join('.')}... is nested deeper than ${MAX_CONFIG_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((v) => normalizeKeys(v, [...path, '*']));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const name = keepsChildKeys(path) ? key : camelCase(key);
    Object.defineProperty(out, name, { value: normalizeKeys(child, [...path, name]), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The JSON pointer, in the file's own spelling, of a value found by its camelCase path. */
function originalPointer(raw: unknown, keys: readonly string[]): string {
  let node: unknown = raw;
  let pointer = '';
  for (const key of keys) {
    let spelled: string | undefined;
    if (Array.isArray(node) && /^\d+$/.test(key)) spelled = key;
    else if (isObject(node)) spelled = Object.keys(node).find((k) => k === key || camelCase(k) === key);
    if (spelled === undefined) break;
    pointer += '/' + spelled.replace(/~/g, '~0').replace(/\//g, '~1');
    node = Array.isArray(node) ? node[Number(spelled)] : (node as JsonObject)[spelled];
  }
  return pointer;
}

/** Merges `over` onto `base`: objects key by key, anything else replaced. Neither argument is changed. */
function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    const merged = isObject(current) && isObject(value) ? deepMerge(current, value) : value;
    Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Checking one source: every key known, every value of the right kind (completeness is checked after merging)

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'headers' | 'auth' | 'retry' | 'transports';

interface Field {
  readonly kind: Kind;
  readonly values?: readonly string[];
}

const TRANSPORT_TYPES: readonly TransportType[] = ['console', 'file', 'http', 'composite', 'noop'];

const TRANSPORT_FIELDS: Readonly<Record<string, Field>> = {
  type: { kind: 'string', values: TRANSPORT_TYPES },
  name: { kind: 'string' },
  stream: { kind: 'string', values: ['stdout', 'stderr'] },
  logFilePath: { kind: 'string' },
  append: { kind: 'boolean' },
  url: { kind: 'string' },
  endpoint: { kind: 'string' },
  timeout: { kind: 'number' },
  timeoutInMillis: { kind: 'integer' },
  auth: { kind: 'auth' },
  compression: { kind: 'string', values: ['gzip'] },
  customHeaders: { kind: 'headers' },
  retry: { kind: 'retry' },
  transports: { kind: 'transports' },
  continueOnFailure: { kind: 'boolean' },
};

const AUTH_FIELDS: Readonly<Record<string, Field>> = {
  type: { kind: 'string', values: ['api_key'] },
  apiKey: { kind: 'string' },
};

const RETRY_FIELDS: Readonly<Record<string, Field>> = {
  total: { kind: 'integer' },
  backoffFactor: { kind: 'number' },
  backoffMax: { kind: 'number' },
};

const MESH_FIELDS: Readonly<Record<string, Field>> = {
  namespace: { kind: 'string' },
  producer: { kind: 'string' },
  schemaBaseUrl: { kind: 'string' },
  spoolDir: { kind: 'string' },
};

function checkSource(source: Source, errors: string[]): void {
  const value = source.value;
  if (value['transport'] !== undefined) checkObject(source, value['transport'], ['transport'], TRANSPORT_FIELDS, errors, 0);
  if (value['mesh'] !== undefined) checkObject(source, value['mesh'], ['mesh'], MESH_FIELDS, errors, 0);
  // Other top-level sections of the official format (facets, filters, tags) are not used by mesh.
}

function checkObject(source: Source, value: unknown, path: string[], fields: Readonly<Record<string, Field>>, errors: string[], depth: number): void {
  if (!isObject(value)) {
    errors.push(`${source.where(path)}: must be a mapping`);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const field = fields[key];
    const at = [...path, key];
    if (unsafeKey(key)) {
      errors.push(`${source.where(at)}: the key ${key} is not allowed`);
      continue;
    }
    if (!field) {
      errors.push(`${source.where(at)}: unknown key ${key} (known: ${Object.keys(fields).join(', ')})`);
      continue;
    }
    const checked = checkValue(source, child, at, field, errors, depth);
    if (checked !== child) value[key] = checked;
  }
}

/** Checks one value; returns it, or its coerced form for environment strings. */
function checkValue(source: Source, value: unknown, path: string[], field: Field, errors: string[], depth: number): unknown {
  const fail = (expected: string) => {
    errors.push(`${source.where(path)}: must be ${expected}, not ${JSON.stringify(value)}`);
    return value;
  };
  switch (field.kind) {
    case 'string': {
      const text = typeof value === 'string' ? value : source.coerce && (typeof value === 'number' || typeof value === 'boolean') ? String(value) : undefined;
      if (text === undefined) return fail(field.values ? `one of ${field.values.join(', ')}` : 'a string');
      if (field.values && !field.values.includes(text)) return fail(`one of ${field.values.join(', ')}`);
      return text;
    }
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fail('a number >= 0');
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fail('an integer >= 0');
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('true or false');
    case 'headers':
      if (!isObject(value)) return fail('a mapping of header names to values');
      for (const [name, header] of Object.entries(value)) {
        if (unsafeKey(name) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) errors.push(`${source.where([...path, name])}: ${JSON.stringify(name)} is not a header name`);
        else if (typeof header !== 'string' && !(source.coerce && typeof header === 'number')) errors.push(`${source.where([...path, name])}: must be a string`);
      }
      return value;
    case 'auth':
      checkObject(source, value, path, AUTH_FIELDS, errors, depth);
      return value;
    case 'retry':
      checkObject(source, value, path, RETRY_FIELDS, errors, depth);
      return value;
    case 'transports': {
      if (depth >= MAX_COMPOSITE_DEPTH) return fail(`nested at most ${MAX_COMPOSITE_DEPTH} composites deep`);
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : isObject(value) ? Object.entries(value) : undefined;
      if (entries === undefined) return fail('a list or a mapping of transports');
      for (const [name, child] of entries) checkObject(source, child, [...path, name], TRANSPORT_FIELDS, errors, depth + 1);
      return value;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Building the merged transport

function buildTransport(value: JsonObject, path: string[], cwd: string, errors: string[], depth: number): TransportConfig {
  const type = value['type'] as TransportType;
  const where = path.join('.');
  // Keys of another transport type may come from a lower source (a file's http url under a code console);
  // they are ignored, as the official clients do.
  switch (type) {
    case 'console':
      return { type, stream: value['stream'] === 'stdout' ? 'stdout' : 'stderr' };
    case 'noop':
      return { type };
    case 'file': {
      const logFilePath = value['logFilePath'];
      if (typeof logFilePath !== 'string' || logFilePath === '') {
        errors.push(`${where}.logFilePath is required for the file transport`);
        return { type: 'noop' };
      }
      if (value['append'] === false) errors.push(`${where}.append: false is not supported; the file transport appends JSON lines`);
      return { type, path: resolve(cwd, logFilePath) };
    }
    case 'http':
      return buildHttp(value, where, errors);
    case 'composite': {
      const raw = value['transports'];
      const children = Array.isArray(raw)
        ? raw.map((c, i) => [isObject(c) && typeof c['name'] === 'string' ? c['name'] : String(i), c] as const)
        : isObject(raw)
          ? Object.entries(raw)
          : [];
      if (children.length === 0) errors.push(`${where}.transports must name at least one transport`);
      const transports = children.map(([name, child]) => {
        const childPath = [...path, 'transports', name];
        if (!isObject(child) || typeof child['type'] !== 'string') {
          errors.push(`${childPath.join('.')}.type is required`);
          return { name, transport: { type: 'noop' } as TransportConfig };
        }
        return { name, transport: buildTransport(child, childPath, cwd, errors, depth + 1) };
      });
      return { type, transports, continueOnFailure: value['continueOnFailure'] !== false };
    }
  }
}

function buildHttp(value: JsonObject, where: string, errors: string[]): HttpTransportConfig {
  const url = value['url'];
  if (typeof url !== 'string' || url === '') {
    errors.push(`${where}.url is required for the http transport (or set OPENLINEAGE_URL)`);
  } else {
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') errors.push(`${where}.url must be an http:// or https:// URL, not ${url}`);
    } catch {
      errors.push(`${where}.url is not a valid URL: ${url}`);
    }
  }
  const auth = isObject(value['auth']) ? value['auth'] : undefined;
  const apiKey = auth && typeof auth['apiKey'] === 'string' && auth['apiKey'] !== '' ? auth['apiKey'] : undefined;
  if (auth && apiKey === undefined) errors.push(`${where}.auth.apiKey is required when auth is set`);
  const retry = isObject(value['retry']) ? value['retry'] : {};
  const seconds = (v: unknown, fallback: number) => (typeof v === 'number' ? Math.round(v * 1000) : fallback);
  const headers: Record<string, string> = {};
  if (isObject(value['customHeaders'])) for (const [k, v] of Object.entries(value['customHeaders'])) headers[k] = String(v);
  return {
    type: 'http',
    url: typeof url === 'string' ? url : '',
    endpoint: typeof value['endpoint'] === 'string' ? value['endpoint'] : DEFAULT_ENDPOINT,
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(value['compression'] === 'gzip' ? { compression: 'gzip' as const } : {}),
    timeoutMs: typeof value['timeoutInMillis'] === 'number' ? value['timeoutInMillis'] : seconds(value['timeout'], DEFAULT_TIMEOUT_MS),
    headers,
    retry: {
      total: typeof retry['total'] === 'number' ? retry['total'] : 5,
      backoffMs: seconds(retry['backoffFactor'], 300),
      maxBackoffMs: seconds(retry['backoffMax'], 10_000),
    },
  };
}
