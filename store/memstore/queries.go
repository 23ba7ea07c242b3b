package memstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/livedesk/livedesk/store"
)

// QueryConversations implements store.Queries: a scan of every
// conversation, which is what an in-memory store can afford.
func (s *Store) QueryConversations(ctx context.Context, q store.ConversationQuery) (store.ConversationPage, error) {
	if err := q.Check(); err != nil {
		return store.ConversationPage{}, err
	}
	if err := ctx.Err(); err != nil {
		return store.ConversationPage{}, err
	}
	afterAt, afterID, _ := store.ConversationAfter(q.Cursor) // Check vetted it
	needle := strings.ToLower(q.Text)
	s.mu.Lock()
	defer s.mu.Unlock()
	var found []*store.Conversation
	for _, id := range s.convList {
		c := s.convs[id]
		if q.Cursor != "" && !(c.UpdatedAt.Before(afterAt) || c.UpdatedAt.Equal(afterAt) && c.ID < afterID) {
			continue
		}
		phone := ""
		if q.ContactPhone != "" {
			if k := s.contacts[c.ContactID]; k != nil {
				phone = k.Phone
			}
		}
		if !q.Match(*c, s.labels[c.ID], phone) || needle != "" && !s.mentionsLocked(c.ID, needle) {
			continue
		}
		found = append(found, c)
	}
	slices.SortFunc(found, func(a, b *store.Conversation) int {
		if d := b.UpdatedAt.Compare(a.UpdatedAt); d != 0 {
			return d
		}
		return strings.Compare(b.ID, a.ID)
	})
	page := store.ConversationPage{Conversations: []store.LabeledConversation{}}
	n := q.PageSize()
	for i, c := range found {
		if i == n {
			page.Next = store.ConversationCursor(page.Conversations[n-1].Conversation)
			break
		}
		page.Conversations = append(page.Conversations, store.LabeledConversation{Conversation: *c, Labels: slices.Clone(s.labels[c.ID])})
	}
	return page, nil
}

// mentionsLocked reports whether one of a conversation's messages contains
// needle (lower case), ignoring case; the caller holds s.mu.
func (s *Store) mentionsLocked(convID, needle string) bool {
	for _, id := range s.convMsgs[convID] {
		if strings.Contains(strings.ToLower(s.msgs[id].Text), needle) {
			return true
		}
	}
	return false
}

// QueryMessages implements store.Queries.
func (s *Store) QueryMessages(ctx context.Context, conversationID string, q store.MessageQuery) (store.MessagePage, error) {
	if err := q.Check(); err != nil {
		return store.MessagePage{}, err
	}
	all, err := s.Messages(ctx, conversationID)
	if err != nil {
		return store.MessagePage{}, err
	}
	start := 0
	if q.Cursor != "" {
		_, afterID, _ := store.MessageAfter(q.Cursor)
		i := slices.IndexFunc(all, func(m store.Message) bool { return m.ID == afterID })
		if i < 0 {
			return store.MessagePage{}, fmt.Errorf("memstore: messages of %q: %w: the cursor is not of this conversation", conversationID, store.ErrInvalid)
		}
		start = i + 1
	}
	rest := all[start:]
	page := store.MessagePage{Messages: rest}
	if n := q.PageSize(); len(rest) > n {
		page.Messages = rest[:n:n]
		page.Next = store.MessageCursor(rest[n-1])
	}
	return page, nil
}

// Message implements store.Queries.
func (s *Store) Message(ctx context.Context, id string) (store.Message, error) {
	if err := ctx.Err(); err != nil {
		return store.Message{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.msgs[id]
	if !ok {
		return store.Message{}, fmt.Errorf("memstore: message %q: %w", id, store.ErrNotFound)
	}
	return *m, nil
}
