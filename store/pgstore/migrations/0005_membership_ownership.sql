-- 0005_membership_ownership: channel membership becomes its own table,
-- channels get a version for optimistic concurrency, a conversation's
-- queue target is typed, inbound messages record what RecordInbound found
-- (new contact, opened conversation, survey outcome), and contacts get a
-- name and an update time for the host application.
--
-- {{schema}} is replaced by the quoted schema name before this runs.

-- channel_members is store.Members: who serves each channel. kind 'agent'
-- is a human agent (member_id an agents.id), 'ai' an AI agent of the desk's
-- configuration (enabled is its flag; always true for a human agent). seq
-- is the order members were added: adding one again keeps its row and its
-- place, removing it deletes the row. Only ChangeMember, CreateChannel,
-- DeleteAgent and DeleteChannel (by the cascade) write here; UpdateChannel
-- does not, so a channel read before a member was added cannot drop it.
CREATE TABLE {{schema}}.channel_members (
	channel_id text NOT NULL REFERENCES {{schema}}.channels (id) ON DELETE CASCADE,
	kind       text NOT NULL CHECK (kind IN ('agent', 'ai')),
	member_id  text NOT NULL,
	enabled    boolean NOT NULL DEFAULT true,
	seq        bigint GENERATED ALWAYS AS IDENTITY,
	added_at   timestamptz NOT NULL,
	PRIMARY KEY (channel_id, kind, member_id)
);
-- DeleteAgent removes the agent from every channel.
CREATE INDEX channel_members_agent ON {{schema}}.channel_members (member_id) WHERE kind = 'agent';

-- Members lived in the channel settings (settings.assignment.agents, a
-- list of agent IDs, and settings.assignment.ai_agents, a list of
-- {"id", "enabled"}): they move here in the order they were listed, human
-- agents before AI agents, and leave the settings.
INSERT INTO {{schema}}.channel_members (channel_id, kind, member_id, enabled, added_at)
SELECT channel_id, kind, member_id, enabled, added_at FROM (
	SELECT c.id AS channel_id, c.seq, 0 AS part, a.ord, 'agent' AS kind, a.id AS member_id, true AS enabled,
		c.updated_at AS added_at
	FROM {{schema}}.channels c,
		jsonb_array_elements_text(CASE WHEN jsonb_typeof(c.settings #> '{assignment,agents}') = 'array'
			THEN c.settings #> '{assignment,agents}' ELSE '[]' END) WITH ORDINALITY AS a(id, ord)
	UNION ALL
	SELECT c.id, c.seq, 1, a.ord, 'ai', a.elem ->> 'id', coalesce((a.elem ->> 'enabled')::boolean, false),
		c.updated_at
	FROM {{schema}}.channels c,
		jsonb_array_elements(CASE WHEN jsonb_typeof(c.settings #> '{assignment,ai_agents}') = 'array'
			THEN c.settings #> '{assignment,ai_agents}' ELSE '[]' END) WITH ORDINALITY AS a(elem, ord)
) m
WHERE member_id IS NOT NULL AND member_id <> ''
ORDER BY seq, part, ord
ON CONFLICT DO NOTHING;
UPDATE {{schema}}.channels SET settings = settings #- '{assignment,agents}' #- '{assignment,ai_agents}'
WHERE settings -> 'assignment' ?| array['agents', 'ai_agents'];

-- version is channel.Channel.Version: UpdateChannel writes only when the
-- caller read the current version, and increments it.
ALTER TABLE {{schema}}.channels
	ADD COLUMN version bigint NOT NULL DEFAULT 1;

-- The queue target, a routing.Target, was text ('' for the channel's pool,
-- 'team:<name>' or 'agent:<id>'); it becomes two columns, NULL when unset.
-- Any other text was read as the pool, and stays so.
ALTER TABLE {{schema}}.conversations
	ADD COLUMN queue_agent text,
	ADD COLUMN queue_team  text,
	ADD CONSTRAINT conversations_one_queue_target CHECK (queue_agent IS NULL OR queue_team IS NULL);
UPDATE {{schema}}.conversations SET
	queue_agent = CASE WHEN queue_target LIKE 'agent:%' THEN nullif(substr(queue_target, 7), '') END,
	queue_team = CASE WHEN queue_target LIKE 'team:%' THEN nullif(substr(queue_target, 6), '') END
WHERE queue_target LIKE 'agent:%' OR queue_target LIKE 'team:%';
ALTER TABLE {{schema}}.conversations
	DROP COLUMN queue_target;

-- The facts RecordInbound found, kept with the inbound message so a
-- message processed later (a retried webhook, the sweep) is decided as it
-- would have been at once: new_contact (the message created its contact),
-- opened (it opened its conversation), survey_outcome (store.SurveyOutcome).
-- Constant defaults: adding them rewrites nothing.
ALTER TABLE {{schema}}.messages
	ADD COLUMN new_contact    boolean NOT NULL DEFAULT false,
	ADD COLUMN opened         boolean NOT NULL DEFAULT false,
	ADD COLUMN survey_outcome text NOT NULL DEFAULT '';
-- Messages still waiting to be processed get their facts from the history,
-- as well as it tells them: a contact's first inbound message created it, a
-- conversation's first inbound message opened it, a survey's first answer
-- is its rating and a second one its comment. (A message that closed a
-- survey by not rating it, "ignored", cannot be told from the history; it
-- goes on as a message that met no survey, which is how such a message is
-- processed anyway.) Processed messages are history and keep the defaults.
UPDATE {{schema}}.messages m SET
	new_contact = NOT EXISTS (
		SELECT 1 FROM {{schema}}.conversations c JOIN {{schema}}.messages p ON p.conversation_id = c.id
		WHERE c.contact_id = m.contact_id AND p.direction = 'in' AND p.seq < m.seq),
	opened = m.survey_id IS NULL AND NOT EXISTS (
		SELECT 1 FROM {{schema}}.messages p
		WHERE p.conversation_id = m.conversation_id AND p.direction = 'in' AND p.seq < m.seq),
	survey_outcome = CASE
		WHEN m.survey_id IS NULL THEN ''
		WHEN EXISTS (SELECT 1 FROM {{schema}}.messages p
			WHERE p.conversation_id = m.conversation_id AND p.survey_id = m.survey_id AND p.seq < m.seq)
			THEN 'commented'
		ELSE 'rated' END
FROM {{schema}}.unprocessed u
WHERE u.message_id = m.id;

-- The contact's name and when the host application last changed it or
-- the attributes (store.Contacts.UpdateContact).
ALTER TABLE {{schema}}.contacts
	ADD COLUMN name       text NOT NULL DEFAULT '',
	ADD COLUMN updated_at timestamptz;

-- record_inbound, same signature, rules and statements as 0004's, stores
-- what it found with the message it inserts: o_new_contact,
-- o_new_conversation and o_survey_outcome go to new_contact, opened and
-- survey_outcome, so a duplicate delivery returns a message that carries
-- them. The usual path (a known contact in its open conversation, no
-- survey) inserts the columns' defaults and is unchanged: still three
-- statements, the last one writing the contact, the conversation and the
-- message together.
CREATE OR REPLACE FUNCTION {{schema}}.record_inbound(
	p_channel_id text, p_sid text, p_phone text, p_wa_id text, p_profile_name text,
	p_sender text, p_body text, p_inbound jsonb, p_received_at timestamptz,
	p_rating integer, p_rating_method text, p_survey_id text,
	OUT o_duplicate boolean, OUT o_new_contact boolean, OUT o_new_conversation boolean,
	OUT o_message {{schema}}.messages, OUT o_contact {{schema}}.contacts,
	OUT o_conversation {{schema}}.conversations,
	OUT o_survey {{schema}}.surveys, OUT o_survey_outcome text)
LANGUAGE plpgsql AS $$
DECLARE
	r record;
	contact_updated boolean := false;
BEGIN
	o_duplicate := false;
	o_new_contact := false;
	o_new_conversation := false;
	o_survey_outcome := '';

	SELECT * INTO o_contact FROM {{schema}}.contacts
	WHERE channel_id = p_channel_id AND phone = p_phone FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		-- No contact, so no message of this number yet; but a MessageSid
		-- recorded for another number is still a duplicate, as in 0002.
		SELECT * INTO o_message FROM {{schema}}.messages
		WHERE channel_id = p_channel_id AND sid = p_sid AND direction = 'in';
		IF FOUND THEN
			o_duplicate := true;
			SELECT * INTO o_contact FROM {{schema}}.contacts WHERE id = o_message.contact_id;
			SELECT * INTO o_conversation FROM {{schema}}.conversations WHERE id = o_message.conversation_id;
			RETURN;
		END IF;
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
		-- has either committed (and is visible now) or has not started. The
		-- open survey this message may answer: the one the payload names
		-- when it is this contact's and open, else the latest.
		SELECT
			(SELECT m FROM {{schema}}.messages m
			 WHERE m.channel_id = p_channel_id AND m.sid = p_sid AND m.direction = 'in') AS m,
			(SELECT s FROM {{schema}}.surveys s
			 WHERE s.contact_id = o_contact.id AND NOT s.closed AND s.expires_at > p_received_at
			 ORDER BY s.id = p_survey_id DESC, s.sent_at DESC, s.seq DESC LIMIT 1
			 FOR NO KEY UPDATE) AS s
		INTO r;
		IF (r.m).id IS NOT NULL THEN
			o_duplicate := true;
			o_message := r.m;
			IF o_message.contact_id <> o_contact.id THEN
				SELECT * INTO o_contact FROM {{schema}}.contacts WHERE id = o_message.contact_id;
			END IF;
			SELECT * INTO o_conversation FROM {{schema}}.conversations WHERE id = o_message.conversation_id;
			RETURN;
		END IF;
		o_survey := r.s;

		IF o_survey.id IS NULL THEN
			-- The usual path, in one statement. The message is inserted only
			-- when the contact has an open conversation; otherwise the steps
			-- below open one. Its facts are the columns' defaults: a known
			-- contact, a conversation already open, no survey.
			WITH k AS (
				UPDATE {{schema}}.contacts SET
					wa_id = CASE WHEN p_wa_id <> '' THEN p_wa_id ELSE wa_id END,
					profile_name = CASE WHEN p_profile_name <> '' THEN p_profile_name ELSE profile_name END,
					last_inbound_at = greatest(last_inbound_at, p_received_at)
				WHERE id = o_contact.id
				RETURNING contacts
			), c AS (
				UPDATE {{schema}}.conversations SET
					last_inbound_at = greatest(last_inbound_at, p_received_at),
					updated_at = greatest(updated_at, p_received_at)
				WHERE contact_id = o_contact.id AND status = 'open'
				RETURNING conversations
			), m AS (
				INSERT INTO {{schema}}.messages (channel_id, conversation_id, contact_id, direction, kind, sid, body,
					inbound, created_at)
				SELECT p_channel_id, (c.conversations).id, o_contact.id, 'in', 'customer', p_sid, p_body, p_inbound,
					p_received_at
				FROM c
				RETURNING messages
			), u AS (
				INSERT INTO {{schema}}.unprocessed (message_id, created_at, seq)
				SELECT (m.messages).id, (m.messages).created_at, (m.messages).seq FROM m
			)
			SELECT k.contacts AS k, c.conversations AS c, m.messages AS m INTO r
			FROM k LEFT JOIN c ON true LEFT JOIN m ON true;
			o_contact := r.k;
			IF (r.m).id IS NOT NULL THEN
				o_conversation := r.c;
				o_message := r.m;
				RETURN;
			END IF;
			contact_updated := true;
		END IF;
	END IF;

	-- A new contact, a survey to answer or close, or no open conversation.
	IF NOT o_new_contact AND NOT contact_updated THEN
		UPDATE {{schema}}.contacts SET
			wa_id = CASE WHEN p_wa_id <> '' THEN p_wa_id ELSE wa_id END,
			profile_name = CASE WHEN p_profile_name <> '' THEN p_profile_name ELSE profile_name END,
			last_inbound_at = greatest(last_inbound_at, p_received_at)
		WHERE id = o_contact.id
		RETURNING * INTO o_contact;
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
			INSERT INTO {{schema}}.conversations (channel_id, contact_id, status, sender, created_at, updated_at,
				last_inbound_at)
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
		created_at, survey_id, new_contact, opened, survey_outcome)
	VALUES (p_channel_id, o_conversation.id, o_contact.id, 'in', 'customer', p_sid, p_body, p_inbound, p_received_at,
		CASE WHEN o_survey_outcome IN ('rated', 'commented') THEN o_survey.id END,
		o_new_contact, o_new_conversation, o_survey_outcome)
	RETURNING * INTO o_message;
	INSERT INTO {{schema}}.unprocessed (message_id, created_at, seq)
	VALUES (o_message.id, o_message.created_at, o_message.seq);
END
$$;
