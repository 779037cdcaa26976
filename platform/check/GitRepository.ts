import { spawn } from 'node:child_process';
import { InputError, errorMessage } from '../errors.js';

/** Output of one git command. */
interface GitResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** A file that differs between a commit and the working tree. */
export interface ChangedFile {
  /** Path relative to the folder the repository was opened at (forward slashes). */
  readonly path: string;
  readonly status: 'added' | 'modified' | 'deleted';
}

/**
 * The git repository around a folder, read through the git command line (never through a shell). `env` is
 * the environment git runs with (PATH, HOME, GIT_*), passed in by the caller.
 */
export class GitRepository {
  private constructor(
    /** The folder the repository was opened at. */
    readonly dir: string,
    /** The repository's top folder. */
    readonly top: string,
    /** Where `dir` sits below `top`: `""` or `some/path/`. */
    readonly prefix: string,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  static async open(dir: string, env: Readonly<Record<string, string | undefined>>): Promise<GitRepository> {
    const probe = new GitRepository(dir, dir, '', env);
    const top = await probe.text(['rev-parse', '--show-toplevel']);
    const prefix = await probe.text(['rev-parse', '--show-prefix']);
    if (top === undefined || prefix === undefined) throw new InputError(`${dir} is not inside a git repository; mesh check compares against a git revision`);
    return new GitRepository(dir, top, prefix, env);
  }

  async isShallow(): Promise<boolean> {
    return (await this.text(['rev-parse', '--is-shallow-repository'])) === 'true';
  }

  /** The commit a revision names, or `undefined` when it does not exist here. */
  async resolveCommit(revision: string): Promise<string | undefined> {
    if (revision.startsWith('-')) return undefined;
    return this.text(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]);
  }

  /** The common ancestor of two commits, or `undefined` (a shallow clone may not hold it). */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    return this.text(['merge-base', a, b]);
  }

  /**
   * Files below `dir` that differ between `commit` and the working tree: tracked changes, committed or
   * not, and untracked files that are not ignored.
   */
  async changedFiles(commit: string): Promise<ChangedFile[]> {
    const diff = await this.run(['diff', '--name-status', '-z', '--no-renames', '--relative', commit, '--']);
    if (diff.code !== 0) throw new InputError(`git diff against ${commit} failed: ${diff.stderr}`);
    const out: ChangedFile[] = [];
    const fields = diff.stdout.toString('utf8').split('\0');
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const status = fields[i]!;
      out.push({ path: fields[i + 1]!, status: status.startsWith('A') ? 'added' : status.startsWith('D') ? 'deleted' : 'modified' });
    }
    const untracked = await this.run(['ls-files', '--others', '--exclude-standard', '-z', '--', '.']);
    if (untracked.code === 0) {
      for (const path of untracked.stdout.toString('utf8').split('\0')) if (path !== '') out.push({ path, status: 'added' });
    }
    return out;
  }

  /**
   * Reads files (paths relative to `dir`) as they are in `commit`, in one `git cat-file --batch`; files
   * absent in that commit are left out of the answer.
   */
  async readFilesAt(commit: string, paths: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (paths.length === 0) return out;
    const input = paths.map((p) => `${commit}:${this.prefix}${p}\n`).join('');
    const result = await this.run(['cat-file', '--batch'], input, this.top);
    if (result.code !== 0) throw new InputError(`git cat-file failed: ${result.stderr}`);
    const data = result.stdout;
    let offset = 0;
    for (const path of paths) {
      const end = data.indexOf(0x0a, offset);
      if (end === -1) break;
      const header = data.subarray(offset, end).toString('utf8');
      offset = end + 1;
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) continue;
      const [, type, sizeText] = header.split(' ');
      const size = Number(sizeText);
      if (!Number.isInteger(size)) throw new InputError(`unexpected output from git cat-file: ${header}`);
      if (type === 'blob') out.set(path, data.subarray(offset, offset + size).toString('utf8'));
      offset += size + 1;
    }
    return out;
  }

  private async text(args: readonly string[]): Promise<string | undefined> {
    const result = await this.run(args);
    return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
  }

  private run(args: readonly string[], input?: string, cwd = this.dir): Promise<GitResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', [...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...this.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (error) => reject(new InputError(`cannot run git: ${errorMessage(error)}`, { cause: error })));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8').trim() }));
      child.stdin.on('error', () => undefined);
      child.stdin.end(input ?? '');
    });
  }
}
