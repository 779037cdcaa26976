import { PRODUCT_SCHEMA } from '../../platform/manifest/checkManifestShape.js';

type Schema = Record<string, any>;

/** The README's table of manifest fields, generated from the shipped JSON Schema so that the two agree. */
export function manifestFieldTable(): string {
  const root = PRODUCT_SCHEMA as Schema;
  const rows = ['| field | type | required | meaning |', '|---|---|---|---|'];
  const resolve = (schema: Schema): Schema => {
    let out = schema;
    while (out && typeof out['$ref'] === 'string') {
      const target = out['$ref'].replace('#/', '').split('/').reduce((node: Schema, key: string) => node[key], root);
      const { $ref: _ref, ...rest } = out;
      out = { ...target, ...rest, description: rest['description'] ?? target['description'] };
    }
    return out;
  };
  const typeOf = (schema: Schema): string => {
    const s = resolve(schema);
    if (s['const'] !== undefined) return `\`${s['const']}\``;
    if (s['enum']) return s['enum'].map((v: unknown) => `\`${v}\``).join(' \\| ');
    if (s['type'] === 'array') return `list of ${typeOf(s['items'] ?? {})}`;
    if (s['oneOf']) return 'a quality check (below)';
    if (s['format']) return `${s['type']} (${s['format']})`;
    return s['type'] ?? 'object';
  };
  const walk = (prefix: string, schema: Schema, required: string[]) => {
    for (const [key, raw] of Object.entries(resolve(schema)['properties'] ?? {})) {
      const s = resolve(raw as Schema);
      const name = prefix + key;
      const mandatory = required.includes(key) ? 'yes' : name === 'owner' ? 'yes (rule)' : '';
      rows.push(`| \`${name}\` | ${typeOf(raw as Schema)} | ${mandatory} | ${String(s['description'] ?? '').replace(/\|/g, '\\|')} |`);
      const inner = s['type'] === 'array' ? resolve(s['items'] ?? {}) : s;
      if (inner['properties'] && !inner['oneOf']) walk(name + (s['type'] === 'array' ? '[].' : '.'), inner, inner['required'] ?? []);
    }
  };
  walk('', root, root['required']);
  return rows.join('\n');
}

/** The README's table of quality checks, from the schema's `check` branches. */
export function qualityCheckTable(): string {
  const root = PRODUCT_SCHEMA as Schema;
  const rows = ['| check | fields | meaning |', '|---|---|---|'];
  for (const branch of root['$defs']['check']['oneOf'] as Schema[]) {
    const fields = Object.keys(branch['properties']).filter((k) => !['check', 'name', 'port', 'severity', 'description'].includes(k));
    const required = new Set(branch['required']);
    rows.push(`| \`${branch['properties']['check']['const']}\` | ${fields.map((f) => (required.has(f) ? `\`${f}\`` : `\`${f}\`?`)).join(', ')} | ${branch['description']} |`);
  }
  return rows.join('\n');
}
