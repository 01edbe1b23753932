export {
  type AuditEntry,
  type AuditRow,
  appendAudit,
  auditHash,
  type ChainVerdict,
  canonicalJson,
  GENESIS_HASH,
  verifyAuditChain,
} from './audit.ts';
