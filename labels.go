package livedesk

import (
	"context"
	"fmt"

	"github.com/livedesk/livedesk/store"
)

// AddLabel puts a label on a conversation (see store.CheckLabel for valid
// names) and emits conversation.labeled when it was not there yet.
// ErrInvalid for a bad name, ErrNotFound for an unknown conversation.
func (d *Desk) AddLabel(ctx context.Context, conversationID, label string) error {
	return d.changeLabel(ctx, conversationID, label, true)
}

// RemoveLabel takes a label off a conversation and emits
// conversation.unlabeled when it was there. ErrInvalid for a bad name,
// ErrNotFound for an unknown conversation.
func (d *Desk) RemoveLabel(ctx context.Context, conversationID, label string) error {
	return d.changeLabel(ctx, conversationID, label, false)
}

func (d *Desk) changeLabel(ctx context.Context, conversationID, label string, add bool) error {
	verb, typ := "remove", EventUnlabeled
	if add {
		verb, typ = "add", EventLabeled
	}
	if err := store.CheckLabel(label); err != nil {
		return fmt.Errorf("livedesk: %s label: %w", verb, err)
	}
	conv, err := d.store.Conversation(ctx, conversationID)
	if err != nil {
		return fmt.Errorf("livedesk: %s label %q: %w", verb, label, err)
	}
	now := d.clock.Now()
	var changed bool
	if add {
		changed, err = d.store.AddLabel(ctx, conversationID, label, now)
	} else {
		changed, err = d.store.RemoveLabel(ctx, conversationID, label)
	}
	if err != nil {
		return fmt.Errorf("livedesk: %s label %q on conversation %q: %w", verb, label, conversationID, err)
	}
	if changed {
		d.emit(ctx, Event{Type: typ, At: now, ChannelID: conv.ChannelID, ConversationID: conv.ID,
			ContactID: conv.ContactID, Label: label})
	}
	return nil
}

// Labels returns a conversation's labels, sorted. ErrNotFound for an
// unknown conversation.
func (d *Desk) Labels(ctx context.Context, conversationID string) ([]string, error) {
	ls, err := d.store.Labels(ctx, conversationID)
	if err != nil {
		return nil, fmt.Errorf("livedesk: labels of %q: %w", conversationID, err)
	}
	return ls, nil
}
