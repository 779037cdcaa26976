import { extname, relative, resolve } from 'node:path';
import { MeshError, UsageError } from '../../errors.js';
import type { FileLoad } from '../../manifest/DataProductManifest.js';
import { assessPort, type QualitySource } from '../../quality/assessPort.js';
import type { QualityReport } from '../../quality/QualityReport.js';
import { loadRepository } from '../../repo/loadRepository.js';
import type { Repository } from '../../repo/Repository.js';
import { portTable } from '../../warehouse/portTable.js';
import { resolveWarehouseConfig, type WarehouseConfig } from '../../warehouse/resolveWarehouseConfig.js';
import type { SqlClient } from '../../db/SqlClient.js';
import type { CliIo } from '../CliIo.js';
import { flagOption, stringOption, type Command } from '../Command.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_PROBLEMS } from '../exitCodes.js';
import { progressBarFor } from '../progressBar.js';
import { styleFor, type Style } from '../style.js';
import { threadsOption } from './validate.js';
import { defaultThreads } from '../../util/threads.js';
import { testHooks, type TestReporting } from '../testHooks.js';

/** One port to test. */
export interface TestTarget {
  readonly product: string;
  readonly port: string;
  /** `schema.table` or the file path. */
  readonly source: string;
}

/**
 * Where `mesh test` reports to besides its output: the OpenLineage client (START before a port is read,
 * COMPLETE with the dataQualityMetrics and dataQualityAssertions input facets after) and the catalog (the
 * report as a quality result and SLA status). A hook that throws fails the command.
 */
export interface QualityTestHooks {
  onStart?(target: TestTarget): void | Promise<void>;
  onResult?(target: TestTarget, report: QualityReport): void | Promise<void>;
  onError?(target: TestTarget, error: unknown): void | Promise<void>;
  /** After the last port: flush, close. */
  close?(): void | Promise<void>;
}

/** A port that could not be tested (no table yet, unreadable file), in `--all` output. */
interface TestError {
  readonly product: string;
  readonly port: string;
  readonly error: string;
}

/**
 * `mesh test`, with the hooks made for each invocation (from `io.env`: where lineage and the catalog are
 * configured). The command the CLI registers has none; wiring lineage and the catalog is passing a factory.
 */
export function createTestCommand(
  hooksFor: (io: CliIo, repository: Repository, targets: readonly TestTarget[], reporting: TestReporting) => QualityTestHooks | Promise<QualityTestHooks> = () => ({}),
): Command {
  return {
    name: 'test',
    summary: 'Test output ports against their contracts, quality checks and SLAs; score them; write rejected records to dead letters.',
    usage: 'test <product-id>|--all [--port name] [--file path] [--format text|json] [--warehouse url] [--warehouse-dir dir] [--catalog url] [--token t]',
    options: {
      all: { type: 'boolean' },
      catalog: { type: 'string' },
      token: { type: 'string' },
      port: { type: 'string' },
      file: { type: 'string' },
      warehouse: { type: 'string' },
      'warehouse-dir': { type: 'string' },
    },
    maxPositionals: 1,
    formats: ['text', 'json'],
    async run(args, io) {
      const all = flagOption(args, 'all');
      const productId = args.positionals[0];
      const file = stringOption(args, 'file');
      const portName = stringOption(args, 'port');
      if (all === (productId !== undefined)) throw new UsageError(`name one product, or --all\nusage: mesh ${this.usage}`);
      if (all && file !== undefined) throw new UsageError('--file tests one port: name its product (and --port when it has several)');
      const root = io.cwd;
      const repository = await loadRepository(root);
      const targets = chooseTargets(repository, productId, portName);
      if (file !== undefined && targets.length !== 1) throw new UsageError(`${productId} has several ports; choose one with --port`);

      const warehouseUrl = stringOption(args, 'warehouse');
      const warehouseDir = stringOption(args, 'warehouse-dir');
      const config = resolveWarehouseConfig({ url: warehouseUrl, dataDir: warehouseDir, root }, io.env);
      // A file needs the warehouse only for relationships checks, and only when one was named.
      const explicitWarehouse = warehouseUrl !== undefined || warehouseDir !== undefined || (io.env['MESH_WAREHOUSE_URL'] ?? '') !== '';
      let warehouse: SqlClient | undefined;
      const openOnce = async () => (warehouse ??= await openLazily(config));

      // MESH_THREADS caps the threads that read a large file; by default, defaultThreads() (a worker on a
      // saturated machine only adds its start and merge, a third more CPU time in total).
      const threads = threadsOption(io.env) ?? defaultThreads();
      const labels: TestTarget[] = targets.map(({ product, port }) => ({ product, port, source: '' }));
      const hooks = await hooksFor(io, repository, labels, { catalog: stringOption(args, 'catalog'), token: stringOption(args, 'token') });
      const progress = progressBarFor(io.stderr, io.env);
      const reports: QualityReport[] = [];
      const errors: TestError[] = [];
      try {
        for (const { product, port } of targets) {
          const manifest = repository.products.get(product)!.manifest;
          let source: QualitySource;
          let label: string;
          if (file !== undefined) {
            const path = resolve(io.cwd, file);
            source = { kind: 'file', path, format: fileFormat(path), ...csvOptions(manifest.pipeline?.steps.find((s) => s.port === port)?.load) };
            label = relative(io.cwd, path) || path;
          } else {
            const table = portTable(manifest, port);
            source = { kind: 'table', client: await openOnce(), table };
            label = `${table.schema}.${table.name}`;
          }
          const target: TestTarget = { product, port, source: label };
          await hooks.onStart?.(target);
          try {
            const report = await assessPort({
              repository,
              product,
              port,
              source,
              ...(source.kind === 'file' && explicitWarehouse ? { warehouse: await openOnce() } : {}),
              threads,
              onProgress: (p) => progress.update(`${product}.${port} ${p.phase}`, p.done, p.total, p.unit),
            });
            progress.done();
            reports.push(report);
            await hooks.onResult?.(target, report);
          } catch (error) {
            progress.done();
            await hooks.onError?.(target, error);
            // One port that cannot be read does not stop --all; alone, it is the command's failure.
            if (!all || !(error instanceof MeshError)) throw error;
            errors.push({ product, port, error: error.message });
          }
        }
      } finally {
        progress.done();
        await warehouse?.close();
        await hooks.close?.();
      }

      if (args.format === 'json') {
        io.stdout.write(JSON.stringify(all ? [...reports, ...errors] : reports.length === 1 ? reports[0] : reports, null, 2) + '\n');
      } else {
        const style = styleFor(io.stdout, io.env);
        for (const report of reports) io.stdout.write(formatReport(report, style, io.cwd));
        for (const e of errors) io.stdout.write(`${style.bold(`${e.product}.${e.port}`)}  ${style.red('ERROR')}  ${e.error}\n`);
        const failed = reports.filter((r) => !r.passed).length;
        const summary = `${reports.length} port${reports.length === 1 ? '' : 's'} tested: ${reports.length - failed} passed, ${failed} failed${errors.length ? `, ${errors.length} not tested` : ''}`;
        io.stdout.write((failed || errors.length ? style.red(summary) : style.green(summary)) + '\n');
      }
      if (errors.length > 0) return EXIT_FAILURE;
      return reports.every((r) => r.passed) ? EXIT_OK : EXIT_PROBLEMS;
    },
  };
}

/** `mesh test` as registered: OpenLineage test runs, and results recorded in the catalog when one is named. */
export const testCommand: Command = createTestCommand(testHooks);

function chooseTargets(repository: Repository, productId: string | undefined, port: string | undefined): { product: string; port: string }[] {
  const products = productId === undefined ? [...repository.products.values()].sort((a, b) => a.id.localeCompare(b.id)) : [repository.products.get(productId)];
  if (products[0] === undefined) {
    const broken = repository.manifests.some((m) => m.id === productId);
    throw new UsageError(broken ? `the manifest of ${productId} is not valid; run mesh validate` : `no product ${productId}`);
  }
  const targets = products.flatMap((p) => p!.manifest.outputs.filter((o) => port === undefined || o.port === port).map((o) => ({ product: p!.id, port: o.port })));
  if (targets.length === 0) throw new UsageError(`no port ${port}${productId ? ` in ${productId}` : ''}`);
  return targets;
}

function fileFormat(path: string): 'csv' | 'jsonl' {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl';
  throw new UsageError(`cannot tell the format of ${path}: name it .csv, .jsonl or .ndjson`);
}

function csvOptions(load: FileLoad | undefined): { csv?: { delimiter?: string; header?: boolean; nullValue?: string } } {
  if (!load || load.format !== 'csv') return {};
  return {
    csv: {
      ...(load.delimiter !== undefined ? { delimiter: load.delimiter } : {}),
      ...(load.header !== undefined ? { header: load.header } : {}),
      ...(load.nullValue !== undefined ? { nullValue: load.nullValue } : {}),
    },
  };
}

async function openLazily(config: WarehouseConfig): Promise<SqlClient> {
  // PGlite and pg load only when a table is tested: `mesh test --file` starts fast.
  const { openWarehouse } = await import('../../warehouse/openWarehouse.js');
  return openWarehouse(config);
}

/** A report for a terminal: verdict, score with dimensions, checks, SLA and dead letters. */
export function formatReport(report: QualityReport, style: Style, cwd: string): string {
  const lines: string[] = [];
  const source = report.source.kind === 'table' ? report.source.table : relative(cwd, report.source.path) || report.source.path;
  const verdict = report.passed ? style.green('PASS') : style.red('FAIL');
  const score = report.score.score === null ? 'no score' : `score ${report.score.score} (${report.score.grade})`;
  lines.push(`${style.bold(`${report.product}.${report.port}`)}  ${source}  ${report.records} records, ${report.invalid} invalid  ${score}  ${verdict}`);
  for (const d of report.score.dimensions) {
    lines.push(`  ${d.name.padEnd(13)} ${(d.score === null ? '-' : d.score.toFixed(1)).padStart(5)}  ${style.dim(`w ${d.weight.toFixed(2)}`)}  ${style.dim(d.detail)}`);
  }
  const width = Math.max(...report.checks.map((c) => c.name.length));
  for (const c of report.checks) {
    const mark = c.status === 'passed' ? style.green('ok  ') : c.status === 'skipped' ? style.dim('skip') : c.severity === 'warn' ? style.yellow('warn') : style.red(c.status === 'error' ? 'err ' : 'FAIL');
    lines.push(`  ${mark} ${c.name.padEnd(width)}  ${style.dim(c.message)}`);
  }
  const sla = (['freshness', 'completeness', 'availability'] as const).map((k) => {
    const status = report.sla[k].status;
    const colored = status === 'MET' ? style.green(status) : status === 'BREACHED' ? style.red(status) : status === 'AT_RISK' ? style.yellow(status) : style.dim(status);
    return `${k} ${colored}`;
  });
  lines.push(`  SLA: ${sla.join(', ')}`);
  for (const k of ['freshness', 'completeness', 'availability'] as const) {
    const status = report.sla[k].status;
    if (status === 'BREACHED' || status === 'AT_RISK') lines.push(`    ${k}: ${report.sla[k].detail}`);
  }
  if (report.deadLetter) {
    const where = report.deadLetter.kind === 'file' ? relative(cwd, report.deadLetter.path) || report.deadLetter.path : report.deadLetter.table;
    lines.push(`  dead letters: ${report.deadLetter.count} in ${where}`);
  }
  return lines.join('\n') + '\n';
}
