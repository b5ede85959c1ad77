/** The audit log: one entry per change, written in the change's own transaction. */
export { AuditService, type AuditEntry, type AuditQuery } from './audit.service.ts';
