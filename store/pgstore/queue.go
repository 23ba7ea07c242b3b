package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/livedesk/livedesk/store"
)

// queueSQL queues outbound messages (FinishInbound, Enqueue) in one
// statement. $1 is the inbound message to mark processed (NULL for
// Enqueue), $2 the messages as a jsonb array, $3 the time.
//
// The inbound row is locked first, so concurrent finishes of one message
// serialize there instead of deadlocking on each other's keys. The
// conversations are looked up by scalar subqueries, which always probe the
// primary key: a join could be planned as a scan of every conversation,
// since PostgreSQL guesses jsonb_to_recordset returns 100 rows. Nothing is
// written unless the inbound message and every conversation exist. The
// messages_key unique index makes a repeated key a no-op, also against a
// concurrent insert of the same key (ON CONFLICT waits for it). Marking
// the inbound message processed also removes its unprocessed row
// (migration 0004). The inbound message is found with "direction NOT IN
// ('out', 'internal')" for the reason finishSQL gives. The result is one
// row: the checks and the IDs actually inserted.
func queueSQL() string {
	return `WITH q AS (
	SELECT q.*,
		(SELECT c.channel_id FROM {{schema}}.conversations c WHERE c.id = q.conversation_id) AS conv_channel_id,
		(SELECT c.contact_id FROM {{schema}}.conversations c WHERE c.id = q.conversation_id) AS conv_contact_id
	FROM jsonb_to_recordset($2::jsonb) AS q(ord integer, id text, conversation_id text, channel_id text,
		contact_id text, kind text, key text, author_id text, body text, media_urls jsonb, content_sid text,
		content_variables jsonb, template_sid text, next_attempt_at timestamptz)
), inb AS (
	SELECT id, processed FROM {{schema}}.messages WHERE id = $1 AND direction NOT IN ('out', 'internal') FOR NO KEY UPDATE
), chk AS (
	SELECT $1::text IS NULL OR EXISTS (SELECT 1 FROM inb) AS inbound_found,
		(SELECT conversation_id FROM q WHERE conv_channel_id IS NULL ORDER BY ord LIMIT 1) AS missing
), ins AS (
	INSERT INTO {{schema}}.messages (id, channel_id, conversation_id, contact_id, direction, kind, body, key,
		author_id, media_urls, content_sid, content_variables, template_sid, status, next_attempt_at,
		created_at, updated_at)
	SELECT q.id, coalesce(q.channel_id, q.conv_channel_id), q.conversation_id,
		coalesce(q.contact_id, q.conv_contact_id), 'out', coalesce(q.kind, ''), coalesce(q.body, ''), q.key,
		q.author_id, q.media_urls, coalesce(q.content_sid, ''), q.content_variables, coalesce(q.template_sid, ''),
		'pending', coalesce(q.next_attempt_at, $3), $3, $3
	FROM q, chk WHERE chk.inbound_found AND chk.missing IS NULL
	ORDER BY q.ord
	ON CONFLICT (key) WHERE key IS NOT NULL DO NOTHING
	RETURNING id, seq, channel_id, contact_id, conversation_id, kind
), done AS (
	UPDATE {{schema}}.messages m SET processed = true
	FROM inb, chk WHERE m.id = inb.id AND NOT inb.processed AND chk.missing IS NULL
), gone AS (
	DELETE FROM {{schema}}.unprocessed u
	USING inb, chk WHERE u.message_id = inb.id AND chk.missing IS NULL
), stamp AS (
	UPDATE {{schema}}.conversations c SET last_agent_reply_at = greatest(c.last_agent_reply_at, $3)
	WHERE c.id IN (SELECT conversation_id FROM ins WHERE kind IN ('reply', 'ai'))
)
SELECT chk.inbound_found, coalesce(chk.missing, ''),
	coalesce((SELECT array_agg(id ORDER BY seq) FROM ins), '{}'),
	coalesce((SELECT array_agg(channel_id ORDER BY seq) FROM ins), '{}'),
	coalesce((SELECT array_agg(contact_id ORDER BY seq) FROM ins), '{}')
FROM chk`
}

// queuedJSON is one message as queueSQL reads it with jsonb_to_recordset.
// Only the fields a queued outbound message has are stored; the store
// fills the rest (status, attempts, times).
type queuedJSON struct {
	Ord              int               `json:"ord"`
	ID               string            `json:"id"`
	ConversationID   string            `json:"conversation_id"`
	ChannelID        string            `json:"channel_id,omitempty"`
	ContactID        string            `json:"contact_id,omitempty"`
	Kind             string            `json:"kind"`
	Key              string            `json:"key,omitempty"`
	AuthorID         string            `json:"author_id,omitempty"`
	Body             string            `json:"body,omitempty"`
	MediaURLs        []string          `json:"media_urls,omitempty"`
	ContentSID       string            `json:"content_sid,omitempty"`
	ContentVariables map[string]string `json:"content_variables,omitempty"`
	TemplateSID      string            `json:"template_sid,omitempty"`
	NextAttemptAt    time.Time         `json:"next_attempt_at,omitzero"`
}

// micro truncates to what PostgreSQL keeps, so the records returned equal
// the records stored.
func micro(t time.Time) time.Time { return t.Truncate(time.Microsecond).UTC() }

// queue runs queueSQL on db (the pool, or the transaction of a larger
// step) and returns the messages it inserted, in queue order. inboundID is
// nil for Enqueue.
func (s *Store) queue(ctx context.Context, db querier, inboundID *string, queue []store.Message, at time.Time) ([]store.Message, error) {
	at = micro(at)
	msgs := make([]store.Message, len(queue))
	rows := make([]queuedJSON, len(queue))
	for i, m := range queue {
		if m.ID == "" {
			// Assigned here rather than by the column default so the
			// result can be built without reading the rows back.
			m.ID = uuid.NewString()
		}
		rows[i] = queuedJSON{Ord: i, ID: m.ID, ConversationID: m.ConversationID, ChannelID: m.ChannelID,
			ContactID: m.ContactID, Kind: string(m.Kind), Key: m.Key, AuthorID: m.AuthorID, Body: m.Text,
			MediaURLs: m.MediaURLs, ContentSID: m.ContentSID, ContentVariables: m.ContentVariables,
			TemplateSID: m.TemplateSID, NextAttemptAt: micro(m.NextAttemptAt)}
		msgs[i] = store.Message{ID: m.ID, ConversationID: m.ConversationID, Direction: store.Outbound, Kind: m.Kind,
			Text: m.Text, Key: m.Key, AuthorID: m.AuthorID, MediaURLs: m.MediaURLs, ContentSID: m.ContentSID,
			ContentVariables: m.ContentVariables, TemplateSID: m.TemplateSID, Status: store.DeliveryPending,
			NextAttemptAt: rows[i].NextAttemptAt, CreatedAt: at, UpdatedAt: at}
		if msgs[i].NextAttemptAt.IsZero() {
			msgs[i].NextAttemptAt = at
		}
	}
	raw, err := json.Marshal(rows)
	if err != nil {
		return nil, fmt.Errorf("encode queue: %w", err)
	}
	var (
		inboundFound              bool
		missing                   string
		ids, channelIDs, contacts []string
	)
	var inbound any
	if inboundID != nil {
		inbound = *inboundID
	}
	err = db.QueryRow(ctx, s.q.queue, inbound, raw, at).Scan(&inboundFound, &missing, &ids, &channelIDs, &contacts)
	if err != nil {
		return nil, err
	}
	switch {
	case !inboundFound:
		return nil, fmt.Errorf("inbound message %q: %w", *inboundID, store.ErrNotFound)
	case missing != "":
		return nil, fmt.Errorf("conversation %q: %w", missing, store.ErrNotFound)
	case len(ids) == 0:
		return nil, nil
	}
	inserted := make(map[string]int, len(ids))
	for i, id := range ids {
		inserted[id] = i
	}
	out := make([]store.Message, 0, len(ids))
	for _, m := range msgs {
		if i, ok := inserted[m.ID]; ok {
			m.ChannelID, m.ContactID = channelIDs[i], contacts[i]
			out = append(out, m)
		}
	}
	return out, nil
}
