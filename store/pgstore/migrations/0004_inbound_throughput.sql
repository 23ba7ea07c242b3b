-- 0004_inbound_throughput: the webhook path does less work per message.
-- Unprocessed inbound messages are listed in their own small table instead
-- of a partial index on messages, so marking a message processed is a HOT
-- update; the unused unique index on messages.seq goes; record_inbound runs
-- three statements instead of seven on the usual path.
--
-- {{schema}} is replaced by the quoted schema name before this runs.

-- unprocessed lists the inbound messages not yet processed (the sweep's
-- work), in arrival order. A row exists exactly while the message's
-- processed is false: record_inbound adds it with the message and
-- FinishInbound removes it in the statement that sets processed. It
-- replaces the partial index messages_unprocessed, whose predicate named
-- processed: with it, every "processed = true" was a non-HOT update that
-- wrote a new entry in each of the messages indexes. There is no foreign
-- key to messages: only those two statements write here, and a foreign key
-- would cost a lookup of the message on every insert.
CREATE TABLE {{schema}}.unprocessed (
	message_id text PRIMARY KEY,
	created_at timestamptz NOT NULL,
	seq        bigint NOT NULL
);
CREATE INDEX unprocessed_order ON {{schema}}.unprocessed (created_at, seq);
INSERT INTO {{schema}}.unprocessed (message_id, created_at, seq)
SELECT id, created_at, seq FROM {{schema}}.messages WHERE direction = 'in' AND NOT processed;
DROP INDEX {{schema}}.messages_unprocessed;

-- seq is an identity column, unique by construction, and no query looks a
-- message up by seq alone (they order by (created_at, seq) or
-- (next_attempt_at, seq) through other indexes): the unique index was one
-- more index to maintain on every insert, always at its right edge, where
-- concurrent inserts contend for the same page.
ALTER TABLE {{schema}}.messages DROP CONSTRAINT messages_seq_key;

-- Room on each page for the processed update to stay on the row's page
-- (HOT) soon after the insert. Applies to pages written from now on.
ALTER TABLE {{schema}}.messages SET (fillfactor = 90);

-- record_inbound, same signature and rules as 0002's. On the usual path
-- (a known contact writing in its open conversation, no open survey) it
-- runs three statements instead of seven:
--   1. lock the contact row (as before: the per-customer serialization);
--   2. with a fresh snapshot taken after that lock, look for the MessageSid
--      and for the open survey in one statement (0002 looked for the
--      MessageSid twice, before and after the lock, and for the survey in
--      one or two more statements);
--   3. update the contact and the open conversation and insert the message
--      (and its unprocessed row) in one statement of data-modifying CTEs.
-- The other paths (new contact, a survey to answer or close, no open
-- conversation) take the 0002 steps. A repeated webhook of a known contact
-- now waits for the contact's lock before finding its message, which 0002
-- found without a lock: it still writes nothing.
DROP FUNCTION {{schema}}.record_inbound(text, text, text, text, text, text, text, jsonb, timestamptz,
	integer, text, text);

CREATE FUNCTION {{schema}}.record_inbound(
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
			-- below open one.
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
		created_at, survey_id)
	VALUES (p_channel_id, o_conversation.id, o_contact.id, 'in', 'customer', p_sid, p_body, p_inbound, p_received_at,
		CASE WHEN o_survey_outcome IN ('rated', 'commented') THEN o_survey.id END)
	RETURNING * INTO o_message;
	INSERT INTO {{schema}}.unprocessed (message_id, created_at, seq)
	VALUES (o_message.id, o_message.created_at, o_message.seq);
END
$$;
