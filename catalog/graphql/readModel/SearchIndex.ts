import type { SqlClient } from '../../../platform/db/SqlClient.js';
import type { FacetCount, ProductFilter, ProductSearch } from '../queries/searchProducts.js';
import { compareText } from './compareText.js';
import { parseTsVector, prepared, rankCoverDensity, type Positions, type TsQuery, type TsQueryNode } from './textSearch.js';

/** One lexeme's postings: the products whose vectors hold it (ascending), with its positions in each. */
interface Postings {
  readonly products: Int32Array;
  readonly positions: readonly Positions[];
  /** `ts_rank_cd` of each of those products for a query of this lexeme alone, computed once. */
  readonly alone: Float64Array;
}

const FACETS = ['domain', 'layer', 'owner', 'status', 'tag'] as const;
type FacetName = (typeof FACETS)[number];

/** The distinct values of a facet, numbered. */
class Dictionary {
  readonly values: string[] = [];
  private readonly numbers = new Map<string, number>();

  number(value: string): number {
    let n = this.numbers.get(value);
    if (n === undefined) this.numbers.set(value, (n = this.values.push(value) - 1));
    return n;
  }

  find(value: string): number {
    return this.numbers.get(value) ?? -1;
  }
}

interface Hit {
  readonly product: number;
  readonly rank: number | null;
}

/**
 * Discovery served from memory: every product's filter columns (numbered), quality, and search vector as
 * PostgreSQL made it, inverted into postings per lexeme. `search` answers what `searchProducts` answers, in the
 * same order, with the same ranks (`ts_rank_cd`, ported in `textSearch.ts`), totals and facets, for a query
 * PostgreSQL has turned into a `tsquery`. A catalog of 10,000 products takes a few tens of megabytes.
 */
export class SearchIndex {
  private readonly ids: string[] = [];
  private readonly rows = new Map<string, number>();
  private readonly quality: Float64Array;
  private readonly dictionaries: Record<FacetName, Dictionary> = { domain: new Dictionary(), layer: new Dictionary(), owner: new Dictionary(), status: new Dictionary(), tag: new Dictionary() };
  private readonly columns: Record<Exclude<FacetName, 'tag'>, Int32Array>;
  private readonly tags: Int32Array[] = [];
  private readonly postings = new Map<string, Postings>();

  private constructor(products: readonly { id: string; domain: string; layer: string; owner: string; status: string; tags: readonly string[]; quality: number | null; search: string }[]) {
    const n = products.length;
    this.quality = new Float64Array(n);
    this.columns = { domain: new Int32Array(n), layer: new Int32Array(n), owner: new Int32Array(n), status: new Int32Array(n) };
    const building = new Map<string, { products: number[]; positions: Positions[] }>();
    products.forEach((p, i) => {
      this.ids.push(p.id);
      this.rows.set(p.id, i);
      this.quality[i] = p.quality ?? Number.NaN;
      for (const facet of ['domain', 'layer', 'owner', 'status'] as const) this.columns[facet][i] = this.dictionaries[facet].number(p[facet]);
      this.tags.push(Int32Array.from(p.tags, (t) => this.dictionaries.tag.number(t)));
      for (const [lexeme, positions] of parseTsVector(p.search)) {
        let list = building.get(lexeme);
        if (!list) building.set(lexeme, (list = { products: [], positions: [] }));
        list.products.push(i);
        list.positions.push(positions);
      }
    });
    for (const [lexeme, list] of building) {
      const alone = { root: { op: 'lexeme', lexeme: 0 }, lexemes: [lexeme] } as const;
      this.postings.set(lexeme, {
        products: Int32Array.from(list.products),
        positions: list.positions,
        alone: Float64Array.from(list.positions, (positions) => rankCoverDensity(alone, () => positions)),
      });
    }
  }

  /** Reads every product's search columns (one statement). */
  static async load(sql: SqlClient): Promise<SearchIndex> {
    const { rows } = await sql.query<{ id: string; domain: string; layer: string; owner: string; status: string; tags: string[]; quality: number | null; search: string }>(
      'select id, domain, layer, owner_team as owner, status, tags, quality, search::text as search from products order by id',
      [],
    );
    return new SearchIndex(rows);
  }

  get size(): number {
    return this.ids.length;
  }

  /** Takes the products' current quality (kept on `products` by a trigger when results arrive). */
  async refreshQuality(sql: SqlClient, ids: readonly string[]): Promise<void> {
    const { rows } = await sql.query<{ id: string; quality: number | null }>('select id, quality from products where id = any($1::text[])', [ids]);
    for (const row of rows) {
      const i = this.rows.get(row.id);
      if (i !== undefined) this.quality[i] = row.quality ?? Number.NaN;
    }
  }

  /**
   * A page of discovery: the products that match the query (`undefined`: no search text) and the filters,
   * ranked, ties broken by quality then id; the total, and facet counts over every match.
   */
  search(query: TsQuery | undefined, filter: ProductFilter, first: number, offset: number): ProductSearch {
    const wanted = this.filterOf(filter);
    if (wanted === undefined) return { totalCount: 0, page: [], facets: { domain: [], layer: [], owner: [], tag: [], status: [] } };
    const keep = (i: number) =>
      (wanted.domain < 0 || this.columns.domain[i] === wanted.domain) &&
      (wanted.owner < 0 || this.columns.owner[i] === wanted.owner) &&
      (wanted.layer < 0 || this.columns.layer[i] === wanted.layer) &&
      (wanted.status < 0 || this.columns.status[i] === wanted.status) &&
      (wanted.tag < 0 || this.tags[i]!.includes(wanted.tag));
    const hits: Hit[] = [];
    if (query === undefined) {
      for (let i = 0; i < this.ids.length; i++) if (keep(i)) hits.push({ product: i, rank: null });
    } else if (query.root !== undefined) {
      const postings = query.lexemes.map((l) => this.postings.get(l));
      const root = query.root;
      if (root.op === 'lexeme') {
        // One lexeme: its postings are the matches, with their ranks computed beforehand.
        const list = postings[root.lexeme];
        if (list) for (let k = 0; k < list.products.length; k++) if (keep(list.products[k]!)) hits.push({ product: list.products[k]!, rank: list.alone[k]! });
      } else {
        const candidates = this.candidates(root, postings);
        const { holds } = prepared(query);
        const at = postings.map(() => 0);
        const positions: (Positions | undefined)[] = postings.map(() => undefined);
        const present = (l: number) => positions[l] !== undefined;
        const positionsOf = (l: number) => positions[l];
        const consider = (i: number) => {
          if (!keep(i)) return;
          // Each lexeme's positions in product i; candidates ascend, so each postings list is walked once.
          for (let l = 0; l < postings.length; l++) {
            const list = postings[l];
            if (!list) continue;
            let k = at[l]!;
            while (k < list.products.length && list.products[k]! < i) k++;
            at[l] = k;
            positions[l] = list.products[k] === i ? list.positions[k] : undefined;
          }
          if (holds(present)) hits.push({ product: i, rank: rankCoverDensity(query, positionsOf) });
        };
        if (candidates === undefined) for (let i = 0; i < this.ids.length; i++) consider(i);
        else for (const i of candidates) consider(i);
      }
    }
    const page = topN(hits, offset + first, (a, b) => this.compare(a, b)).slice(offset);
    return { totalCount: hits.length, page: page.map((h) => ({ id: this.ids[h.product]!, rank: h.rank })), facets: this.facetsOf(hits) };
  }

  /** The filter as dictionary numbers (-1: no filter), or `undefined` when a value is in no product. */
  private filterOf(filter: ProductFilter): Record<FacetName, number> | undefined {
    const values: Record<FacetName, string | null | undefined> = { domain: filter.domain, layer: filter.layer, owner: filter.owner, status: filter.status, tag: filter.tag };
    const wanted = { domain: -1, layer: -1, owner: -1, status: -1, tag: -1 };
    for (const facet of FACETS) {
      const value = values[facet];
      if (value == null) continue;
      wanted[facet] = this.dictionaries[facet].find(value);
      if (wanted[facet] < 0) return undefined;
    }
    return wanted;
  }

  /** Products that may match (a superset, ascending), or `undefined` for all of them (a negation alone). */
  private candidates(node: TsQueryNode, postings: readonly (Postings | undefined)[]): Int32Array | undefined {
    switch (node.op) {
      case 'lexeme':
        return postings[node.lexeme]?.products ?? new Int32Array(0);
      case 'not':
        return undefined;
      case 'and': {
        const left = this.candidates(node.left, postings);
        const right = this.candidates(node.right, postings);
        if (left === undefined) return right;
        if (right === undefined) return left;
        return intersect(left, right);
      }
      case 'or': {
        const left = this.candidates(node.left, postings);
        const right = this.candidates(node.right, postings);
        return left === undefined || right === undefined ? undefined : union(left, right);
      }
    }
  }

  /** rank desc nulls last, quality desc nulls last, id. */
  private compare(a: Hit, b: Hit): number {
    if (a.rank !== b.rank) {
      if (a.rank === null) return 1;
      if (b.rank === null) return -1;
      return b.rank - a.rank;
    }
    const qa = this.quality[a.product]!;
    const qb = this.quality[b.product]!;
    if (qa !== qb) {
      if (Number.isNaN(qa)) {
        if (!Number.isNaN(qb)) return 1;
      } else if (Number.isNaN(qb)) return -1;
      else return qb - qa;
    }
    return compareText(this.ids[a.product]!, this.ids[b.product]!);
  }

  private facetsOf(hits: readonly Hit[]): ProductSearch['facets'] {
    const counts = Object.fromEntries(FACETS.map((f) => [f, new Int32Array(this.dictionaries[f].values.length)])) as Record<FacetName, Int32Array>;
    for (const { product } of hits) {
      counts.domain[this.columns.domain[product]!]!++;
      counts.layer[this.columns.layer[product]!]!++;
      counts.owner[this.columns.owner[product]!]!++;
      counts.status[this.columns.status[product]!]!++;
      for (const tag of this.tags[product]!) counts.tag[tag]!++;
    }
    const listed = (facet: FacetName): FacetCount[] => {
      const out: FacetCount[] = [];
      counts[facet].forEach((count, n) => count > 0 && out.push({ value: this.dictionaries[facet].values[n]!, count }));
      return out.sort((a, b) => b.count - a.count || compareText(a.value, b.value));
    };
    return { domain: listed('domain'), layer: listed('layer'), owner: listed('owner'), tag: listed('tag'), status: listed('status') };
  }
}

/** The first `n` items in order, without sorting all of them when `n` is small. */
function topN<T>(items: readonly T[], n: number, compare: (a: T, b: T) => number): T[] {
  if (n <= 0) return [];
  if (n * 8 >= items.length) return [...items].sort(compare).slice(0, n);
  const kept: T[] = [];
  for (const item of items) {
    if (kept.length === n && compare(item, kept[n - 1]!) >= 0) continue;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(kept[mid]!, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    kept.splice(lo, 0, item);
    if (kept.length > n) kept.pop();
  }
  return kept;
}

function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const out: number[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      out.push(a[i]!);
      i++;
      j++;
    }
  }
  return Int32Array.from(out);
}

function union(a: Int32Array, b: Int32Array): Int32Array {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else if (i >= a.length || b[j]! < a[i]!) out.push(b[j++]!);
    else {
      out.push(a[i]!);
      i++;
      j++;
    }
  }
  return Int32Array.from(out);
}
