import type { Problem } from '../problems/Problem.js';
import type { Style } from './style.js';

/** One problem per line, `file:line:column  severity  CODE  message`, the shape editors and CI logs link. */
export function formatProblemsText(problems: readonly Problem[], style: Style): string {
  return problems
    .map((p) => {
      const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
      const severity = p.severity === 'error' ? style.red('error') : p.severity === 'warning' ? style.yellow('warning') : style.dim('info');
      return `${where}  ${severity}  ${style.dim(p.code)}  ${p.message}\n`;
    })
    .join('');
}

export function countBySeverity(problems: readonly Problem[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const p of problems) {
    if (p.severity === 'error') errors++;
    else if (p.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
