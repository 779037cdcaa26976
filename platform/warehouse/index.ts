export { openWarehouse } from './openWarehouse.js';
export { resolveWarehouseConfig, type WarehouseConfig } from './resolveWarehouseConfig.js';
export { portTable, columnType, type TableName } from './portTable.js';
