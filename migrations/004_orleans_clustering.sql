-- 004: cluster membership for Orleans' ADO.NET clustering provider (Microsoft.Orleans.Clustering.AdoNet).
--
-- The provider ships no SQL: at start it runs `SELECT QueryKey, QueryText FROM OrleansQuery` (unqualified,
-- so the silo's Orleans connection sets Search Path=orleans) and later executes the texts stored under
-- fixed keys, binding named parameters (@DeploymentId, @Address, …) and reading columns back by name.
-- This file creates the orleans schema, that lookup table and the membership tables, and stores the
-- membership queries. 005 and 006 add reminders and grain state.
--
-- How the provider uses it:
--   * One version row per cluster (DeploymentId = ClusterOptions.ClusterId). Every membership change
--     (a silo joining, a status change, a suspicion vote) is a conditional write that names the version
--     it read (@Version); it succeeds only if the version is still that one, and bumps it. That is the
--     table's ETag: two silos voting at once cannot both win on stale data.
--   * The heartbeat (UpdateIAmAlivetimeKey) touches only the silo's own row and not the version.
--   * Conditional writes return one boolean column; reads return one row per silo, or one row with
--     NULL silo columns and the version when the cluster has no silo yet (the LEFT JOIN below).
--
-- Timestamps are `timestamptz`: the provider binds UTC DateTime values as DbType.DateTime, which
-- Npgsql 6+ sends as `timestamp with time zone`, and reads them back as UTC.

CREATE SCHEMA orleans;

COMMENT ON SCHEMA orleans IS 'Orleans cluster state (membership, reminders, grain state) written by the ADO.NET providers; queries in orleans.OrleansQuery.';

CREATE TABLE orleans.OrleansQuery (
    QueryKey  varchar(64) PRIMARY KEY,
    QueryText text        NOT NULL
);

COMMENT ON TABLE orleans.OrleansQuery IS 'SQL the Orleans ADO.NET providers load at start, by fixed key. Change a text only through a new migration; silos read them when they start.';

CREATE TABLE orleans.membership_versions (
    deployment_id text        PRIMARY KEY,
    version       integer     NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orleans.membership (
    deployment_id   text        NOT NULL REFERENCES orleans.membership_versions (deployment_id) ON DELETE CASCADE,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer,
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

COMMENT ON TABLE orleans.membership IS 'One row per silo incarnation (address, port, generation). status: 1 Created, 2 Joining, 3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead.';

INSERT INTO orleans.OrleansQuery (QueryKey, QueryText) VALUES

-- Creates the cluster's version row once; true when this call created it.
('InsertMembershipVersionKey', $q$
WITH inserted AS (
    INSERT INTO orleans.membership_versions (deployment_id)
    VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted)
$q$),

-- A silo announces itself. The version row is locked first and must still hold @Version; only then
-- is the row inserted, and only an inserted row bumps the version. A stale version or an existing
-- row changes nothing and returns false.
('InsertMembershipKey', $q$
WITH expected AS (
    SELECT deployment_id
    FROM orleans.membership_versions
    WHERE deployment_id = @DeploymentId AND version = @Version
    FOR UPDATE
), inserted AS (
    INSERT INTO orleans.membership (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM expected
    ON CONFLICT (deployment_id, address, port, generation) DO NOTHING
    RETURNING deployment_id
), bumped AS (
    UPDATE orleans.membership_versions AS v
    SET version = v.version + 1, changed_at = now()
    FROM inserted
    WHERE v.deployment_id = inserted.deployment_id
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM bumped)
$q$),

-- A status change or suspicion vote, under the same version check as the insert.
('UpdateMembershipKey', $q$
WITH expected AS (
    SELECT deployment_id
    FROM orleans.membership_versions
    WHERE deployment_id = @DeploymentId AND version = @Version
    FOR UPDATE
), changed AS (
    UPDATE orleans.membership AS m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM expected
    WHERE m.deployment_id = expected.deployment_id
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING m.deployment_id
), bumped AS (
    UPDATE orleans.membership_versions AS v
    SET version = v.version + 1, changed_at = now()
    FROM changed
    WHERE v.deployment_id = changed.deployment_id
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM bumped)
$q$),

-- The heartbeat: the silo's own row only, no version change (Orleans expects it never to fail).
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans.membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),

-- One silo's row (or only the version when it has none).
('MembershipReadRowKey', $q$
SELECT v.version AS Version,
       m.address AS Address, m.port AS Port, m.generation AS Generation,
       m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
       m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime
FROM orleans.membership_versions AS v
LEFT JOIN orleans.membership AS m
       ON m.deployment_id = v.deployment_id
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

-- Every silo of the cluster (or only the version when it has none).
('MembershipReadAllKey', $q$
SELECT v.version AS Version,
       m.address AS Address, m.port AS Port, m.generation AS Generation,
       m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
       m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime
FROM orleans.membership_versions AS v
LEFT JOIN orleans.membership AS m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

-- The gateways a client may connect to: silos in @Status (Active) that listen for clients.
('GatewaysQueryKey', $q$
SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
FROM orleans.membership
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),

-- Removes a whole cluster's membership (tests and tooling; the version row cascades its silos).
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans.membership_versions
WHERE deployment_id = @DeploymentId
$q$),

-- Old entries of dead silos (the fallback when CleanupDefunctSiloEntryKey is absent).
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans.membership
WHERE deployment_id = @DeploymentId AND status = 6
  AND i_am_alive_time < @IAmAliveTime AND start_time < @IAmAliveTime
  AND suspect_times IS NULL
$q$),

-- One dead silo's row, deleted only if it is still exactly what the caller judged defunct.
('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans.membership
WHERE deployment_id = @DeploymentId AND status = 6
  AND address = @Address AND port = @Port AND generation = @Generation
  AND start_time = @StartTime AND i_am_alive_time = @IAmAliveTime
  AND suspect_times IS NOT DISTINCT FROM @SuspectTimes
$q$);
