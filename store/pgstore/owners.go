package pgstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/livedesk/livedesk/routing"
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

// ChangeOwner implements store.Assignments in one transaction of four round
// trips: BEGIN; the contact, the conversation and the agents named by From
// and To locked in one batch (lockOwnerRows); the writes in another
// (changeOwner); COMMIT. Every rule is checked on the locked rows before
// anything is written.
func (s *Store) ChangeOwner(ctx context.Context, c store.OwnerChange) (store.Conversation, error) {
	if err := checkOwnerChange(c); err != nil {
		return store.Conversation{}, err
	}
	var out store.Conversation
	err := s.inTx(ctx, "change owner of conversation "+fmt.Sprintf("%q", c.ConversationID), func(tx pgx.Tx) error {
		conv, agents, err := s.lockOwnerRows(ctx, tx, c)
		if err != nil {
			return err
		}
		to, toFound := agents[c.To.AgentID]
		if c.To.AgentID != "" && !toFound {
			return fmt.Errorf("agent %q: %w", c.To.AgentID, store.ErrNotFound)
		}
		if err := store.CheckOwnerSwap(&conv, &c, &to); err != nil {
			return err
		}
		if c.From == c.To {
			// Nobody gains or loses the conversation; nobody stays queued,
			// for c.Queue.
			before := conv
			if c.To.IsZero() {
				queue(&conv, c.Queue, c.At)
				touch(&conv, c.At)
			}
			return s.saveIfChanged(ctx, tx, before, conv, &out)
		}
		return s.changeOwner(ctx, tx, conv, c, &out)
	})
	return out, err
}

// lockOwnerRows locks, in one batch and in the lock order (tx.go), the
// contact of c's conversation, the conversation and the agents of From and
// To in ID order, and returns the conversation (ErrNotFound when missing)
// and the agents found: a deleted From agent is no error.
func (s *Store) lockOwnerRows(ctx context.Context, tx pgx.Tx, c store.OwnerChange) (store.Conversation, map[string]store.Agent, error) {
	var ids []string
	for _, id := range []string{c.From.AgentID, c.To.AgentID} {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	b := &pgx.Batch{}
	b.Queue(s.q.lockContactOfConversation, c.ConversationID)
	var (
		cs      conversationScan
		convErr error
	)
	b.Queue(s.q.lockConversation, c.ConversationID).QueryRow(func(row pgx.Row) error {
		if convErr = row.Scan(cs.dest()...); errors.Is(convErr, pgx.ErrNoRows) {
			return nil // ErrNotFound below
		}
		return convErr
	})
	agents := map[string]store.Agent{}
	for _, id := range ids {
		b.Queue(s.q.lockAgent, id).QueryRow(func(row pgx.Row) error {
			var as agentScan
			switch err := row.Scan(as.dest()...); {
			case errors.Is(err, pgx.ErrNoRows):
				return nil
			case err != nil:
				return err
			}
			a, err := as.agent()
			if err == nil {
				agents[a.ID] = a
			}
			return err
		})
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return store.Conversation{}, nil, err
	}
	if convErr != nil {
		return store.Conversation{}, nil, fmt.Errorf("conversation %q: %w", c.ConversationID, store.ErrNotFound)
	}
	return cs.conversation(), agents, nil
}

// changeOwner writes a change that CheckOwnerSwap allowed, From != To, in
// one batch: the agents' counts, the AI hand-off, the contact's last
// agent, the cursor and the conversation, which out receives as stored.
func (s *Store) changeOwner(ctx context.Context, tx pgx.Tx, conv store.Conversation, c store.OwnerChange, out *store.Conversation) error {
	b := &pgx.Batch{}
	if c.From.AgentID != "" {
		b.Queue(s.q.releaseAgent, c.From.AgentID, 1)
	}
	if c.From.AIAgentID != "" && c.To.AIAgentID == "" {
		// An AI agent gave the conversation up: no AI agent is asked
		// again, and its pending turn goes (a running one loses its
		// lease).
		conv.AIHandedOff = true
		conv.AITurnMessageID = ""
		b.Queue(s.q.dropAITurn, conv.ID)
	}
	if c.To.AgentID != "" {
		b.Queue(s.q.assignAgent, c.To.AgentID, c.At)
		b.Queue(s.q.lastAgent, conv.ContactID, c.To.AgentID)
		if c.CursorKey != "" {
			b.Queue(s.q.setCursor, c.CursorKey, c.To.AgentID)
		}
	}
	conv.AssigneeID, conv.AIAgentID = c.To.AgentID, c.To.AIAgentID
	if c.To.IsZero() {
		queue(&conv, c.Queue, c.At)
	} else {
		conv.QueuedAt = time.Time{} // QueueTarget stays: whom it is for, should it wait again
	}
	touch(&conv, c.At)
	s.queueSave(b, conv, out)
	return tx.SendBatch(ctx, b).Close()
}

// queue makes an unowned conversation wait for target, keeping its place
// when it is already waiting.
func queue(conv *store.Conversation, target routing.Target, at time.Time) {
	if conv.QueuedAt.IsZero() {
		conv.QueuedAt = at
	}
	conv.QueueTarget = target
}

// saveIfChanged saves conv when it differs from before, and sets out to
// the conversation as stored.
func (s *Store) saveIfChanged(ctx context.Context, tx pgx.Tx, before, conv store.Conversation, out *store.Conversation) error {
	if conv == before {
		*out = conv
		return nil
	}
	var err error
	*out, err = s.saveConversation(ctx, tx, conv)
	return err
}

// checkOwnerChange refuses, with an error that wraps no sentinel, what
// store.CheckOwnerChange refuses and a Queue that is not a queue target
// (the zero Target, a team or one agent): the queue columns hold no AI
// agent.
func checkOwnerChange(c store.OwnerChange) error {
	if err := store.CheckOwnerChange(&c); err != nil {
		return fmt.Errorf("pgstore: %w", err)
	}
	if err := checkQueueTarget(c.Queue); err != nil {
		return fmt.Errorf("pgstore: change owner of conversation %q: %w", c.ConversationID, err)
	}
	return nil
}

// checkQueueTarget refuses a queue target naming an AI agent or more than
// one of agent and team: a conversation waits for the channel's pool, a
// team or one human agent.
func checkQueueTarget(t routing.Target) error {
	if t.AIAgent != "" || t.Agent != "" && t.Team != "" {
		return fmt.Errorf("queue target %+v: a conversation waits for the channel's pool (the zero Target), a team or one agent", t)
	}
	return nil
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
