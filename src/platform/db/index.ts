export { type DataDirLock, DataDirLockedError, lockDataDir } from './data-lock.ts';
export {
  type AnyDb,
  type AnyTransaction,
  type Database,
  type DatabaseOptions,
  openDatabase,
  type PoolStats,
  type ScriptRunner,
  scoped,
} from './database.ts';
export {
  checksumOf,
  MIGRATIONS_DIR,
  MigrationError,
  type MigrationReport,
  migrate,
  readMigrations,
} from './migrate.ts';
export { applyReferenceData, type ReferenceDataSet } from './reference-data.ts';
export { isDatabaseUnavailable } from './unavailable.ts';
