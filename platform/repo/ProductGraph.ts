import type { DataProductManifest } from '../manifest/DataProductManifest.js';

/** One consumer's read of one producer port, from `inputs`. */
export interface PortEdge {
  readonly consumer: string;
  readonly producer: string;
  readonly port: string;
  /** Index of the input in the consumer's `inputs`. */
  readonly input: number;
  readonly fields: readonly string[] | undefined;
}

/** A product reached by a graph walk, with its distance in hops. */
export interface Reached {
  readonly id: string;
  readonly distance: number;
  /** The edge through which it was first reached. */
  readonly via: PortEdge;
}

/**
 * The dependency graph between products, from their `inputs`. Edges point from producer to consumer;
 * inputs naming unknown products are kept, so that rules can report them.
 */
export class ProductGraph {
  private readonly consumersByProducer = new Map<string, PortEdge[]>();
  private readonly inputsByConsumer = new Map<string, PortEdge[]>();

  constructor(manifests: Iterable<Pick<DataProductManifest, 'id' | 'inputs'>>) {
    for (const manifest of manifests) {
      const edges: PortEdge[] = [];
      (manifest.inputs ?? []).forEach((input, i) => {
        if (input.product === undefined || input.port === undefined) return;
        const edge: PortEdge = { consumer: manifest.id, producer: input.product, port: input.port, input: i, fields: input.fields };
        edges.push(edge);
        let list = this.consumersByProducer.get(input.product);
        if (!list) this.consumersByProducer.set(input.product, (list = []));
        list.push(edge);
      });
      this.inputsByConsumer.set(manifest.id, edges);
    }
  }

  /** Direct consumers of a product (or of one of its ports). */
  consumers(producer: string, port?: string): PortEdge[] {
    const edges = this.consumersByProducer.get(producer) ?? [];
    return port === undefined ? edges : edges.filter((e) => e.port === port);
  }

  /** Direct upstream product inputs of a product. */
  inputs(consumer: string): PortEdge[] {
    return this.inputsByConsumer.get(consumer) ?? [];
  }

  /** Every product downstream, breadth first, with its distance (1 = direct consumer). */
  downstream(producer: string, port?: string): Reached[] {
    return this.walk(this.consumers(producer, port), (edge) => edge.consumer, (id) => this.consumers(id));
  }

  /** Every product upstream, breadth first, with its distance (1 = direct input). */
  upstream(consumer: string): Reached[] {
    return this.walk(this.inputs(consumer), (edge) => edge.producer, (id) => this.inputs(id));
  }

  private walk(first: PortEdge[], next: (e: PortEdge) => string, expand: (id: string) => PortEdge[]): Reached[] {
    const reached = new Map<string, Reached>();
    let frontier = first.map((via) => ({ via, id: next(via) }));
    for (let distance = 1; frontier.length > 0; distance++) {
      const following: { via: PortEdge; id: string }[] = [];
      for (const { via, id } of frontier) {
        if (reached.has(id)) continue;
        reached.set(id, { id, distance, via });
        for (const edge of expand(id)) following.push({ via: edge, id: next(edge) });
      }
      frontier = following;
    }
    return [...reached.values()];
  }

  /**
   * Elementary cycles found by depth-first search, each as the list of product ids in order (the first
   * repeated at the end). Each strongly connected tangle is reported once, by one of its cycles.
   */
  cycles(): string[][] {
    const cycles: string[][] = [];
    const state = new Map<string, 'open' | 'done'>();
    const seenSets = new Set<string>();
    for (const start of this.inputsByConsumer.keys()) {
      if (state.has(start)) continue;
      const path: string[] = [];
      const stack: { id: string; edges: PortEdge[]; i: number }[] = [];
      const enter = (id: string) => {
        state.set(id, 'open');
        path.push(id);
        stack.push({ id, edges: this.inputs(id), i: 0 });
      };
      enter(start);
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        if (top.i >= top.edges.length) {
          state.set(top.id, 'done');
          path.pop();
          stack.pop();
          continue;
        }
        const next = top.edges[top.i++]!.producer;
        const s = state.get(next);
        if (s === 'open') {
          const cycle = path.slice(path.indexOf(next));
          const key = [...cycle].sort().join('|');
          if (!seenSets.has(key)) {
            seenSets.add(key);
            cycles.push([...cycle, next]);
          }
        } else if (s === undefined && this.inputsByConsumer.has(next)) {
          enter(next);
        }
      }
    }
    return cycles;
  }

  /**
   * Products in dependency order (producers before consumers), restricted to `ids` and what they need when
   * `withUpstream` is set. Products on a cycle come last, in id order.
   */
  order(ids: Iterable<string>, options: { withUpstream?: boolean } = {}): string[] {
    const wanted = new Set(ids);
    if (options.withUpstream) for (const id of [...wanted]) for (const r of this.upstream(id)) wanted.add(r.id);
    const indegree = new Map<string, number>();
    for (const id of wanted) indegree.set(id, this.inputs(id).filter((e) => wanted.has(e.producer) && e.producer !== id).length);
    const ready = [...wanted].filter((id) => indegree.get(id) === 0).sort();
    const out: string[] = [];
    while (ready.length > 0) {
      const id = ready.shift()!;
      out.push(id);
      const unlocked: string[] = [];
      for (const edge of this.consumers(id)) {
        if (!wanted.has(edge.consumer) || edge.consumer === id) continue;
        const left = indegree.get(edge.consumer)! - 1;
        indegree.set(edge.consumer, left);
        if (left === 0) unlocked.push(edge.consumer);
      }
      ready.push(...unlocked.sort());
    }
    const placed = new Set(out);
    return [...out, ...[...wanted].filter((id) => !placed.has(id)).sort()];
  }
}
