package livedesk

import (
	"context"
	"fmt"
	"time"

	"github.com/livedesk/livedesk/hours"
	"github.com/livedesk/livedesk/store"
)

// process acts on a recorded inbound message and marks it processed:
// survey answers get their thank-you; otherwise the conversation gets an
// owner if it has none (rules > AI agent > human agents), the AI agent gets
// a turn if it owns the conversation, and the greeting and out-of-office
// messages are queued. It is idempotent: assignment claims only unowned
// conversations and every message it queues carries an idempotency key
// ("greeting:<conversation>", "ooo:<conversation>:<period>"...), so
// processing a message twice (a retried webhook, the sweep) does nothing
// twice.
func (d *Desk) process(ctx context.Context, e *channelEntry, res store.InboundResult) error {
	queue, err := d.decide(ctx, e, res)
	if err == nil {
		var queued []store.Message
		queued, err = d.store.FinishInbound(ctx, res.Message.ID, queue, d.clock.Now())
		d.queued(ctx, queued)
		// Only now wake Run for an AI turn requested by decide: the greeting
		// and out-of-office messages are in the outbox first, so the
		// customer gets them before the AI agent's answer, and the agent
		// sees them in its history.
		d.wake()
	}
	if err != nil {
		d.log.ErrorContext(ctx, "processing failed; the sweep will retry", "channel", e.ch.ID, "message", res.Message.ID, "err", err)
		d.emit(ctx, Event{Type: EventProcessingFailed, ChannelID: e.ch.ID, ConversationID: res.Conversation.ID,
			MessageID: res.Message.ID, Reason: err.Error()})
		return err
	}
	return nil
}

// decide does what must happen before the message is marked processed and
// returns the automatic messages to queue with it.
func (d *Desk) decide(ctx context.Context, e *channelEntry, res store.InboundResult) ([]store.Message, error) {
	if res.Survey != nil {
		switch res.SurveyOutcome {
		case store.SurveyRated, store.SurveyCommented:
			return d.surveyReply(ctx, e, res), nil
		}
	}
	conv, err := d.route(ctx, e, res)
	if err != nil {
		return nil, err
	}
	res.Conversation = conv
	if conv.AIAgentID != "" {
		if err := d.store.RequestAITurn(ctx, conv.ID, res.Message.ID, d.clock.Now()); err != nil {
			return nil, fmt.Errorf("livedesk: request AI turn: %w", err)
		}
		if !e.ch.Settings.Assignment.AutoMessagesWithAI {
			return nil, nil // the AI agent does the talking
		}
	}
	var queue []store.Message
	if g := e.ch.Settings.Greeting; res.NewConversation && g.Enabled {
		queue = append(queue, automatic(res, store.KindGreeting, "greeting:"+conv.ID, g.Text))
	}
	if m, ok := outOfOffice(e.schedule, res, d.clock.Now()); ok {
		queue = append(queue, m)
	}
	return queue, nil
}

// liveChat is how recently an agent must have replied for the
// out-of-office message to be held back: the team is still talking to the
// customer at closing time.
const liveChat = 5 * time.Minute

// outOfOffice returns the out-of-office message for an inbound message
// that arrived while the channel's team was closed, keyed by the closed
// period so that a conversation gets it once per period. A message
// processed late (by the sweep, after a crash) when the team has opened
// since gets none: the team is there to answer.
func outOfOffice(s *hours.Schedule, res store.InboundResult, now time.Time) (store.Message, bool) {
	at := res.Message.CreatedAt
	if !s.Enabled() || s.IsOpen(now) {
		return store.Message{}, false
	}
	period, closed := s.ClosedPeriod(at)
	if !closed {
		return store.Message{}, false
	}
	if last := res.Conversation.LastAgentReplyAt; !last.IsZero() && at.Sub(last) < liveChat {
		return store.Message{}, false
	}
	key := "ooo:" + res.Conversation.ID + ":" + period.Key()
	return automatic(res, store.KindOutOfOffice, key, s.OutOfOfficeText(at)), true
}

// automatic builds an automatic outbound message for the conversation of
// an inbound message.
func automatic(res store.InboundResult, kind store.Kind, key, text string) store.Message {
	return store.Message{
		ChannelID: res.Conversation.ChannelID, ConversationID: res.Conversation.ID, ContactID: res.Contact.ID,
		Kind: kind, Key: key, Text: text,
	}
}

// queued reports newly queued messages and wakes Run to deliver them.
func (d *Desk) queued(ctx context.Context, msgs []store.Message) {
	if len(msgs) == 0 {
		return
	}
	for _, m := range msgs {
		d.emit(ctx, Event{Type: EventMessageQueued, ChannelID: m.ChannelID, ConversationID: m.ConversationID,
			ContactID: m.ContactID, MessageID: m.ID, Kind: string(m.Kind)})
	}
	d.wake()
}
