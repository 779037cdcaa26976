import { walkSchemas } from '../../platform/contract/schemaKeywords.js';
import type { SchemaResolver } from '../../platform/contract/SchemaResolver.js';

/**
 * URIs of every document a schema document reaches through `$ref` and `$dynamicRef`, transitively, itself
 * excluded, in the order first reached. References that do not resolve are left out (the contract checks
 * report them).
 */
export function referencedDocuments(documentUri: string, resolver: SchemaResolver): string[] {
  const seen = new Set([documentUri]);
  const order: string[] = [];
  const queue = [documentUri];
  while (queue.length > 0) {
    const uri = queue.shift()!;
    const document = resolver.document(uri);
    if (document === undefined) continue;
    walkSchemas(document, uri, ({ schema, baseUri }) => {
      if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return;
      for (const keyword of ['$ref', '$dynamicRef']) {
        const ref = (schema as Record<string, unknown>)[keyword];
        if (typeof ref !== 'string') continue;
        const target = resolver.resolve(ref, baseUri)?.documentUri;
        if (target === undefined || seen.has(target)) continue;
        seen.add(target);
        order.push(target);
        queue.push(target);
      }
    });
  }
  return order;
}
