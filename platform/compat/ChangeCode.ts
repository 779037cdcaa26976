/**
 * Stable names of contract changes. Messages may change between releases; codes do not. Each code reads
 * from the old contract to the new one ("MAXIMUM_DECREASED": the new maximum is lower), whichever direction
 * the checker was proving when it found it.
 */
export const ChangeCode = {
  // Types and values
  TYPE_ADDED: 'TYPE_ADDED',
  TYPE_REMOVED: 'TYPE_REMOVED',
  TYPE_WIDENED: 'TYPE_WIDENED',
  TYPE_NARROWED: 'TYPE_NARROWED',
  ENUM_ADDED: 'ENUM_ADDED',
  ENUM_REMOVED: 'ENUM_REMOVED',
  ENUM_VALUE_ADDED: 'ENUM_VALUE_ADDED',
  ENUM_VALUE_REMOVED: 'ENUM_VALUE_REMOVED',
  CONST_ADDED: 'CONST_ADDED',
  CONST_REMOVED: 'CONST_REMOVED',
  CONST_CHANGED: 'CONST_CHANGED',

  // Numbers
  MINIMUM_ADDED: 'MINIMUM_ADDED',
  MINIMUM_REMOVED: 'MINIMUM_REMOVED',
  MINIMUM_INCREASED: 'MINIMUM_INCREASED',
  MINIMUM_DECREASED: 'MINIMUM_DECREASED',
  MAXIMUM_ADDED: 'MAXIMUM_ADDED',
  MAXIMUM_REMOVED: 'MAXIMUM_REMOVED',
  MAXIMUM_INCREASED: 'MAXIMUM_INCREASED',
  MAXIMUM_DECREASED: 'MAXIMUM_DECREASED',
  MULTIPLE_OF_ADDED: 'MULTIPLE_OF_ADDED',
  MULTIPLE_OF_REMOVED: 'MULTIPLE_OF_REMOVED',
  MULTIPLE_OF_CHANGED: 'MULTIPLE_OF_CHANGED',

  // Strings
  MIN_LENGTH_ADDED: 'MIN_LENGTH_ADDED',
  MIN_LENGTH_REMOVED: 'MIN_LENGTH_REMOVED',
  MIN_LENGTH_INCREASED: 'MIN_LENGTH_INCREASED',
  MIN_LENGTH_DECREASED: 'MIN_LENGTH_DECREASED',
  MAX_LENGTH_ADDED: 'MAX_LENGTH_ADDED',
  MAX_LENGTH_REMOVED: 'MAX_LENGTH_REMOVED',
  MAX_LENGTH_INCREASED: 'MAX_LENGTH_INCREASED',
  MAX_LENGTH_DECREASED: 'MAX_LENGTH_DECREASED',
  PATTERN_ADDED: 'PATTERN_ADDED',
  PATTERN_REMOVED: 'PATTERN_REMOVED',
  PATTERN_CHANGED: 'PATTERN_CHANGED',
  FORMAT_ADDED: 'FORMAT_ADDED',
  FORMAT_REMOVED: 'FORMAT_REMOVED',
  FORMAT_CHANGED: 'FORMAT_CHANGED',

  // Objects
  PROPERTY_ADDED: 'PROPERTY_ADDED',
  PROPERTY_REMOVED: 'PROPERTY_REMOVED',
  REQUIRED_ADDED: 'REQUIRED_ADDED',
  REQUIRED_REMOVED: 'REQUIRED_REMOVED',
  ADDITIONAL_PROPERTIES_NARROWED: 'ADDITIONAL_PROPERTIES_NARROWED',
  ADDITIONAL_PROPERTIES_WIDENED: 'ADDITIONAL_PROPERTIES_WIDENED',
  PATTERN_PROPERTIES_NARROWED: 'PATTERN_PROPERTIES_NARROWED',
  PATTERN_PROPERTIES_WIDENED: 'PATTERN_PROPERTIES_WIDENED',
  UNEVALUATED_PROPERTIES_NARROWED: 'UNEVALUATED_PROPERTIES_NARROWED',
  UNEVALUATED_PROPERTIES_WIDENED: 'UNEVALUATED_PROPERTIES_WIDENED',
  PROPERTY_NAMES_NARROWED: 'PROPERTY_NAMES_NARROWED',
  PROPERTY_NAMES_WIDENED: 'PROPERTY_NAMES_WIDENED',
  MIN_PROPERTIES_ADDED: 'MIN_PROPERTIES_ADDED',
  MIN_PROPERTIES_REMOVED: 'MIN_PROPERTIES_REMOVED',
  MIN_PROPERTIES_INCREASED: 'MIN_PROPERTIES_INCREASED',
  MIN_PROPERTIES_DECREASED: 'MIN_PROPERTIES_DECREASED',
  MAX_PROPERTIES_ADDED: 'MAX_PROPERTIES_ADDED',
  MAX_PROPERTIES_REMOVED: 'MAX_PROPERTIES_REMOVED',
  MAX_PROPERTIES_INCREASED: 'MAX_PROPERTIES_INCREASED',
  MAX_PROPERTIES_DECREASED: 'MAX_PROPERTIES_DECREASED',
  DEPENDENT_REQUIRED_ADDED: 'DEPENDENT_REQUIRED_ADDED',
  DEPENDENT_REQUIRED_REMOVED: 'DEPENDENT_REQUIRED_REMOVED',
  DEPENDENT_SCHEMA_ADDED: 'DEPENDENT_SCHEMA_ADDED',
  DEPENDENT_SCHEMA_REMOVED: 'DEPENDENT_SCHEMA_REMOVED',

  // Arrays
  ITEMS_ADDED: 'ITEMS_ADDED',
  ITEMS_REMOVED: 'ITEMS_REMOVED',
  PREFIX_ITEM_ADDED: 'PREFIX_ITEM_ADDED',
  PREFIX_ITEM_REMOVED: 'PREFIX_ITEM_REMOVED',
  MIN_ITEMS_ADDED: 'MIN_ITEMS_ADDED',
  MIN_ITEMS_REMOVED: 'MIN_ITEMS_REMOVED',
  MIN_ITEMS_INCREASED: 'MIN_ITEMS_INCREASED',
  MIN_ITEMS_DECREASED: 'MIN_ITEMS_DECREASED',
  MAX_ITEMS_ADDED: 'MAX_ITEMS_ADDED',
  MAX_ITEMS_REMOVED: 'MAX_ITEMS_REMOVED',
  MAX_ITEMS_INCREASED: 'MAX_ITEMS_INCREASED',
  MAX_ITEMS_DECREASED: 'MAX_ITEMS_DECREASED',
  UNIQUE_ITEMS_ADDED: 'UNIQUE_ITEMS_ADDED',
  UNIQUE_ITEMS_REMOVED: 'UNIQUE_ITEMS_REMOVED',
  CONTAINS_ADDED: 'CONTAINS_ADDED',
  CONTAINS_REMOVED: 'CONTAINS_REMOVED',
  CONTAINS_CHANGED: 'CONTAINS_CHANGED',
  UNEVALUATED_ITEMS_NARROWED: 'UNEVALUATED_ITEMS_NARROWED',
  UNEVALUATED_ITEMS_WIDENED: 'UNEVALUATED_ITEMS_WIDENED',

  // Combinators
  ANY_OF_BRANCH_ADDED: 'ANY_OF_BRANCH_ADDED',
  ANY_OF_BRANCH_REMOVED: 'ANY_OF_BRANCH_REMOVED',
  ONE_OF_BRANCH_ADDED: 'ONE_OF_BRANCH_ADDED',
  ONE_OF_BRANCH_REMOVED: 'ONE_OF_BRANCH_REMOVED',
  ONE_OF_OVERLAP: 'ONE_OF_OVERLAP',
  NOT_ADDED: 'NOT_ADDED',
  NOT_REMOVED: 'NOT_REMOVED',
  NOT_CHANGED: 'NOT_CHANGED',
  CONDITIONAL_ADDED: 'CONDITIONAL_ADDED',
  CONDITIONAL_REMOVED: 'CONDITIONAL_REMOVED',
  CONDITIONAL_CHANGED: 'CONDITIONAL_CHANGED',

  // Whole schemas
  SCHEMA_RESTRUCTURED: 'SCHEMA_RESTRUCTURED',
  UNSUPPORTED_KEYWORD: 'UNSUPPORTED_KEYWORD',
  TOO_COMPLEX: 'TOO_COMPLEX',

  // Metadata: never breaks compatibility
  TITLE_CHANGED: 'TITLE_CHANGED',
  DESCRIPTION_CHANGED: 'DESCRIPTION_CHANGED',
  DEFAULT_CHANGED: 'DEFAULT_CHANGED',
  EXAMPLES_CHANGED: 'EXAMPLES_CHANGED',
  ID_CHANGED: 'ID_CHANGED',
  VERSION_CHANGED: 'VERSION_CHANGED',
  ANNOTATION_CHANGED: 'ANNOTATION_CHANGED',
} as const;

export type ChangeCode = (typeof ChangeCode)[keyof typeof ChangeCode];

/** What a code is about: `metadata` codes never break compatibility and call for a patch version only. */
export type ChangeKind = 'schema' | 'metadata';

export interface ChangeCodeInfo {
  readonly kind: ChangeKind;
  /** One line: old → new, and what it means. */
  readonly example: string;
}

/** Every code with an example, in the order of `ChangeCode`. The README's table is checked against it. */
export const CHANGE_CODE_INFO: { readonly [C in ChangeCode]: ChangeCodeInfo } = {
  TYPE_ADDED: schema('`"type": "string"` → `["string", "null"]`: new data may be null (breaks forward)'),
  TYPE_REMOVED: schema('`["string", "null"]` → `"string"`: old data may be null (breaks backward)'),
  TYPE_WIDENED: schema('`"integer"` → `"number"`: new data may be 1.5 (breaks forward)'),
  TYPE_NARROWED: schema('`"number"` → `"integer"`: old data may be 1.5 (breaks backward)'),
  ENUM_ADDED: schema('`{"type": "string"}` → `{"enum": ["a", "b"]}`: old data may be "c" (breaks backward)'),
  ENUM_REMOVED: schema('`{"enum": ["a", "b"]}` → `{"type": "string"}`: new data may be "c" (breaks forward)'),
  ENUM_VALUE_ADDED: schema('`["open", "shipped"]` → `["open", "shipped", "lost"]` (breaks forward)'),
  ENUM_VALUE_REMOVED: schema('`["open", "shipped"]` → `["open"]` (breaks backward)'),
  CONST_ADDED: schema('`{"type": "string"}` → `{"const": "v1"}` (breaks backward)'),
  CONST_REMOVED: schema('`{"const": "v1"}` → `{"type": "string"}` (breaks forward)'),
  CONST_CHANGED: schema('`{"const": "v1"}` → `{"const": "v2"}` (breaks both)'),
  MINIMUM_ADDED: schema('no minimum → `"minimum": 0` (breaks backward)'),
  MINIMUM_REMOVED: schema('`"minimum": 0` → no minimum (breaks forward)'),
  MINIMUM_INCREASED: schema('`"minimum": 0` → `"minimum": 1`, or `"exclusiveMinimum": 0` (breaks backward)'),
  MINIMUM_DECREASED: schema('`"minimum": 1` → `"minimum": 0` (breaks forward)'),
  MAXIMUM_ADDED: schema('no maximum → `"maximum": 100` (breaks backward)'),
  MAXIMUM_REMOVED: schema('`"maximum": 100` → no maximum (breaks forward)'),
  MAXIMUM_INCREASED: schema('`"maximum": 100` → `"maximum": 200` (breaks forward)'),
  MAXIMUM_DECREASED: schema('`"maximum": 100` → `"maximum": 50` (breaks backward)'),
  MULTIPLE_OF_ADDED: schema('no multipleOf → `"multipleOf": 0.01` (breaks backward)'),
  MULTIPLE_OF_REMOVED: schema('`"multipleOf": 0.01` → none (breaks forward)'),
  MULTIPLE_OF_CHANGED: schema('`"multipleOf": 0.1` → `0.01` (breaks forward); `0.01` → `0.1` (breaks backward)'),
  MIN_LENGTH_ADDED: schema('no minLength → `"minLength": 1` (breaks backward)'),
  MIN_LENGTH_REMOVED: schema('`"minLength": 1` → none (breaks forward)'),
  MIN_LENGTH_INCREASED: schema('`"minLength": 1` → `3` (breaks backward)'),
  MIN_LENGTH_DECREASED: schema('`"minLength": 3` → `1` (breaks forward)'),
  MAX_LENGTH_ADDED: schema('no maxLength → `"maxLength": 50` (breaks backward)'),
  MAX_LENGTH_REMOVED: schema('`"maxLength": 50` → none (breaks forward)'),
  MAX_LENGTH_INCREASED: schema('`"maxLength": 50` → `100` (breaks forward)'),
  MAX_LENGTH_DECREASED: schema('`"maxLength": 100` → `50` (breaks backward)'),
  PATTERN_ADDED: schema('no pattern → `"pattern": "^[A-Z]{3}$"` (breaks backward)'),
  PATTERN_REMOVED: schema('`"pattern": "^[A-Z]{3}$"` → none (breaks forward)'),
  PATTERN_CHANGED: schema('`"^[A-Z]{3}$"` → `"^[A-Z]{2,3}$"`: patterns are opaque, so both directions break'),
  FORMAT_ADDED: schema('no format → `"format": "email"` (breaks backward)'),
  FORMAT_REMOVED: schema('`"format": "email"` → none (breaks forward)'),
  FORMAT_CHANGED: schema('`"format": "date"` → `"format": "date-time"` (breaks both)'),
  PROPERTY_ADDED: schema('new property `note` on a closed object (breaks forward) or an open one (breaks backward under strict)'),
  PROPERTY_REMOVED: schema('property `note` dropped from a closed object (breaks backward) or an open one (breaks forward under strict)'),
  REQUIRED_ADDED: schema('`"required": ["id"]` → `["id", "email"]` (breaks backward)'),
  REQUIRED_REMOVED: schema('`"required": ["id", "email"]` → `["id"]` (breaks forward)'),
  ADDITIONAL_PROPERTIES_NARROWED: schema('open object → `"additionalProperties": false` (breaks backward under strict)'),
  ADDITIONAL_PROPERTIES_WIDENED: schema('`"additionalProperties": false` → open (breaks forward)'),
  PATTERN_PROPERTIES_NARROWED: schema('open object → `"patternProperties": {"^x_": {"type": "string"}}` (breaks backward)'),
  PATTERN_PROPERTIES_WIDENED: schema('closed object → `"patternProperties": {"^x_": {}}` (breaks forward)'),
  UNEVALUATED_PROPERTIES_NARROWED: schema('open object → `"unevaluatedProperties": false` (breaks backward)'),
  UNEVALUATED_PROPERTIES_WIDENED: schema('`"unevaluatedProperties": false` → open (breaks forward)'),
  PROPERTY_NAMES_NARROWED: schema('no propertyNames → `{"pattern": "^[a-z]+$"}` (breaks backward)'),
  PROPERTY_NAMES_WIDENED: schema('`"propertyNames": {"maxLength": 10}` dropped (breaks forward)'),
  MIN_PROPERTIES_ADDED: schema('no minProperties → `1` (breaks backward)'),
  MIN_PROPERTIES_REMOVED: schema('`"minProperties": 1` → none (breaks forward)'),
  MIN_PROPERTIES_INCREASED: schema('`"minProperties": 1` → `2` (breaks backward)'),
  MIN_PROPERTIES_DECREASED: schema('`"minProperties": 2` → `1` (breaks forward)'),
  MAX_PROPERTIES_ADDED: schema('no maxProperties → `10` (breaks backward)'),
  MAX_PROPERTIES_REMOVED: schema('`"maxProperties": 10` → none (breaks forward)'),
  MAX_PROPERTIES_INCREASED: schema('`"maxProperties": 10` → `20` (breaks forward)'),
  MAX_PROPERTIES_DECREASED: schema('`"maxProperties": 20` → `10` (breaks backward)'),
  DEPENDENT_REQUIRED_ADDED: schema('`"dependentRequired": {"card": ["expiry"]}` added (breaks backward)'),
  DEPENDENT_REQUIRED_REMOVED: schema('`"dependentRequired": {"card": ["expiry"]}` dropped (breaks forward)'),
  DEPENDENT_SCHEMA_ADDED: schema('`"dependentSchemas": {"card": {"required": ["expiry"]}}` added (breaks backward)'),
  DEPENDENT_SCHEMA_REMOVED: schema('`"dependentSchemas": {"card": {...}}` dropped (breaks forward)'),
  ITEMS_ADDED: schema('no items → `"items": {"type": "string"}` (breaks backward)'),
  ITEMS_REMOVED: schema('`"items": {"type": "string"}` → none (breaks forward)'),
  PREFIX_ITEM_ADDED: schema('`"prefixItems": [a]` → `[a, b]` with `"items": false` (breaks forward)'),
  PREFIX_ITEM_REMOVED: schema('`"prefixItems": [a, b]` → `[a]` with `"items": false` (breaks backward)'),
  MIN_ITEMS_ADDED: schema('no minItems → `1` (breaks backward)'),
  MIN_ITEMS_REMOVED: schema('`"minItems": 1` → none (breaks forward)'),
  MIN_ITEMS_INCREASED: schema('`"minItems": 1` → `2` (breaks backward)'),
  MIN_ITEMS_DECREASED: schema('`"minItems": 2` → `1` (breaks forward)'),
  MAX_ITEMS_ADDED: schema('no maxItems → `10` (breaks backward)'),
  MAX_ITEMS_REMOVED: schema('`"maxItems": 10` → none (breaks forward)'),
  MAX_ITEMS_INCREASED: schema('`"maxItems": 10` → `20` (breaks forward)'),
  MAX_ITEMS_DECREASED: schema('`"maxItems": 20` → `10` (breaks backward)'),
  UNIQUE_ITEMS_ADDED: schema('`"uniqueItems": true` added (breaks backward)'),
  UNIQUE_ITEMS_REMOVED: schema('`"uniqueItems": true` dropped (breaks forward)'),
  CONTAINS_ADDED: schema('`"contains": {"const": "admin"}` added (breaks backward)'),
  CONTAINS_REMOVED: schema('`"contains": {"const": "admin"}` dropped (breaks forward)'),
  CONTAINS_CHANGED: schema('`"contains"` schema, `minContains` or `maxContains` changed'),
  UNEVALUATED_ITEMS_NARROWED: schema('open array → `"unevaluatedItems": false` (breaks backward)'),
  UNEVALUATED_ITEMS_WIDENED: schema('`"unevaluatedItems": false` → open (breaks forward)'),
  ANY_OF_BRANCH_ADDED: schema('`"anyOf": [string]` → `[string, integer]` (breaks forward)'),
  ANY_OF_BRANCH_REMOVED: schema('`"anyOf": [string, integer]` → `[string]` (breaks backward)'),
  ONE_OF_BRANCH_ADDED: schema('`"oneOf": [A]` → `[A, B]` (breaks forward)'),
  ONE_OF_BRANCH_REMOVED: schema('`"oneOf": [A, B]` → `[A]` (breaks backward)'),
  ONE_OF_OVERLAP: schema('`"oneOf": [string, number]` → `[string, {}]`: "x" now matches two branches and is rejected'),
  NOT_ADDED: schema('`"not": {"const": ""}` added (breaks backward)'),
  NOT_REMOVED: schema('`"not": {"const": ""}` dropped (breaks forward)'),
  NOT_CHANGED: schema('`"not": {"const": ""}` → `"not": {"maxLength": 2}`'),
  CONDITIONAL_ADDED: schema('`if`/`then`/`else` added (breaks backward unless every old value meets it)'),
  CONDITIONAL_REMOVED: schema('`if`/`then`/`else` dropped (breaks forward unless every new value meets it)'),
  CONDITIONAL_CHANGED: schema('`if` changed, or `then`/`else` no longer provably related'),
  SCHEMA_RESTRUCTURED: schema('`allOf` flattened into one schema, `exclusiveMinimum: 0` respelled `minimum: 1` on integers: same values, new spelling'),
  UNSUPPORTED_KEYWORD: schema('`$dynamicRef` changed: mesh cannot reason about it, so it reports a break'),
  TOO_COMPLEX: schema('the proof ran out of its step budget: reported as a break in that direction'),
  TITLE_CHANGED: metadata('`"title": "Order"` → `"Customer order"`'),
  DESCRIPTION_CHANGED: metadata('`"description"` added, removed or reworded'),
  DEFAULT_CHANGED: metadata('`"default": "open"` → `"shipped"`'),
  EXAMPLES_CHANGED: metadata('`"examples"` added, removed or changed'),
  ID_CHANGED: metadata('`"$id"` changed'),
  VERSION_CHANGED: metadata('`"x-version": "1.2.0"` → `"1.3.0"`'),
  ANNOTATION_CHANGED: metadata('`x-pii`, `x-classification`, `deprecated`, `readOnly`, `$comment`... changed'),
};

function schema(example: string): ChangeCodeInfo {
  return { kind: 'schema', example };
}

function metadata(example: string): ChangeCodeInfo {
  return { kind: 'metadata', example };
}

export function isMetadataCode(code: ChangeCode): boolean {
  return CHANGE_CODE_INFO[code].kind === 'metadata';
}
