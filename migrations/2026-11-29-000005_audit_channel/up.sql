-- Which surface a change came through: `graphql`, `rest` or `mcp` (an agent's tool call).
ALTER TABLE audit_logs ADD COLUMN channel VARCHAR(20) NOT NULL DEFAULT 'graphql';
CREATE INDEX idx_audit_logs_action ON audit_logs (action, created_at DESC);
