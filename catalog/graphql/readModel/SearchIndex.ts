import type { SqlClient } from '../../../platform/db/SqlClient.js';
import { PRODUCT_COLUMNS } from '../loaders.js';
import type { ProductRow, QualityRow } from '../rows.js';
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

const LATEST_QUALITY = `select distinct on (product_id, port) product_id, port, measured_at, score, grade, records, valid, invalid, dimensions, checks from quality_results`;

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
  /**
   * For counting facets in one pass over flat arrays: each product's domain, layer, owner and status as numbers
   * into one array of counts (`facetBase` says where each facet's values start), and its tags laid out the same
   * way (compressed rows: `tagOffsets[i]` to `tagOffsets[i + 1]` in `tagCodes`).
   */
  private readonly facetCodes: Int32Array;
  private readonly tagOffsets: Int32Array;
  private readonly tagCodes: Int32Array;
  private readonly facetBase: Record<FacetName, number>;
  private readonly facetCount: number;
  private readonly postings = new Map<string, Postings>();
  private readonly products: readonly ProductRow[];
  private readonly latest = new Map<string, QualityRow[]>();

  private constructor(products: readonly (ProductRow & { owner: string; quality: number | null; search: string })[]) {
    const n = products.length;
    this.quality = new Float64Array(n);
    this.columns = { domain: new Int32Array(n), layer: new Int32Array(n), owner: new Int32Array(n), status: new Int32Array(n) };
    const building = new Map<string, { products: number[]; positions: Positions[] }>();
    this.products = products.map(({ owner: _owner, quality: _quality, search: _search, ...row }) => row);
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
    let base = 0;
    this.facetBase = { domain: 0, layer: 0, owner: 0, status: 0, tag: 0 };
    for (const facet of FACETS) {
      this.facetBase[facet] = base;
      base += this.dictionaries[facet].values.length;
    }
    this.facetCount = base;
    this.facetCodes = new Int32Array(n * 4);
    this.tagOffsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      this.facetCodes[i * 4] = this.facetBase.domain + this.columns.domain[i]!;
      this.facetCodes[i * 4 + 1] = this.facetBase.layer + this.columns.layer[i]!;
      this.facetCodes[i * 4 + 2] = this.facetBase.owner + this.columns.owner[i]!;
      this.facetCodes[i * 4 + 3] = this.facetBase.status + this.columns.status[i]!;
      this.tagOffsets[i + 1] = this.tagOffsets[i]! + this.tags[i]!.length;
    }
    this.tagCodes = new Int32Array(this.tagOffsets[n]!);
    for (let i = 0; i < n; i++) this.tagCodes.set(this.tags[i]!.map((t) => this.facetBase.tag + t), this.tagOffsets[i]!);
    for (const [lexeme, list] of building) {
      const alone = { root: { op: 'lexeme', lexeme: 0 }, lexemes: [lexeme] } as const;
      this.postings.set(lexeme, {
        products: Int32Array.from(list.products),
        positions: list.positions,
        alone: Float64Array.from(list.positions, (positions) => rankCoverDensity(alone, () => positions)),
      });
    }
  }

  /**
   * Reads every product (its row as the `product` loader reads it, its quality and search vector) and the latest
   * quality result of each port, in one repeatable-read transaction.
   */
  static load(sql: SqlClient): Promise<SearchIndex> {
    return sql.transaction(async (tx) => {
      await tx.exec('set transaction isolation level repeatable read, read only');
      const { rows } = await tx.query<ProductRow & { owner: string; quality: number | null; search: string }>(
        `select ${PRODUCT_COLUMNS}, owner_team as owner, quality, search::text as search from products order by id`,
        [],
      );
      const index = new SearchIndex(rows);
      index.takeLatest((await tx.query<QualityRow>(`${LATEST_QUALITY} order by product_id, port, measured_at desc, id desc`, [])).rows);
      return index;
    });
  }

  /** The latest quality result of each port of a product, as the `latestQuality` loader reads them. */
  latestQuality(id: string): QualityRow[] {
    return this.latest.get(id) ?? [];
  }

  private takeLatest(rows: readonly QualityRow[]): void {
    for (const row of rows) {
      const list = this.latest.get(row.product_id);
      if (list) list.push(row);
      else this.latest.set(row.product_id, [row]);
    }
  }

  /**
   * A product's row, as the `product` loader would read it (`undefined`: no such product): the documents of the
   * index, so that a page of results, or the products an impact analysis lists, need no statement.
   */
  product(id: string): ProductRow | undefined {
    const i = this.rows.get(id);
    return i === undefined ? undefined : this.products[i];
  }

  get size(): number {
    return this.ids.length;
  }

  /** Takes products' current quality (kept on `products` by a trigger when results arrive) and latest results. */
  async refreshQuality(sql: SqlClient, ids: readonly string[]): Promise<void> {
    const { quality, latest } = await sql.transaction(async (tx) => {
      await tx.exec('set transaction isolation level repeatable read, read only');
      return {
        quality: (await tx.query<{ id: string; quality: number | null }>('select id, quality from products where id = any($1::text[])', [ids])).rows,
        latest: (await tx.query<QualityRow>(`${LATEST_QUALITY} where product_id = any($1::text[]) order by product_id, port, measured_at desc, id desc`, [ids])).rows,
      };
    });
    for (const row of quality) {
      const i = this.rows.get(row.id);
      if (i !== undefined) this.quality[i] = row.quality ?? Number.NaN;
    }
    for (const id of ids) this.latest.delete(id);
    this.takeLatest(latest);
  }

  /**
   * A page of discovery: the products that match the query (`undefined`: no search text) and the filters,
   * ranked, ties broken by quality then id; the total, and facet counts over every match.
   */
  search(query: TsQuery | undefined, filter: ProductFilter, first: number, offset: number): ProductSearch {
    const wanted = this.filterOf(filter);
    if (wanted === undefined) return { totalCount: 0, page: [], facets: { domain: [], layer: [], owner: [], tag: [], status: [] } };
    const filtered = FACETS.some((f) => wanted[f] >= 0);
    const keep = (i: number) =>
      !filtered ||
      ((wanted.domain < 0 || this.columns.domain[i] === wanted.domain) &&
        (wanted.owner < 0 || this.columns.owner[i] === wanted.owner) &&
        (wanted.layer < 0 || this.columns.layer[i] === wanted.layer) &&
        (wanted.status < 0 || this.columns.status[i] === wanted.status) &&
        (wanted.tag < 0 || this.tags[i]!.includes(wanted.tag)));
    // The matches as two parallel arrays (product, rank; NaN: no rank), allocated once per search.
    const products = new Int32Array(this.ids.length);
    const ranks = new Float64Array(this.ids.length);
    let count = 0;
    if (query === undefined) {
      for (let i = 0; i < this.ids.length; i++) {
        if (!keep(i)) continue;
        products[count] = i;
        ranks[count++] = Number.NaN;
      }
    } else if (query.root !== undefined) {
      const postings = query.lexemes.map((l) => this.postings.get(l));
      const root = query.root;
      if (root.op === 'lexeme') {
        // One lexeme: its postings are the matches, with their ranks computed beforehand.
        const list = postings[root.lexeme];
        for (let k = 0; list && k < list.products.length; k++) {
          if (!keep(list.products[k]!)) continue;
          products[count] = list.products[k]!;
          ranks[count++] = list.alone[k]!;
        }
      } else {
        const candidates = this.candidates(root, postings);
        const { holds } = prepared(query);
        const at = postings.map(() => 0);
        const positions: (Positions | undefined)[] = postings.map(() => undefined);
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
          if (!holds(positionsOf)) return;
          products[count] = i;
          ranks[count++] = rankCoverDensity(query, positionsOf);
        };
        if (candidates === undefined) for (let i = 0; i < this.ids.length; i++) consider(i);
        else for (const i of candidates) consider(i);
      }
    }
    const page = topN(count, offset + first, (a, b) => this.compare(products[a]!, ranks[a]!, products[b]!, ranks[b]!)).slice(offset);
    return {
      totalCount: count,
      page: page.map((h) => ({ id: this.ids[products[h]!]!, rank: Number.isNaN(ranks[h]!) ? null : ranks[h]! })),
      facets: this.facetsOf(products.subarray(0, count)),
    };
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
      // A phrase needs both sides, as a conjunction does.
      case 'phrase':
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

  /** rank desc nulls last, quality desc nulls last, id; a rank or quality of NaN is null. */
  private compare(a: number, rankA: number, b: number, rankB: number): number {
    if (rankA !== rankB && !(Number.isNaN(rankA) && Number.isNaN(rankB))) {
      if (Number.isNaN(rankA)) return 1;
      if (Number.isNaN(rankB)) return -1;
      return rankB - rankA;
    }
    const qa = this.quality[a]!;
    const qb = this.quality[b]!;
    if (qa !== qb) {
      if (Number.isNaN(qa)) {
        if (!Number.isNaN(qb)) return 1;
      } else if (Number.isNaN(qb)) return -1;
      else return qb - qa;
    }
    return compareText(this.ids[a]!, this.ids[b]!);
  }

  private facetsOf(products: Int32Array): ProductSearch['facets'] {
    const counts = new Int32Array(this.facetCount);
    const { facetCodes: codes, tagOffsets, tagCodes } = this;
    for (let k = 0; k < products.length; k++) {
      const product = products[k]!;
      const at = product * 4;
      counts[codes[at]!]!++;
      counts[codes[at + 1]!]!++;
      counts[codes[at + 2]!]!++;
      counts[codes[at + 3]!]!++;
      for (let j = tagOffsets[product]!, end = tagOffsets[product + 1]!; j < end; j++) counts[tagCodes[j]!]!++;
    }
    const listed = (facet: FacetName): FacetCount[] => {
      const out: FacetCount[] = [];
      const { values } = this.dictionaries[facet];
      const base = this.facetBase[facet];
      for (let v = 0; v < values.length; v++) if (counts[base + v]! > 0) out.push({ value: values[v]!, count: counts[base + v]! });
      return out.sort((a, b) => b.count - a.count || compareText(a.value, b.value));
    };
    return { domain: listed('domain'), layer: listed('layer'), owner: listed('owner'), tag: listed('tag'), status: listed('status') };
  }
}

/** The first `n` of the items `0 .. count - 1` in order, without sorting all of them when `n` is small. */
function topN(count: number, n: number, compare: (a: number, b: number) => number): number[] {
  if (n <= 0) return [];
  if (n * 8 >= count) return Array.from({ length: count }, (_, i) => i).sort(compare).slice(0, n);
  const kept: number[] = [];
  for (let item = 0; item < count; item++) {
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
