package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/livedesk/livedesk/store"
)

func messagesSQL() string {
	return `SELECT ` + cols(messageColumns, "") + ` FROM {{schema}}.messages
	WHERE conversation_id = $1 ORDER BY created_at, seq`
}

// Conversation implements store.Conversations.
func (s *Store) Conversation(ctx context.Context, id string) (store.Conversation, error) {
	var scan conversationScan
	err := s.pool.QueryRow(ctx, s.q.conversation, id).Scan(scan.dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Conversation{}, fmt.Errorf("pgstore: conversation %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Conversation{}, fmt.Errorf("pgstore: conversation %q: %w", id, err)
	}
	return scan.conversation(), nil
}

// ListConversations implements store.Conversations. Only the filters that
// are set become conditions, so each combination is its own statement and
// can use its index.
func (s *Store) ListConversations(ctx context.Context, f store.ConversationFilter) ([]store.Conversation, error) {
	var (
		sql   strings.Builder
		args  []any
		where = " WHERE "
	)
	sql.WriteString(s.q.listConversations)
	cond := func(column, value string) {
		if value == "" {
			return
		}
		args = append(args, value)
		sql.WriteString(where + column + " = $" + strconv.Itoa(len(args)))
		where = " AND "
	}
	cond("channel_id", f.ChannelID)
	cond("contact_id", f.ContactID)
	cond("status", string(f.Status))
	cond("assignee_id", f.AssigneeID)
	sql.WriteString(" ORDER BY seq")
	if f.Limit > 0 {
		args = append(args, f.Limit)
		sql.WriteString(" LIMIT $" + strconv.Itoa(len(args)))
	}
	rows, err := s.pool.Query(ctx, sql.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("pgstore: list conversations: %w", err)
	}
	defer rows.Close()
	var (
		out  []store.Conversation
		scan conversationScan
	)
	dest := scan.dest()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("pgstore: list conversations: %w", err)
		}
		out = append(out, scan.conversation())
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: list conversations: %w", err)
	}
	return out, nil
}

// Messages implements store.Conversations. Conversations are never
// deleted, so checking that it exists only when it has no messages is
// enough and saves a round trip in the usual case.
func (s *Store) Messages(ctx context.Context, conversationID string) ([]store.Message, error) {
	msgs, err := s.queryMessages(ctx, s.q.messages, conversationID)
	if err != nil {
		return nil, fmt.Errorf("pgstore: messages of %q: %w", conversationID, err)
	}
	if len(msgs) > 0 {
		return msgs, nil
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, s.q.conversationExists, conversationID).Scan(&exists); err != nil {
		return nil, fmt.Errorf("pgstore: messages of %q: %w", conversationID, err)
	}
	if !exists {
		return nil, fmt.Errorf("pgstore: conversation %q: %w", conversationID, store.ErrNotFound)
	}
	return []store.Message{}, nil
}
