import { readFile, writeFile } from 'node:fs/promises';
import { compile } from 'json-schema-to-typescript';
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
