package memstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/livedesk/livedesk/store"
)

// ClaimAssignment implements store.Assignments. The conversation is
// checked before the agent so that a caller trying candidates in turn
// stops at ErrAssigned instead of moving on to the next agent.
func (s *Store) ClaimAssignment(ctx context.Context, r store.AssignRequest) (store.Conversation, error) {
	if err := ctx.Err(); err != nil {
		return store.Conversation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	conv, ok := s.convs[r.ConversationID]
	if !ok {
		return store.Conversation{}, fmt.Errorf("memstore: conversation %q: %w", r.ConversationID, store.ErrNotFound)
	}
	a, ok := s.agents[r.AgentID]
	if !ok {
		return store.Conversation{}, fmt.Errorf("memstore: agent %q: %w", r.AgentID, store.ErrNotFound)
	}
	switch {
	case !unowned(conv):
		return store.Conversation{}, fmt.Errorf("memstore: conversation %q: %w", conv.ID, store.ErrAssigned)
	case !r.Force && a.Status != store.AgentOnline:
		return store.Conversation{}, fmt.Errorf("memstore: agent %q is %s: %w", a.ID, a.Status, store.ErrAgentUnavailable)
	case a.Full():
		return store.Conversation{}, fmt.Errorf("memstore: agent %q has %d of %d: %w", a.ID, a.Open, a.Capacity, store.ErrAgentFull)
	}
	conv.AssigneeID = a.ID
	conv.QueuedAt = time.Time{}
	touch(conv, r.At)
	a.Open++
	a.LastAssignedAt = r.At
	s.contacts[conv.ContactID].LastAgentID = a.ID
	if r.CursorKey != "" {
		s.cursors[r.CursorKey] = a.ID
	}
	return *conv, nil
}

// unowned reports whether a conversation may be given an owner: open, with
// neither a human nor an AI agent.
func unowned(c *store.Conversation) bool {
	return c.Status == store.StatusOpen && c.AssigneeID == "" && c.AIAgentID == ""
}

// AssignAI implements store.Assignments.
func (s *Store) AssignAI(ctx context.Context, conversationID, aiAgentID string, at time.Time) (store.Conversation, error) {
	if err := ctx.Err(); err != nil {
		return store.Conversation{}, err
	}
	if aiAgentID == "" {
		return store.Conversation{}, errors.New("memstore: AssignAI needs an AI agent ID")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	conv, err := s.convLocked(conversationID)
	if err != nil {
		return store.Conversation{}, err
	}
	if !unowned(conv) || conv.AIHandedOff {
		return store.Conversation{}, fmt.Errorf("memstore: conversation %q: %w", conversationID, store.ErrAssigned)
	}
	conv.AIAgentID = aiAgentID
	conv.QueuedAt = time.Time{}
	touch(conv, at)
	return *conv, nil
}

// HandOff implements store.Assignments.
func (s *Store) HandOff(ctx context.Context, conversationID, target string, at time.Time) (store.Conversation, error) {
	if err := ctx.Err(); err != nil {
		return store.Conversation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	conv, err := s.convLocked(conversationID)
	if err != nil {
		return store.Conversation{}, err
	}
	s.handOffLocked(conv, target, at)
	return *conv, nil
}

// handOffLocked takes an open conversation from its AI agent. A resolved
// conversation's AIAgentID is history, not ownership, so it is left alone.
// The pending AI turn goes too: no AI agent answers a handed-off
// conversation, and a turn still running loses its lease.
func (s *Store) handOffLocked(conv *store.Conversation, target string, at time.Time) {
	if conv.AIAgentID == "" || conv.Status != store.StatusOpen {
		return
	}
	conv.AIAgentID = ""
	conv.AIHandedOff = true
	conv.QueuedAt = at
	conv.QueueTarget = target
	s.dropAITurnLocked(conv)
	touch(conv, at)
}

// Unassign implements store.Assignments.
func (s *Store) Unassign(ctx context.Context, conversationID string, at time.Time) (store.Conversation, error) {
	if err := ctx.Err(); err != nil {
		return store.Conversation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	conv, err := s.convLocked(conversationID)
	if err != nil {
		return store.Conversation{}, err
	}
	s.unassignLocked(conv, at)
	return *conv, nil
}

// unassignLocked removes the human owner of an open conversation and
// queues it. A resolved conversation keeps its AssigneeID as history: its
// agent's capacity was already given back by Resolve.
func (s *Store) unassignLocked(conv *store.Conversation, at time.Time) bool {
	if conv.AssigneeID == "" || conv.Status != store.StatusOpen {
		return false
	}
	s.releaseAgentLocked(conv.AssigneeID)
	conv.AssigneeID = ""
	conv.QueuedAt = at
	touch(conv, at)
	return true
}

// Queue implements store.Assignments.
func (s *Store) Queue(ctx context.Context, conversationID, target string, at time.Time) (store.Conversation, error) {
	if err := ctx.Err(); err != nil {
		return store.Conversation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	conv, err := s.convLocked(conversationID)
	if err != nil {
		return store.Conversation{}, err
	}
	if !unowned(conv) {
		return store.Conversation{}, fmt.Errorf("memstore: conversation %q: %w", conversationID, store.ErrAssigned)
	}
	if conv.QueuedAt.IsZero() {
		conv.QueuedAt = at // a conversation keeps its place in the queue
	}
	conv.QueueTarget = target
	touch(conv, at)
	return *conv, nil
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

// RequeueAgent implements store.Assignments. The agent need not exist any
// more: a deleted agent's conversations are exactly what must be requeued.
func (s *Store) RequeueAgent(ctx context.Context, agentID string, at time.Time) ([]store.Conversation, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []store.Conversation
	for _, id := range s.convList {
		if c := s.convs[id]; c.AssigneeID == agentID && s.unassignLocked(c, at) {
			out = append(out, *c)
		}
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
