import type { Problem, Severity } from '../problems/Problem.js';
import type { ProblemCode } from '../problems/codes.js';

/** A 1-based line and column. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Which part of a `key: value` pair a pointer should be located at. */
export type PositionPart = 'key' | 'value';

/**
 * A parsed file that can tell where a JSON pointer sits in its text. Positions are computed on demand, so
 * files without problems cost no more than a plain parse.
 */
export interface SourceDocument {
  /** Path relative to the repository root, forward slashes. */
  readonly file: string;
  readonly text: string;
  /** The parsed value; `undefined` when the text could not be parsed. */
  readonly value: unknown;
  /**
   * Where the node at `pointer` starts. A pointer to something absent resolves to the nearest existing
   * ancestor, so a missing field is reported at the object that should hold it.
   */
  position(pointer: string, part?: PositionPart): Position;
}

/** Maps character offsets to line and column. */
export class LineIndex {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}

  position(offset: number): Position {
    const starts = (this.starts ??= lineStarts(this.text));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Builds a problem located in a document. */
export function problemAt(
  doc: Pick<SourceDocument, 'file' | 'position'>,
  code: ProblemCode,
  severity: Severity,
  pointer: string,
  message: string,
  part: PositionPart = 'value',
): Problem {
  const { line, column } = doc.position(pointer, part);
  return { code, severity, file: doc.file, line, column, pointer, message };
}

/** Builds a problem for a file as a whole, at a known position or at its start. */
export function problemInFile(
  file: string,
  code: ProblemCode,
  severity: Severity,
  message: string,
  at: Position = { line: 1, column: 1 },
  pointer = '',
): Problem {
  return { code, severity, file, line: at.line, column: at.column, pointer, message };
}
