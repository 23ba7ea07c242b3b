-- 0001_init: channels, contacts, conversations, messages (inbound messages
-- and the outbound outbox in one table), and the functions that make
-- RecordInbound one statement and ApplyStatus monotonic.
--
-- {{schema}} is replaced by the quoted schema name before this runs.
-- Later migrations add tables (agents, surveys...) and columns; nothing here
-- may be edited once released.

CREATE SCHEMA IF NOT EXISTS {{schema}};

-- Channels: identity columns, secrets (clear, or "v1:<key id>:<base64>" when
-- a Keyring is configured) and the desk settings as jsonb, which grow with
-- the product without migrations. seq keeps creation order for listing.
CREATE TABLE {{schema}}.channels (
	id                    text PRIMARY KEY,
	seq                   bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	name                  text NOT NULL,
	account_sid           text NOT NULL DEFAULT '',
	phone_number          text NOT NULL DEFAULT '',
	messaging_service_sid text NOT NULL DEFAULT '',
	api_key_sid           text NOT NULL DEFAULT '',
	auth_token            text NOT NULL DEFAULT '',
	secondary_auth_token  text NOT NULL DEFAULT '',
	api_key_secret        text NOT NULL DEFAULT '',
	settings              jsonb NOT NULL DEFAULT '{}',
	created_at            timestamptz NOT NULL,
	updated_at            timestamptz NOT NULL
);

-- Contacts are per channel. There is no foreign key to channels: deleting a
-- channel keeps its contacts, conversations and messages.
CREATE TABLE {{schema}}.contacts (
	id               text PRIMARY KEY DEFAULT gen_random_uuid()::text,
	channel_id       text NOT NULL,
	phone            text NOT NULL,
	wa_id            text NOT NULL DEFAULT '',
	profile_name     text NOT NULL DEFAULT '',
	attributes       jsonb NOT NULL DEFAULT '{}',
	created_at       timestamptz NOT NULL,
	last_inbound_at  timestamptz,
	window_closed_at timestamptz,
	UNIQUE (channel_id, phone)
);

-- Conversations. assignee_id and ai_agent_id are NULL when nobody owns the
-- conversation, so a later migration can point them at an agents table.
CREATE TABLE {{schema}}.conversations (
	id                  text PRIMARY KEY DEFAULT gen_random_uuid()::text,
	seq                 bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	channel_id          text NOT NULL,
	contact_id          text NOT NULL REFERENCES {{schema}}.contacts (id),
	status              text NOT NULL,
	sender              text NOT NULL DEFAULT '',
	assignee_id         text,
	ai_agent_id         text,
	created_at          timestamptz NOT NULL,
	updated_at          timestamptz NOT NULL,
	resolved_at         timestamptz,
	last_inbound_at     timestamptz,
	last_agent_reply_at timestamptz
);
-- At most one open conversation per contact: the arbiter of concurrent
-- RecordInbound calls for a new customer.
CREATE UNIQUE INDEX conversations_one_open ON {{schema}}.conversations (contact_id) WHERE status = 'open';
CREATE INDEX conversations_channel ON {{schema}}.conversations (channel_id, seq);
CREATE INDEX conversations_contact ON {{schema}}.conversations (contact_id, seq);
CREATE INDEX conversations_assignee ON {{schema}}.conversations (assignee_id, seq) WHERE assignee_id IS NOT NULL;

-- Messages, both directions. seq is the insertion order that breaks ties
-- between equal created_at. Outbound rows are the outbox: status pending or
-- sending means "still ours to send"; lease_token/lease_until hold a claim.
CREATE TABLE {{schema}}.messages (
	id                text PRIMARY KEY DEFAULT gen_random_uuid()::text,
	seq               bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	channel_id        text NOT NULL,
	conversation_id   text NOT NULL REFERENCES {{schema}}.conversations (id),
	contact_id        text NOT NULL REFERENCES {{schema}}.contacts (id),
	direction         text NOT NULL CHECK (direction IN ('in', 'out')),
	kind              text NOT NULL DEFAULT '',
	sid               text,
	body              text NOT NULL DEFAULT '',
	inbound           jsonb,
	processed         boolean NOT NULL DEFAULT false,
	created_at        timestamptz NOT NULL,
	key               text,
	author_id         text,
	media_urls        jsonb,
	content_sid       text NOT NULL DEFAULT '',
	content_variables jsonb,
	template_sid      text NOT NULL DEFAULT '',
	status            text NOT NULL DEFAULT '',
	attempts          integer NOT NULL DEFAULT 0,
	next_attempt_at   timestamptz,
	error_code        integer NOT NULL DEFAULT 0,
	error             text NOT NULL DEFAULT '',
	updated_at        timestamptz,
	lease_token       text,
	lease_until       timestamptz
);
-- Idempotency: one inbound message per (channel, MessageSid), one outbound
-- message per key, one outbound message per (channel, SID).
CREATE UNIQUE INDEX messages_inbound_sid ON {{schema}}.messages (channel_id, sid) WHERE direction = 'in';
CREATE UNIQUE INDEX messages_outbound_sid ON {{schema}}.messages (channel_id, sid) WHERE direction = 'out' AND sid IS NOT NULL;
CREATE UNIQUE INDEX messages_key ON {{schema}}.messages (key) WHERE key IS NOT NULL;
CREATE INDEX messages_conversation ON {{schema}}.messages (conversation_id, created_at, seq);
CREATE INDEX messages_unprocessed ON {{schema}}.messages (created_at, seq) WHERE direction = 'in' AND NOT processed;
-- The outbox: what ClaimOutbound scans (due order) and probes (is there an
-- earlier message of the same conversation still waiting?).
CREATE INDEX messages_due ON {{schema}}.messages (next_attempt_at, seq) WHERE status IN ('pending', 'sending');
CREATE INDEX messages_outbox_conversation ON {{schema}}.messages (conversation_id, seq) WHERE status IN ('pending', 'sending');

-- status_rank and next_status mirror store.StatusRank and store.NextStatus
-- (a test compares them on every pair of statuses). next_status returns
-- NULL when the status does not change. Both are inlined by the planner.
CREATE FUNCTION {{schema}}.status_rank(s text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE s
		WHEN 'accepted' THEN 1 WHEN 'scheduled' THEN 1
		WHEN 'queued' THEN 2 WHEN 'twilio_sending' THEN 3 WHEN 'sent' THEN 4
		WHEN 'delivered' THEN 5 WHEN 'read' THEN 6
		ELSE 0 END
$$;

CREATE FUNCTION {{schema}}.next_status(cur text, nxt text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE
		WHEN cur IN ('failed', 'undelivered', 'canceled') THEN NULL
		WHEN nxt IN ('failed', 'undelivered') THEN
			CASE WHEN {{schema}}.status_rank(cur) >= 5 THEN NULL ELSE nxt END
		WHEN nxt = 'canceled' THEN
			CASE WHEN {{schema}}.status_rank(cur) > 2 THEN NULL ELSE nxt END
		WHEN {{schema}}.status_rank(nxt) = 0 OR {{schema}}.status_rank(nxt) <= {{schema}}.status_rank(cur) THEN NULL
		ELSE nxt END
$$;

-- record_inbound is store.Inbox.RecordInbound in one call, so the webhook
-- path costs one round trip. Each statement inside sees a fresh snapshot
-- (READ COMMITTED), which is what makes the re-checks below work.
--
-- Concurrency: every call for one customer locks the contact row first, so
-- two deliveries of the same MessageSid serialize there and the second sees
-- the first's message in its re-check. A new customer's row is created with
-- ON CONFLICT DO NOTHING (the loser waits for the winner, then locks its
-- row); the open conversation likewise through conversations_one_open. The
-- unique index messages_inbound_sid is the last guard: a MessageSid reused
-- by another phone number fails the whole call instead of half-writing it.
CREATE FUNCTION {{schema}}.record_inbound(
	p_channel_id text, p_sid text, p_phone text, p_wa_id text, p_profile_name text,
	p_sender text, p_body text, p_inbound jsonb, p_received_at timestamptz,
	OUT o_duplicate boolean, OUT o_new_contact boolean, OUT o_new_conversation boolean,
	OUT o_message {{schema}}.messages, OUT o_contact {{schema}}.contacts,
	OUT o_conversation {{schema}}.conversations)
LANGUAGE plpgsql AS $$
BEGIN
	o_duplicate := false;
	o_new_contact := false;
	o_new_conversation := false;

	-- Fast path for a repeated webhook: no lock, nothing written.
	SELECT * INTO o_message FROM {{schema}}.messages
	WHERE channel_id = p_channel_id AND sid = p_sid AND direction = 'in';
	IF FOUND THEN
		o_duplicate := true;
		SELECT * INTO o_contact FROM {{schema}}.contacts WHERE id = o_message.contact_id;
		SELECT * INTO o_conversation FROM {{schema}}.conversations WHERE id = o_message.conversation_id;
		RETURN;
	END IF;

	SELECT * INTO o_contact FROM {{schema}}.contacts
	WHERE channel_id = p_channel_id AND phone = p_phone FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		INSERT INTO {{schema}}.contacts (channel_id, phone, wa_id, profile_name, created_at, last_inbound_at)
		VALUES (p_channel_id, p_phone, p_wa_id, p_profile_name, p_received_at, p_received_at)
		ON CONFLICT (channel_id, phone) DO NOTHING
		RETURNING * INTO o_contact;
		o_new_contact := FOUND;
		IF NOT o_new_contact THEN
			SELECT * INTO o_contact FROM {{schema}}.contacts
			WHERE channel_id = p_channel_id AND phone = p_phone FOR NO KEY UPDATE;
		END IF;
	END IF;

	IF NOT o_new_contact THEN
		-- Holding the contact lock: a concurrent delivery of this MessageSid
		-- has either committed (and is visible now) or has not started.
		SELECT * INTO o_message FROM {{schema}}.messages
		WHERE channel_id = p_channel_id AND sid = p_sid AND direction = 'in';
		IF FOUND THEN
			o_duplicate := true;
			SELECT * INTO o_conversation FROM {{schema}}.conversations WHERE id = o_message.conversation_id;
			RETURN;
		END IF;
		UPDATE {{schema}}.contacts SET
			wa_id = CASE WHEN p_wa_id <> '' THEN p_wa_id ELSE wa_id END,
			profile_name = CASE WHEN p_profile_name <> '' THEN p_profile_name ELSE profile_name END,
			last_inbound_at = greatest(last_inbound_at, p_received_at)
		WHERE id = o_contact.id
		RETURNING * INTO o_contact;
	END IF;

	UPDATE {{schema}}.conversations SET
		last_inbound_at = greatest(last_inbound_at, p_received_at),
		updated_at = greatest(updated_at, p_received_at)
	WHERE contact_id = o_contact.id AND status = 'open'
	RETURNING * INTO o_conversation;
	IF NOT FOUND THEN
		INSERT INTO {{schema}}.conversations (channel_id, contact_id, status, sender, created_at, updated_at, last_inbound_at)
		VALUES (p_channel_id, o_contact.id, 'open', p_sender, p_received_at, p_received_at, p_received_at)
		ON CONFLICT (contact_id) WHERE status = 'open' DO NOTHING
		RETURNING * INTO o_conversation;
		o_new_conversation := FOUND;
		IF NOT o_new_conversation THEN
			-- Opened meanwhile by a writer that does not lock the contact.
			UPDATE {{schema}}.conversations SET
				last_inbound_at = greatest(last_inbound_at, p_received_at),
				updated_at = greatest(updated_at, p_received_at)
			WHERE contact_id = o_contact.id AND status = 'open'
			RETURNING * INTO o_conversation;
		END IF;
	END IF;

	INSERT INTO {{schema}}.messages (channel_id, conversation_id, contact_id, direction, kind, sid, body, inbound, created_at)
	VALUES (p_channel_id, o_conversation.id, o_contact.id, 'in', 'customer', p_sid, p_body, p_inbound, p_received_at)
	RETURNING * INTO o_message;
END
$$;
