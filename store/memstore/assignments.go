package memstore

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

// ChangeOwner implements store.Assignments.
func (s *Store) ChangeOwner(ctx context.Context, c store.OwnerChange) (store.Conversation, error) {
	if err := ctx.Err(); err != nil {
		return store.Conversation{}, err
	}
	if err := store.CheckOwnerChange(&c); err != nil {
		return store.Conversation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	conv, err := s.convLocked(c.ConversationID)
	if err != nil {
		return store.Conversation{}, err
	}
	var to *store.Agent
	if c.To.AgentID != "" {
		if to = s.agents[c.To.AgentID]; to == nil {
			return store.Conversation{}, fmt.Errorf("memstore: agent %q: %w", c.To.AgentID, store.ErrNotFound)
		}
	}
	toAgent := to
	if toAgent == nil {
		toAgent = &store.Agent{}
	}
	if err := store.CheckOwnerSwap(conv, &c, toAgent); err != nil {
		return store.Conversation{}, fmt.Errorf("memstore: %w", err)
	}
	if c.From == c.To && !c.To.IsZero() {
		return *conv, nil
	}
	if c.From.AgentID != "" && c.From.AgentID != c.To.AgentID {
		s.releaseAgentLocked(c.From.AgentID)
	}
	if c.From.AIAgentID != "" && c.To.AIAgentID == "" {
		conv.AIHandedOff = true
		s.dropAITurnLocked(conv)
	}
	conv.AssigneeID, conv.AIAgentID = c.To.AgentID, c.To.AIAgentID
	if to != nil {
		to.Open++
		to.LastAssignedAt = c.At
		s.contacts[conv.ContactID].LastAgentID = to.ID
		if c.CursorKey != "" {
			s.cursors[c.CursorKey] = to.ID
		}
	}
	queue(conv, c.To.IsZero(), c.Queue, c.At)
	touch(conv, c.At)
	return *conv, nil
}

// queue sets where an unowned conversation waits (keeping its place when
// it already waits), or clears it for an owned one.
func queue(conv *store.Conversation, unowned bool, target routing.Target, at time.Time) {
	if !unowned {
		conv.QueuedAt = time.Time{}
		return
	}
	if conv.QueuedAt.IsZero() {
		conv.QueuedAt = at
	}
	conv.QueueTarget = target
}

// unowned reports whether a conversation is open with neither a human nor
// an AI agent.
func unowned(c *store.Conversation) bool {
	return c.Status == store.StatusOpen && c.AssigneeID == "" && c.AIAgentID == ""
}

// QueuedConversations implements store.Assignments. Ties on QueuedAt go to
// the conversation created first.
func (s *Store) QueuedConversations(ctx context.Context, limit int) ([]store.Conversation, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var queued []*store.Conversation
	for _, id := range s.convList {
		if c := s.convs[id]; unowned(c) && !c.QueuedAt.IsZero() {
			queued = append(queued, c)
		}
	}
	slices.SortStableFunc(queued, func(a, b *store.Conversation) int { return a.QueuedAt.Compare(b.QueuedAt) })
	if limit > 0 && len(queued) > limit {
		queued = queued[:limit]
	}
	out := make([]store.Conversation, len(queued))
	for i, c := range queued {
		out[i] = *c
	}
	return out, nil
}

// Cursor implements store.Assignments.
func (s *Store) Cursor(ctx context.Context, key string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cursors[key], nil
}
