package memstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/livedesk/livedesk/store"
)

// aiTurn is the scheduling state of a conversation's pending AI turn; it
// exists exactly while the conversation's AITurnMessageID is set.
type aiTurn struct {
	// since is when the pending turn was requested: replacing its message
	// by a newer one keeps its place, so a chatty customer is not starved.
	since time.Time
	seq   int64
	// latest is when the pending message was last replaced; a turn that
	// completes with a newer message pending is due again from then.
	latest time.Time
	lease  lease
}

// RequestAITurn implements store.AITurns. A message older than the one
// already pending does not replace it (a sweep may process messages out of
// order).
func (s *Store) RequestAITurn(ctx context.Context, conversationID, messageID string, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	conv, err := s.convLocked(conversationID)
	if err != nil {
		return err
	}
	if conv.AIAgentID == "" || conv.Status != store.StatusOpen {
		return nil
	}
	turn := s.aiTurns[conv.ID]
	if turn == nil {
		s.seq++
		turn = &aiTurn{since: at, seq: s.seq}
		s.aiTurns[conv.ID] = turn
	} else if conv.AITurnMessageID == messageID || s.olderMessage(messageID, conv.AITurnMessageID) {
		return nil
	}
	conv.AITurnMessageID = messageID
	turn.latest = at
	return nil
}

// olderMessage reports whether message a was received before message b;
// unknown messages are never older.
func (s *Store) olderMessage(a, b string) bool {
	ma, mb := s.msgs[a], s.msgs[b]
	return ma != nil && mb != nil && ma.CreatedAt.Before(mb.CreatedAt)
}

// ClaimAITurns implements store.AITurns.
func (s *Store) ClaimAITurns(ctx context.Context, now time.Time, leaseFor time.Duration, limit int) ([]store.AITurnClaim, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	type due struct {
		conv *store.Conversation
		turn *aiTurn
	}
	var ds []due
	for id, turn := range s.aiTurns {
		conv := s.convs[id]
		_, unprocessed := s.unprocessed[conv.AITurnMessageID]
		if conv.AIAgentID != "" && conv.Status == store.StatusOpen && conv.AITurnMessageID != "" && !unprocessed && !turn.lease.until.After(now) {
			ds = append(ds, due{conv, turn})
		}
	}
	slices.SortFunc(ds, func(a, b due) int {
		if c := a.turn.since.Compare(b.turn.since); c != 0 {
			return c
		}
		return cmp.Compare(a.turn.seq, b.turn.seq)
	})
	if limit > 0 && len(ds) > limit {
		ds = ds[:limit]
	}
	claims := make([]store.AITurnClaim, 0, len(ds))
	for _, d := range ds {
		d.turn.lease = lease{token: newID(), until: now.Add(leaseFor)}
		claims = append(claims, store.AITurnClaim{Conversation: *d.conv, MessageID: d.conv.AITurnMessageID, Lease: d.turn.lease.token})
	}
	return claims, nil
}

// CompleteAITurn implements store.AITurns.
func (s *Store) CompleteAITurn(ctx context.Context, conversationID, token, messageID string, r store.AITurnResult) (store.Conversation, error) {
	if err := ctx.Err(); err != nil {
		return store.Conversation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	conv, err := s.convLocked(conversationID)
	if err != nil {
		return store.Conversation{}, err
	}
	if r.HandOff {
		if err := store.CheckQueueTarget(r.QueueTarget); err != nil {
			return store.Conversation{}, err
		}
	}
	turn := s.aiTurns[conversationID]
	if turn == nil || token == "" || turn.lease.token != token {
		return store.Conversation{}, fmt.Errorf("memstore: AI turn of conversation %q: %w", conversationID, store.ErrLeaseLost)
	}
	if r.Reply != nil {
		reply := *r.Reply
		reply.ConversationID = conv.ID
		s.enqueueLocked(reply, r.At)
	}
	switch {
	case r.HandOff:
		if conv.AIAgentID != "" && conv.Status == store.StatusOpen {
			conv.AIAgentID, conv.AIHandedOff = "", true
			s.dropAITurnLocked(conv)
			queue(conv, true, r.QueueTarget, r.At)
			touch(conv, r.At)
		}
	case conv.AITurnMessageID == messageID:
		s.dropAITurnLocked(conv)
	default:
		// A newer message arrived during the turn: it is due right away.
		s.seq++
		turn.since, turn.seq, turn.lease = turn.latest, s.seq, lease{}
	}
	return *conv, nil
}

// dropAITurnLocked cancels a conversation's pending AI turn; a turn still
// running loses its lease.
func (s *Store) dropAITurnLocked(conv *store.Conversation) {
	conv.AITurnMessageID = ""
	delete(s.aiTurns, conv.ID)
}
