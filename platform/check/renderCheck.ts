import { countBySeverity, formatProblemsText, plural } from '../cli/formatProblems.js';
import type { Style } from '../cli/style.js';
import { breaks, cell, renderChangesTable } from '../compat/renderChanges.js';
import type { Problem } from '../problems/Problem.js';
import { describeDownstream, type CheckReport, type PortReport } from './checkPullRequest.js';

/** Marks the pull-request comment, so that a workflow can find and update its own comment. */
export const COMMENT_MARKER = '<!-- mesh-contract-check -->';

function short(commit: string): string {
  return commit.slice(0, 12);
}

function verdictLine(report: CheckReport): string {
  const { errors, warnings } = countBySeverity(report.problems);
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(report.ports.length, 'port')} changed`;
}

function portTitle(port: PortReport): string {
  return `${port.product}.${port.port}`;
}

function portSummary(port: PortReport): string {
  const version =
    port.version.base !== undefined || port.version.head !== undefined
      ? `x-version ${port.version.base ?? '?'} → ${port.version.head ?? '?'}${port.version.ok ? '' : ` (a ${port.version.required} bump is needed)`}`
      : '';
  const what =
    port.status === 'removed'
      ? 'removed'
      : port.status === 'added'
        ? port.replaces
          ? `added, replacing deprecated port "${port.replaces}" (${port.level === 'breaking' ? 'breaking' : port.level} change)`
          : 'added'
        : port.level === 'breaking'
          ? `breaking change under ${port.mode}`
          : port.level === 'schema'
            ? 'compatible schema change'
            : port.level === 'metadata'
              ? 'metadata change'
              : 'no change in the schema';
  return [what, version].filter(Boolean).join(', ');
}

/** `mesh check` text output: problems as `mesh validate` prints them, then one block per changed port. */
export function renderCheckText(report: CheckReport, style: Style): string {
  const out: string[] = [`mesh check: working tree against ${report.base.ref} (compared with ${short(report.base.comparedWith)})`];
  const problems = formatProblemsText(report.problems, style);
  if (problems) out.push(problems.trimEnd());
  for (const port of report.ports) {
    const bad = !port.compatible || !port.version.ok;
    out.push(`${bad ? style.red('✗') : style.green('✓')} ${style.bold(portTitle(port))}  ${port.contract.head ?? port.contract.base ?? ''}  ${portSummary(port)}`);
    if (!port.compatible || port.status === 'removed') out.push(`    downstream: ${describeDownstream(port.downstream)}`);
    for (const change of port.changes) {
      const mark = breaks(change, port.mode) ? style.red('breaks') : style.dim('ok    ');
      out.push(`    ${mark}  ${change.code}  ${change.file ? `${change.file}#` : ''}${change.pointer || '/'}  ${change.message}`);
    }
  }
  const line = verdictLine(report);
  out.push(report.ok ? style.green(`passed: ${line}`) : style.red(`failed: ${line}`));
  return out.join('\n') + '\n';
}

/** `mesh check --format markdown`: a pull-request comment. */
export function renderCheckMarkdown(report: CheckReport): string {
  const out: string[] = [COMMENT_MARKER];
  out.push(`## mesh contract check: ${report.ok ? '✅ passed' : '❌ failed'}`);
  out.push('');
  out.push(`Compared the working tree with \`${report.base.ref}\` (from \`${short(report.base.comparedWith)}\`): ${verdictLine(report)}.`);
  const breaking = report.ports.filter((p) => !p.compatible);
  const others = report.ports.filter((p) => p.compatible);
  if (breaking.length > 0) {
    out.push('', '### Breaking changes');
    for (const port of breaking) out.push(...portSection(port));
  }
  if (others.length > 0) {
    out.push('', '### Other port changes');
    for (const port of others) out.push(...portSection(port));
  }
  const problems = report.problems;
  if (problems.length > 0) {
    out.push('', '### Problems', '', '| | Code | Where | Message |', '|---|---|---|---|');
    for (const p of problems) out.push(`| ${p.severity === 'error' ? '❌' : p.severity === 'warning' ? '⚠️' : 'ℹ️'} | \`${p.code}\` | ${cell(where(p))} | ${cell(p.message)} |`);
  }
  if (breaking.length > 0) {
    out.push('', '<sub>To ship an intended break, keep the old major as a deprecated port with a sunset date and publish the new major on a new port that it names in `replacedBy`; see the README, "The pull-request check in GitHub Actions".</sub>');
  }
  return out.join('\n') + '\n';
}

function portSection(port: PortReport): string[] {
  const out = ['', `#### \`${portTitle(port)}\` (team ${port.team ?? 'unknown'}): ${portSummary(port)}`, ''];
  const contract = port.contract.base && port.contract.head && port.contract.base !== port.contract.head ? `\`${port.contract.base}\` → \`${port.contract.head}\`` : `\`${port.contract.head ?? port.contract.base}\``;
  out.push(`Contract ${contract}, mode \`${port.mode}\`.`);
  if (!port.compatible || port.status === 'removed') {
    out.push('', port.downstream.length > 0 ? `**Affected downstream:** ${port.downstream.map((d) => `\`${d.product}\` (${[d.team && `team ${d.team}`, d.distance > 1 && `${d.distance} hops`].filter(Boolean).join(', ') || 'no owner'})`).join(', ')}` : 'No product in this repository reads this port.');
  }
  if (port.changes.length > 0) {
    out.push('', renderChangesTable(port.changes, port.mode, (c) => ({ file: c.file ?? '', position: undefined })).trimEnd());
  }
  return out;
}

function where(p: Problem): string {
  return p.line > 0 ? `${p.file}:${p.line}` : p.file;
}

/**
 * `mesh check --format github`: one workflow command per problem (`::error file=...,line=...,col=...,title=...::
 * message`), paths from the top of the git work tree, then a summary line.
 */
export function renderCheckGithub(report: CheckReport): string {
  const out: string[] = [];
  for (const p of report.problems) {
    const command = p.severity === 'error' ? 'error' : p.severity === 'warning' ? 'warning' : 'notice';
    const properties = [`file=${property(report.prefix + p.file)}`];
    if (p.line > 0) properties.push(`line=${p.line}`, `col=${p.column}`);
    properties.push(`title=${property(p.code)}`);
    out.push(`::${command} ${properties.join(',')}::${data(p.message)}`);
  }
  out.push(`mesh check ${report.ok ? 'passed' : 'failed'}: ${verdictLine(report)}`);
  return out.join('\n') + '\n';
}

/** Escapes a workflow command's message, as the Actions toolkit does. */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value. */
function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
