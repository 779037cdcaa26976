import { readFileSync, statSync } from 'node:fs';
import type { Problem } from '../problems/Problem.js';
import { ProblemCode } from '../problems/codes.js';
import { problemInFile } from './SourceDocument.js';
import { errorMessage } from '../errors.js';

/** Size limits for files the platform reads, in bytes. */
export const FILE_LIMITS = {
  manifest: 1024 * 1024,
  contract: 8 * 1024 * 1024,
} as const;

export type ReadResult = { ok: true; text: string } | { ok: false; problem: Problem };

/**
 * Reads a UTF-8 text file, refusing files above `maxBytes` before reading them, and dropping a byte-order mark.
 * `file` is the name used in problems (repository-relative). Synchronous on purpose: a repository is thousands
 * of small files, and reading them in this thread costs a tenth of the same reads through the thread pool.
 */
export function readSource(absolutePath: string, file: string, maxBytes: number): ReadResult {
  try {
    // stat before opening: opening a named pipe would wait for a writer.
    const info = statSync(absolutePath);
    if (!info.isFile()) {
      return { ok: false, problem: problemInFile(file, ProblemCode.FILE_UNREADABLE, 'error', `${file} is not a regular file`) };
    }
    if (info.size > maxBytes) {
      return {
        ok: false,
        problem: problemInFile(
          file,
          ProblemCode.FILE_TOO_LARGE,
          'error',
          `${file} is ${info.size} bytes; the limit for this kind of file is ${maxBytes} bytes`,
        ),
      };
    }
    return { ok: true, text: stripBom(readFileSync(absolutePath, 'utf8')) };
  } catch (error) {
    return { ok: false, problem: problemInFile(file, ProblemCode.FILE_UNREADABLE, 'error', `cannot read ${file}: ${errorMessage(error)}`) };
  }
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
