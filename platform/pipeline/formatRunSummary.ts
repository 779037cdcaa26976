import type { Style } from '../cli/style.js';
import type { RunSummary, StepSummary } from './RunSummary.js';

/**
 * A run summary for people: one line per port (status, table, rows in and out, rejects, attempts, time),
 * reasons under failed and skipped products, and the totals.
 */
export function formatRunSummary(summary: RunSummary, style: Style): string {
  const lines: string[] = [];
  for (const product of summary.products) {
    const mark = product.status === 'completed' ? style.green('✓') : product.status === 'failed' ? style.red('✗') : style.dim('-');
    lines.push(`${mark} ${style.bold(product.product)}${product.status === 'skipped' ? style.dim(`  skipped: ${product.reason ?? ''}`) : `  ${seconds(product.durationMs)}`}`);
    for (const step of product.steps) {
      lines.push(`    ${stepLine(step, style)}`);
      if (step.status === 'failed' && step.error) lines.push(`      ${style.red(step.error)}`);
      for (const retry of step.retries) lines.push(style.dim(`      attempt ${retry.attempt} failed (${retry.error}); retried after ${seconds(retry.delayMs)}`));
      // Failing checks that did not fail the run (warnings, the contract's keys): the error line names the others.
      for (const check of step.checks) {
        const failing = check.status === 'failed' || check.status === 'error';
        const failedRun = check.origin === 'manifest' && check.severity === 'error';
        if (failing && !failedRun) lines.push(`      ${style.yellow('warning')} ${check.name}: ${check.message}`);
      }
      if (step.status === 'failed' && step.published === undefined && step.rowsOut > 0) lines.push(style.dim(`      the published ${step.table} is unchanged (${step.rowsOut} rows)`));
      if (step.deadLetters) lines.push(style.dim(`      ${step.rejected} rejected ${step.rejected === 1 ? 'record is' : 'records are'} in ${step.deadLetters}`));
    }
  }
  const t = summary.totals;
  const parts = [`${t.completed} completed`, ...(t.failed > 0 ? [style.red(`${t.failed} failed`)] : []), ...(t.skipped > 0 ? [`${t.skipped} skipped`] : [])];
  lines.push('');
  lines.push(
    `${t.products} ${t.products === 1 ? 'product' : 'products'} (${parts.join(', ')}), ${t.ports} ${t.ports === 1 ? 'port' : 'ports'}: ` +
      `${t.rowsIn} rows in, ${t.rowsOut} out, ${t.rejected} rejected; ${seconds(summary.durationMs)} on ${summary.warehouse}`,
  );
  return lines.join('\n') + '\n';
}

function stepLine(step: StepSummary, style: Style): string {
  const status = step.status === 'completed' ? style.green('completed') : style.red('FAILED');
  const attempts = step.attempts > 1 ? `, ${step.attempts} attempts` : '';
  const quality = step.quality?.score != null ? `, quality ${step.quality.score} (${step.quality.grade})` : '';
  return `${step.port} -> ${step.table} (${step.kind}) ${status}: ${step.rowsIn} in, ${step.rowsOut} out, ${step.rejected} rejected${quality}${attempts}, ${seconds(step.durationMs)}`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
