-- 0008_run_heartbeats: the heartbeat each desk's Run records as it makes
-- progress (store.Health), so a health check on any replica sees whether
-- some Run is working. One row per runner; a health check reads the
-- latest. (0006 is the event feed, 0007 the inbox queries; Migrate
-- applies every version it has not recorded.)
--
-- {{schema}} is replaced by the quoted schema name before this runs.

CREATE TABLE {{schema}}.run_heartbeats (
	runner text PRIMARY KEY,
	at     timestamptz NOT NULL
);

-- Failed sends by when they failed, for the health check's last hour.
CREATE INDEX messages_failed ON {{schema}}.messages (updated_at)
	WHERE direction = 'out' AND status IN ('failed', 'undelivered');
