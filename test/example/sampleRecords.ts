import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordField } from '../../platform/contract/recordFields.js';
import type { Product, Repository } from '../../platform/repo/Repository.js';
import type { DataProductManifest } from '../../platform/manifest/DataProductManifest.js';
import { recordShape } from '../../platform/contract/recordFields.js';

/** One record of a sample file and the line it is on (1-based; a CSV's header is line 1). */
export interface SampleRecord {
  readonly line: number;
  readonly record: Record<string, unknown>;
}

/** A load step of a bronze product, with its port's contract fields. */
export interface SampleLoad {
  readonly product: Product;
  readonly port: string;
  readonly file: string;
  readonly load: NonNullable<DataProductManifest['pipeline']>['steps'][number]['load'] & object;
  readonly contract: string;
  readonly fields: readonly RecordField[];
}

/** Every file load of the repository's products, in repository order. */
export function sampleLoads(repository: Repository): SampleLoad[] {
  const loads: SampleLoad[] = [];
  for (const product of repository.products.values()) {
    for (const step of product.manifest.pipeline?.steps ?? []) {
      if (!step.load) continue;
      const contractFile = product.manifest.outputs.find((o) => o.port === step.port)!.contract;
      const contract = repository.contracts.get(contractFile)!;
      const { fields } = recordShape(contract.schema, contract.uri, repository.contracts.resolver);
      loads.push({ product, port: step.port, file: `${product.dir}/${step.load.file}`, load: step.load, contract: contractFile, fields });
    }
  }
  return loads;
}

/**
 * Reads a sample file as records. JSON lines are parsed as they are. CSV cells are typed by the contract's field
 * types the way a loader types them: an empty cell is null, integer, number and boolean fields are converted
 * when the text is one, anything else stays text (so that Ajv reports it).
 */
export async function readSampleRecords(root: string, load: SampleLoad): Promise<{ header: string[] | undefined; records: SampleRecord[] }> {
  const text = await readFile(join(root, load.file), 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (load.load.format === 'jsonl') {
    return { header: undefined, records: lines.map((line, i) => ({ line: i + 1, record: JSON.parse(line) as Record<string, unknown> })) };
  }
  const header = parseCsvLine(lines[0] ?? '');
  const types = new Map(load.fields.map((f) => [f.name, f.type]));
  const records = lines.slice(1).map((line, i): SampleRecord => {
    const cells = parseCsvLine(line);
    const record: Record<string, unknown> = {};
    header.forEach((column, j) => (record[column] = typed(cells[j] ?? '', types.get(column))));
    return { line: i + 2, record };
  });
  return { header, records };
}

function typed(cell: string, type: RecordField['type']): unknown {
  if (cell === '') return null;
  if ((type === 'integer' && /^-?[0-9]+$/.test(cell)) || (type === 'number' && /^-?[0-9]+(\.[0-9]+)?$/.test(cell))) return Number(cell);
  if (type === 'boolean' && (cell === 'true' || cell === 'false')) return cell === 'true';
  return cell;
}

/** Splits one CSV line (RFC 4180: quoted cells, doubled quotes inside them; the samples hold no line breaks in cells). */
export function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  if (quoted) throw new Error(`unterminated quoted cell in: ${line}`);
  cells.push(cell);
  return cells;
}
