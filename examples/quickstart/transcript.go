package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/store"
)

// transcript prints the desk's events as readable lines.
type transcript struct {
	mu   sync.Mutex
	out  io.Writer
	desk *livedesk.Desk
	sent int
	more *sync.Cond // broadcast when a message is sent
}

func newTranscript(out io.Writer) *transcript {
	t := &transcript{out: out}
	t.more = sync.NewCond(&t.mu)
	return t
}

func (t *transcript) say(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fmt.Fprintf(t.out, format+"\n", args...)
}

// onEvent is the desk's Options.OnEvent.
func (t *transcript) onEvent(ctx context.Context, e livedesk.Event) {
	switch e.Type {
	case livedesk.EventConversationOpened:
		c, _ := t.desk.Contact(ctx, e.ContactID)
		t.say("  desk: conversation %s opened for %s (%s)", short(e.ConversationID), c.Phone, c.ProfileName)
	case livedesk.EventMessageReceived:
		t.say("  desk: message stored in conversation %s", short(e.ConversationID))
	case livedesk.EventDuplicateIgnored:
		t.say("  desk: duplicate MessageSid, already stored: nothing done")
	case livedesk.EventMessageQueued:
		t.say("  desk: %s queued: %q", e.Kind, t.text(ctx, e))
	case livedesk.EventMessageSent:
		t.say("  desk: %s sent to Twilio (%s)", e.Kind, e.Status)
		t.mu.Lock()
		t.sent++
		t.more.Broadcast()
		t.mu.Unlock()
	case livedesk.EventDeliveryStatus:
		t.say("  desk: %s is now %s", e.Kind, e.Status)
	case livedesk.EventWebhookRejected:
		t.say("  desk: webhook rejected: %s", e.Reason)
	default:
		t.say("  desk: %s %s %s", e.Type, e.Kind, e.Reason)
	}
}

// waitSent waits until n messages in all have been sent to Twilio.
func (t *transcript) waitSent(n int) error {
	timer := time.AfterFunc(10*time.Second, func() {
		t.mu.Lock()
		t.more.Broadcast()
		t.mu.Unlock()
	})
	defer timer.Stop()
	deadline := time.Now().Add(10 * time.Second)
	t.mu.Lock()
	defer t.mu.Unlock()
	for t.sent < n {
		if time.Now().After(deadline) {
			return fmt.Errorf("%d messages sent after 10 s, want %d", t.sent, n)
		}
		t.more.Wait()
	}
	return nil
}

// summary prints every conversation as stored.
func (t *transcript) summary(ctx context.Context, channelID string) error {
	convs, err := t.desk.Conversations(ctx, store.ConversationFilter{ChannelID: channelID})
	if err != nil {
		return err
	}
	t.say("\nresult: %d conversation(s)", len(convs))
	for _, conv := range convs {
		c, err := t.desk.Contact(ctx, conv.ContactID)
		if err != nil {
			return err
		}
		t.say("conversation with %s (%s):", c.ProfileName, c.Phone)
		msgs, err := t.desk.Messages(ctx, conv.ID)
		if err != nil {
			return err
		}
		for _, m := range msgs {
			status := ""
			if m.Direction == store.Outbound {
				status = " [" + string(m.Status) + "]"
			}
			t.say("  %-3s %-13s %s%s", m.Direction, m.Kind, oneLine(m), status)
		}
	}
	return nil
}

// text finds the text of the message an event is about.
func (t *transcript) text(ctx context.Context, e livedesk.Event) string {
	msgs, err := t.desk.Messages(ctx, e.ConversationID)
	if err != nil {
		return "?"
	}
	for _, m := range msgs {
		if m.ID == e.MessageID {
			return oneLine(m)
		}
	}
	return "?"
}

func oneLine(m store.Message) string {
	if m.ContentSID != "" {
		return "template " + m.ContentSID
	}
	return strings.ReplaceAll(m.Text, "\n", " ")
}

func short(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
