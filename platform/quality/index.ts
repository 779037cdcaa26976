/**
 * Data quality: `assessPort` tests one output port's data (a warehouse table or a file) against its contract,
 * quality checks and SLA, and returns a `QualityReport` with the quality score. `mesh test` and the pipeline's
 * write-audit-publish step both call it.
 */
export { assessPort, type AssessPortInput, type QualitySource, type DeadLetterOption } from './assessPort.js';
export type * from './QualityReport.js';
export type { QualityProgress } from './QualityProgress.js';
export type { RunRecord } from './score/RunRecord.js';
export type { TableSource } from './table/measureTable.js';
export { PLATFORM_COLUMN_PREFIX } from './table/contractPredicate.js';
export { contractConstraint, type ContractConstraint } from './contractConstraint.js';
export type { FileSource } from './file/measureFile.js';
export type { CsvOptions } from './file/readCsvRecords.js';
export { deadLetterTableFor, notRejectedSql, type DeadLetterTableTarget } from './deadLetter/DeadLetterTable.js';
export { scoreQuality, grade, DEFAULT_WEIGHTS } from './score/scoreQuality.js';
export { slaStatus, AT_RISK_FROM } from './score/slaStatus.js';
export { parseDuration } from './score/parseDuration.js';
export { checkName, CHECK_KINDS } from './checks/index.js';
export { translatePattern } from './contract/translatePattern.js';
