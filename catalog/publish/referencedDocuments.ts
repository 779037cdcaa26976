import { walkSchemas } from '../../platform/contract/schemaKeywords.js';
import type { SchemaResolver } from '../../platform/contract/SchemaResolver.js';

/**
 * URIs of every document a schema document reaches through `$ref` and `$dynamicRef`, transitively, itself
 * excluded, in the order first reached. References that do not resolve are left out (the contract checks
 * report them). `cache` keeps each document's direct references across calls: a publication of thousands of
 * contracts that share definitions walks each shared document once.
 */
export function referencedDocuments(documentUri: string, resolver: SchemaResolver, cache: Map<string, readonly string[]> = new Map()): string[] {
  const seen = new Set([documentUri]);
  const order: string[] = [];
  const queue = [documentUri];
  while (queue.length > 0) {
    for (const target of directReferences(queue.shift()!, resolver, cache)) {
      if (seen.has(target)) continue;
      seen.add(target);
      order.push(target);
      queue.push(target);
    }
  }
  return order;
}

function directReferences(uri: string, resolver: SchemaResolver, cache: Map<string, readonly string[]>): readonly string[] {
  const cached = cache.get(uri);
  if (cached) return cached;
  const targets = new Set<string>();
  const document = resolver.document(uri);
  if (document !== undefined) {
    walkSchemas(document, uri, ({ schema, baseUri }) => {
      if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return;
      for (const keyword of ['$ref', '$dynamicRef']) {
        const ref = (schema as Record<string, unknown>)[keyword];
        if (typeof ref !== 'string') continue;
        const target = resolver.resolve(ref, baseUri)?.documentUri;
        if (target !== undefined && target !== uri) targets.add(target);
      }
    });
  }
  const list = [...targets];
  cache.set(uri, list);
  return list;
}
