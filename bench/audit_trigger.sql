-- ADR 0006: what the append-only trigger costs on INSERT, and what it refuses.
-- Run: psql -h 127.0.0.1 -U postgres -f bench/audit_trigger.sql   (creates and drops database adr_audit_bench)
-- Two tables of the audit shape, one with the trigger of portal/migrations/0003_audit_append_only.py;
-- 200,000-row inserts alternate between them three times, then UPDATE, DELETE and TRUNCATE are tried.
\set ON_ERROR_STOP 0
DROP DATABASE IF EXISTS adr_audit_bench;
CREATE DATABASE adr_audit_bench;
\c adr_audit_bench
CREATE FUNCTION portal_auditevent_immutable() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;
CREATE TABLE plain (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), verb varchar(30), payload jsonb);
CREATE TABLE guarded (LIKE plain INCLUDING ALL);
CREATE TRIGGER no_change BEFORE UPDATE OR DELETE ON guarded
  FOR EACH ROW EXECUTE FUNCTION portal_auditevent_immutable();
\timing on
\echo guarded
INSERT INTO guarded (verb, payload) SELECT 'update', jsonb_build_object('n', g) FROM generate_series(1, 200000) g;
\echo plain
INSERT INTO plain (verb, payload) SELECT 'update', jsonb_build_object('n', g) FROM generate_series(1, 200000) g;
\echo guarded
INSERT INTO guarded (verb, payload) SELECT 'update', jsonb_build_object('n', g) FROM generate_series(1, 200000) g;
\echo plain
INSERT INTO plain (verb, payload) SELECT 'update', jsonb_build_object('n', g) FROM generate_series(1, 200000) g;
\echo guarded
INSERT INTO guarded (verb, payload) SELECT 'update', jsonb_build_object('n', g) FROM generate_series(1, 200000) g;
\echo plain
INSERT INTO plain (verb, payload) SELECT 'update', jsonb_build_object('n', g) FROM generate_series(1, 200000) g;
\echo refused
UPDATE guarded SET verb = 'x' WHERE id = (SELECT min(id) FROM guarded);
DELETE FROM guarded WHERE id = (SELECT min(id) FROM guarded);
\echo 'TRUNCATE fires no row trigger: the application role must not hold TRUNCATE in production'
TRUNCATE guarded;
\timing off
SELECT count(*) AS rows_left_after_truncate FROM guarded;
\c postgres
DROP DATABASE adr_audit_bench;
