import { ProblemCode } from '../../problems/codes.js';
import { problemAt } from '../../source/SourceDocument.js';
import { findSqlRefs } from '../../pipeline/sqlRefs.js';
import { stepProblem } from '../../pipeline/planStep.js';
import type { RepositoryRule } from './RepositoryRule.js';

/**
 * Pipeline steps build declared ports from files that exist, and their SQL reads only declared inputs, so
 * that the lineage in the manifest is the lineage of the run.
 */
export const pipelineResolves: RepositoryRule = {
  name: 'pipeline-resolves',
  description: "Pipeline steps name output ports, their files exist beside the manifest, SQL refs name the product's inputs, and each step's kind can be built.",
  check({ repository, knownPorts, sqlText }, report) {
    for (const product of repository.products.values()) {
      const { manifest, document } = product;
      const steps = manifest.pipeline?.steps ?? [];
      const inputs = manifest.inputs ?? [];
      const built = new Set<string>();
      steps.forEach((step, i) => {
        const at = `/pipeline/steps/${i}`;
        if (!manifest.outputs.some((o) => o.port === step.port)) {
          report(problemAt(document, ProblemCode.PIPELINE_PORT_UNKNOWN, 'error', `${at}/port`, `no output port "${step.port}" in this product`));
        } else if (built.has(step.port)) {
          report(problemAt(document, ProblemCode.PIPELINE_PORT_UNKNOWN, 'error', `${at}/port`, `port "${step.port}" is built by two steps`));
        }
        built.add(step.port);
        const invalid = stepProblem(step);
        if (invalid) report(problemAt(document, ProblemCode.PIPELINE_STEP_INVALID, 'error', `${at}/${invalid.pointer}`, invalid.message));
        const file = step.load?.file ?? step.sql;
        if (file !== undefined && !repository.files.has(`${product.dir}/${file}`)) {
          report(problemAt(document, ProblemCode.PIPELINE_FILE_MISSING, 'error', `${at}/${step.load ? 'load/file' : 'sql'}`, `${product.dir}/${file} does not exist`));
        }
        const sql = step.query ?? (step.sql !== undefined ? sqlText(`${product.dir}/${step.sql}`) : undefined);
        if (sql === undefined) return;
        const pointer = step.query !== undefined ? `${at}/query` : `${at}/sql`;
        for (const ref of findSqlRefs(sql)) {
          const input = inputs.find((x) => x.product === ref.product && (ref.port === undefined || x.port === ref.port));
          if (!input) {
            report(problemAt(document, ProblemCode.PIPELINE_REF_UNKNOWN, 'error', pointer, `ref('${ref.product}'${ref.port ? `, '${ref.port}'` : ''}) is not among the product's inputs`));
          } else if (ref.port === undefined && (knownPorts.get(ref.product)?.size ?? 0) > 1) {
            report(problemAt(document, ProblemCode.PIPELINE_REF_UNKNOWN, 'error', pointer, `"${ref.product}" has several ports; name one: ref('${ref.product}', '<port>')`));
          }
        }
      });
    }
  },
};
