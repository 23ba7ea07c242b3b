package livedesk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

// Position is a place in the durable event feed, a number that increases
// from event to event: resuming after the position of the last event a
// reader handled misses nothing and repeats nothing. Its decimal form
// (String, ParsePosition) is the event stream's event ID. The zero
// Position is the start of the feed.
type Position = store.Position

// ParsePosition reads a Position's decimal form.
func ParsePosition(s string) (Position, error) { return store.ParsePosition(s) }

// EventFilter selects events from the feed. Zero fields match everything.
type EventFilter struct {
	ChannelID      string
	ConversationID string
	// AgentID matches events about an agent (human or AI): assignment
	// events naming it, and message events of conversations it owned when
	// the message was stored.
	AgentID string
	// Types, when not empty, are the only types returned.
	Types []EventType
}

func (f EventFilter) store() store.EventFilter {
	sf := store.EventFilter{ChannelID: f.ChannelID, ConversationID: f.ConversationID, AgentID: f.AgentID}
	for _, t := range f.Types {
		sf.Types = append(sf.Types, string(t))
	}
	return sf
}

// inFeed reports whether the desk appends events of this type to the feed
// itself. Three types are written by the store in the same step as the
// change they report (store.Feed); two are in-process only (OnEvent): a
// rejected webhook writes nothing to the store (nothing is written before
// the signature is verified), and a duplicate delivery changed nothing.
func inFeed(t EventType) bool {
	switch t {
	case EventMessageReceived, EventConversationOpened, EventMessageQueued, // written by the store
		EventWebhookRejected, EventDuplicateIgnored: // OnEvent only
		return false
	}
	return true
}

// eventData is the part of an Event kept in store.Event.Data.
type eventData struct {
	Kind      string         `json:"kind,omitempty"`
	Reason    string         `json:"reason,omitempty"`
	Status    string         `json:"status,omitempty"`
	ErrorCode int            `json:"error_code,omitempty"`
	Target    routing.Target `json:"target,omitzero"`
	SurveyID  string         `json:"survey_id,omitempty"`
	Rating    int            `json:"rating,omitempty"`
	Usage     AIUsage        `json:"usage,omitzero"`
	Label     string         `json:"label,omitempty"`
	ToolCall  *AIToolCall    `json:"tool_call,omitempty"`
}

func toStored(e Event) (store.Event, error) {
	se := store.Event{Type: string(e.Type), At: e.At, ChannelID: e.ChannelID, ConversationID: e.ConversationID,
		ContactID: e.ContactID, MessageID: e.MessageID, AgentID: e.AgentID, AIAgentID: e.AIAgentID}
	data := eventData{Kind: e.Kind, Reason: e.Reason, Status: e.Status, ErrorCode: e.ErrorCode, Target: e.Target,
		SurveyID: e.SurveyID, Rating: e.Rating, Usage: e.Usage, Label: e.Label, ToolCall: e.ToolCall}
	if data != (eventData{}) {
		b, err := json.Marshal(data)
		if err != nil {
			return store.Event{}, err
		}
		se.Data = b
	}
	return se, nil
}

func fromStored(se store.Event) (Event, error) {
	e := Event{Position: se.Position, Type: EventType(se.Type), At: se.At, ChannelID: se.ChannelID,
		ConversationID: se.ConversationID, ContactID: se.ContactID, MessageID: se.MessageID,
		AgentID: se.AgentID, AIAgentID: se.AIAgentID}
	if len(se.Data) > 0 {
		var data eventData
		if err := json.Unmarshal(se.Data, &data); err != nil {
			return Event{}, fmt.Errorf("livedesk: event at %v: data: %w", se.Position, err)
		}
		e.Kind, e.Reason, e.Status, e.ErrorCode, e.Target = data.Kind, data.Reason, data.Status, data.ErrorCode, data.Target
		e.SurveyID, e.Rating, e.Usage = data.SurveyID, data.Rating, data.Usage
		e.Label, e.ToolCall = data.Label, data.ToolCall
	}
	return e, nil
}

// persist appends an event to the feed unless the store wrote it already
// or it is in-process only. The change it reports is already stored: a
// failure here (logged) loses the feed entry, never the change.
func (d *Desk) persist(ctx context.Context, e Event) {
	if !inFeed(e.Type) {
		if e.Type == EventMessageReceived || e.Type == EventMessageQueued || e.Type == EventConversationOpened {
			d.feedChanged()
		}
		return
	}
	se, err := toStored(e)
	if err == nil {
		err = d.store.AppendEvents(context.WithoutCancel(ctx), []store.Event{se})
	}
	if err != nil {
		d.log.Error("writing an event to the feed failed", "type", e.Type, "err", err)
		return
	}
	d.feedChanged()
}

// feedChanged wakes Run when it has webhooks to deliver.
func (d *Desk) feedChanged() {
	if len(d.webhooks) > 0 {
		d.wake()
	}
}

// ErrBadLimit is returned by Events for a negative limit.
var ErrBadLimit = errors.New("livedesk: limit must be 0 (no limit) or positive")

// Events returns up to limit events after the position that match f, in
// feed order (0: no limit), and the position to resume from: the last
// event's, or after itself when there was none. It does not wait: see
// WaitEvents and Subscribe. Events older than Options.EventRetention may
// have been pruned.
func (d *Desk) Events(ctx context.Context, after Position, f EventFilter, limit int) ([]Event, Position, error) {
	if limit < 0 {
		return nil, after, fmt.Errorf("%w: got %d", ErrBadLimit, limit)
	}
	stored, err := d.store.ReadEvents(ctx, after, f.store(), limit)
	if err != nil {
		return nil, after, fmt.Errorf("livedesk: events: %w", err)
	}
	out := make([]Event, 0, len(stored))
	for _, se := range stored {
		e, err := fromStored(se)
		if err != nil {
			return nil, after, err
		}
		out = append(out, e)
		after = e.Position
	}
	return out, after, nil
}

// FeedHead returns the position of the latest event: reading after it
// gives only what happens from now on.
func (d *Desk) FeedHead(ctx context.Context) (Position, error) {
	p, err := d.store.FeedHead(ctx)
	if err != nil {
		return 0, fmt.Errorf("livedesk: feed head: %w", err)
	}
	return p, nil
}

// WaitEvents blocks until events after the position may be readable (it
// may return early; read with Events and wait again if there was nothing),
// or ctx ends (its error). Across replicas sharing a Postgres store it is
// woken by the database (LISTEN/NOTIFY), with polling as a fallback.
func (d *Desk) WaitEvents(ctx context.Context, after Position) error {
	return d.store.WaitEvents(ctx, after)
}

// subscribeBatch is how many events Subscribe reads at a time.
const subscribeBatch = 100

// Subscribe calls fn for every event after the position that matches f, in
// feed order, waiting for new ones, until ctx ends (it then returns nil) or
// fn or the store returns an error (returned). To resume later, pass the
// Position of the last event fn handled.
func (d *Desk) Subscribe(ctx context.Context, after Position, f EventFilter, fn func(Event) error) error {
	for {
		evs, next, err := d.Events(ctx, after, f, subscribeBatch)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		for _, e := range evs {
			if err := fn(e); err != nil {
				return err
			}
		}
		after = next
		if len(evs) == subscribeBatch {
			continue
		}
		if err := d.store.WaitEvents(ctx, after); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("livedesk: subscribe: %w", err)
		}
	}
}
