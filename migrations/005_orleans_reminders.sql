-- 005: reminders for Orleans' ADO.NET reminder service (Microsoft.Orleans.Reminders.AdoNet).
--
-- A reminder is keyed by (ServiceId, GrainId, ReminderName). Conduit's tenant grain holds one,
-- `idle-cleanup`, only while it has open pools (see ProjectConnectionGrain.Idle.cs), so this table
-- holds about as many rows as there are tenants with open connections, not one per project.
--
-- How the provider uses it:
--   * Each silo owns a range of the grain-hash ring and reads the reminders in it. The provider binds
--     the range ends as signed integers (@BeginHash, @EndHash: the uint hash cast to int) and picks
--     ReadRangeRows1Key when begin < end in signed order (the range (begin, end]) and ReadRangeRows2Key
--     when it wraps around (everything after begin or up to end). grain_hash holds the same signed cast.
--   * Rows carry a version that is their ETag: an upsert returns the new one, a delete must name it.
--   * Period is in milliseconds; StartTime is a UTC instant (bound as timestamptz, see 004).

CREATE TABLE orleans.reminders (
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    grain_hash    integer     NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL CHECK (period_ms >= 0),
    version       integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX reminders_ring_idx ON orleans.reminders (service_id, grain_hash);

COMMENT ON TABLE orleans.reminders IS 'Orleans reminders. For Conduit: one idle-cleanup row per project with open pools.';

INSERT INTO orleans.OrleansQuery (QueryKey, QueryText) VALUES

-- Every reminder of one grain.
('ReadReminderRowsKey', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period_ms AS Period, version AS Version
FROM orleans.reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId
$q$),

-- The reminders of a ring range that does not wrap: hash in (begin, end].
('ReadRangeRows1Key', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period_ms AS Period, version AS Version
FROM orleans.reminders
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$q$),

-- The reminders of a ring range that wraps: hash after begin or up to end.
('ReadRangeRows2Key', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period_ms AS Period, version AS Version
FROM orleans.reminders
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$q$),

-- One reminder, or no row.
('ReadReminderRowKey', $q$
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime, period_ms AS Period, version AS Version
FROM orleans.reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$q$),

-- Registers or replaces a reminder; returns its new version.
('UpsertReminderRowKey', $q$
INSERT INTO orleans.reminders AS r (service_id, grain_id, reminder_name, grain_hash, start_time, period_ms)
VALUES (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET grain_hash = excluded.grain_hash, start_time = excluded.start_time, period_ms = excluded.period_ms, version = r.version + 1
RETURNING r.version AS Version
$q$),

-- Unregisters a reminder if it still has the version the caller read; true when it was deleted.
('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleans.reminders
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted)
$q$),

-- Every reminder of a service (tests and tooling).
('DeleteReminderRowsKey', $q$
DELETE FROM orleans.reminders
WHERE service_id = @ServiceId
$q$);
