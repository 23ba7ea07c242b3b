package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/livedesk/livedesk/store"
)

// querier is what both the pool and a transaction offer, so a step can run
// alone or inside a larger one.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Lock order. Operations that span several rows lock them in this order,
// so two of them never wait on each other in a cycle: contact, then
// conversation(s), then agents (in ID order), then the rest (AI turn,
// messages, surveys, cursors). record_inbound follows it too (contact,
// survey, conversation, message: it never locks an agent). Membership rows
// are written under a KEY SHARE lock of their channel and, when an agent
// is added, of the agent; DeleteAgent deletes the agent's row before its
// memberships, and nothing locks a contact or conversation after those.

// inTx runs fn in a transaction, committed when fn returns nil. what names
// the operation in errors.
func (s *Store) inTx(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	if err := pgx.BeginFunc(ctx, s.pool, fn); err != nil {
		return fmt.Errorf("pgstore: %s: %w", what, err)
	}
	return nil
}

func lockConversationSQL() string {
	return `SELECT ` + cols(conversationColumns, "") + ` FROM {{schema}}.conversations WHERE id = $1 FOR NO KEY UPDATE`
}

// lockContactOfConversationSQL locks the contact of a conversation: the
// first lock of an operation that changes both.
const lockContactOfConversationSQL = `SELECT id FROM {{schema}}.contacts
	WHERE id = (SELECT contact_id FROM {{schema}}.conversations WHERE id = $1) FOR NO KEY UPDATE`

// saveConversationSQL writes the fields the assignment and resolution
// operations change. The inbound times are left alone: they belong to
// record_inbound and the outbox.
func saveConversationSQL() string {
	return `UPDATE {{schema}}.conversations SET status = $2, assignee_id = $3, ai_agent_id = $4,
	ai_handed_off = $5, queued_at = $6, queue_agent = $7, queue_team = $8, ai_turn_message_id = $9,
	resolutions = $10, updated_at = $11, resolved_at = $12
	WHERE id = $1
	RETURNING ` + cols(conversationColumns, "")
}

// lockConversation reads a conversation and locks it for the rest of tx.
func (s *Store) lockConversation(ctx context.Context, tx pgx.Tx, id string) (store.Conversation, error) {
	var scan conversationScan
	err := tx.QueryRow(ctx, s.q.lockConversation, id).Scan(scan.dest()...)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Conversation{}, fmt.Errorf("conversation %q: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return store.Conversation{}, fmt.Errorf("conversation %q: %w", id, err)
	}
	return scan.conversation(), nil
}

// saveConversation writes c (see saveConversationSQL) and returns it as
// stored.
func (s *Store) saveConversation(ctx context.Context, tx pgx.Tx, c store.Conversation) (store.Conversation, error) {
	var scan conversationScan
	if err := tx.QueryRow(ctx, s.q.saveConversation, saveConversationArgs(c)...).Scan(scan.dest()...); err != nil {
		return store.Conversation{}, fmt.Errorf("save conversation %q: %w", c.ID, err)
	}
	return scan.conversation(), nil
}

// queueSave adds saving c to a batch; out receives it as stored when the
// batch runs.
func (s *Store) queueSave(b *pgx.Batch, c store.Conversation, out *store.Conversation) {
	b.Queue(s.q.saveConversation, saveConversationArgs(c)...).QueryRow(func(row pgx.Row) error {
		var scan conversationScan
		if err := row.Scan(scan.dest()...); err != nil {
			return fmt.Errorf("save conversation %q: %w", c.ID, err)
		}
		*out = scan.conversation()
		return nil
	})
}

func saveConversationArgs(c store.Conversation) []any {
	return []any{c.ID, string(c.Status), nullString(c.AssigneeID), nullString(c.AIAgentID), c.AIHandedOff,
		nullTime(c.QueuedAt), nullString(c.QueueTarget.Agent), nullString(c.QueueTarget.Team),
		nullString(c.AITurnMessageID), c.Resolutions, c.UpdatedAt, nullTime(c.ResolvedAt)}
}

// touch moves a conversation's UpdatedAt forward to at, never back.
func touch(c *store.Conversation, at time.Time) {
	if at.After(c.UpdatedAt) {
		c.UpdatedAt = at
	}
}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation.
func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "23505"
}

// changeConversation locks a conversation, lets change modify it (and do
// more in tx) and saves it, in one transaction.
func (s *Store) changeConversation(ctx context.Context, what, id string, change func(pgx.Tx, *store.Conversation) error) (store.Conversation, error) {
	var out store.Conversation
	err := s.inTx(ctx, what, func(tx pgx.Tx) error {
		conv, err := s.lockConversation(ctx, tx, id)
		if err != nil {
			return err
		}
		before := conv
		if err := change(tx, &conv); err != nil {
			return err
		}
		if conv == before {
			out = conv // nothing to write
			return nil
		}
		out, err = s.saveConversation(ctx, tx, conv)
		return err
	})
	return out, err
}
