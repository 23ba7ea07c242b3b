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

// sql substitutes the store's schema into a statement built at call time.
func (s *Store) sql(text string) string { return withSchema(text, quoteSchema(s.schema)) }

// QueryConversations implements store.Queries in one statement. Only the
// conditions that are set are written, so each combination is its own
// (cached) statement with its own plan: the conversations_updated and
// conversations_channel_updated indexes walked backwards give the order
// and the cursor's row comparison; labels, phones and text are semi-joins
// (conversation_labels_label, contacts_phone, messages_body_trgm when
// pg_trgm is installed).
func (s *Store) QueryConversations(ctx context.Context, q store.ConversationQuery) (store.ConversationPage, error) {
	if err := q.Check(); err != nil {
		return store.ConversationPage{}, err
	}
	sql, args := s.conversationQuerySQL(q)
	n := q.PageSize()
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return store.ConversationPage{}, fmt.Errorf("pgstore: query conversations: %w", err)
	}
	defer rows.Close()
	var (
		page   = store.ConversationPage{Conversations: []store.LabeledConversation{}}
		scan   conversationScan
		labels []string
	)
	dest := append(scan.dest(), &labels)
	for rows.Next() {
		labels = nil
		if err := rows.Scan(dest...); err != nil {
			return store.ConversationPage{}, fmt.Errorf("pgstore: query conversations: %w", err)
		}
		if len(page.Conversations) == n {
			page.Next = store.ConversationCursor(page.Conversations[n-1].Conversation)
			break
		}
		lc := store.LabeledConversation{Conversation: scan.conversation()}
		if len(labels) > 0 {
			lc.Labels = labels
		}
		page.Conversations = append(page.Conversations, lc)
	}
	if err := rows.Err(); err != nil {
		return store.ConversationPage{}, fmt.Errorf("pgstore: query conversations: %w", err)
	}
	return page, nil
}

// conversationQuerySQL builds QueryConversations' statement for a checked
// query: one more row than the page, to know whether another follows.
func (s *Store) conversationQuerySQL(q store.ConversationQuery) (string, []any) {
	var (
		sql   strings.Builder
		args  []any
		where = " WHERE "
	)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	cond := func(c string) {
		sql.WriteString(where + c)
		where = " AND "
	}
	eq := func(column, value string) {
		if value != "" {
			cond(column + " = " + arg(value))
		}
	}
	flag := func(f store.Flag, yes, no string) {
		switch f {
		case store.FlagYes:
			cond(yes)
		case store.FlagNo:
			cond(no)
		}
	}
	sql.WriteString(`SELECT ` + cols(conversationColumns, "c.") + `,
	coalesce((SELECT array_agg(l.label ORDER BY l.label) FROM {{schema}}.conversation_labels l WHERE l.conversation_id = c.id), '{}')
	FROM {{schema}}.conversations c`)
	eq("c.channel_id", q.ChannelID)
	eq("c.contact_id", q.ContactID)
	eq("c.status", string(q.Status))
	eq("c.assignee_id", q.AssigneeID)
	eq("c.queue_team", q.Team)
	flag(q.AIOwned, "coalesce(c.ai_agent_id, '') <> ''", "coalesce(c.ai_agent_id, '') = ''")
	flag(q.Queued, "c.queued_at IS NOT NULL", "c.queued_at IS NULL")
	if q.ContactPhone != "" {
		cond("c.contact_id IN (SELECT k.id FROM {{schema}}.contacts k WHERE k.phone = " + arg(q.ContactPhone) + ")")
	}
	if q.Label != "" {
		cond("c.id IN (SELECT l.conversation_id FROM {{schema}}.conversation_labels l WHERE l.label = " + arg(q.Label) + ")")
	}
	if q.Text != "" {
		cond("c.id IN (SELECT m.conversation_id FROM {{schema}}.messages m WHERE m.body ILIKE " + arg(likeContains(q.Text)) + ")")
	}
	if !q.UpdatedSince.IsZero() {
		cond("c.updated_at >= " + arg(q.UpdatedSince))
	}
	if q.Cursor != "" {
		at, id, _ := store.ConversationAfter(q.Cursor) // Check vetted it
		cond("(c.updated_at, c.id) < (" + arg(at) + ", " + arg(id) + ")")
	}
	sql.WriteString(" ORDER BY c.updated_at DESC, c.id DESC LIMIT " + arg(q.PageSize()+1))
	return s.sql(sql.String()), args
}

// likeContains is the ILIKE pattern matching text anywhere, with LIKE's
// wildcards in text escaped.
func likeContains(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(text) + "%"
}

// QueryMessages implements store.Queries: one statement on
// messages_conversation; an empty page costs a second one telling a
// missing conversation or a foreign cursor from the end of the timeline.
func (s *Store) QueryMessages(ctx context.Context, conversationID string, q store.MessageQuery) (store.MessagePage, error) {
	if err := q.Check(); err != nil {
		return store.MessagePage{}, err
	}
	n := q.PageSize()
	sql := `SELECT ` + cols(messageColumns, "") + ` FROM {{schema}}.messages WHERE conversation_id = $1`
	args := []any{conversationID, n + 1}
	var afterID string
	if q.Cursor != "" {
		_, afterID, _ = store.MessageAfter(q.Cursor) // Check vetted it
		sql += ` AND (created_at, seq) > (SELECT p.created_at, p.seq FROM {{schema}}.messages p
			WHERE p.id = $3 AND p.conversation_id = $1)`
		args = append(args, afterID)
	}
	sql += ` ORDER BY created_at, seq LIMIT $2`
	msgs, err := s.queryMessages(ctx, s.sql(sql), args...)
	if err != nil {
		return store.MessagePage{}, fmt.Errorf("pgstore: messages of %q: %w", conversationID, err)
	}
	page := store.MessagePage{Messages: msgs}
	if len(msgs) > n {
		page.Messages = msgs[:n:n]
		page.Next = store.MessageCursor(msgs[n-1])
	}
	if len(msgs) > 0 {
		return page, nil
	}
	page.Messages = []store.Message{}
	var exists, cursorOK bool
	err = s.pool.QueryRow(ctx, s.sql(`SELECT EXISTS (SELECT 1 FROM {{schema}}.conversations WHERE id = $1),
		$2 = '' OR EXISTS (SELECT 1 FROM {{schema}}.messages WHERE id = $2 AND conversation_id = $1)`),
		conversationID, afterID).Scan(&exists, &cursorOK)
	switch {
	case err != nil:
		return store.MessagePage{}, fmt.Errorf("pgstore: messages of %q: %w", conversationID, err)
	case !exists:
		return store.MessagePage{}, fmt.Errorf("pgstore: conversation %q: %w", conversationID, store.ErrNotFound)
	case !cursorOK:
		return store.MessagePage{}, fmt.Errorf("pgstore: messages of %q: %w: the cursor is not of this conversation", conversationID, store.ErrInvalid)
	}
	return page, nil
}

// conversationMissing returns ErrNotFound when the conversation does not
// exist, err when the check fails, else nil.
func (s *Store) conversationMissing(ctx context.Context, id string) error {
	var exists bool
	if err := s.pool.QueryRow(ctx, s.q.conversationExists, id).Scan(&exists); err != nil {
		return fmt.Errorf("pgstore: conversation %q: %w", id, err)
	}
	if !exists {
		return fmt.Errorf("pgstore: conversation %q: %w", id, store.ErrNotFound)
	}
	return nil
}

// Message implements store.Queries.
func (s *Store) Message(ctx context.Context, id string) (store.Message, error) {
	var scan messageScan
	err := s.pool.QueryRow(ctx, s.sql(`SELECT `+cols(messageColumns, "")+` FROM {{schema}}.messages WHERE id = $1`), id).Scan(scan.dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Message{}, fmt.Errorf("pgstore: message %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Message{}, fmt.Errorf("pgstore: message %q: %w", id, err)
	}
	return scan.message(nil)
}
