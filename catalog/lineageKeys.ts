/**
 * Lineage node ids, as Marquez spells them and as clients send them: `product:<id>`,
 * `dataset:<namespace>:<name>`, `job:<namespace>:<name>`, `field:<namespace>:<name>:<field>`. They are the
 * primary keys of `lineage_nodes`.
 */
export function productKey(id: string): string {
  return `product:${id}`;
}

export function datasetKey(namespace: string, name: string): string {
  return `dataset:${namespace}:${name}`;
}

export function jobKey(namespace: string, name: string): string {
  return `job:${namespace}:${name}`;
}

export function fieldKey(namespace: string, name: string, field: string): string {
  return `field:${namespace}:${name}:${field}`;
}
