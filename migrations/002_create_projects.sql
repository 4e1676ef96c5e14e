-- 002: the tenant projects. One row per project ref (the grain key).
-- Runs in one transaction under `conduit migrate` (see 001).

-- Keeps updated_at honest without every writer remembering to set it.
CREATE OR REPLACE FUNCTION platform.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION platform.touch_updated_at() IS 'Trigger function: sets updated_at to the transaction time on every UPDATE.';

CREATE TABLE IF NOT EXISTS platform.projects (
    ref          text        PRIMARY KEY
                             CONSTRAINT projects_ref_format CHECK (ref ~ '^[a-z0-9][a-z0-9-]{2,62}$'),
    tier         text        NOT NULL
                             CONSTRAINT projects_tier_known CHECK (tier IN ('FREE', 'STARTER', 'PRO', 'ENTERPRISE')),
    api_key_hash bytea       NOT NULL
                             CONSTRAINT projects_api_key_hash_sha256 CHECK (length(api_key_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE platform.projects IS 'Tenant projects; the ref is the key of the project''s grain.';
COMMENT ON COLUMN platform.projects.ref IS '3 to 63 characters: lower-case letters, digits and ''-'', starting with a letter or digit.';
COMMENT ON COLUMN platform.projects.tier IS 'FREE, STARTER, PRO or ENTERPRISE: sets pool sizes, concurrency, timeouts and priority.';
COMMENT ON COLUMN platform.projects.api_key_hash IS 'SHA-256 of the project''s API key; the key itself is never stored.';

DROP TRIGGER IF EXISTS projects_touch_updated_at ON platform.projects;
CREATE TRIGGER projects_touch_updated_at
    BEFORE UPDATE ON platform.projects
    FOR EACH ROW EXECUTE FUNCTION platform.touch_updated_at();
