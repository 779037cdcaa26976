import type { Problem } from '../../problems/Problem.js';
import { ProblemCode } from '../../problems/codes.js';
import { problemAt } from '../../source/SourceDocument.js';
import { closest } from '../../util/closest.js';
import type { Product } from '../Repository.js';
import type { RepositoryRule, RuleContext } from './RepositoryRule.js';

/**
 * Fields named in a manifest exist in the contracts they refer to: quality checks (and the port they apply
 * to), the freshness SLA's column, the fields an input reads, and pipeline steps' keys.
 */
export const fieldsExist: RepositoryRule = {
  name: 'fields-exist',
  description: 'Fields named by quality checks, SLAs, inputs and pipeline steps exist in the contracts they refer to.',
  check(context, report) {
    for (const product of context.repository.products.values()) {
      checkQuality(context, product, report);
      checkSla(context, product, report);
      checkInputs(context, product, report);
      checkSteps(context, product, report);
    }
  },
};

type Report = (problem: Problem) => void;

function expectField(context: RuleContext, product: Product, port: string, field: string, pointer: string, report: Report, code: Problem['code'] = ProblemCode.QUALITY_FIELD_UNKNOWN, producer = product.id): void {
  const fields = context.fieldsOf(producer, port);
  if (!fields || fields.has(field)) return;
  const hint = closest(field, [...fields]);
  report(problemAt(product.document, code, 'error', pointer, `"${field}" is not a field of ${producer === product.id ? 'port' : `${producer}'s port`} "${port}"${hint ? ` (did you mean "${hint}"?)` : ''}`));
}

function checkQuality(context: RuleContext, product: Product, report: Report): void {
  const { manifest, document } = product;
  const ports = [...new Set(manifest.outputs.map((o) => o.port))];
  (manifest.quality ?? []).forEach((check, i) => {
    const at = `/quality/${i}`;
    let port = check.port;
    if (port === undefined) {
      if (ports.length > 1) {
        report(problemAt(document, ProblemCode.QUALITY_PORT_UNKNOWN, 'error', at, `the product has ${ports.length} ports; say which one this check applies to (port: ...)`));
        return;
      }
      port = ports[0]!;
    } else if (!ports.includes(port)) {
      report(problemAt(document, ProblemCode.QUALITY_PORT_UNKNOWN, 'error', `${at}/port`, `no output port "${port}" in this product`));
      return;
    }
    switch (check.check) {
      case 'unique':
        if (check.field !== undefined) expectField(context, product, port, check.field, `${at}/field`, report);
        (check.fields ?? []).forEach((f, j) => expectField(context, product, port, f, `${at}/fields/${j}`, report));
        break;
      case 'not_null':
      case 'accepted_values':
      case 'range':
        expectField(context, product, port, check.field, `${at}/field`, report);
        break;
      case 'relationships':
        expectField(context, product, port, check.field, `${at}/field`, report);
        if (!(manifest.inputs ?? []).some((input) => input.product === check.to.product && input.port === check.to.port)) {
          report(problemAt(document, ProblemCode.QUALITY_PORT_UNKNOWN, 'error', `${at}/to`, `"${check.to.product}.${check.to.port}" is not among the product's inputs`));
        } else {
          expectField(context, product, check.to.port, check.to.field, `${at}/to/field`, report, ProblemCode.QUALITY_FIELD_UNKNOWN, check.to.product);
        }
        break;
      case 'row_count':
      case 'sql':
        break;
    }
  });
}

function checkSla(context: RuleContext, product: Product, report: Report): void {
  const column = product.manifest.sla?.freshness?.column;
  if (column === undefined) return;
  const known = product.manifest.outputs.map((o) => context.fieldsOf(product.id, o.port));
  if (known.some((fields) => fields === undefined || fields.has(column))) return;
  report(problemAt(product.document, ProblemCode.SLA_COLUMN_UNKNOWN, 'error', '/sla/freshness/column', `no output port's contract has a field "${column}"`));
}

function checkInputs(context: RuleContext, product: Product, report: Report): void {
  (product.manifest.inputs ?? []).forEach((input, i) => {
    if (input.product === undefined || input.port === undefined) return;
    (input.fields ?? []).forEach((field, j) =>
      expectField(context, product, input.port!, field, `/inputs/${i}/fields/${j}`, report, ProblemCode.QUALITY_FIELD_UNKNOWN, input.product),
    );
  });
}

function checkSteps(context: RuleContext, product: Product, report: Report): void {
  (product.manifest.pipeline?.steps ?? []).forEach((step, i) => {
    const at = `/pipeline/steps/${i}`;
    if (!product.manifest.outputs.some((o) => o.port === step.port)) return;
    if (step.watermark !== undefined) expectField(context, product, step.port, step.watermark, `${at}/watermark`, report);
    (step.uniqueKey ?? []).forEach((f, j) => expectField(context, product, step.port, f, `${at}/uniqueKey/${j}`, report));
    // Change events are applied by key: the key is published, so it is a field of the contract. (The operation
    // and sequence fields may stay outside it: they steer the load.)
    (step.load?.cdc?.key ?? []).forEach((f, j) => expectField(context, product, step.port, f, `${at}/load/cdc/key/${j}`, report, ProblemCode.PIPELINE_STEP_INVALID));
  });
}
