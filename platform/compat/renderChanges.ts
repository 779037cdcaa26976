import { plural } from '../cli/formatProblems.js';
import type { Style } from '../cli/style.js';
import type { Position } from '../source/SourceDocument.js';
import type { Change, CompatibilityMode, DiffResult } from './diffContracts.js';

/** Whether a change breaks the promise a mode makes. */
export function breaks(change: Change, mode: CompatibilityMode): boolean {
  switch (mode) {
    case 'backward':
      return !change.backward;
    case 'forward':
      return !change.forward;
    case 'full':
      return !change.backward || !change.forward;
    case 'none':
      return false;
  }
}

/** Locates a change: `file:line:column` when the file's positions are known. */
export type Locate = (change: Change) => { file: string; position: Position | undefined };

/** One line per change, breaking ones first, then a summary; the shape of `mesh diff` text output. */
export function renderDiffText(result: DiffResult, title: string, locate: Locate, style: Style): string {
  const breaking = result.changes.filter((c) => breaks(c, result.mode));
  const verdict = result.compatible ? style.green('compatible') : style.red('incompatible');
  const lines = [`${title}: ${verdict} (mode ${result.mode}, policy ${result.policy})`];
  for (const change of [...breaking, ...result.changes.filter((c) => !breaks(c, result.mode))]) {
    const { file, position } = locate(change);
    const where = position ? `${file}:${position.line}:${position.column}` : file;
    const mark = breaks(change, result.mode) ? style.red(`breaks ${directions(change)}`) : style.dim('compatible');
    lines.push(`  ${where}  ${mark}  ${style.bold(change.code)}  ${change.pointer || '/'}  ${change.message}`);
  }
  lines.push(style.dim(`${plural(result.changes.length, 'change')}, ${breaking.length} breaking under ${result.mode}`));
  return lines.join('\n') + '\n';
}

/** A Markdown table of changes, breaking ones first; used by `mesh diff` and by the pull-request comment. */
export function renderChangesTable(changes: readonly Change[], mode: CompatibilityMode, locate: Locate): string {
  if (changes.length === 0) return '_No changes._\n';
  const ordered = [...changes.filter((c) => breaks(c, mode)), ...changes.filter((c) => !breaks(c, mode))];
  const rows = ordered.map((c) => {
    const { file, position } = locate(c);
    const where = `\`${c.pointer || '/'}\`${position ? ` (${file}:${position.line})` : file ? ` (${file})` : ''}`;
    return `| ${breaks(c, mode) ? '❌' : '✅'} | \`${c.code}\` | ${cell(where)} | ${c.backward ? 'yes' : '**no**'} | ${c.forward ? 'yes' : '**no**'} | ${cell(c.message)} |`;
  });
  return ['| | Change | Where | Backward | Forward | Details |', '|---|---|---|---|---|---|', ...rows].join('\n') + '\n';
}

/** `mesh diff --format markdown`: a heading, the verdict, and the table. */
export function renderDiffMarkdown(result: DiffResult, oldName: string, newName: string, locate: Locate): string {
  const breaking = result.changes.filter((c) => breaks(c, result.mode)).length;
  const verdict = result.compatible
    ? `**Compatible** under mode \`${result.mode}\` (policy \`${result.policy}\`).`
    : `**Incompatible** under mode \`${result.mode}\` (policy \`${result.policy}\`): ${breaking} of ${plural(result.changes.length, 'change')} ${breaking === 1 ? 'breaks' : 'break'} it.`;
  return `### Contract diff: \`${oldName}\` → \`${newName}\`\n\n${verdict}\n\n${renderChangesTable(result.changes, result.mode, locate)}`;
}

function directions(change: Change): string {
  return [!change.backward && 'backward', !change.forward && 'forward'].filter(Boolean).join(' and ');
}

/** A Markdown table cell: pipes escaped, line breaks flattened. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
