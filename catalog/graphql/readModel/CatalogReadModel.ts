import type { SqlClient } from '../../../platform/db/SqlClient.js';
import type { CatalogChange } from '../../store/CatalogStore.js';
import { LineageGraph } from './LineageGraph.js';
import { ProductPages, type ContractEntry, type ProductPage } from './ProductPages.js';
import { SearchIndex } from './SearchIndex.js';
import { parseTsQuery, type TsQuery } from './textSearch.js';

export interface ReadModelOptions {
  /** Least milliseconds between two rebuilds of one model (default 1,000); never less than twice the last build. */
  readonly minRebuildMs?: number;
  /** Search texts whose `tsquery` is remembered (default 1,000; 0 asks PostgreSQL every time). */
  readonly tsqueryCacheSize?: number;
  readonly log?: (line: string) => void;
}

/** One model's state: the version of the catalog it reflects, and the version the catalog is at. */
class Slot<T> {
  value: T | undefined;
  built = -1;
  version = 0;
  task: Promise<void> | undefined;
  lastStart = Number.NEGATIVE_INFINITY;
  lastDuration = 0;
  timer: NodeJS.Timeout | undefined;

  get fresh(): T | undefined {
    return this.built === this.version ? this.value : undefined;
  }
}

/** A product page as served: the page and the contracts of its ports, all current. */
export interface ServedPage {
  readonly page: ProductPage;
  readonly contracts: readonly ContractEntry[];
}

/**
 * The GraphQL layer's read models: discovery (`SearchIndex`), lineage with impact (`LineageGraph`) and product
 * pages (`ProductPages`), held in memory and kept in step with the store. Every write the store commits is
 * announced (`CatalogStore.onChange`) before the writer's request answers; the models it touches are stale from
 * then on, and a stale model is not used: until it is rebuilt in the background (at most once per `minRebuildMs`,
 * after the latest change), its queries run on the database as before. So an answer never reflects less than what was committed before the
 * request arrived, read model or not; the models only make the common case cheap. A quality result refreshes
 * the quality of its product in the search index rather than rebuilding it.
 *
 * Product pages are current or stale one by one: a write marks stale the pages and contracts it names (a
 * publication: the products and contracts it wrote, and the upstream products whose consumers changed; a quality
 * result or SLA status: its product), and a page is served only when neither it nor a contract its ports show is
 * stale. The background refresh reads just those pages and contracts again, so the rest of the catalog stays in
 * memory while one product is published. After an `unknown` change every page is stale, and the next build reads
 * them all.
 *
 * Writers in other processes (another `mesh serve`, `mesh publish --db`) are announced on PostgreSQL by
 * notification (`ChangeNotifier`): their writes make the models stale as soon as it arrives, milliseconds after
 * their commit, so answers lag another process's write by that long at most. SQL written by hand is not seen
 * until the next rebuild.
 */
export class CatalogReadModel {
  private readonly search = new Slot<SearchIndex>();
  private readonly lineage = new Slot<LineageGraph>();
  private readonly pages = new Slot<ProductPages>();
  /** Pages (by product) and contracts (by path) announced changed since the refresh in progress, if any, began. */
  private readonly stalePages = new Set<string>();
  private readonly staleContracts = new Set<string>();
  /** What the refresh in progress reads; still stale until it has read them. */
  private refreshingPages: ReadonlySet<string> = new Set();
  private refreshingContracts: ReadonlySet<string> = new Set();
  /** Every page is stale (an `unknown` change), until a whole build that began after it ends. */
  private staleAll = false;
  private refreshingAll = false;
  private searchFull = true;
  private readonly qualityOf = new Set<string>();
  private readonly tsqueries = new Map<string, TsQuery | null>();
  private closed = false;
  private readonly minRebuildMs: number;
  private readonly tsqueryCacheSize: number;

  constructor(
    private readonly sql: SqlClient,
    private readonly options: ReadModelOptions = {},
  ) {
    this.minRebuildMs = options.minRebuildMs ?? 1_000;
    this.tsqueryCacheSize = options.tsqueryCacheSize ?? 1_000;
  }

  /** Marks what a committed write changed as stale. */
  changed(change: CatalogChange): void {
    switch (change.kind) {
      case 'publish':
      case 'unknown':
        this.search.version++;
        this.searchFull = true;
        this.lineage.version++;
        if (change.kind === 'publish') this.pagesChanged([...change.products, ...change.upstreams], change.contracts);
        else {
          this.staleAll = true;
          this.pages.version++;
        }
        break;
      case 'lineage':
        this.lineage.version++;
        break;
      case 'quality':
        this.search.version++;
        for (const id of change.products) this.qualityOf.add(id);
        this.pagesChanged(change.products, []);
        break;
      case 'sla':
        this.pagesChanged(change.products, []);
        break;
    }
  }

  private pagesChanged(products: readonly string[], contracts: readonly string[]): void {
    if (products.length === 0 && contracts.length === 0) return;
    for (const id of products) this.stalePages.add(id);
    for (const path of contracts) this.staleContracts.add(path);
    this.pages.version++;
  }

  /**
   * A product's page with its ports' contracts, when the page model is built and neither the page nor one of
   * those contracts is stale; `null` when, so, there is no such product; otherwise `undefined` (ask the
   * database), and a refresh is scheduled.
   */
  productPage(id: string): ServedPage | null | undefined {
    const pages = this.pages.value;
    if (this.pages.built !== this.pages.version || !pages) this.schedule(this.pages, () => this.buildPages());
    if (!pages || this.staleAll || this.refreshingAll || this.stalePages.has(id) || this.refreshingPages.has(id)) return undefined;
    const page = pages.page(id);
    if (page === null) return null;
    const contracts: ContractEntry[] = [];
    for (const port of page.ports) {
      const path = port.contract_path;
      const entry = pages.contract(path);
      if (!entry || this.staleContracts.has(path) || this.refreshingContracts.has(path)) return undefined;
      contracts.push(entry);
    }
    return { page, contracts };
  }

  /** The search index when it reflects every announced write; otherwise `undefined`, and a rebuild is scheduled. */
  searchIndex(): SearchIndex | undefined {
    const index = this.search.fresh;
    if (!index) this.schedule(this.search, () => this.buildSearch());
    return index;
  }

  /** The lineage graph when it reflects every announced write; otherwise `undefined`, and a rebuild is scheduled. */
  lineageGraph(): LineageGraph | undefined {
    const graph = this.lineage.fresh;
    if (!graph) this.schedule(this.lineage, () => LineageGraph.load(this.sql));
    return graph;
  }

  /**
   * The `tsquery` PostgreSQL makes of a search text (`websearch_to_tsquery('english', text)`), parsed, or `null`
   * when it uses what the index does not evaluate (prefixes and weights, which `websearch_to_tsquery` does not
   * write; quoted phrases the index evaluates). A pure function of the text, so it is remembered
   * (least recently used first out); it changes only if someone redefines the `english` configuration.
   */
  async tsquery(text: string): Promise<TsQuery | null> {
    const known = this.tsqueries.get(text);
    if (known !== undefined) {
      this.tsqueries.delete(text);
      this.tsqueries.set(text, known);
      return known;
    }
    const { rows } = await this.sql.query<{ q: string }>(`select websearch_to_tsquery('english', $1::text)::text as q`, [text], { name: 'mesh_websearch_tsquery' });
    const parsed = parseTsQuery(rows[0]!.q) ?? null;
    if (this.tsqueryCacheSize > 0) {
      this.tsqueries.set(text, parsed);
      if (this.tsqueries.size > this.tsqueryCacheSize) this.tsqueries.delete(this.tsqueries.keys().next().value!);
    }
    return parsed;
  }

  /** Builds the models now and waits until they reflect every announced write (startup, tests). */
  async ready(): Promise<void> {
    const slots = [this.search, this.lineage, this.pages] as Slot<unknown>[];
    for (let attempts = 0; attempts < 10 && !this.closed; attempts++) {
      if (slots.every((slot) => slot.fresh)) return;
      for (const slot of slots) {
        if (slot.timer) clearTimeout(slot.timer);
        slot.timer = undefined;
        slot.lastStart = Number.NEGATIVE_INFINITY;
      }
      this.searchIndex();
      this.lineageGraph();
      this.productPage('');
      await Promise.all(slots.map((slot) => slot.task));
    }
  }

  /** Stops rebuilding, and waits for a rebuild in progress (the database may be closed next). */
  async close(): Promise<void> {
    this.closed = true;
    const slots = [this.search, this.lineage, this.pages] as Slot<unknown>[];
    for (const slot of slots) if (slot.timer) clearTimeout(slot.timer);
    await Promise.all(slots.map((slot) => slot.task));
  }

  /**
   * The first build reads every page; later ones read again the pages and contracts announced stale since the
   * last one began (stale until it ends; if it fails, stale still, for the next one).
   */
  private async buildPages(): Promise<ProductPages> {
    const current = this.pages.value;
    this.refreshingPages = new Set(this.stalePages);
    this.refreshingContracts = new Set(this.staleContracts);
    this.refreshingAll = this.staleAll;
    this.stalePages.clear();
    this.staleContracts.clear();
    this.staleAll = false;
    // The old pages are not served while all are read again (nor in the moment before the new ones take their place).
    if (this.refreshingAll) this.pages.value = undefined;
    try {
      if (!current || this.refreshingAll) return await ProductPages.load(this.sql);
      await current.refresh(this.sql, [...this.refreshingPages], [...this.refreshingContracts]);
      return current;
    } catch (error) {
      for (const id of this.refreshingPages) this.stalePages.add(id);
      for (const path of this.refreshingContracts) this.staleContracts.add(path);
      this.staleAll ||= this.refreshingAll;
      throw error;
    } finally {
      this.refreshingPages = new Set();
      this.refreshingContracts = new Set();
      this.refreshingAll = false;
    }
  }

  private async buildSearch(): Promise<SearchIndex> {
    const quality = [...this.qualityOf];
    this.qualityOf.clear();
    const index = this.search.value;
    if (index && !this.searchFull) {
      try {
        await index.refreshQuality(this.sql, quality);
      } catch (error) {
        this.searchFull = true;
        throw error;
      }
      return index;
    }
    this.searchFull = false;
    try {
      return await SearchIndex.load(this.sql);
    } catch (error) {
      this.searchFull = true;
      throw error;
    }
  }

  private schedule<T>(slot: Slot<T>, build: () => Promise<T>): void {
    if (this.closed || slot.task || slot.timer) return;
    const wait = slot.lastStart + Math.max(this.minRebuildMs, 2 * slot.lastDuration) - performance.now();
    if (wait > 0) {
      slot.timer = setTimeout(() => {
        slot.timer = undefined;
        this.schedule(slot, build);
      }, wait);
      slot.timer.unref();
      return;
    }
    const version = slot.version;
    slot.lastStart = performance.now();
    slot.task = build()
      .then((value) => {
        slot.value = value;
        slot.built = version;
      })
      .catch((error: unknown) => {
        if (!this.closed) this.options.log?.(`graphql read model: rebuild failed, queries stay on the database: ${(error as Error).message}`);
      })
      .finally(() => {
        slot.lastDuration = performance.now() - slot.lastStart;
        slot.task = undefined;
      });
  }
}
