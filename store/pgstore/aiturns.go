package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

const (
	lockAITurnSQL = `SELECT coalesce(lease_token, '') FROM {{schema}}.ai_turns
	WHERE conversation_id = $1 FOR NO KEY UPDATE`
	newAITurnSQL = `INSERT INTO {{schema}}.ai_turns (conversation_id, seq, since, latest)
	VALUES ($1, nextval('{{schema}}.ai_turn_seq'), $2, $2)`
	replaceAITurnSQL = `UPDATE {{schema}}.ai_turns SET latest = $2 WHERE conversation_id = $1`
	// requeueAITurnSQL makes a turn due again from when its newest message
	// arrived, behind the turns requested before that.
	requeueAITurnSQL = `UPDATE {{schema}}.ai_turns SET since = latest, seq = nextval('{{schema}}.ai_turn_seq'),
	lease_token = NULL, lease_until = NULL WHERE conversation_id = $1`
	dropAITurnSQL = `DELETE FROM {{schema}}.ai_turns WHERE conversation_id = $1`
	// olderMessageSQL reports whether message $1 was received before $2;
	// unknown messages are never older.
	olderMessageSQL = `SELECT coalesce((SELECT a.created_at < b.created_at FROM {{schema}}.messages a, {{schema}}.messages b
	WHERE a.id = $1 AND b.id = $2), false)`
)

// claimAITurnsSQL leases due AI turns, oldest request first. As for the
// outbox, SKIP LOCKED keeps workers apart and the lease condition is
// re-checked on the locked row. {{limit}} is replaced per call.
func claimAITurnsSQL() string {
	return `WITH due AS (
	SELECT t.conversation_id FROM {{schema}}.ai_turns t
	JOIN {{schema}}.conversations c ON c.id = t.conversation_id
	WHERE (t.lease_until IS NULL OR t.lease_until <= $1)
		AND c.ai_agent_id IS NOT NULL AND c.status = 'open' AND c.ai_turn_message_id IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM {{schema}}.unprocessed u WHERE u.message_id = c.ai_turn_message_id)
	ORDER BY t.since, t.seq
	{{limit}}
	FOR UPDATE OF t SKIP LOCKED
), leased AS (
	UPDATE {{schema}}.ai_turns t SET lease_token = gen_random_uuid()::text, lease_until = $1 + $2::interval
	FROM due WHERE t.conversation_id = due.conversation_id
	RETURNING t.*
)
SELECT t.lease_token, ` + cols(conversationColumns, "c.") + `
FROM leased t JOIN {{schema}}.conversations c ON c.id = t.conversation_id
ORDER BY t.since, t.seq`
}

// RequestAITurn implements store.AITurns. A message older than the one
// already pending does not replace it (a sweep may process messages out of
// order).
func (s *Store) RequestAITurn(ctx context.Context, conversationID, messageID string, at time.Time) error {
	_, err := s.changeConversation(ctx, "request AI turn", conversationID, func(tx pgx.Tx, conv *store.Conversation) error {
		if conv.AIAgentID == "" || conv.Status != store.StatusOpen {
			return nil
		}
		var lease string
		err := tx.QueryRow(ctx, s.q.lockAITurn, conv.ID).Scan(&lease)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			if _, err := tx.Exec(ctx, s.q.newAITurn, conv.ID, at); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if conv.AITurnMessageID == messageID {
				return nil
			}
			var older bool
			if err := tx.QueryRow(ctx, s.q.olderMessage, messageID, conv.AITurnMessageID).Scan(&older); err != nil || older {
				return err
			}
			if _, err := tx.Exec(ctx, s.q.replaceAITurn, conv.ID, at); err != nil {
				return err
			}
		}
		conv.AITurnMessageID = messageID
		return nil
	})
	return err
}

// ClaimAITurns implements store.AITurns in one statement (claimAITurnsSQL).
func (s *Store) ClaimAITurns(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]store.AITurnClaim, error) {
	rows, err := s.pool.Query(ctx, withLimit(s.q.claimAITurns, limit), now, lease)
	if err != nil {
		return nil, fmt.Errorf("pgstore: claim AI turns: %w", err)
	}
	defer rows.Close()
	var (
		out   []store.AITurnClaim
		token string
		scan  conversationScan
	)
	dest := append([]any{&token}, scan.dest()...)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("pgstore: claim AI turns: %w", err)
		}
		conv := scan.conversation()
		out = append(out, store.AITurnClaim{Conversation: conv, MessageID: conv.AITurnMessageID, Lease: token})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pgstore: claim AI turns: %w", err)
	}
	return out, nil
}

// CompleteAITurn implements store.AITurns in one transaction: the reply is
// queued (idempotent on its key), then the turn is handed off, finished,
// or made due again when a newer message arrived during it.
func (s *Store) CompleteAITurn(ctx context.Context, conversationID, lease, messageID string, r store.AITurnResult) (store.Conversation, error) {
	if r.HandOff {
		if err := checkQueueTarget(r.QueueTarget); err != nil {
			return store.Conversation{}, fmt.Errorf("pgstore: complete AI turn of conversation %q: hand-off: %w", conversationID, err)
		}
	}
	var out store.Conversation
	err := s.inTx(ctx, "complete AI turn", func(tx pgx.Tx) error {
		conv, err := s.lockConversation(ctx, tx, conversationID)
		if err != nil {
			return err
		}
		var held string
		err = tx.QueryRow(ctx, s.q.lockAITurn, conv.ID).Scan(&held)
		if errors.Is(err, pgx.ErrNoRows) || err == nil && (lease == "" || held != lease) {
			return fmt.Errorf("AI turn of conversation %q: %w", conv.ID, store.ErrLeaseLost)
		}
		if err != nil {
			return err
		}
		if r.Reply != nil {
			reply := *r.Reply
			reply.ConversationID = conv.ID
			if _, err := s.queue(ctx, tx, nil, []store.Message{reply}, r.At); err != nil {
				return err
			}
			if conv, err = s.lockConversation(ctx, tx, conv.ID); err != nil { // the reply stamped it
				return err
			}
		}
		switch {
		case r.HandOff:
			err = s.handOff(ctx, tx, &conv, r.QueueTarget, r.At)
		case conv.AITurnMessageID == messageID:
			err = s.dropAITurn(ctx, tx, &conv)
		default:
			_, err = tx.Exec(ctx, s.q.requeueAITurn, conv.ID) // a newer message is due right away
		}
		if err != nil {
			return err
		}
		out, err = s.saveConversation(ctx, tx, conv)
		return err
	})
	return out, err
}

// dropAITurn cancels a conversation's pending AI turn; a turn still running
// loses its lease. The caller saves conv.
func (s *Store) dropAITurn(ctx context.Context, tx pgx.Tx, conv *store.Conversation) error {
	conv.AITurnMessageID = ""
	_, err := tx.Exec(ctx, s.q.dropAITurn, conv.ID)
	return err
}

// handOff gives an open conversation's AI agent up, as ChangeOwner from the
// AI agent to nobody does: AIAgentID is cleared, AIHandedOff set, the
// pending AI turn dropped (a turn still running loses its lease), and the
// conversation queued for target. A conversation the AI agent no longer
// owns (or a resolved one, whose AIAgentID is history) is left alone. The
// caller saves conv.
func (s *Store) handOff(ctx context.Context, tx pgx.Tx, conv *store.Conversation, target routing.Target, at time.Time) error {
	if conv.AIAgentID == "" || conv.Status != store.StatusOpen {
		return nil
	}
	conv.AIAgentID = ""
	conv.AIHandedOff = true
	queue(conv, target, at)
	touch(conv, at)
	return s.dropAITurn(ctx, tx, conv)
}
