-- 0007_inbox_queries: what an agent's inbox reads (store.Queries,
-- store.Labels, store.Notes): conversation labels, internal notes in the
-- messages table, and indexes for the conversation and timeline queries.
-- (0006 is the event feed; the two are independent and apply in either
-- order: Migrate applies every version it has not recorded.)
--
-- {{schema}} is replaced by the quoted schema name before this runs.

-- Internal notes are messages with direction 'internal': part of the
-- timeline, never in the outbox (their status stays '', and the outbox
-- only reads 'pending' and 'sending' rows of direction 'out'). The old
-- rows all pass the new check, so it is added NOT VALID: no table scan
-- under the migration's lock.
ALTER TABLE {{schema}}.messages DROP CONSTRAINT messages_direction_check;
ALTER TABLE {{schema}}.messages ADD CONSTRAINT messages_direction_check
	CHECK (direction IN ('in', 'out', 'internal')) NOT VALID;

-- Labels: one row per (conversation, label). The primary key serves a
-- conversation's labels; conversation_labels_label the filter by label.
CREATE TABLE {{schema}}.conversation_labels (
	conversation_id text NOT NULL REFERENCES {{schema}}.conversations (id),
	label           text NOT NULL,
	created_at      timestamptz NOT NULL,
	PRIMARY KEY (conversation_id, label)
);
CREATE INDEX conversation_labels_label ON {{schema}}.conversation_labels (label, conversation_id);

-- QueryConversations orders by (updated_at DESC, id DESC) and resumes
-- after a cursor with a row comparison; these indexes serve it walked
-- backwards, for all conversations and for one channel. (They cost the
-- inbound path its HOT update of the conversation row: updated_at moves
-- with every inbound message.)
CREATE INDEX conversations_updated ON {{schema}}.conversations (updated_at, id);
CREATE INDEX conversations_channel_updated ON {{schema}}.conversations (channel_id, updated_at, id);

-- Text search (ConversationQuery.Text) is body ILIKE '%text%'. With the
-- pg_trgm extension a trigram GIN index serves it; the migration creates
-- the extension when the role may (it is a trusted extension since
-- PostgreSQL 13: any role with CREATE on the database), and otherwise
-- goes on without the index: the search still works, by scanning
-- messages. A host can create the extension and the index later (the
-- statement is below) without any change to the code.
DO $$
DECLARE
	ext_schema text;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
		BEGIN
			CREATE EXTENSION IF NOT EXISTS pg_trgm;
		EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported OR unique_violation THEN
			RAISE NOTICE 'livedesk: pg_trgm not available (%): message search runs without an index', SQLERRM;
		END;
	END IF;
	SELECT n.nspname INTO ext_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
	WHERE e.extname = 'pg_trgm';
	IF ext_schema IS NOT NULL THEN
		EXECUTE format('CREATE INDEX messages_body_trgm ON {{schema}}.messages USING gin (body %I.gin_trgm_ops)', ext_schema);
	END IF;
END
$$;

-- ConversationQuery.ContactPhone: contacts are unique by (channel_id,
-- phone), which does not serve a phone alone.
CREATE INDEX contacts_phone ON {{schema}}.contacts (phone);
