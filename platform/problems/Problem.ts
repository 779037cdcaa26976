import type { ProblemCode } from './codes.js';

/** How bad a problem is. `error` fails `mesh validate`; `warning` and `info` are reported only. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * One thing wrong with the repository, as data. Every check reports problems and never throws, so one run
 * lists all of them. `line` and `column` are 1-based; they are 0 only when no file position applies.
 */
export interface Problem {
  readonly code: ProblemCode;
  readonly severity: Severity;
  /** Path of the file at fault, relative to the repository root, with forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** JSON pointer into the file's document (`""` for the whole document). */
  readonly pointer: string;
  readonly message: string;
}

/** Orders problems by file, then position, then code, so that output is stable across runs. */
export function compareProblems(a: Problem, b: Problem): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
    (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0)
  );
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
