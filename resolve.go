package livedesk

import (
	"context"
	"fmt"

	"github.com/livedesk/livedesk/store"
)

// ErrNotOpen is store.ErrNotOpen: resolving a conversation that is not
// open, or reopening one that is not resolved.
var ErrNotOpen = store.ErrNotOpen

// ResolveOptions change how a conversation is resolved.
type ResolveOptions struct {
	// NoSurvey resolves without a CSAT survey even when the channel sends
	// them (a spam conversation, a test).
	NoSurvey bool
}

// Resolve closes a conversation and frees its agent's capacity (which
// lets a waiting conversation be assigned). When the channel's CSAT is
// enabled (and, with the after_reply trigger, someone answered the
// customer), a survey is queued in the same atomic step, attributed to the
// conversation's agent and AI agent as they are now. Inside WhatsApp's
// 24-hour window it is the interactive list or plain text; outside it the
// approved template, or, without one, the survey is recorded as not sent
// with the reason. A conversation that is not open returns ErrNotOpen.
func (d *Desk) Resolve(ctx context.Context, conversationID string) (store.Conversation, error) {
	return d.ResolveWith(ctx, conversationID, ResolveOptions{})
}

// ResolveWith is Resolve with options.
func (d *Desk) ResolveWith(ctx context.Context, conversationID string, opts ResolveOptions) (store.Conversation, error) {
	conv, err := d.store.Conversation(ctx, conversationID)
	if err != nil {
		return store.Conversation{}, fmt.Errorf("livedesk: resolve %q: %w", conversationID, err)
	}
	if conv.Status != store.StatusOpen {
		return store.Conversation{}, fmt.Errorf("livedesk: resolve %q: %w", conversationID, ErrNotOpen)
	}
	now := d.clock.Now()
	req := store.ResolveRequest{ConversationID: conv.ID, At: now}
	if !opts.NoSurvey {
		if err := d.survey(ctx, conv, &req); err != nil {
			return store.Conversation{}, err
		}
	}
	c, s, err := d.store.Resolve(ctx, req)
	if err != nil {
		return store.Conversation{}, fmt.Errorf("livedesk: resolve %q: %w", conversationID, err)
	}
	d.emit(ctx, Event{Type: EventResolved, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID,
		AgentID: c.AssigneeID, AIAgentID: c.AIAgentID})
	if s != nil {
		ev := Event{Type: EventSurveySent, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID,
			SurveyID: s.ID, AgentID: s.AgentID, AIAgentID: s.AIAgentID, MessageID: s.MessageID, Kind: string(store.KindSurvey)}
		if s.NotSent != "" {
			ev.Type, ev.Reason = EventSurveyNotSent, s.NotSent
		}
		d.emit(ctx, ev)
		if s.MessageID != "" {
			ev.Type = EventMessageQueued
			d.emit(ctx, ev)
		}
	}
	d.wake() // capacity freed; the survey may be queued
	return c, nil
}

// Reopen makes a resolved conversation open again; it is queued and
// assigned afresh. ErrNotOpen if it is not resolved; store.ErrOtherOpen if
// the contact has written since and has another open conversation.
func (d *Desk) Reopen(ctx context.Context, conversationID string) (store.Conversation, error) {
	c, err := d.store.Reopen(ctx, conversationID, d.clock.Now())
	if err != nil {
		return store.Conversation{}, fmt.Errorf("livedesk: reopen %q: %w", conversationID, err)
	}
	d.emit(ctx, Event{Type: EventReopened, ChannelID: c.ChannelID, ConversationID: c.ID, ContactID: c.ContactID})
	d.wake()
	return c, nil
}
