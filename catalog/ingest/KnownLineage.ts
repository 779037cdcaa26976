import type { DerivedRows } from './IngestBatch.js';
import { edgeId } from './IngestBatch.js';

/** The facet through which a dataset names its product and port, which the lineage graph reads. */
const MESH_FACET = 'mesh_dataProduct';

/** Most nodes, and most edges, remembered (each some 100 bytes); past it, that memory starts again empty. */
const DEFAULT_LIMIT = 200_000;

/**
 * What this process knows to be stored already: lineage nodes (which are never deleted) and observed edges
 * with the least stamp they are stored with (observed edges are never deleted either, and their stamp only
 * ever decreases). A busy mesh reports the same jobs, datasets, fields and edges in run after run; rows the
 * store would leave unchanged anyway (a bare node that exists, an edge already stored with an earlier or equal
 * stamp) are then not sent at all. Node rows with facets are always sent: their stamps advance. Rows are
 * remembered only once the transaction that wrote them has committed, so the memory never claims a row that a
 * rollback undid; rows written by other processes are simply not known, and sent.
 */
export class KnownLineage {
  private readonly nodes = new Set<string>();
  private readonly edges = new Map<string, string>();

  constructor(private readonly limit = DEFAULT_LIMIT) {}

  /** The rows minus those known to change nothing. */
  filter(rows: DerivedRows): DerivedRows {
    return {
      nodes: rows.nodes.filter((node) => hasStamps(node.stamps) || !this.nodes.has(node.key)),
      edges: rows.edges.filter((edge) => {
        const known = this.edges.get(edgeId(edge));
        return known === undefined || edge.stamp < known;
      }),
      runs: rows.runs,
    };
  }

  /**
   * Whether writing these rows (already `filter`ed) can change the lineage graph as the GraphQL read model holds
   * it (`LineageGraph`: nodes by key, edges by source, kind and target, and datasets' `mesh_dataProduct`
   * facets): a node or an edge this memory does not know, or a node that reports a `mesh_dataProduct` facet.
   * Otherwise the rows only move stamps and facets the graph does not read on, and add runs. Unknown rows may
   * be stored already (by another process): the answer errs only towards "can change".
   */
  changesGraph(rows: DerivedRows): boolean {
    return (
      rows.edges.some((edge) => !this.edges.has(edgeId(edge))) ||
      rows.nodes.some((node) => !this.nodes.has(node.key) || Object.prototype.hasOwnProperty.call(node.facets, MESH_FACET))
    );
  }

  /** Remembers rows a committed transaction wrote (or found stored). */
  remember(rows: DerivedRows): void {
    if (this.nodes.size + rows.nodes.length > this.limit) this.nodes.clear();
    if (this.edges.size + rows.edges.length > this.limit) this.edges.clear();
    for (const node of rows.nodes) this.nodes.add(node.key);
    for (const edge of rows.edges) {
      const id = edgeId(edge);
      const known = this.edges.get(id);
      if (known === undefined || edge.stamp < known) this.edges.set(id, edge.stamp);
    }
  }

  get size(): { nodes: number; edges: number } {
    return { nodes: this.nodes.size, edges: this.edges.size };
  }
}

function hasStamps(stamps: Record<string, string>): boolean {
  for (const _ in stamps) return true;
  return false;
}
