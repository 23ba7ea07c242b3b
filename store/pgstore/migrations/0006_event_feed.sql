-- 0006_event_feed: the durable event feed (store.Feed) and the cursors of
-- its named readers (the desk's outgoing webhooks).
--
-- Positions are events.seq, from a sequence. Transactions commit in any
-- order, so a reader that read every committed row up to the highest seq
-- it sees could move past a seq still held by a transaction that commits
-- later, and never see that row. Readers therefore stop at a horizon (see
-- feed_horizon) below which every transaction that writes events has
-- ended. Writers are not serialized: each event-writing transaction takes
-- a shared advisory lock once, before it draws its first seq, whose key
-- says where the sequence stood then; its rows all come after that. Only
-- transactions that write events hold readers back (a long migration or
-- report elsewhere in the cluster does not).
--
-- The feed rows of the webhook's hot path are written by triggers, inside
-- the statements that already run (record_inbound's inserts, the outbox's
-- inserts): an inbound message costs no extra round trip. They send no
-- NOTIFY: a notifying transaction holds a cluster-wide lock through its
-- commit, which would serialize the webhook's group commits. Readers of
-- other replicas find them by polling the horizon (one query per interval
-- per store while someone waits); events appended by AppendEvents do
-- notify (pgstore/events.go).
--
-- {{schema}} is replaced by the quoted schema name before this runs.

CREATE TABLE {{schema}}.events (
	seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	type            text NOT NULL,
	at              timestamptz NOT NULL,
	channel_id      text NOT NULL DEFAULT '',
	conversation_id text NOT NULL DEFAULT '',
	contact_id      text NOT NULL DEFAULT '',
	message_id      text NOT NULL DEFAULT '',
	agent_id        text NOT NULL DEFAULT '',
	ai_agent_id     text NOT NULL DEFAULT '',
	data            text NOT NULL DEFAULT ''
);
-- PruneEvents deletes by age.
CREATE INDEX events_at ON {{schema}}.events (at);

-- Named readers' places in the feed, leased by one worker at a time.
CREATE TABLE {{schema}}.feed_cursors (
	name            text PRIMARY KEY,
	seq             bigint NOT NULL,
	lease_token     text NOT NULL DEFAULT '',
	lease_until     timestamptz,
	attempts        integer NOT NULL DEFAULT 0,
	next_attempt_at timestamptz,
	last_error      text NOT NULL DEFAULT ''
);

-- feed_last_seq is the last seq drawn by anyone (committed or not).
CREATE FUNCTION {{schema}}.feed_last_seq() RETURNS bigint LANGUAGE sql VOLATILE AS $$
	SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END
	FROM {{schema}}.events_seq_seq
$$;

-- feed_lock_key is the first key of the schema's writer locks.
CREATE FUNCTION {{schema}}.feed_lock_key() RETURNS integer LANGUAGE sql IMMUTABLE AS $$
	SELECT hashtext('livedesk_feed:{{schema}}')
$$;

-- Before a statement inserts events, its transaction takes (once) a shared
-- advisory lock (feed_lock_key, low 32 bits of x) where x is the last seq
-- drawn so far: every seq it draws afterwards is above x. The lock lasts
-- until the transaction ends, after its rows are visible.
CREATE FUNCTION {{schema}}.feed_writer_lock() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	x bigint;
BEGIN
	IF current_setting('livedesk.feed_lock', true) IS DISTINCT FROM TG_TABLE_SCHEMA THEN
		x := {{schema}}.feed_last_seq() & 4294967295;
		PERFORM pg_advisory_xact_lock_shared({{schema}}.feed_lock_key(),
			(CASE WHEN x >= 2147483648 THEN x - 4294967296 ELSE x END)::integer);
		PERFORM set_config('livedesk.feed_lock', TG_TABLE_SCHEMA, true);
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER events_writer_lock BEFORE INSERT ON {{schema}}.events
	FOR EACH STATEMENT EXECUTE FUNCTION {{schema}}.feed_writer_lock();

-- feed_horizon is the highest seq a reader may read up to: every row at or
-- below it that will ever exist is committed (or its transaction aborted).
-- It reads the sequence first (s0), then the writer locks: a transaction
-- still writing holds a lock whose x is below all its rows, so the horizon
-- is min(s0, every x). A reader must read the rows in a later statement
-- (a later snapshot) than the one computing the horizon.
CREATE FUNCTION {{schema}}.feed_horizon() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	s0  bigint;
	low bigint;
BEGIN
	s0 := {{schema}}.feed_last_seq();
	SELECT min(s0 - (((s0 & 4294967295) - l.objid::bigint) & 4294967295)) INTO low
	FROM pg_locks l
	WHERE l.locktype = 'advisory' AND l.objsubid = 2
		AND l.classid = ({{schema}}.feed_lock_key()::bigint & 4294967295)::oid
		AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
		AND l.pid <> pg_backend_pid();
	RETURN least(s0, coalesce(low, s0));
END $$;

-- read_events reads up to the horizon, in a later snapshot than the one
-- that computed it (PL/pgSQL takes a new snapshot per statement).
CREATE FUNCTION {{schema}}.read_events(p_after bigint, p_channel text, p_conversation text, p_agent text,
	p_types text[], p_limit integer) RETURNS SETOF {{schema}}.events LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	h bigint;
BEGIN
	h := {{schema}}.feed_horizon();
	RETURN QUERY SELECT * FROM {{schema}}.events e
		WHERE e.seq > p_after AND e.seq <= h
		AND (p_channel = '' OR e.channel_id = p_channel)
		AND (p_conversation = '' OR e.conversation_id = p_conversation)
		AND (p_agent = '' OR e.agent_id = p_agent OR e.ai_agent_id = p_agent)
		AND (cardinality(p_types) = 0 OR e.type = ANY (p_types))
		ORDER BY e.seq LIMIT p_limit;
END $$;

-- Every inserted message is an event: message.received (inbound) or
-- message.queued (outbound), with the conversation's owner at the time.
CREATE FUNCTION {{schema}}.feed_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM new_rows) THEN
		INSERT INTO {{schema}}.events (type, at, channel_id, conversation_id, contact_id, message_id, agent_id, ai_agent_id, data)
		SELECT CASE WHEN m.direction = 'in' THEN 'message.received' ELSE 'message.queued' END,
			m.created_at, m.channel_id, m.conversation_id, m.contact_id, m.id,
			coalesce(c.assignee_id, ''), coalesce(c.ai_agent_id, ''), '{"kind":"' || m.kind || '"}'
		FROM new_rows m JOIN {{schema}}.conversations c ON c.id = m.conversation_id
		ORDER BY m.seq;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER messages_feed AFTER INSERT ON {{schema}}.messages
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {{schema}}.feed_messages();

-- A conversation opened (only record_inbound inserts conversations).
CREATE FUNCTION {{schema}}.feed_conversations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM new_rows) THEN
		INSERT INTO {{schema}}.events (type, at, channel_id, conversation_id, contact_id)
		SELECT 'conversation.opened', c.created_at, c.channel_id, c.id, c.contact_id
		FROM new_rows c ORDER BY c.seq;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER conversations_feed AFTER INSERT ON {{schema}}.conversations
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {{schema}}.feed_conversations();
