-- 001: the schema that holds Conduit's own state (registry, health, metrics, event log).
--
-- `conduit migrate` runs each file inside one transaction together with the row that records it in
-- platform.schema_migrations, so a file holds no BEGIN/COMMIT of its own; to apply one by hand use
-- `psql --single-transaction -f <file>`.
--
-- IF NOT EXISTS: the runner creates the schema before this file to host platform.schema_migrations.
-- gen_random_uuid() is built into PostgreSQL 13+, so pgcrypto is not needed.

CREATE SCHEMA IF NOT EXISTS platform;

COMMENT ON SCHEMA platform IS 'Conduit platform state: projects, their databases, health, metrics and connection events.';
