package livedesk

import (
	"context"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// process acts on a recorded inbound message and marks it processed. It is
// idempotent: every message it queues carries an idempotency key
// ("greeting:<conversation>"), so processing a message twice (a retried
// webhook, the sweep) never queues anything twice.
func (d *Desk) process(ctx context.Context, ch channel.Channel, res store.InboundResult) error {
	now := d.clock.Now()
	var queue []store.Message
	if res.NewConversation && ch.Settings.Greeting.Enabled {
		queue = append(queue, d.automatic(res, store.KindGreeting, "greeting:"+res.Conversation.ID, ch.Settings.Greeting.Text))
	}
	queued, err := d.store.FinishInbound(ctx, res.Message.ID, queue, now)
	if err != nil {
		d.log.Error("processing failed; the sweep will retry", "channel", ch.ID, "message", res.Message.ID, "err", err)
		d.emit(ctx, Event{Type: EventProcessingFailed, ChannelID: ch.ID, ConversationID: res.Conversation.ID,
			MessageID: res.Message.ID, Reason: err.Error()})
		return err
	}
	d.queued(ctx, queued)
	return nil
}

// automatic builds an automatic outbound message for the conversation of
// an inbound message.
func (d *Desk) automatic(res store.InboundResult, kind store.Kind, key, text string) store.Message {
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
