import { readFile, writeFile } from 'node:fs/promises';
import { compile } from 'json-schema-to-typescript';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect, it } from 'vitest';
import { PRODUCT_SCHEMA } from '../../platform/manifest/checkManifestShape.js';

const TYPES_FILE = new URL('../../platform/manifest/DataProductManifest.ts', import.meta.url);
const BANNER =
  '/* Generated from product.schema.json by test/manifest/manifestTypes.test.ts (UPDATE_TYPES=1 to refresh). Do not edit. */\n\n';

// The manifest's TypeScript types are generated from its JSON Schema; this test fails when they drift apart.
// Refresh with: UPDATE_TYPES=1 npx vitest run test/manifest/manifestTypes.test.ts
it('DataProductManifest.ts is generated from product.schema.json', async () => {
  const generated =
    BANNER +
    (await compile(structuredClone(PRODUCT_SCHEMA), 'DataProductManifest', {
      bannerComment: '',
      additionalProperties: false,
      unreachableDefinitions: false,
      strictIndexSignatures: true,
      format: true,
    }));
  if (process.env['UPDATE_TYPES'] === '1') return writeFile(TYPES_FILE, generated);
  expect(await readFile(TYPES_FILE, 'utf8')).toBe(generated);
});

// mesh does not check its own manifest schema against the meta-schema when it starts (it costs more than the
// validator it builds); this does, strictly, so that a broken edit of product.schema.json fails here.
it('product.schema.json is a valid draft 2020-12 schema under strict mode', () => {
  const ajv = new Ajv2020({ strict: true, strictRequired: false, strictTypes: false, discriminator: true, validateFormats: false });
  expect(ajv.validateSchema(PRODUCT_SCHEMA), ajv.errorsText(ajv.errors)).toBe(true);
  const broken = { ...PRODUCT_SCHEMA, properties: { ...(PRODUCT_SCHEMA as { properties: object }).properties, id: { type: 'strin' } } };
  expect(ajv.validateSchema(broken)).toBe(false);
});
