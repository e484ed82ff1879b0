-- The audit trail moves to a file of its own (audit.db, see db/audit/sqlite): its batches held this
-- database's one write lock and lengthened the metering group commits. The store copies the rows
-- there before this runs (SqliteDialect.moveAuditRows), so nothing recorded is lost.
DROP TABLE audit_call;
