package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/livedesk/livedesk/store"
)

// AddLabel implements store.Labels in one statement; when it inserts
// nothing a second tells a missing conversation from a label already
// there.
func (s *Store) AddLabel(ctx context.Context, conversationID, label string, at time.Time) (bool, error) {
	if err := store.CheckLabel(label); err != nil {
		return false, err
	}
	tag, err := s.pool.Exec(ctx, s.sql(`INSERT INTO {{schema}}.conversation_labels (conversation_id, label, created_at)
		SELECT c.id, $2, $3 FROM {{schema}}.conversations c WHERE c.id = $1
		ON CONFLICT (conversation_id, label) DO NOTHING`), conversationID, label, at)
	if err != nil {
		return false, fmt.Errorf("pgstore: add label %q: %w", label, err)
	}
	if tag.RowsAffected() == 1 {
		return true, nil
	}
	return false, s.conversationMissing(ctx, conversationID)
}

// RemoveLabel implements store.Labels.
func (s *Store) RemoveLabel(ctx context.Context, conversationID, label string) (bool, error) {
	if err := store.CheckLabel(label); err != nil {
		return false, err
	}
	tag, err := s.pool.Exec(ctx, s.sql(`DELETE FROM {{schema}}.conversation_labels
		WHERE conversation_id = $1 AND label = $2`), conversationID, label)
	if err != nil {
		return false, fmt.Errorf("pgstore: remove label %q: %w", label, err)
	}
	if tag.RowsAffected() == 1 {
		return true, nil
	}
	return false, s.conversationMissing(ctx, conversationID)
}

// Labels implements store.Labels.
func (s *Store) Labels(ctx context.Context, conversationID string) ([]string, error) {
	var labels []string
	err := s.pool.QueryRow(ctx, s.sql(`SELECT coalesce(array_agg(label ORDER BY label), '{}')
		FROM {{schema}}.conversation_labels WHERE conversation_id = $1`), conversationID).Scan(&labels)
	if err != nil {
		return nil, fmt.Errorf("pgstore: labels of %q: %w", conversationID, err)
	}
	if len(labels) > 0 {
		return labels, nil
	}
	if err := s.conversationMissing(ctx, conversationID); err != nil {
		return nil, err
	}
	return []string{}, nil
}

// addNoteSQL inserts a note with the conversation's channel and contact;
// a taken key inserts nothing (messages_key).
const addNoteSQL = `INSERT INTO {{schema}}.messages (id, channel_id, conversation_id, contact_id, direction, kind,
	body, key, author_id, created_at)
SELECT coalesce($1::text, gen_random_uuid()::text), c.channel_id, c.id, c.contact_id, 'internal', 'note',
	$3, $4, $5, $6
FROM {{schema}}.conversations c WHERE c.id = $2
ON CONFLICT (key) WHERE key IS NOT NULL DO NOTHING
RETURNING ` + messageColumns

// AddNote implements store.Notes in one statement, plus a read when it
// inserted nothing (the key was taken, or there is no such conversation).
func (s *Store) AddNote(ctx context.Context, note store.Message, at time.Time) (store.Message, bool, error) {
	if err := store.CheckNote(note); err != nil {
		return store.Message{}, false, err
	}
	var scan messageScan
	err := s.pool.QueryRow(ctx, s.sql(cols(addNoteSQL, "")), nullString(note.ID), note.ConversationID,
		note.Text, nullString(note.Key), note.AuthorID, at).Scan(scan.dest()...)
	if err == nil {
		m, err := scan.message(nil)
		return m, err == nil, err
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return store.Message{}, false, fmt.Errorf("pgstore: add note: %w", err)
	}
	if err := s.conversationMissing(ctx, note.ConversationID); err != nil {
		return store.Message{}, false, err
	}
	err = s.pool.QueryRow(ctx, s.sql(`SELECT `+cols(messageColumns, "")+` FROM {{schema}}.messages WHERE key = $1`),
		note.Key).Scan(scan.dest()...)
	if err != nil {
		return store.Message{}, false, fmt.Errorf("pgstore: add note: message with key %q: %w", note.Key, err)
	}
	m, err := scan.message(nil)
	return m, false, err
}
