package livedesk

import (
	"context"
	"fmt"

	"github.com/livedesk/livedesk/store"
)

// ErrInvalid is store.ErrInvalid: a query, label or note that breaks the
// rules (the error says which). Nothing was read or changed.
var ErrInvalid = store.ErrInvalid

// QueryConversations returns one page of the conversations matching q,
// most recently updated first, with their labels: the data an agent's
// inbox lists. Pass the page's Next as q.Cursor for the following page
// (see store.Queries for what pages guarantee). A bad query returns an
// error matching ErrInvalid.
func (d *Desk) QueryConversations(ctx context.Context, q store.ConversationQuery) (store.ConversationPage, error) {
	p, err := d.store.QueryConversations(ctx, q)
	if err != nil {
		return store.ConversationPage{}, fmt.Errorf("livedesk: query conversations: %w", err)
	}
	return p, nil
}

// QueryMessages returns one page of a conversation's timeline (customer
// messages, outbound messages and internal notes) oldest first. Pass the
// page's Next as q.Cursor for the following page. ErrNotFound for an
// unknown conversation, ErrInvalid for a bad query.
func (d *Desk) QueryMessages(ctx context.Context, conversationID string, q store.MessageQuery) (store.MessagePage, error) {
	p, err := d.store.QueryMessages(ctx, conversationID, q)
	if err != nil {
		return store.MessagePage{}, fmt.Errorf("livedesk: messages of %q: %w", conversationID, err)
	}
	return p, nil
}
