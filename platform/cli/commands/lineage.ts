import { relative } from 'node:path';
import { UsageError } from '../../errors.js';
import { httpTransports, nodeConfigFiles, resolveLineageConfig } from '../../lineage/resolveLineageConfig.js';
import { Spool } from '../../lineage/Spool.js';
import { endpointUrl } from '../../lineage/transports/createHttpTransport.js';
import { createTransport, spoolDirFor } from '../../lineage/transports/createTransport.js';
import type { Command } from '../Command.js';
import { EXIT_OK, EXIT_PROBLEMS } from '../exitCodes.js';
import { plural } from '../formatProblems.js';

interface TargetResult {
  readonly transport: string;
  readonly url: string;
  readonly spool: string;
  readonly delivered: number;
  readonly rejected: number;
  readonly remaining: number;
}

const flushCommand: Command = {
  name: 'flush',
  summary: 'Re-send OpenLineage events spooled while their endpoint was unreachable, oldest first.',
  usage: 'flush [--format text|json]',
  options: {},
  maxPositionals: 0,
  formats: ['text', 'json'],
  async run(args, io) {
    const config = resolveLineageConfig({}, io.env, nodeConfigFiles(io.cwd, io.env));
    const targets: TargetResult[] = [];
    if (!config.disabled) {
      for (const { name, config: http } of httpTransports(config.transport)) {
        const transport = createTransport(http, { spoolDir: config.spoolDir, stdout: io.stdout, stderr: io.stderr });
        try {
          const report = await transport.flush!();
          targets.push({ transport: name, url: endpointUrl(http.url, http.endpoint).href, spool: spoolDirFor(config.spoolDir, http), ...report });
        } finally {
          await transport.close?.();
        }
      }
    }
    const configured = new Set(targets.map((t) => t.spool));
    // Spools of endpoints no longer configured (or of every endpoint, when emission is disabled).
    const waiting = (await Spool.list(config.spoolDir)).filter((s) => !configured.has(s.dir) && s.pending > 0);
    const remaining = targets.reduce((n, t) => n + t.remaining, 0) + waiting.reduce((n, s) => n + s.pending, 0);

    if (args.format === 'json') {
      io.stdout.write(
        JSON.stringify({ disabled: config.disabled, spoolDir: config.spoolDir, targets, unconfigured: waiting.map((s) => ({ url: s.url ?? null, spool: s.dir, pending: s.pending })), remaining }, null, 2) + '\n',
      );
    } else {
      const show = (path: string) => relative(io.cwd, path) || '.';
      if (config.disabled) io.stdout.write('OpenLineage is disabled (OPENLINEAGE_DISABLED=true): nothing was sent.\n');
      else if (targets.length === 0) io.stdout.write(`No http transport is configured (transport: ${config.transport.type}, from ${config.origin}).\n`);
      for (const t of targets) {
        io.stdout.write(`${t.url}: ${plural(t.delivered, 'event')} delivered, ${t.rejected} rejected, ${t.remaining} still waiting (${show(t.spool)})\n`);
      }
      for (const s of waiting) {
        io.stdout.write(`${plural(s.pending, 'event')} waiting in ${show(s.dir)} for ${s.url ?? 'an unknown endpoint'}, which is not configured now\n`);
      }
      if (targets.length === 0 && waiting.length === 0) io.stdout.write('Nothing is spooled.\n');
    }
    return remaining > 0 ? EXIT_PROBLEMS : EXIT_OK;
  },
};

export const lineageCommand: Command = {
  name: 'lineage',
  summary: 'OpenLineage: re-send spooled events (flush).',
  usage: 'lineage flush [--format text|json]',
  options: {},
  maxPositionals: 0,
  formats: ['text', 'json'],
  subcommands: [flushCommand],
  async run() {
    throw new UsageError('usage: mesh lineage flush');
  },
};
