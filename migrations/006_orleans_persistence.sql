-- 006: grain state for Orleans' ADO.NET grain storage (Microsoft.Orleans.Persistence.AdoNet).
--
-- Registered as the silo's default grain storage in cluster mode, so a grain that declares persistent
-- state keeps it across deactivation, migration and the loss of a silo.
--
-- How the provider uses it:
--   * A grain is identified by its type (@GrainTypeString, hashed into @GrainTypeHash) and its key:
--     a Guid or integer key arrives as two 64-bit halves (@GrainIdN0, @GrainIdN1) plus an optional
--     extension, a string key as @GrainIdExtensionString with both halves 0. @GrainIdHash hashes the
--     whole key; the two hashes lead the primary key so a lookup is a narrow index scan.
--     A missing extension (NULL) is stored as '' so the key can be part of the primary key.
--   * The row's version is the state's ETag. A write names the version it read (@GrainStateVersion,
--     NULL for a grain that has never been stored) and gets the new one back as NewGrainStateVersion;
--     a stale version gets NULL, which the provider reports as InconsistentStateException. This is
--     how a silo that was declared dead, and whose grains were reactivated elsewhere, is kept from
--     overwriting their newer state when it wakes up.
--   * Clear keeps the row with no payload and a new version; Delete (DeleteStateOnClear) removes it.

CREATE TABLE orleans.grain_state (
    service_id      text        NOT NULL,
    grain_type_hash integer     NOT NULL,
    grain_id_hash   integer     NOT NULL,
    grain_id_n0     bigint      NOT NULL,
    grain_id_n1     bigint      NOT NULL,
    grain_type      text        NOT NULL,
    grain_key       text        NOT NULL,
    payload         bytea,
    version         integer     NOT NULL,
    modified_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_type, grain_key)
);

COMMENT ON TABLE orleans.grain_state IS 'Orleans grain state (binary payload) with its version as ETag.';

INSERT INTO orleans.OrleansQuery (QueryKey, QueryText) VALUES

-- The stored state and its version; no row when the grain was never stored.
('ReadFromStorageKey', $q$
SELECT payload AS PayloadBinary, version AS Version
FROM orleans.grain_state
WHERE service_id = @ServiceId AND grain_type_hash = @GrainTypeHash AND grain_id_hash = @GrainIdHash
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_type = @GrainTypeString AND grain_key = COALESCE(@GrainIdExtensionString, '')
$q$),

-- First write (no version): insert at version 1. Later writes: only over the version read.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE orleans.grain_state
    SET payload = @PayloadBinary, version = version + 1, modified_at = now()
    WHERE service_id = @ServiceId AND grain_type_hash = @GrainTypeHash AND grain_id_hash = @GrainIdHash
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_type = @GrainTypeString AND grain_key = COALESCE(@GrainIdExtensionString, '')
      AND version = @GrainStateVersion
    RETURNING version
), inserted AS (
    INSERT INTO orleans.grain_state (service_id, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_type, grain_key, payload, version)
    SELECT @ServiceId, @GrainTypeHash, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeString, COALESCE(@GrainIdExtensionString, ''), @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT (SELECT version FROM updated UNION ALL SELECT version FROM inserted LIMIT 1) AS NewGrainStateVersion
$q$),

-- Drops the payload, keeps the row with a new version (NULL when the version is stale).
('ClearStorageKey', $q$
WITH cleared AS (
    UPDATE orleans.grain_state
    SET payload = NULL, version = version + 1, modified_at = now()
    WHERE service_id = @ServiceId AND grain_type_hash = @GrainTypeHash AND grain_id_hash = @GrainIdHash
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_type = @GrainTypeString AND grain_key = COALESCE(@GrainIdExtensionString, '')
      AND version = @GrainStateVersion
    RETURNING version
)
SELECT (SELECT version FROM cleared) AS Version
$q$),

-- Removes the row; returns a value other than the version read on success, NULL when it is stale.
('DeleteStorageKey', $q$
WITH deleted AS (
    DELETE FROM orleans.grain_state
    WHERE service_id = @ServiceId AND grain_type_hash = @GrainTypeHash AND grain_id_hash = @GrainIdHash
      AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_type = @GrainTypeString AND grain_key = COALESCE(@GrainIdExtensionString, '')
      AND version = @GrainStateVersion
    RETURNING version + 1 AS next_version
)
SELECT (SELECT next_version FROM deleted) AS Version
$q$);
