DROP INDEX IF EXISTS idx_audit_logs_action;
ALTER TABLE audit_logs DROP COLUMN IF EXISTS channel;
