import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SERVE_V8_FLAGS } from '../../platform/cli/serveFlags.js';

/** The built CLI (`npm test` builds before it runs the suites). */
export const MESH_BIN = join(import.meta.dirname, '..', '..', 'dist', 'platform', 'cli', 'bin.js');

function requireBuild(): void {
  if (!existsSync(MESH_BIN)) throw new Error(`${MESH_BIN} is missing: run npm run build (npm test does) before this suite`);
}

/** Runs `mesh <args>` to completion. */
export function runMesh(args: readonly string[], env: Record<string, string> = {}, cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  requireBuild();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MESH_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...(cwd === undefined ? {} : { cwd }) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  readonly stderr: () => string;
}

/**
 * Starts `mesh serve --port 0 --format json <args>` and waits for it to listen. By default as a user starts it,
 * through the launcher that relaunches the server with `SERVE_V8_FLAGS`; `direct: true` starts the server process
 * itself with those flags, so that `child` is the process doing the work (benchmarks read its CPU time).
 */
export async function startServe(args: readonly string[], options: { direct?: boolean } = {}): Promise<ServeProcess> {
  requireBuild();
  const flags = options.direct ? SERVE_V8_FLAGS : [];
  const child = spawn(process.execPath, [...flags, MESH_BIN, 'serve', '--port', '0', '--format', 'json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => {
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch {
        reject(new Error(`mesh serve printed ${line}`));
      }
    });
    void exited.then((code) => reject(new Error(`mesh serve exited with ${code}: ${stderr}`)));
  });
  return { child, url, exited, stderr: () => stderr };
}
