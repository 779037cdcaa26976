import type { Ajv2020 } from 'ajv/dist/2020.js';

const SEMVER =
  '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$';

/** The data classification levels, from least to most sensitive. */
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/**
 * The mesh annotation keywords. They never constrain data; Ajv checks their values against these
 * meta-schemas, so a typo in a value (or an unknown `x-` keyword, under strict mode) is an error.
 */
export const MESH_KEYWORDS = {
  /** Semantic version of the contract. Required at the root of every contract. */
  'x-version': { type: 'string', pattern: SEMVER },
  /** Property names of an object schema that together identify a record. */
  'x-primary-key': { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', minLength: 1 } },
  /** On a property: its values are unique across records. */
  'x-unique': { type: 'boolean' },
  /** On a property: it holds personal data. */
  'x-pii': { type: 'boolean' },
  /** On a property or a schema: how sensitive the data is. */
  'x-classification': { enum: [...CLASSIFICATIONS] },
} as const;

export type MeshKeyword = keyof typeof MESH_KEYWORDS;
export const MESH_KEYWORD_NAMES: ReadonlySet<string> = new Set(Object.keys(MESH_KEYWORDS));

export const SEMVER_PATTERN = new RegExp(SEMVER);

/** Registers the mesh vocabulary (and `$anchor`, which Ajv's strict mode does not know) on an Ajv instance. */
export function addMeshVocabulary(ajv: Ajv2020): void {
  for (const [keyword, metaSchema] of Object.entries(MESH_KEYWORDS)) {
    ajv.addKeyword({ keyword, metaSchema });
  }
  if (!ajv.getKeyword('$anchor')) ajv.addKeyword({ keyword: '$anchor', schemaType: 'string' });
}
