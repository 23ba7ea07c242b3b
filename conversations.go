package livedesk

import (
	"context"
	"fmt"

	"github.com/livedesk/livedesk/store"
)

// Conversation returns a conversation, or an error matching ErrNotFound.
func (d *Desk) Conversation(ctx context.Context, id string) (store.Conversation, error) {
	c, err := d.store.Conversation(ctx, id)
	if err != nil {
		return store.Conversation{}, fmt.Errorf("livedesk: conversation %q: %w", id, err)
	}
	return c, nil
}

// Conversations returns the conversations matching f, oldest first.
func (d *Desk) Conversations(ctx context.Context, f store.ConversationFilter) ([]store.Conversation, error) {
	cs, err := d.store.ListConversations(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("livedesk: conversations: %w", err)
	}
	return cs, nil
}

// Messages returns a conversation's messages, inbound and outbound, oldest
// first.
func (d *Desk) Messages(ctx context.Context, conversationID string) ([]store.Message, error) {
	ms, err := d.store.Messages(ctx, conversationID)
	if err != nil {
		return nil, fmt.Errorf("livedesk: messages of %q: %w", conversationID, err)
	}
	return ms, nil
}
