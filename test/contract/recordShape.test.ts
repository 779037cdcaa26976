import { describe, expect, it } from 'vitest';
import { recordShape } from '../../platform/contract/recordFields.js';
import { SchemaResolver } from '../../platform/contract/SchemaResolver.js';

const TYPES_URI = 'file:///repo/contracts/common/types.schema.json';
const CONTRACT_URI = 'file:///repo/contracts/sales/orders.schema.json';
const TYPES = {
  $defs: {
    timestamp: { description: 'An instant.', type: 'string', format: 'date-time' },
    money: { description: 'Amount.', type: 'number', multipleOf: 0.01, minimum: 0 },
    channel: { enum: ['web', 'app'] },
  },
};

function field(property: unknown) {
  const resolver = new SchemaResolver();
  resolver.addDocument(TYPES_URI, TYPES);
  const contract = { type: 'object', properties: { x: property } };
  resolver.addDocument(CONTRACT_URI, contract);
  const shape = recordShape(contract, CONTRACT_URI, resolver);
  const { name, type, nullable, format, enum: values, minimum, description } = shape.fields[0]!;
  return { name, type, nullable, format, enum: values, minimum, description };
}

// A nullable field spelt as a union with null reads like the non-null branch (regression: a nullable
// timestamp became a text column, its format lost).
describe('recordShape: fields spelt as a union with null', () => {
  it.each([
    {
      name: 'anyOf [$ref date-time, null] keeps the format',
      property: { description: 'Clicked at.', anyOf: [{ $ref: '../common/types.schema.json#/$defs/timestamp' }, { type: 'null' }] },
      expected: { type: 'string', nullable: true, format: 'date-time', minimum: undefined, enum: undefined, description: 'Clicked at.' },
    },
    {
      name: 'oneOf [null, $ref money] keeps the bounds',
      property: { oneOf: [{ const: null }, { $ref: '../common/types.schema.json#/$defs/money' }] },
      expected: { type: 'number', nullable: true, format: undefined, minimum: 0, enum: undefined, description: 'Amount.' },
    },
    {
      name: 'anyOf [$ref enum, null] keeps the values',
      property: { description: 'Channel.', anyOf: [{ $ref: '../common/types.schema.json#/$defs/channel' }, { type: 'null' }] },
      expected: { type: 'string', nullable: true, format: undefined, minimum: undefined, enum: ['web', 'app'], description: 'Channel.' },
    },
    {
      name: 'type [string, null] with a format, as before',
      property: { type: ['string', 'null'], format: 'date' },
      expected: { type: 'string', nullable: true, format: 'date', minimum: undefined, enum: undefined, description: undefined },
    },
    {
      name: 'a union of two values is not flattened',
      property: { anyOf: [{ type: 'string', format: 'date' }, { type: 'string', format: 'date-time' }] },
      expected: { type: 'string', nullable: false, format: undefined, minimum: undefined, enum: undefined, description: undefined },
    },
  ])('$name', ({ property, expected }) => {
    expect(field(property)).toEqual({ name: 'x', ...expected });
  });
});
