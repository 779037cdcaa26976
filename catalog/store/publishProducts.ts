import { ConflictError, ForbiddenError } from '../../platform/errors.js';
import type { ContractChange, ContractDiffer } from '../publish/ContractDiffer.js';
import type { ContractFieldSummary, PreparedPublish } from '../publish/preparePublish.js';
import { datasetKey, productKey } from '../lineageKeys.js';
import type { Principal } from './Principal.js';
import { principalLabel, principalTeam } from './Principal.js';
import type { SqlClient } from '../../platform/db/SqlClient.js';

/** What publishing did to one product or contract. */
export interface PublishedItem {
  /** Product id, or contract path. */
  readonly id: string;
  readonly action: 'created' | 'updated' | 'unchanged';
  /** The catalog's revision number of the item after publishing (1, 2, ...). */
  readonly seq: number;
  /** The item's own semver (manifest `version`, contract `x-version`). */
  readonly version: string | null;
}

export interface PublishOutcome {
  readonly products: readonly PublishedItem[];
  readonly contracts: readonly PublishedItem[];
  /** Things worth knowing that did not stop publishing, e.g. content changed without a version bump. */
  readonly warnings: readonly string[];
}

/**
 * What a publication wrote, for the store's change announcement (`CatalogChange`): the products and contracts
 * written (not those left unchanged), and the upstream products their inputs named before or name now, whose
 * consumers may have changed.
 */
export interface PublishWritten {
  readonly products: readonly string[];
  readonly contracts: readonly string[];
  readonly upstreams: readonly string[];
}

interface Existing {
  readonly id: string;
  readonly ownerTeam: string;
  readonly hash: string;
  readonly seq: number;
  readonly version: string | null;
}

/**
 * Writes a checked publication in the caller's transaction. Only what changed is written: a product or contract
 * whose content hash equals the stored one is left alone, so republishing an unchanged repository writes
 * nothing and adds no version. A team's token publishes only its team's products and contracts, and cannot
 * take over another team's (changing an owner takes direct database access). Every write is audited.
 */
export async function publishProducts(
  tx: SqlClient,
  prepared: PreparedPublish,
  principal: Principal,
  differ?: ContractDiffer,
): Promise<{ outcome: PublishOutcome; written: PublishWritten }> {
  const productIds = prepared.products.map((p) => p.id).sort();
  const contractPaths = prepared.contracts.map((c) => c.path).sort();
  // Row locks, taken in key order, serialize concurrent publications of the same products.
  const storedProducts = byId(
    (await tx.query<Existing>(
      `select id, owner_team as "ownerTeam", encode(content_hash, 'hex') as hash, current_seq as seq, version
         from products where id = any($1::text[]) order by id for update`,
      [productIds],
    )).rows,
  );
  const storedContracts = byId(
    (await tx.query<Existing>(
      `select path as id, owner_team as "ownerTeam", encode(content_hash, 'hex') as hash, current_seq as seq, version
         from contracts where path = any($1::text[]) order by path for update`,
      [contractPaths],
    )).rows,
  );

  const team = principalTeam(principal);
  if (team !== null) {
    const refused: string[] = [];
    for (const product of prepared.products) {
      const owner = storedProducts.get(product.id)?.ownerTeam;
      if (product.ownerTeam !== team) refused.push(`${product.id} (owner ${product.ownerTeam})`);
      else if (owner !== undefined && owner !== team) refused.push(`${product.id} (published by ${owner})`);
    }
    for (const contract of prepared.contracts) {
      const owner = storedContracts.get(contract.path)?.ownerTeam;
      if (owner !== undefined && owner !== team) refused.push(`contract ${contract.path} (published by ${owner})`);
    }
    if (refused.length > 0) {
      const shown = refused.slice(0, 5).join(', ') + (refused.length > 5 ? `, and ${refused.length - 5} more` : '');
      throw new ForbiddenError(`the token of team ${team} publishes only that team's products; refused: ${shown}`);
    }
  }

  const claims = new Map<string, string>();
  for (const product of prepared.products) {
    for (const output of product.manifest.outputs) {
      if (output.dataset) claims.set(datasetKey(output.dataset.namespace, output.dataset.name), product.id);
    }
  }
  if (claims.size > 0) {
    const taken = (await tx.query<{ key: string; productId: string }>(
      `select key, product_id as "productId" from lineage_nodes
        where key = any($1::text[]) and product_id is not null and not (product_id = any($2::text[]))`,
      [[...claims.keys()], productIds],
    )).rows;
    if (taken.length > 0) {
      const list = taken.slice(0, 5).map((t) => `${t.key} (published by ${t.productId}, claimed by ${claims.get(t.key)})`).join(', ');
      throw new ConflictError(`an output dataset belongs to one product; already published: ${list}`);
    }
  }

  const warnings: string[] = [];
  const by = team ?? principalLabel(principal);
  const contractItems: PublishedItem[] = [];
  const contractSeq = new Map<string, number>();
  const contractRows: Record<string, unknown>[] = [];
  const previous = await previousContracts(tx, prepared, storedContracts, differ);
  for (const contract of prepared.contracts) {
    const stored = storedContracts.get(contract.path);
    if (stored && stored.hash === contract.hash) {
      contractSeq.set(contract.path, stored.seq);
      contractItems.push({ id: contract.path, action: 'unchanged', seq: stored.seq, version: contract.version });
      continue;
    }
    const seq = (stored?.seq ?? 0) + 1;
    contractSeq.set(contract.path, seq);
    if (stored && stored.version === contract.version) warnings.push(`contract ${contract.path} changed but its x-version is still ${contract.version}`);
    const before = previous.get(contract.path);
    let changes: readonly ContractChange[] | null = null;
    if (differ && before) changes = await differ(before, { path: contract.path, version: contract.version, schema: contract.schema, documents: contract.documents });
    contractRows.push({ ...contract, seq, changes, by });
    contractItems.push({ id: contract.path, action: stored ? 'updated' : 'created', seq, version: contract.version });
  }

  const productItems: PublishedItem[] = [];
  const changed = prepared.products.filter((p) => storedProducts.get(p.id)?.hash !== p.hash);
  for (const product of prepared.products) {
    const stored = storedProducts.get(product.id);
    if (stored && stored.hash === product.hash) {
      productItems.push({ id: product.id, action: 'unchanged', seq: stored.seq, version: product.manifest.version });
    } else {
      if (stored && stored.version === product.manifest.version) warnings.push(`product ${product.id} changed but its version is still ${product.manifest.version}`);
      productItems.push({ id: product.id, action: stored ? 'updated' : 'created', seq: (stored?.seq ?? 0) + 1, version: product.manifest.version });
    }
  }

  if (contractRows.length > 0) await writeContracts(tx, contractRows);
  const upstreams = changed.length > 0 ? await writeProducts(tx, changed, productItems, contractSeq, by) : [];
  const auditRows = [
    ...contractItems.filter((c) => c.action !== 'unchanged').map((c) => ({ action: 'contract.publish', target: `contract:${c.id}`, detail: { seq: c.seq, version: c.version } })),
    ...productItems.filter((p) => p.action !== 'unchanged').map((p) => ({ action: 'product.publish', target: productKey(p.id), detail: { seq: p.seq, version: p.version } })),
  ];
  if (auditRows.length > 0) {
    await tx.query(
      `insert into audit_log (team, token_id, principal, action, target, detail)
       select $2, $3, $4, x.action, x.target, x.detail from jsonb_to_recordset($1::jsonb) as x(action text, target text, detail jsonb)`,
      [JSON.stringify(auditRows), team, principal.kind === 'token' ? principal.tokenId : null, principalLabel(principal)],
    );
  }
  return {
    outcome: { products: productItems, contracts: contractItems, warnings },
    written: { products: changed.map((p) => p.id), contracts: contractRows.map((c) => c['path'] as string), upstreams },
  };
}

function byId(rows: readonly Existing[]): Map<string, Existing> {
  return new Map(rows.map((r) => [r.id, r]));
}

/** The stored versions the differ compares new ones with; read only when there is a differ. */
async function previousContracts(
  tx: SqlClient,
  prepared: PreparedPublish,
  stored: ReadonlyMap<string, Existing>,
  differ: ContractDiffer | undefined,
): Promise<Map<string, { path: string; version: string | null; schema: unknown; documents: Record<string, unknown> }>> {
  const paths = differ ? prepared.contracts.filter((c) => stored.has(c.path) && stored.get(c.path)!.hash !== c.hash).map((c) => c.path) : [];
  if (paths.length === 0) return new Map();
  const rows = (await tx.query<{ path: string; version: string | null; schema: unknown; documents: Record<string, unknown> }>(
    'select path, version, schema, documents from contracts where path = any($1::text[])',
    [paths],
  )).rows;
  return new Map(rows.map((r) => [r.path, r]));
}

async function writeContracts(tx: SqlClient, rows: readonly Record<string, unknown>[]): Promise<void> {
  const doc = JSON.stringify(rows);
  await tx.query(
    `with x as (
       select * from jsonb_to_recordset($1::jsonb) as x(path text, "ownerTeam" text, version text, title text, description text,
         schema jsonb, documents jsonb, fields jsonb, hash text, seq int, changes jsonb, by text)
     ),
     current as (
       insert into contracts as c (path, owner_team, version, title, description, schema, documents, fields, content_hash, current_seq)
       select path, "ownerTeam", version, title, description, schema, documents, fields, decode(hash, 'hex'), seq from x order by path
       on conflict (path) do update set owner_team = excluded.owner_team, version = excluded.version, title = excluded.title,
         description = excluded.description, schema = excluded.schema, documents = excluded.documents, fields = excluded.fields,
         content_hash = excluded.content_hash, current_seq = excluded.current_seq, updated_at = now()
       returning 1
     )
     insert into contract_versions (contract_path, seq, version, content_hash, schema, documents, fields, changes, published_by)
     select path, seq, version, decode(hash, 'hex'), schema, documents, fields, changes, by from x`,
    [doc],
  );
  await tx.query('delete from contract_fields where contract_path = any($1::text[])', [rows.map((r) => r['path'])]);
  const fields = rows.flatMap((r) =>
    (r['fields'] as readonly ContractFieldSummary[]).map((f, position) => ({ ...f, path: r['path'], position, enum: undefined })),
  );
  await tx.query(
    `insert into contract_fields (contract_path, name, position, type, nullable, required, format, description, pii, classification, primary_key, is_unique, search)
     select path, name, position, type, nullable, required, format, description, pii, classification, "primaryKey", "unique",
            setweight(to_tsvector('english', search), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')
       from jsonb_to_recordset($1::jsonb)
         as f(path text, name text, position int, type text, nullable boolean, required boolean, format text, description text,
              pii boolean, classification text, "primaryKey" boolean, "unique" boolean, search text)`,
    [JSON.stringify(fields)],
  );
}

async function writeProducts(
  tx: SqlClient,
  changed: PreparedPublish['products'],
  items: readonly PublishedItem[],
  contractSeq: ReadonlyMap<string, number>,
  by: string,
): Promise<string[]> {
  const seqOf = new Map(items.map((i) => [i.id, i.seq]));
  const ids = changed.map((p) => p.id);
  const nodes = new Map<string, Record<string, unknown>>();
  const node = (key: string, kind: string, namespace: string | null, name: string, productId: string | null, port: string | null) => {
    const existing = nodes.get(key);
    if (!existing || (existing['product'] === null && productId !== null)) nodes.set(key, { key, kind, namespace, name, product: productId, port });
  };
  const ports: Record<string, unknown>[] = [];
  const inputs: Record<string, unknown>[] = [];
  const edges: Record<string, unknown>[] = [];
  const claimed: string[] = [];
  const products = changed.map((product) => {
    const { manifest } = product;
    const self = productKey(product.id);
    node(self, 'product', null, product.id, product.id, null);
    manifest.outputs.forEach((output, position) => {
      let dataset: string | null = null;
      if (output.dataset) {
        dataset = datasetKey(output.dataset.namespace, output.dataset.name);
        node(dataset, 'dataset', output.dataset.namespace, output.dataset.name, product.id, output.port);
        claimed.push(dataset);
        edges.push({ source: self, target: dataset, kind: 'publishes', via: output.port, by: product.id });
      }
      ports.push({
        product: product.id,
        name: output.port,
        position,
        description: output.description ?? null,
        contract: output.contract,
        compatibility: output.compatibility ?? 'forward',
        status: output.status ?? 'active',
        dataset,
      });
    });
    (manifest.inputs ?? []).forEach((input, position) => {
      let dataset: string | null = null;
      if (input.dataset) {
        dataset = datasetKey(input.dataset.namespace, input.dataset.name);
        node(dataset, 'dataset', input.dataset.namespace, input.dataset.name, null, null);
        edges.push({ source: dataset, target: self, kind: 'consumes', via: '', by: product.id });
      }
      if (input.product !== undefined) {
        const upstream = productKey(input.product);
        node(upstream, 'product', null, input.product, input.product, null);
        edges.push({ source: upstream, target: self, kind: 'feeds', via: input.port ?? '', by: product.id });
      }
      inputs.push({
        product: product.id,
        position,
        upstreamProduct: input.product ?? null,
        upstreamPort: input.port ?? null,
        dataset,
        fields: input.fields ?? null,
        description: input.description ?? null,
      });
    });
    const contracts: Record<string, unknown> = {};
    for (const [port, c] of Object.entries(product.contracts)) contracts[port] = { ...c, seq: contractSeq.get(c.path) };
    return { id: product.id, file: product.file, manifest, hash: product.hash, seq: seqOf.get(product.id), contracts, by, ...product.search };
  });

  await tx.query(
    `update lineage_nodes set product_id = null, port = null, updated_at = now()
      where kind = 'dataset' and product_id = any($1::text[]) and not (key = any($2::text[]))`,
    [ids, claimed],
  );
  await tx.query(
    `insert into lineage_nodes as n (key, kind, namespace, name, product_id, port)
     select key, kind, namespace, name, product, port
       from jsonb_to_recordset($1::jsonb) as x(key text, kind text, namespace text, name text, product text, port text)
      order by key
     on conflict (key) do update set product_id = excluded.product_id, port = excluded.port, updated_at = now()
      where excluded.product_id is not null and (n.product_id, n.port) is distinct from (excluded.product_id, excluded.port)`,
    [JSON.stringify([...nodes.values()])],
  );
  await tx.query(
    `with x as (
       select * from jsonb_to_recordset($1::jsonb)
         as x(id text, file text, manifest jsonb, hash text, seq int, contracts jsonb, by text, a text, b text, c text, d text)
     ),
     current as (
       insert into products as p (id, name, domain, description, status, layer, pattern, version, owner_team, owner_email, tags,
                                  manifest, file, content_hash, current_seq, search)
       select id, manifest ->> 'name', manifest ->> 'domain', manifest ->> 'description', manifest ->> 'status', manifest ->> 'layer',
              manifest ->> 'pattern', manifest ->> 'version', manifest -> 'owner' ->> 'team', manifest -> 'owner' ->> 'email',
              array(select jsonb_array_elements_text(coalesce(manifest -> 'tags', '[]'::jsonb))),
              manifest, file, decode(hash, 'hex'), seq,
              setweight(to_tsvector('english', a), 'A') || setweight(to_tsvector('english', b), 'B')
                || setweight(to_tsvector('english', c), 'C') || setweight(to_tsvector('english', d), 'D')
         from x order by id
       on conflict (id) do update set name = excluded.name, domain = excluded.domain, description = excluded.description,
         status = excluded.status, layer = excluded.layer, pattern = excluded.pattern, version = excluded.version,
         owner_team = excluded.owner_team, owner_email = excluded.owner_email, tags = excluded.tags, manifest = excluded.manifest,
         file = excluded.file, content_hash = excluded.content_hash, current_seq = excluded.current_seq, search = excluded.search,
         updated_at = now()
       returning 1
     )
     insert into product_versions (product_id, seq, version, content_hash, manifest, contracts, published_by)
     select id, seq, manifest ->> 'version', decode(hash, 'hex'), manifest, contracts, by from x`,
    [JSON.stringify(products)],
  );
  await tx.query('delete from ports where product_id = any($1::text[])', [ids]);
  await tx.query(
    `insert into ports (product_id, name, position, description, contract_path, compatibility, status, dataset_key)
     select product, name, position, description, contract, compatibility, status, dataset
       from jsonb_to_recordset($1::jsonb)
         as x(product text, name text, position int, description text, contract text, compatibility text, status text, dataset text)`,
    [JSON.stringify(ports)],
  );
  // The upstream products named before and now: their consumers change.
  const upstreams = new Set(inputs.map((i) => i['upstreamProduct'] as string | null));
  const before = await tx.query<{ upstream: string | null }>('delete from product_inputs where product_id = any($1::text[]) returning upstream_product as upstream', [ids]);
  for (const row of before.rows) upstreams.add(row.upstream);
  upstreams.delete(null);
  if (inputs.length > 0) {
    await tx.query(
      `insert into product_inputs (product_id, position, upstream_product, upstream_port, dataset_key, fields, description)
       select product, position, "upstreamProduct", "upstreamPort", dataset,
              case when fields is null then null else array(select jsonb_array_elements_text(fields)) end, description
         from jsonb_to_recordset($1::jsonb)
           as x(product text, position int, "upstreamProduct" text, "upstreamPort" text, dataset text, fields jsonb, description text)`,
      [JSON.stringify(inputs)],
    );
  }
  await tx.query('delete from lineage_edges where declared_by = any($1::text[])', [ids]);
  if (edges.length > 0) {
    await tx.query(
      `insert into lineage_edges (source, target, kind, via, declared_by)
       select source, target, kind, via, by from jsonb_to_recordset($1::jsonb) as x(source text, target text, kind text, via text, by text)
       order by source, kind, target
       on conflict (source, kind, target, via) do nothing`,
      [JSON.stringify(edges)],
    );
  }
  return [...upstreams] as string[];
}
