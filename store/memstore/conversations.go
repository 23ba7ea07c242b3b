package memstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/livedesk/livedesk/store"
)

// Conversation implements store.Conversations.
func (s *Store) Conversation(ctx context.Context, id string) (store.Conversation, error) {
	if err := ctx.Err(); err != nil {
		return store.Conversation{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.convs[id]
	if !ok {
		return store.Conversation{}, fmt.Errorf("memstore: conversation %q: %w", id, store.ErrNotFound)
	}
	return *c, nil
}

// ListConversations implements store.Conversations.
func (s *Store) ListConversations(ctx context.Context, f store.ConversationFilter) ([]store.Conversation, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []store.Conversation
	for _, id := range s.convList {
		c := s.convs[id]
		if (f.ChannelID != "" && c.ChannelID != f.ChannelID) ||
			(f.ContactID != "" && c.ContactID != f.ContactID) ||
			(f.Status != "" && c.Status != f.Status) ||
			(f.AssigneeID != "" && c.AssigneeID != f.AssigneeID) {
			continue
		}
		out = append(out, *c)
		if f.Limit > 0 && len(out) == f.Limit {
			break
		}
	}
	return out, nil
}

// Messages implements store.Conversations.
func (s *Store) Messages(ctx context.Context, conversationID string) ([]store.Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.convs[conversationID]; !ok {
		return nil, fmt.Errorf("memstore: conversation %q: %w", conversationID, store.ErrNotFound)
	}
	ids := s.convMsgs[conversationID]
	out := make([]store.Message, len(ids))
	for i, id := range ids {
		out[i] = *s.msgs[id]
	}
	sortMessages(out)
	return out, nil
}

// sortMessages orders messages by CreatedAt, keeping insertion order for
// equal times (the slices are built in insertion order).
func sortMessages(ms []store.Message) {
	slices.SortStableFunc(ms, func(a, b store.Message) int { return a.CreatedAt.Compare(b.CreatedAt) })
}

// convLocked returns a conversation for the caller, who holds s.mu, or
// ErrNotFound.
func (s *Store) convLocked(id string) (*store.Conversation, error) {
	c, ok := s.convs[id]
	if !ok {
		return nil, fmt.Errorf("memstore: conversation %q: %w", id, store.ErrNotFound)
	}
	return c, nil
}
