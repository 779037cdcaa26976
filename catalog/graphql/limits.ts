import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
} from 'graphql';
import { GRAPHQL_CODES } from './graphqlErrors.js';

/** The bounds every operation is checked against before it runs (introspection included). */
export interface QueryLimits {
  /** Deepest nesting of selections, fragments expanded. */
  readonly maxDepth: number;
  /** Estimated cost: each field costs 1 times the sizes of the lists around it (see `measure`). */
  readonly maxCost: number;
  /** Aliased fields, fragments expanded. */
  readonly maxAliases: number;
  /** Fields selected, fragments expanded (before list multipliers). */
  readonly maxFields: number;
  /** `first` of lists and connections. */
  readonly maxPageSize: number;
  /** `first` of lineage graphs (a node cap). */
  readonly maxLineageNodes: number;
  /** `depth` of lineage walks and impact analysis. */
  readonly maxLineageDepth: number;
  /** Characters of a search text (`query`). */
  readonly maxSearchLength: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 15,
  maxCost: 100_000,
  maxAliases: 100,
  maxFields: 2_000,
  maxPageSize: 100,
  maxLineageNodes: 500,
  maxLineageDepth: 10,
  maxSearchLength: 500,
};

/** The size assumed for a list that takes no `first` and is not in `LIST_SIZES`. */
const UNBOUNDED_LIST = 5;
/**
 * Sizes assumed for lists without `first`, by `Type.field`: generous for what a real mesh holds (the schema has
 * about 80 types; a contract a few dozen fields), so that the estimate stays an upper bound in practice.
 */
const LIST_SIZES: Readonly<Record<string, number>> = {
  // A connection's or graph's first already counts its items.
  'ProductConnection.edges': 1,
  'FieldConnection.edges': 1,
  'LineageGraph.nodes': 1,
  'LineageGraph.edges': 3,
  'DataProduct.outputs': 3,
  'Query.domains': 20,
  'Query.teams': 50,
  'Domain.products': 50,
  'Team.products': 50,
  'Contract.fields': 30,
  'QualityScore.dimensions': 6,
  '__Schema.types': 100,
  '__Type.fields': 10,
  '__Type.enumValues': 5,
  '__Type.inputFields': 5,
  '__Type.interfaces': 1,
  '__Type.possibleTypes': 2,
  '__Field.args': 1,
  '__Directive.args': 2,
  '__Schema.directives': 5,
};
/** Fields whose `first` is a lineage node cap rather than a page size. */
const GRAPH_FIELDS = new Set(['lineage', 'upstream', 'downstream']);
/** Fields whose `depth` is a walk depth. */
const DEPTH_FIELDS = new Set(['lineage', 'upstream', 'downstream', 'impact']);

interface Measure {
  depth: number;
  cost: number;
  aliases: number;
  fields: number;
}

/**
 * Depth, cost, alias, field-count and page-size limits, checked once the operation is resolved (so with its
 * variables) and before anything executes. A breach answers 400 with `QUERY_TOO_COMPLEX` (shape of the query)
 * or `BAD_USER_INPUT` (a page size or depth argument out of range, refused rather than clamped).
 *
 * Fragments are measured once each and reused (their cost scales linearly with the lists around them), so a
 * query made of fragments spread a thousand times costs its checker no more than its text.
 */
export function queryLimitsPlugin(limits: QueryLimits = DEFAULT_QUERY_LIMITS): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          const variables = request.variables ?? {};
          const rootType = operation ? schema.getRootType(operation.operation) : undefined;
          if (!operation || !rootType) return;
          const memo = new Map<string, Measure>();
          const measured = measure(operation.selectionSet, rootType, { schema, fragments, variables, limits, memo });
          const breach =
            measured.depth > limits.maxDepth ? `is nested ${measured.depth} levels deep; at most ${limits.maxDepth} are allowed`
            : measured.aliases > limits.maxAliases ? `uses ${measured.aliases} aliases; at most ${limits.maxAliases} are allowed`
            : measured.fields > limits.maxFields ? `selects ${measured.fields} fields; at most ${limits.maxFields} are allowed`
            : measured.cost > limits.maxCost ? `has an estimated cost of ${measured.cost}; at most ${limits.maxCost} is allowed (lower first or depth, or select less)`
            : undefined;
          if (breach) throw limitError(`the query ${breach}`, GRAPHQL_CODES.tooComplex, measured);
        },
      };
    },
  };
}

interface Context {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly limits: QueryLimits;
  readonly memo: Map<string, Measure>;
}

function measure(selectionSet: SelectionSetNode, parent: GraphQLCompositeType, context: Context): Measure {
  const total: Measure = { depth: 0, cost: 0, aliases: 0, fields: 0 };
  const add = (m: Measure) => {
    total.depth = Math.max(total.depth, m.depth);
    total.cost += m.cost;
    total.aliases += m.aliases;
    total.fields += m.fields;
  };
  for (const selection of selectionSet.selections) {
    switch (selection.kind) {
      case Kind.FIELD:
        add(measureField(selection, parent, context));
        break;
      case Kind.INLINE_FRAGMENT: {
        const type = selection.typeCondition ? context.schema.getType(selection.typeCondition.name.value) : parent;
        add(measure(selection.selectionSet, isCompositeType(type) ? type : parent, context));
        break;
      }
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        let m = context.memo.get(name);
        if (!m) {
          const fragment = context.fragments.get(name);
          if (!fragment) break; // validation has refused unknown fragments already
          const type = context.schema.getType(fragment.typeCondition.name.value);
          // Validation refuses fragment cycles, so this recursion ends.
          m = measure(fragment.selectionSet, isCompositeType(type) ? type : parent, context);
          context.memo.set(name, m);
        }
        add(m);
        break;
      }
    }
  }
  // Totals saturate: a hostile query must not overflow the arithmetic that refuses it.
  total.cost = Math.min(total.cost, Number.MAX_SAFE_INTEGER);
  return total;
}

function measureField(node: FieldNode, parent: GraphQLCompositeType, context: Context): Measure {
  const name = node.name.value;
  const field = fieldDef(parent, name, context.schema);
  const own: Measure = { depth: 1, cost: 1, aliases: node.alias ? 1 : 0, fields: 1 };
  if (!field) return own;
  const args = argumentValues(node, field, context.variables);
  checkArguments(name, args, context.limits);
  let multiplier = 1;
  const first = args['first'];
  if (typeof first === 'number') multiplier = Math.max(first, 1);
  else if (isListType(getNullableType(field.type))) multiplier = LIST_SIZES[`${parent.name}.${name}`] ?? UNBOUNDED_LIST;
  const depth = args['depth'];
  if (DEPTH_FIELDS.has(name) && typeof depth === 'number') own.cost += 10 * depth;
  const type = getNamedType(field.type);
  if (node.selectionSet && isCompositeType(type)) {
    const inner = measure(node.selectionSet, type, context);
    own.depth += inner.depth;
    own.cost += multiplier * inner.cost;
    own.aliases += inner.aliases;
    own.fields += inner.fields;
  }
  return own;
}

function fieldDef(parent: GraphQLCompositeType, name: string, schema: GraphQLSchema): GraphQLField<unknown, unknown> | undefined {
  if (name === '__typename') return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType()) {
    if (name === '__schema') return SchemaMetaFieldDef;
    if (name === '__type') return TypeMetaFieldDef;
  }
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

/** Arguments with defaults applied and variables substituted (validation has checked their types). */
function argumentValues(node: FieldNode, field: GraphQLField<unknown, unknown>, variables: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const arg of field.args) if (arg.defaultValue !== undefined) values[arg.name] = arg.defaultValue;
  for (const arg of node.arguments ?? []) {
    const value = arg.value.kind === Kind.VARIABLE ? variables[arg.value.name.value] : valueFromASTUntyped(arg.value, variables);
    // An explicit null means the default, as the resolvers read it (`nullMeansDefault`).
    if (value !== undefined && value !== null) values[arg.name.value] = value;
  }
  return values;
}

function checkArguments(field: string, args: Record<string, unknown>, limits: QueryLimits): void {
  const query = args['query'];
  if (typeof query === 'string' && query.length > limits.maxSearchLength) {
    throw limitError(`${field}(query: ...) is ${query.length} characters long; at most ${limits.maxSearchLength} are allowed`, GRAPHQL_CODES.badInput);
  }
  const first = args['first'];
  if (typeof first === 'number') {
    const max = GRAPH_FIELDS.has(field) ? limits.maxLineageNodes : limits.maxPageSize;
    if (first < 0 || first > max) throw limitError(`${field}(first: ${first}) is out of range: first must be between 0 and ${max}`, GRAPHQL_CODES.badInput);
  }
  const depth = args['depth'];
  if (DEPTH_FIELDS.has(field) && typeof depth === 'number' && (depth < 0 || depth > limits.maxLineageDepth)) {
    throw limitError(`${field}(depth: ${depth}) is out of range: depth must be between 0 and ${limits.maxLineageDepth}`, GRAPHQL_CODES.badInput);
  }
}

function limitError(message: string, code: string, measured?: Measure): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, http: { status: 400 }, ...(measured ? { depth: measured.depth, cost: measured.cost, aliases: measured.aliases, fields: measured.fields } : {}) },
  });
}
