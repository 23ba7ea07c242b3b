-- 0002_assignment_surveys: human and AI agents, assignment and its queue,
-- AI turns, resolutions and CSAT surveys; record_inbound learns to read
-- survey answers.
--
-- {{schema}} is replaced by the quoted schema name before this runs.

ALTER TABLE {{schema}}.contacts
	ADD COLUMN last_agent_id text;

-- Ownership: assignee_id (human) or ai_agent_id (AI); NULL when none.
-- queued_at is set while the conversation waits for an agent.
ALTER TABLE {{schema}}.conversations
	ADD COLUMN ai_handed_off      boolean NOT NULL DEFAULT false,
	ADD COLUMN queued_at          timestamptz,
	ADD COLUMN queue_target       text NOT NULL DEFAULT '',
	ADD COLUMN ai_turn_message_id text,
	ADD COLUMN resolutions        integer NOT NULL DEFAULT 0;
-- The assignment queue: open, unowned, queued conversations in order.
CREATE INDEX conversations_queue ON {{schema}}.conversations (queued_at, seq)
	WHERE status = 'open' AND assignee_id IS NULL AND ai_agent_id IS NULL AND queued_at IS NOT NULL;

ALTER TABLE {{schema}}.messages
	ADD COLUMN survey_id text;

-- Agents. open counts the open conversations assigned to the agent; it is
-- changed only while the agent row is locked, so capacity holds across
-- processes.
CREATE TABLE {{schema}}.agents (
	id               text PRIMARY KEY,
	name             text NOT NULL DEFAULT '',
	status           text NOT NULL DEFAULT '',
	capacity         integer NOT NULL DEFAULT 0,
	teams            jsonb NOT NULL DEFAULT '[]',
	open             integer NOT NULL DEFAULT 0,
	last_assigned_at timestamptz,
	created_at       timestamptz NOT NULL,
	updated_at       timestamptz NOT NULL
);

-- Round-robin cursors, written in the same transaction as the assignment.
CREATE TABLE {{schema}}.assignment_cursors (
	key      text PRIMARY KEY,
	agent_id text NOT NULL
);

-- A conversation's pending AI turn exists exactly while its
-- ai_turn_message_id is set. since/seq order the claims (a newer message
-- replacing the pending one keeps the turn's place); latest is when the
-- pending message was last replaced.
CREATE SEQUENCE {{schema}}.ai_turn_seq;
CREATE TABLE {{schema}}.ai_turns (
	conversation_id text PRIMARY KEY REFERENCES {{schema}}.conversations (id),
	seq             bigint NOT NULL,
	since           timestamptz NOT NULL,
	latest          timestamptz NOT NULL,
	lease_token     text,
	lease_until     timestamptz
);
CREATE INDEX ai_turns_due ON {{schema}}.ai_turns (since, seq);

-- CSAT surveys, one per resolution that asked for one.
CREATE TABLE {{schema}}.surveys (
	id              text PRIMARY KEY,
	seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	channel_id      text NOT NULL,
	conversation_id text NOT NULL REFERENCES {{schema}}.conversations (id),
	contact_id      text NOT NULL REFERENCES {{schema}}.contacts (id),
	resolution      integer NOT NULL,
	agent_id        text,
	ai_agent_id     text,
	message_id      text,
	sent_at         timestamptz NOT NULL,
	expires_at      timestamptz NOT NULL,
	rating          integer NOT NULL DEFAULT 0,
	rating_method   text NOT NULL DEFAULT '',
	rated_at        timestamptz,
	wants_comment   boolean NOT NULL DEFAULT false,
	comment         text NOT NULL DEFAULT '',
	comment_at      timestamptz,
	closed          boolean NOT NULL DEFAULT false
);
CREATE INDEX surveys_open_contact ON {{schema}}.surveys (contact_id, sent_at, seq) WHERE NOT closed;
CREATE INDEX surveys_open_expiry ON {{schema}}.surveys (expires_at) WHERE NOT closed;
CREATE INDEX surveys_sent ON {{schema}}.surveys (sent_at, seq);

-- record_inbound gains the survey answer (the desk's reading of the
-- message) and returns the survey it answered or closed. The rules are
-- store.Inbox.RecordInbound's; the concurrency argument of 0001 holds: the
-- survey is read and changed while the contact row is locked.
DROP FUNCTION {{schema}}.record_inbound(text, text, text, text, text, text, text, jsonb, timestamptz);

CREATE FUNCTION {{schema}}.record_inbound(
	p_channel_id text, p_sid text, p_phone text, p_wa_id text, p_profile_name text,
	p_sender text, p_body text, p_inbound jsonb, p_received_at timestamptz,
	p_rating integer, p_rating_method text, p_survey_id text,
	OUT o_duplicate boolean, OUT o_new_contact boolean, OUT o_new_conversation boolean,
	OUT o_message {{schema}}.messages, OUT o_contact {{schema}}.contacts,
	OUT o_conversation {{schema}}.conversations,
	OUT o_survey {{schema}}.surveys, OUT o_survey_outcome text)
LANGUAGE plpgsql AS $$
BEGIN
	o_duplicate := false;
	o_new_contact := false;
	o_new_conversation := false;
	o_survey_outcome := '';

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

		-- The open survey this message may answer: the one the payload
		-- names when it is this contact's and open, else the latest.
		IF p_survey_id <> '' THEN
			SELECT * INTO o_survey FROM {{schema}}.surveys
			WHERE id = p_survey_id AND contact_id = o_contact.id AND NOT closed AND expires_at > p_received_at
			FOR NO KEY UPDATE;
		END IF;
		IF o_survey.id IS NULL THEN
			SELECT * INTO o_survey FROM {{schema}}.surveys
			WHERE contact_id = o_contact.id AND NOT closed AND expires_at > p_received_at
			ORDER BY sent_at DESC, seq DESC LIMIT 1
			FOR NO KEY UPDATE;
		END IF;
		IF o_survey.id IS NOT NULL THEN
			IF o_survey.rating = 0 AND p_rating BETWEEN 1 AND 5 THEN
				o_survey_outcome := 'rated';
				UPDATE {{schema}}.surveys SET rating = p_rating, rating_method = p_rating_method,
					rated_at = p_received_at, closed = NOT wants_comment
				WHERE id = o_survey.id RETURNING * INTO o_survey;
			ELSIF o_survey.rating <> 0 AND o_survey.wants_comment AND o_survey.comment_at IS NULL THEN
				o_survey_outcome := 'commented';
				UPDATE {{schema}}.surveys SET comment = p_body, comment_at = p_received_at, closed = true
				WHERE id = o_survey.id RETURNING * INTO o_survey;
			ELSE
				o_survey_outcome := 'ignored';
				UPDATE {{schema}}.surveys SET closed = true WHERE id = o_survey.id RETURNING * INTO o_survey;
			END IF;
		END IF;
	END IF;

	IF o_survey_outcome IN ('rated', 'commented') THEN
		-- An answer joins the survey's conversation, resolved or not.
		UPDATE {{schema}}.conversations SET
			last_inbound_at = greatest(last_inbound_at, p_received_at),
			updated_at = greatest(updated_at, p_received_at)
		WHERE id = o_survey.conversation_id
		RETURNING * INTO o_conversation;
	ELSE
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
	END IF;

	INSERT INTO {{schema}}.messages (channel_id, conversation_id, contact_id, direction, kind, sid, body, inbound,
		created_at, survey_id)
	VALUES (p_channel_id, o_conversation.id, o_contact.id, 'in', 'customer', p_sid, p_body, p_inbound, p_received_at,
		CASE WHEN o_survey_outcome IN ('rated', 'commented') THEN o_survey.id END)
	RETURNING * INTO o_message;
END
$$;
