import type { Product, Repository } from '../../platform/repo/Repository.js';

/*
 * The README's tour of the example mesh: the product table and the lineage diagram are generated from the
 * manifests, so that they cannot drift from them (exampleMesh.test.ts checks; UPDATE_README=1 refreshes).
 */

const LAYERS = ['bronze', 'silver', 'gold'] as const;
const DOMAINS = ['sales', 'marketing', 'finance'] as const;

function tourOrder(repository: Repository): Product[] {
  const rank = (p: Product) => [DOMAINS.indexOf(p.manifest.domain as never), LAYERS.indexOf(p.manifest.layer)] as const;
  return [...repository.products.values()].sort((a, b) => {
    const [da, la] = rank(a);
    const [db, lb] = rank(b);
    return da - db || la - lb || (a.id < b.id ? -1 : 1);
  });
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/** One row per product: id, layer, pattern, owning team, ports with their contracts, inputs. */
export function productTable(repository: Repository): string {
  const rows = tourOrder(repository).map((p) => {
    const { manifest } = p;
    const ports = manifest.outputs.map((o) => `\`${o.port}\` ([contract](${o.contract}))`).join('<br>');
    const inputs = (manifest.inputs ?? [])
      .map((i) => (i.dataset ? `${i.dataset.namespace} \`${i.dataset.name}\`` : `${i.product}.\`${i.port}\``))
      .join('<br>');
    return `| [\`${p.id}\`](${p.file}) | ${manifest.layer} | ${manifest.pattern} | ${manifest.owner!.team} | ${ports} | ${cell(inputs)} |`;
  });
  return ['| product | layer | pattern | owner | ports | inputs |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

/** The lineage as a mermaid flowchart: external sources, then products by domain, coloured by layer. */
export function lineageDiagram(repository: Repository): string {
  const node = (id: string) => id.replace(/[^A-Za-z0-9]/g, '_');
  const lines = ['```mermaid', 'flowchart LR'];
  const sources = new Map<string, string>();
  const edges: string[] = [];
  const products = tourOrder(repository);
  for (const p of products) {
    for (const input of p.manifest.inputs ?? []) {
      if (!input.dataset) continue;
      const key = `${input.dataset.namespace} ${input.dataset.name}`;
      if (!sources.has(key)) sources.set(key, `src${sources.size + 1}`);
      edges.push(`  ${sources.get(key)} --> ${node(p.id)}`);
    }
    const producers = new Map<string, string[]>();
    for (const edge of repository.graph.inputs(p.id)) producers.set(edge.producer, [...(producers.get(edge.producer) ?? []), edge.port]);
    for (const [producer, ports] of producers) {
      const several = repository.products.get(producer)!.manifest.outputs.length > 1;
      edges.push(`  ${node(producer)} -->${several ? `|${ports.join(', ')}|` : ''} ${node(p.id)}`);
    }
  }
  for (const [key, id] of sources) {
    const [namespace, name] = key.split(' ') as [string, string];
    lines.push(`  ${id}[("${namespace}<br>${name}")]:::source`);
  }
  for (const domain of DOMAINS) {
    lines.push(`  subgraph ${domain}`);
    for (const p of products.filter((x) => x.manifest.domain === domain)) lines.push(`    ${node(p.id)}["${p.id}"]:::${p.manifest.layer}`);
    lines.push('  end');
  }
  lines.push(...edges);
  lines.push(
    '  classDef source fill:#eeeeee,stroke:#999999,color:#333333',
    '  classDef bronze fill:#e8c39e,stroke:#a0522d,color:#000000',
    '  classDef silver fill:#dfe3e8,stroke:#708090,color:#000000',
    '  classDef gold fill:#f7e08a,stroke:#b8860b,color:#000000',
    '```',
  );
  return lines.join('\n');
}
