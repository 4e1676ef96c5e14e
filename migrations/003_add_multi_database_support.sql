-- 003: several databases per project (PostgreSQL, Redis, MongoDB, each under a name), their health,
-- a metrics time series, a connection event log, an overview view and the functions that write and
-- read them. Runs in one transaction under `conduit migrate` (see 001).
--
-- The functions raise SQLSTATE 22023 (invalid_parameter_value) with a message naming the bad argument
-- for anything they would otherwise store wrongly; the CHECK constraints back the same rules.

-- Registered databases ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS platform.databases (
    id                          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    project_ref                 text        NOT NULL REFERENCES platform.projects (ref) ON DELETE CASCADE,
    type                        text        NOT NULL
                                            CONSTRAINT databases_type_known CHECK (type IN ('postgresql', 'redis', 'mongodb')),
    name                        text        NOT NULL DEFAULT 'default'
                                            CONSTRAINT databases_name_format CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    connection_string_encrypted text        NOT NULL
                                            CONSTRAINT databases_connection_string_sealed CHECK (connection_string_encrypted LIKE 'v1:%'),
    target                      text        NOT NULL,
    health_status               text        NOT NULL DEFAULT 'unknown'
                                            CONSTRAINT databases_health_status_known CHECK (health_status IN ('unknown', 'healthy', 'degraded', 'unhealthy')),
    last_health_check           timestamptz,
    last_response_time_ms       double precision,
    last_error                  text,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT databases_project_type_name_key UNIQUE (project_ref, type, name)
);

COMMENT ON TABLE platform.databases IS 'The databases each project registered: at most one per (project, type, name).';
COMMENT ON COLUMN platform.databases.connection_string_encrypted IS 'AES-256-GCM sealed form v1:<key id>:<base64>, bound to project/type/name; opened only inside the owning grain.';
COMMENT ON COLUMN platform.databases.target IS 'Secret-free host:port/database, safe to show and log.';
COMMENT ON COLUMN platform.databases.last_error IS 'The last health check failure, as the silo described it (never a connection string).';

DROP TRIGGER IF EXISTS databases_touch_updated_at ON platform.databases;
CREATE TRIGGER databases_touch_updated_at
    BEFORE UPDATE ON platform.databases
    FOR EACH ROW EXECUTE FUNCTION platform.touch_updated_at();

-- Metrics time series -----------------------------------------------------------------------------

-- No foreign key to projects: samples are written on a hot path and age out through
-- cleanup_old_database_metrics, so they may briefly outlive a deleted project.
CREATE TABLE IF NOT EXISTS platform.database_metrics (
    time          timestamptz      NOT NULL DEFAULT now(),
    project_ref   text             NOT NULL,
    database_type text             NOT NULL
                                   CONSTRAINT database_metrics_type_known CHECK (database_type IN ('postgresql', 'redis', 'mongodb')),
    metric_name   text             NOT NULL,
    value         double precision NOT NULL,
    labels        jsonb            NOT NULL DEFAULT '{}'
                                   CONSTRAINT database_metrics_labels_object CHECK (jsonb_typeof(labels) = 'object')
);

COMMENT ON TABLE platform.database_metrics IS 'Per-project metric samples; a TimescaleDB hypertable on time when that extension is installed.';

CREATE INDEX IF NOT EXISTS database_metrics_project_time_idx ON platform.database_metrics (project_ref, time DESC);
CREATE INDEX IF NOT EXISTS database_metrics_time_idx ON platform.database_metrics (time);

-- TimescaleDB is optional: plain PostgreSQL keeps an ordinary table. The function is looked up in
-- the extension's own schema and called dynamically, so this compiles where it does not exist.
DO $$
DECLARE
    timescale_schema name;
BEGIN
    SELECT n.nspname INTO timescale_schema
    FROM pg_extension e
    JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'timescaledb';

    IF timescale_schema IS NOT NULL THEN
        EXECUTE format(
            'SELECT %I.create_hypertable(%L::regclass, %L, if_not_exists => true, migrate_data => true)',
            timescale_schema, 'platform.database_metrics', 'time');
    END IF;
END
$$;

-- Connection event log ----------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS platform.database_connection_logs (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    time          timestamptz NOT NULL DEFAULT now(),
    project_ref   text        NOT NULL,
    database_type text
                              CONSTRAINT database_connection_logs_type_known CHECK (database_type IN ('postgresql', 'redis', 'mongodb')),
    event_type    text        NOT NULL
                              CONSTRAINT database_connection_logs_event_type_format CHECK (event_type ~ '^[a-z][a-z0-9_]{0,62}$'),
    message       text,
    details       jsonb       NOT NULL DEFAULT '{}'
                              CONSTRAINT database_connection_logs_details_object CHECK (jsonb_typeof(details) = 'object')
);

COMMENT ON TABLE platform.database_connection_logs IS 'Pool and breaker events per project: pool_opened, pool_closed, breaker_opened, breaker_half_open, breaker_closed, idle_cleanup, error, rejection, ...';
COMMENT ON COLUMN platform.database_connection_logs.database_type IS 'NULL for an event that concerns the whole project rather than one database type.';

CREATE INDEX IF NOT EXISTS database_connection_logs_project_time_idx ON platform.database_connection_logs (project_ref, time DESC);
-- For cleanup_old_database_logs, which deletes by age across all projects.
CREATE INDEX IF NOT EXISTS database_connection_logs_time_idx ON platform.database_connection_logs (time);

-- Health overview ---------------------------------------------------------------------------------

CREATE OR REPLACE VIEW platform.database_health_overview AS
SELECT
    d.id AS database_id,
    d.project_ref,
    p.tier,
    d.type AS database_type,
    d.name,
    d.target,
    d.health_status,
    d.last_health_check,
    d.last_response_time_ms,
    d.last_error,
    -- Events carry a type but no database name, so every database of one type shares the count.
    (SELECT count(*)
     FROM platform.database_connection_logs l
     WHERE l.project_ref = d.project_ref
       AND l.database_type = d.type
       AND l.event_type = 'error'
       AND l.time > now() - interval '1 hour') AS recent_error_count
FROM platform.databases d
JOIN platform.projects p ON p.ref = d.project_ref;

COMMENT ON VIEW platform.database_health_overview IS 'One row per registered database: its last health check and the error events of its project and type in the last hour.';

-- Functions ---------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION platform.record_database_metric(
    p_project_ref   text,
    p_database_type text,
    p_metric_name   text,
    p_value         double precision,
    p_labels        jsonb DEFAULT '{}',
    p_time          timestamptz DEFAULT now())
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_project_ref IS NULL OR p_project_ref !~ '^[a-z0-9][a-z0-9-]{2,62}$' THEN
        RAISE EXCEPTION 'invalid project ref %: 3 to 63 characters of a-z, 0-9 and ''-'', starting with a letter or digit', quote_nullable(p_project_ref)
            USING ERRCODE = '22023';
    END IF;
    IF p_database_type IS NULL OR p_database_type NOT IN ('postgresql', 'redis', 'mongodb') THEN
        RAISE EXCEPTION 'unknown database type %: expected postgresql, redis or mongodb', quote_nullable(p_database_type)
            USING ERRCODE = '22023';
    END IF;
    IF p_metric_name IS NULL OR p_metric_name !~ '^[a-zA-Z_:][a-zA-Z0-9_:]{0,199}$' THEN
        RAISE EXCEPTION 'invalid metric name %: letters, digits, ''_'' and '':'', not starting with a digit, at most 200 characters', quote_nullable(p_metric_name)
            USING ERRCODE = '22023';
    END IF;
    IF p_value IS NULL OR p_value = 'NaN'::double precision THEN
        RAISE EXCEPTION 'invalid value % for metric %: a number is required', quote_nullable(p_value), p_metric_name
            USING ERRCODE = '22023';
    END IF;
    IF p_labels IS NOT NULL AND jsonb_typeof(p_labels) <> 'object' THEN
        RAISE EXCEPTION 'invalid labels for metric %: a JSON object is required, not %', p_metric_name, jsonb_typeof(p_labels)
            USING ERRCODE = '22023';
    END IF;

    INSERT INTO platform.database_metrics (time, project_ref, database_type, metric_name, value, labels)
    VALUES (coalesce(p_time, now()), p_project_ref, p_database_type, p_metric_name, p_value, coalesce(p_labels, '{}'));
END
$$;

COMMENT ON FUNCTION platform.record_database_metric(text, text, text, double precision, jsonb, timestamptz) IS 'Stores one metric sample; raises 22023 for an invalid ref, type, name, value or labels.';

CREATE OR REPLACE FUNCTION platform.log_database_event(
    p_project_ref   text,
    p_database_type text,
    p_event_type    text,
    p_message       text,
    p_details       jsonb DEFAULT '{}')
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    new_id bigint;
BEGIN
    IF p_project_ref IS NULL OR p_project_ref !~ '^[a-z0-9][a-z0-9-]{2,62}$' THEN
        RAISE EXCEPTION 'invalid project ref %: 3 to 63 characters of a-z, 0-9 and ''-'', starting with a letter or digit', quote_nullable(p_project_ref)
            USING ERRCODE = '22023';
    END IF;
    -- NULL is allowed: the event concerns the whole project.
    IF p_database_type IS NOT NULL AND p_database_type NOT IN ('postgresql', 'redis', 'mongodb') THEN
        RAISE EXCEPTION 'unknown database type %: expected postgresql, redis, mongodb or NULL for a project-wide event', quote_literal(p_database_type)
            USING ERRCODE = '22023';
    END IF;
    IF p_event_type IS NULL OR p_event_type !~ '^[a-z][a-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION 'invalid event type %: snake_case such as pool_opened or breaker_opened', quote_nullable(p_event_type)
            USING ERRCODE = '22023';
    END IF;
    IF p_details IS NOT NULL AND jsonb_typeof(p_details) <> 'object' THEN
        RAISE EXCEPTION 'invalid details for event %: a JSON object is required, not %', p_event_type, jsonb_typeof(p_details)
            USING ERRCODE = '22023';
    END IF;

    INSERT INTO platform.database_connection_logs (project_ref, database_type, event_type, message, details)
    VALUES (p_project_ref, p_database_type, p_event_type, p_message, coalesce(p_details, '{}'))
    RETURNING id INTO new_id;
    RETURN new_id;
END
$$;

COMMENT ON FUNCTION platform.log_database_event(text, text, text, text, jsonb) IS 'Appends a connection event and returns its id; raises 22023 for an invalid ref, type, event type or details.';

CREATE OR REPLACE FUNCTION platform.update_database_health(
    p_project_ref      text,
    p_database_type    text,
    p_name             text,
    p_status           text,
    p_response_time_ms double precision,
    p_error            text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF p_database_type IS NULL OR p_database_type NOT IN ('postgresql', 'redis', 'mongodb') THEN
        RAISE EXCEPTION 'unknown database type %: expected postgresql, redis or mongodb', quote_nullable(p_database_type)
            USING ERRCODE = '22023';
    END IF;
    IF p_status IS NULL OR p_status NOT IN ('unknown', 'healthy', 'degraded', 'unhealthy') THEN
        RAISE EXCEPTION 'unknown health status %: expected unknown, healthy, degraded or unhealthy', quote_nullable(p_status)
            USING ERRCODE = '22023';
    END IF;
    IF p_response_time_ms < 0 OR p_response_time_ms = 'NaN'::double precision THEN
        RAISE EXCEPTION 'invalid response time % ms: it must be zero or more, or NULL when there was no answer', p_response_time_ms
            USING ERRCODE = '22023';
    END IF;

    UPDATE platform.databases
    SET health_status         = p_status,
        last_health_check     = now(),
        last_response_time_ms = p_response_time_ms,
        last_error            = p_error
    WHERE project_ref = p_project_ref
      AND type = p_database_type
      AND name = coalesce(p_name, 'default');
    RETURN FOUND;
END
$$;

COMMENT ON FUNCTION platform.update_database_health(text, text, text, text, double precision, text) IS 'Records a health check of one database (name NULL means default); false when no such database is registered.';

CREATE OR REPLACE FUNCTION platform.get_database_stats(
    p_project_ref text,
    p_since       interval DEFAULT '1 hour')
RETURNS TABLE (
    database_type text,
    metric_name   text,
    samples       bigint,
    avg_value     double precision,
    min_value     double precision,
    max_value     double precision,
    last_value    double precision)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_since IS NULL OR p_since <= interval '0' THEN
        RAISE EXCEPTION 'invalid window %: it must be a positive interval such as ''1 hour''', quote_nullable(p_since)
            USING ERRCODE = '22023';
    END IF;

    -- Columns are qualified and ordered by position: the output columns share their names.
    RETURN QUERY
    SELECT m.database_type,
           m.metric_name,
           count(*),
           avg(m.value),
           min(m.value),
           max(m.value),
           (array_agg(m.value ORDER BY m.time DESC))[1]
    FROM platform.database_metrics m
    WHERE m.project_ref = p_project_ref
      AND m.time >= now() - p_since
    GROUP BY m.database_type, m.metric_name
    ORDER BY 1, 2;
END
$$;

COMMENT ON FUNCTION platform.get_database_stats(text, interval) IS 'Per database type and metric: samples, average, minimum, maximum and latest value within the window.';

CREATE OR REPLACE FUNCTION platform.cleanup_old_database_metrics(p_retention interval DEFAULT '30 days')
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    deleted bigint;
BEGIN
    IF p_retention IS NULL OR p_retention <= interval '0' THEN
        RAISE EXCEPTION 'invalid retention %: it must be a positive interval such as ''30 days''', quote_nullable(p_retention)
            USING ERRCODE = '22023';
    END IF;

    DELETE FROM platform.database_metrics WHERE time < now() - p_retention;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END
$$;

COMMENT ON FUNCTION platform.cleanup_old_database_metrics(interval) IS 'Deletes metric samples older than the retention and returns how many.';

CREATE OR REPLACE FUNCTION platform.cleanup_old_database_logs(p_retention interval DEFAULT '90 days')
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    deleted bigint;
BEGIN
    IF p_retention IS NULL OR p_retention <= interval '0' THEN
        RAISE EXCEPTION 'invalid retention %: it must be a positive interval such as ''90 days''', quote_nullable(p_retention)
            USING ERRCODE = '22023';
    END IF;

    DELETE FROM platform.database_connection_logs WHERE time < now() - p_retention;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END
$$;

COMMENT ON FUNCTION platform.cleanup_old_database_logs(interval) IS 'Deletes connection events older than the retention and returns how many.';
