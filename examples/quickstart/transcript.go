package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/store"
)

// transcript prints the desk's events as readable lines.
type transcript struct {
	mu   sync.Mutex
	out  io.Writer
	desk *livedesk.Desk
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
	case livedesk.EventWebhookRejected:
		t.say("  desk: webhook rejected: %s", e.Reason)
	default:
		t.say("  desk: %s %s", e.Type, e.Reason)
	}
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
