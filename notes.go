package livedesk

import (
	"context"
	"fmt"

	"github.com/livedesk/livedesk/store"
)

// Note is an internal note an agent writes in a conversation's timeline
// for the team.
type Note struct {
	// AgentID is the author: a human agent of the desk.
	AgentID string
	// Text is the note (at most store.MaxNoteLength characters).
	Text string
	// Key makes the call idempotent: a second AddNote with the same Key
	// returns the first note. Empty: every call adds a note.
	Key string
}

// AddNote appends an internal note to a conversation and emits
// note.added. A note is never sent: it does not enter the outbox, the
// Messenger never sees it, and it counts neither as an agent reply (the
// out-of-office rule) nor as conversation activity (UpdatedAt). AI agents
// do not see it either. ErrInvalid for an empty or oversized note,
// ErrNotFound for an unknown conversation or agent.
func (d *Desk) AddNote(ctx context.Context, conversationID string, n Note) (store.Message, error) {
	msg := store.Message{ConversationID: conversationID, AuthorID: n.AgentID, Text: n.Text, Key: n.Key}
	if err := store.CheckNote(msg); err != nil {
		return store.Message{}, fmt.Errorf("livedesk: add note: %w", err)
	}
	if _, err := d.store.Agent(ctx, n.AgentID); err != nil {
		return store.Message{}, fmt.Errorf("livedesk: add note: agent %q: %w", n.AgentID, err)
	}
	m, created, err := d.store.AddNote(ctx, msg, d.clock.Now())
	if err != nil {
		return store.Message{}, fmt.Errorf("livedesk: add note to conversation %q: %w", conversationID, err)
	}
	if created {
		d.emit(ctx, Event{Type: EventNoteAdded, At: m.CreatedAt, ChannelID: m.ChannelID, ConversationID: m.ConversationID,
			ContactID: m.ContactID, MessageID: m.ID, Kind: string(m.Kind), AgentID: m.AuthorID})
	}
	return m, nil
}
