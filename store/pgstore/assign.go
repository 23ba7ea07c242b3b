package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/livedesk/livedesk/store"
)

func lockAgentSQL() string {
	return `SELECT ` + cols(agentColumns, "") + ` FROM {{schema}}.agents WHERE id = $1 FOR NO KEY UPDATE`
}

const (
	assignAgentSQL = `UPDATE {{schema}}.agents SET open = open + 1, last_assigned_at = $2 WHERE id = $1`
	lastAgentSQL   = `UPDATE {{schema}}.contacts SET last_agent_id = $2 WHERE id = $1`
	setCursorSQL   = `INSERT INTO {{schema}}.assignment_cursors (key, agent_id) VALUES ($1, $2)
	ON CONFLICT (key) DO UPDATE SET agent_id = excluded.agent_id`
	cursorSQL = `SELECT agent_id FROM {{schema}}.assignment_cursors WHERE key = $1`
)

func queuedConversationsSQL() string {
	return `SELECT ` + cols(conversationColumns, "") + ` FROM {{schema}}.conversations
	WHERE status = 'open' AND assignee_id IS NULL AND ai_agent_id IS NULL AND queued_at IS NOT NULL
	ORDER BY queued_at, seq LIMIT $1`
}

// requeueAgentSQL unassigns every open conversation of agent $1 at $2 in one
// statement (each row is locked as it is updated) and returns them in
// creation order.
func requeueAgentSQL() string {
	return `WITH requeued AS (
	UPDATE {{schema}}.conversations SET assignee_id = NULL, queued_at = $2, updated_at = greatest(updated_at, $2)
	WHERE assignee_id = $1 AND status = 'open'
	RETURNING *
)
SELECT ` + cols(conversationColumns, "") + ` FROM requeued ORDER BY seq`
}

// ClaimAssignment implements store.Assignments in one transaction of four
// round trips: BEGIN; the contact, conversation and agent locked in one
// batch; the four writes in another; COMMIT. The conversation is checked
// before the agent so that a caller trying candidates in turn stops at
// ErrAssigned instead of moving on to the next agent.
func (s *Store) ClaimAssignment(ctx context.Context, r store.AssignRequest) (store.Conversation, error) {
	var out store.Conversation
	err := s.inTx(ctx, "claim assignment", func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(s.q.lockContactOfConversation, r.ConversationID)
		b.Queue(s.q.lockConversation, r.ConversationID)
		b.Queue(s.q.lockAgent, r.AgentID)
		res := tx.SendBatch(ctx, b)
		if _, err := res.Exec(); err != nil {
			res.Close()
			return err
		}
		var cs conversationScan
		var as agentScan
		convErr := res.QueryRow().Scan(cs.dest()...)
		agentErr := res.QueryRow().Scan(as.dest()...)
		if err := res.Close(); err != nil {
			return err
		}
		switch {
		case errors.Is(convErr, pgx.ErrNoRows):
			return fmt.Errorf("conversation %q: %w", r.ConversationID, store.ErrNotFound)
		case convErr != nil:
			return convErr
		case errors.Is(agentErr, pgx.ErrNoRows):
			return fmt.Errorf("agent %q: %w", r.AgentID, store.ErrNotFound)
		case agentErr != nil:
			return agentErr
		}
		conv := cs.conversation()
		a, err := as.agent()
		if err != nil {
			return err
		}
		switch {
		case !unowned(conv):
			return fmt.Errorf("conversation %q: %w", conv.ID, store.ErrAssigned)
		case !r.Force && a.Status != store.AgentOnline:
			return fmt.Errorf("agent %q is %s: %w", a.ID, a.Status, store.ErrAgentUnavailable)
		case a.Full():
			return fmt.Errorf("agent %q has %d of %d: %w", a.ID, a.Open, a.Capacity, store.ErrAgentFull)
		}
		conv.AssigneeID = a.ID
		conv.QueuedAt = time.Time{}
		touch(&conv, r.At)
		b = &pgx.Batch{}
		b.Queue(s.q.assignAgent, a.ID, r.At)
		b.Queue(s.q.lastAgent, conv.ContactID, a.ID)
		if r.CursorKey != "" {
			b.Queue(s.q.setCursor, r.CursorKey, a.ID)
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		out, err = s.saveConversation(ctx, tx, conv)
		return err
	})
	return out, err
}

// AssignAI implements store.Assignments.
func (s *Store) AssignAI(ctx context.Context, conversationID, aiAgentID string, at time.Time) (store.Conversation, error) {
	if aiAgentID == "" {
		return store.Conversation{}, errors.New("pgstore: AssignAI needs an AI agent ID")
	}
	return s.changeConversation(ctx, "assign AI", conversationID, func(tx pgx.Tx, conv *store.Conversation) error {
		if !unowned(*conv) || conv.AIHandedOff {
			return fmt.Errorf("conversation %q: %w", conv.ID, store.ErrAssigned)
		}
		conv.AIAgentID = aiAgentID
		conv.QueuedAt = time.Time{}
		touch(conv, at)
		return nil
	})
}

// HandOff implements store.Assignments.
func (s *Store) HandOff(ctx context.Context, conversationID, target string, at time.Time) (store.Conversation, error) {
	return s.changeConversation(ctx, "hand off", conversationID, func(tx pgx.Tx, conv *store.Conversation) error {
		return s.handOff(ctx, tx, conv, target, at)
	})
}

// handOff takes an open conversation from its AI agent. A resolved
// conversation's AIAgentID is history, not ownership, so it is left alone.
// The pending AI turn goes too: no AI agent answers a handed-off
// conversation, and a turn still running loses its lease.
func (s *Store) handOff(ctx context.Context, tx pgx.Tx, conv *store.Conversation, target string, at time.Time) error {
	if conv.AIAgentID == "" || conv.Status != store.StatusOpen {
		return nil
	}
	conv.AIAgentID = ""
	conv.AIHandedOff = true
	conv.QueuedAt = at
	conv.QueueTarget = target
	touch(conv, at)
	return s.dropAITurn(ctx, tx, conv)
}

// Unassign implements store.Assignments.
func (s *Store) Unassign(ctx context.Context, conversationID string, at time.Time) (store.Conversation, error) {
	return s.changeConversation(ctx, "unassign", conversationID, func(tx pgx.Tx, conv *store.Conversation) error {
		// A resolved conversation keeps its AssigneeID as history: its
		// agent's capacity was already given back by Resolve.
		if conv.AssigneeID == "" || conv.Status != store.StatusOpen {
			return nil
		}
		if _, err := tx.Exec(ctx, s.q.releaseAgent, conv.AssigneeID, 1); err != nil {
			return err
		}
		conv.AssigneeID = ""
		conv.QueuedAt = at
		touch(conv, at)
		return nil
	})
}

// Queue implements store.Assignments.
func (s *Store) Queue(ctx context.Context, conversationID, target string, at time.Time) (store.Conversation, error) {
	return s.changeConversation(ctx, "queue", conversationID, func(tx pgx.Tx, conv *store.Conversation) error {
		if !unowned(*conv) {
			return fmt.Errorf("conversation %q: %w", conv.ID, store.ErrAssigned)
		}
		if conv.QueuedAt.IsZero() {
			conv.QueuedAt = at // a conversation keeps its place in the queue
		}
		conv.QueueTarget = target
		touch(conv, at)
		return nil
	})
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

// QueuedConversations implements store.Assignments. Ties on QueuedAt go to
// the conversation created first.
func (s *Store) QueuedConversations(ctx context.Context, limit int) ([]store.Conversation, error) {
	out, err := s.queryConversations(ctx, s.q.queuedConversations, limitArg(limit))
	if err != nil {
		return nil, fmt.Errorf("pgstore: queued conversations: %w", err)
	}
	return out, nil
}

// RequeueAgent implements store.Assignments in one transaction: one
// statement unassigns and queues the conversations, one gives the agent
// its capacity back. The agent need not exist any more: a deleted agent's
// conversations are exactly what must be requeued.
func (s *Store) RequeueAgent(ctx context.Context, agentID string, at time.Time) ([]store.Conversation, error) {
	var out []store.Conversation
	err := s.inTx(ctx, "requeue agent", func(tx pgx.Tx) error {
		var err error
		if out, err = s.queryConversationsOn(ctx, tx, s.q.requeueAgent, agentID, at); err != nil || len(out) == 0 {
			return err
		}
		_, err = tx.Exec(ctx, s.q.releaseAgent, agentID, len(out))
		return err
	})
	return out, err
}

// Cursor implements store.Assignments.
func (s *Store) Cursor(ctx context.Context, key string) (string, error) {
	var agent string
	err := s.pool.QueryRow(ctx, s.q.cursor, key).Scan(&agent)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("pgstore: cursor %q: %w", key, err)
	}
	return agent, nil
}

// queryConversations runs a query returning conversationColumns rows.
func (s *Store) queryConversations(ctx context.Context, sql string, args ...any) ([]store.Conversation, error) {
	return s.queryConversationsOn(ctx, s.pool, sql, args...)
}

func (s *Store) queryConversationsOn(ctx context.Context, db querier, sql string, args ...any) ([]store.Conversation, error) {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var (
		out  []store.Conversation
		scan conversationScan
	)
	dest := scan.dest()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out = append(out, scan.conversation())
	}
	return out, rows.Err()
}
