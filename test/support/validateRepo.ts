import type { Problem } from '../../platform/problems/Problem.js';
import { loadRepository } from '../../platform/repo/loadRepository.js';
import { writeTempRepo, type RepoFiles } from './fixtureRepo.js';

/** Writes a repository to a temporary folder, validates it, removes it, and returns the problems. */
export async function validateFiles(files: RepoFiles): Promise<Problem[]> {
  const repo = await writeTempRepo(files);
  try {
    return [...(await loadRepository(repo.root)).problems];
  } finally {
    await repo.cleanup();
  }
}

/** Replaces 1-based line `n` of `text` (or deletes it when `replacement` is null). */
export function replaceLine(text: string, n: number, replacement: string | null): string {
  const lines = text.split('\n');
  if (replacement === null) lines.splice(n - 1, 1);
  else lines[n - 1] = replacement;
  return lines.join('\n');
}

/** The 1-based line of the first occurrence of `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`"${needle}" not found`);
  return text.slice(0, index).split('\n').length;
}

/** Problems reduced to what the tables compare. */
export function summarize(problems: readonly Problem[]): { code: string; line: number; pointer: string; file: string }[] {
  return problems.map(({ code, line, pointer, file }) => ({ code, line, pointer, file }));
}
