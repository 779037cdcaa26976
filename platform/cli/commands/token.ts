import { resolveCatalogConfig } from '../../../catalog/config/resolveCatalogConfig.js';
import { openCatalogStore } from '../../../catalog/store/openCatalogStore.js';
import { checkTeam } from '../../../catalog/store/tokens.js';
import type { Principal } from '../../../catalog/store/Principal.js';
import type { CatalogStore } from '../../../catalog/store/CatalogStore.js';
import { UsageError } from '../../errors.js';
import type { CliIo } from '../CliIo.js';
import { stringOption, type Command, type CommandArgs } from '../Command.js';
import { EXIT_OK } from '../exitCodes.js';

const databaseOptions = { db: { type: 'string' }, 'data-dir': { type: 'string' } } as const;

/** Token management talks to the database directly: whoever holds its credentials administers tokens. */
async function withStore<T>(args: CommandArgs, io: CliIo, work: (store: CatalogStore, principal: Principal) => Promise<T>): Promise<T> {
  const config = resolveCatalogConfig({ db: stringOption(args, 'db'), dataDir: stringOption(args, 'data-dir') }, io.env, io.cwd);
  const store = await openCatalogStore(config.database);
  try {
    return await work(store, { kind: 'direct', name: io.env['USER'] ?? io.env['USERNAME'] ?? 'local' });
  } finally {
    await store.close();
  }
}

const createCommand: Command = {
  name: 'create',
  summary: 'Create a bearer token for a team and print it once (only its sha-256 is stored).',
  usage: 'create --team <team> [--description <text>] [--db <url> | --data-dir <dir>] [--format text|json]',
  options: { team: { type: 'string' }, description: { type: 'string' }, ...databaseOptions },
  maxPositionals: 0,
  formats: ['text', 'json'],
  async run(args, io) {
    const team = stringOption(args, 'team');
    if (team === undefined) throw new UsageError('--team is required: mesh token create --team <team>');
    checkTeam(team);
    const { token, record } = await withStore(args, io, (store, principal) => store.createToken(team, principal, stringOption(args, 'description')));
    if (args.format === 'json') {
      io.stdout.write(JSON.stringify({ token, id: record.id, team: record.team, prefix: record.prefix }) + '\n');
    } else {
      // The token alone on stdout, so that TOKEN=$(mesh token create --team x) works; the notice on stderr.
      io.stdout.write(`${token}\n`);
      io.stderr.write(`token ${record.id} for team ${record.team}; it is shown this once, store it now\n`);
    }
    return EXIT_OK;
  },
};

const listCommand: Command = {
  name: 'list',
  summary: 'List tokens (id, team, prefix, created, revoked), never their secrets.',
  usage: 'list [--team <team>] [--db <url> | --data-dir <dir>] [--format text|json]',
  options: { team: { type: 'string' }, ...databaseOptions },
  maxPositionals: 0,
  formats: ['text', 'json'],
  async run(args, io) {
    const tokens = await withStore(args, io, (store) => store.listTokens(stringOption(args, 'team')));
    if (args.format === 'json') {
      io.stdout.write(JSON.stringify(tokens, null, 2) + '\n');
    } else {
      for (const t of tokens) {
        io.stdout.write(`${String(t.id).padStart(4)}  ${t.team}  ${t.prefix}…  created ${t.createdAt.toISOString()}${t.revokedAt ? `  revoked ${t.revokedAt.toISOString()}` : ''}\n`);
      }
    }
    return EXIT_OK;
  },
};

const revokeCommand: Command = {
  name: 'revoke',
  summary: 'Revoke a token by id; servers stop accepting it within their token cache time (10 s).',
  usage: 'revoke <id> [--db <url> | --data-dir <dir>] [--format text|json]',
  options: { ...databaseOptions },
  maxPositionals: 1,
  formats: ['text', 'json'],
  async run(args, io) {
    const id = Number(args.positionals[0]);
    if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError('give the id of the token to revoke: mesh token revoke <id> (see mesh token list)');
    const record = await withStore(args, io, (store, principal) => store.revokeToken(id, principal));
    io.stdout.write(args.format === 'json' ? JSON.stringify(record) + '\n' : `token ${record.id} of team ${record.team} is revoked\n`);
    return EXIT_OK;
  },
};

export const tokenCommand: Command = {
  name: 'token',
  summary: 'Manage the bearer tokens that let teams write to the catalog.',
  usage: 'token create|list|revoke',
  options: {},
  maxPositionals: 0,
  formats: ['text', 'json'],
  subcommands: [createCommand, listCommand, revokeCommand],
  async run() {
    throw new UsageError('mesh token needs a subcommand: create, list or revoke');
  },
};
