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
	mu     sync.Mutex
	out    io.Writer
	desk   *livedesk.Desk
	counts map[livedesk.EventType]int
	more   *sync.Cond // broadcast on every event
}

func newTranscript(out io.Writer) *transcript {
	t := &transcript{out: out, counts: map[livedesk.EventType]int{}}
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
	defer func() {
		t.mu.Lock()
		t.counts[e.Type]++
		t.more.Broadcast()
		t.mu.Unlock()
	}()
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
	case livedesk.EventAssigned:
		who := e.AgentID
		if who == "" {
			who = "AI agent " + e.AIAgentID
		}
		if e.Reason == who {
			t.say("  desk: conversation %s assigned to %s", short(e.ConversationID), who)
		} else {
			t.say("  desk: conversation %s assigned to %s (%s)", short(e.ConversationID), who, e.Reason)
		}
	case livedesk.EventQueued:
		t.say("  desk: conversation %s waits for an agent %s", short(e.ConversationID), e.Reason)
	case livedesk.EventHandedOff:
		t.say("  desk: AI agent %s handed off: %s", e.AIAgentID, e.Reason)
	case livedesk.EventAIReplied:
		t.say("  desk: AI agent %s replied (%d tokens)", e.AIAgentID, e.Usage.TotalTokens)
	case livedesk.EventResolved:
		t.say("  desk: conversation %s resolved", short(e.ConversationID))
	case livedesk.EventSurveySent:
		t.say("  desk: CSAT survey queued, attributed to %s", e.AgentID)
	case livedesk.EventSurveyAnswered:
		t.say("  desk: CSAT rating %d recorded for %s", e.Rating, e.AgentID)
	case livedesk.EventSurveyCommented:
		t.say("  desk: CSAT comment recorded")
	case livedesk.EventDeliveryStatus:
		t.say("  desk: %s is now %s", e.Kind, e.Status)
	case livedesk.EventWebhookRejected:
		t.say("  desk: webhook rejected: %s", e.Reason)
	default:
		t.say("  desk: %s %s %s", e.Type, e.Kind, e.Reason)
	}
}

// wait waits until n events of type typ have happened in all.
func (t *transcript) wait(typ livedesk.EventType, n int) error {
	timer := time.AfterFunc(10*time.Second, func() {
		t.mu.Lock()
		t.more.Broadcast()
		t.mu.Unlock()
	})
	defer timer.Stop()
	deadline := time.Now().Add(10 * time.Second)
	t.mu.Lock()
	defer t.mu.Unlock()
	for t.counts[typ] < n {
		if time.Now().After(deadline) {
			return fmt.Errorf("%d %s events after 10 s, want %d", t.counts[typ], typ, n)
		}
		t.more.Wait()
	}
	return nil
}

// count returns how many events of type typ happened so far.
func (t *transcript) count(typ livedesk.EventType) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.counts[typ]
}

// report prints the CSAT report.
func (t *transcript) report(ctx context.Context) error {
	rep, err := t.desk.CSATReport(ctx, livedesk.ReportRequest{})
	if err != nil {
		return err
	}
	t.say("\nCSAT report: %d sent, %d answered (%.0f%%), average %.1f, CSAT %.0f%%, distribution 1-5 %v",
		rep.Total.Sent, rep.Total.Responses, 100*rep.Total.ResponseRate(), rep.Total.Average(), 100*rep.Total.CSAT(), rep.Total.Counts)
	for id, tally := range rep.ByAgent {
		t.say("  agent %s: %d sent, average %.1f", id, tally.Sent, tally.Average())
	}
	return nil
}

// settle waits until every queued message has been sent (or failed), so
// each step's transcript is complete before the next one starts.
func (t *transcript) settle() error {
	t.mu.Lock()
	n := t.counts[livedesk.EventMessageQueued] - t.counts[livedesk.EventMessageFailed]
	t.mu.Unlock()
	return t.waitSent(n)
}

// waitSent waits until n messages in all have been sent to Twilio.
func (t *transcript) waitSent(n int) error { return t.wait(livedesk.EventMessageSent, n) }

// summary prints every conversation as stored.
func (t *transcript) summary(ctx context.Context, channelIDs ...string) error {
	var convs []store.Conversation
	for _, id := range channelIDs {
		cs, err := t.desk.Conversations(ctx, store.ConversationFilter{ChannelID: id})
		if err != nil {
			return err
		}
		convs = append(convs, cs...)
	}
	t.say("\nresult: %d conversation(s)", len(convs))
	for _, conv := range convs {
		c, err := t.desk.Contact(ctx, conv.ContactID)
		if err != nil {
			return err
		}
		owner := conv.AssigneeID
		if owner == "" && conv.AIAgentID != "" {
			owner = "AI agent " + conv.AIAgentID
		}
		t.say("conversation with %s (%s), %s, owner %s:", c.ProfileName, c.Phone, conv.Status, or(owner, "nobody"))
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

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func short(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
