-- 0006_event_feed: the durable event feed (store.Feed) and the cursors of
-- its named readers (the desk's outgoing webhooks).
--
-- {{schema}}.events is ordered by (tx, seq): tx is the writing
-- transaction's 64-bit ID, taken before it commits; seq a sequence. Readers
-- only read rows whose tx is below the xmin of their snapshot (every
-- transaction older than it has ended), so a row that commits late can
-- never appear behind a position a reader has passed: positions are
-- gap-safe without serializing writers.
--
-- The feed rows of the webhook's hot path are written by triggers, inside
-- the statements that already run (record_inbound's inserts, the outbox's
-- inserts): an inbound message costs no extra round trip.
--
-- {{schema}} is replaced by the quoted schema name before this runs.

CREATE TABLE {{schema}}.events (
	tx              xid8 NOT NULL DEFAULT pg_current_xact_id(),
	seq             bigint GENERATED ALWAYS AS IDENTITY,
	type            text NOT NULL,
	at              timestamptz NOT NULL,
	channel_id      text NOT NULL DEFAULT '',
	conversation_id text NOT NULL DEFAULT '',
	contact_id      text NOT NULL DEFAULT '',
	message_id      text NOT NULL DEFAULT '',
	agent_id        text NOT NULL DEFAULT '',
	ai_agent_id     text NOT NULL DEFAULT '',
	data            text NOT NULL DEFAULT '',
	PRIMARY KEY (tx, seq)
);
-- PruneEvents deletes by age.
CREATE INDEX events_at ON {{schema}}.events (at);

-- Named readers' places in the feed, leased by one worker at a time.
CREATE TABLE {{schema}}.feed_cursors (
	name            text PRIMARY KEY,
	tx              xid8 NOT NULL,
	seq             bigint NOT NULL,
	lease_token     text NOT NULL DEFAULT '',
	lease_until     timestamptz,
	attempts        integer NOT NULL DEFAULT 0,
	next_attempt_at timestamptz,
	last_error      text NOT NULL DEFAULT ''
);

-- Readers on other connections are woken with NOTIFY on channel
-- livedesk_events, payload the schema name, sent when the writing
-- transaction commits (PostgreSQL folds a transaction's identical
-- notifications into one).
CREATE FUNCTION {{schema}}.feed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM new_rows) THEN
		PERFORM pg_notify('livedesk_events', TG_TABLE_SCHEMA);
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER events_notify AFTER INSERT ON {{schema}}.events
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {{schema}}.feed_notify();

-- Every inserted message is an event: message.received (inbound) or
-- message.queued (outbound), with the conversation's owner at the time.
CREATE FUNCTION {{schema}}.feed_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO {{schema}}.events (type, at, channel_id, conversation_id, contact_id, message_id, agent_id, ai_agent_id, data)
	SELECT CASE WHEN m.direction = 'in' THEN 'message.received' ELSE 'message.queued' END,
		m.created_at, m.channel_id, m.conversation_id, m.contact_id, m.id,
		coalesce(c.assignee_id, ''), coalesce(c.ai_agent_id, ''), '{"kind":"' || m.kind || '"}'
	FROM new_rows m JOIN {{schema}}.conversations c ON c.id = m.conversation_id
	ORDER BY m.seq;
	RETURN NULL;
END $$;

CREATE TRIGGER messages_feed AFTER INSERT ON {{schema}}.messages
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {{schema}}.feed_messages();

-- A conversation opened (only record_inbound inserts conversations).
CREATE FUNCTION {{schema}}.feed_conversations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO {{schema}}.events (type, at, channel_id, conversation_id, contact_id)
	SELECT 'conversation.opened', c.created_at, c.channel_id, c.id, c.contact_id
	FROM new_rows c ORDER BY c.seq;
	RETURN NULL;
END $$;

CREATE TRIGGER conversations_feed AFTER INSERT ON {{schema}}.conversations
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {{schema}}.feed_conversations();
