package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/store"
)

// transcript prints the desk's events as readable lines, each saying what
// a person would see: on the customer's phone, in Twilio, or in the desk.
//
// The desk's background work (Run's sends, AI turns) runs concurrently
// with the script, so lines are buffered during a step and flushed at its
// end in a fixed order: first what the script did and what the desk did
// while answering (in the order it happened, deterministic because the
// script waits for each answer), then the AI agent's turns, then what
// Twilio sent, in the order the messages entered the outbox.
type transcript struct {
	mu      sync.Mutex
	out     io.Writer
	desk    *livedesk.Desk
	counts  map[livedesk.EventType]int
	more    *sync.Cond // broadcast on every event
	lines   []line
	seq     int
	outbox  map[string]int // message ID -> order it entered the outbox
	entered int
	live    bool // -listen: print each line as it happens, no steps
}

// line is a buffered transcript line.
type line struct {
	class int // 0: the script and the desk's answers, 1: AI turns, 2: sends
	order int
	text  string
}

func newTranscript(out io.Writer) *transcript {
	t := &transcript{out: out, counts: map[livedesk.EventType]int{}, outbox: map[string]int{}}
	t.more = sync.NewCond(&t.mu)
	return t
}

func (t *transcript) say(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.add(0, -1, fmt.Sprintf(format, args...))
}

// add buffers a line; order < 0 means "in the order added". The caller
// holds t.mu.
func (t *transcript) add(class, order int, text string) {
	if t.live {
		fmt.Fprintln(t.out, text)
		return
	}
	t.seq++
	if order < 0 {
		order = t.seq
	}
	t.lines = append(t.lines, line{class: class, order: order, text: text})
}

func (t *transcript) sayIn(class, order int, format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.add(class, order, fmt.Sprintf(format, args...))
}

// flush writes the buffered lines in their fixed order.
func (t *transcript) flush() {
	t.mu.Lock()
	defer t.mu.Unlock()
	sort.SliceStable(t.lines, func(i, j int) bool {
		a, b := t.lines[i], t.lines[j]
		if a.class != b.class {
			return a.class < b.class
		}
		return a.order < b.order
	})
	for _, l := range t.lines {
		fmt.Fprintln(t.out, l.text)
	}
	t.lines = t.lines[:0]
}

// eventClass says where an event's line goes: AI turns and the
// assignments that follow a hand-off run in Run's goroutines (class 1),
// sends too (class 2); the rest happens while the desk answers the script.
func eventClass(e livedesk.Event) int {
	switch {
	case e.Type == livedesk.EventMessageSent:
		return 2
	case e.Type == livedesk.EventAIReplied, e.Type == livedesk.EventHandedOff,
		e.Type == livedesk.EventMessageQueued && e.Kind == string(store.KindAI),
		e.Type == livedesk.EventAssigned && e.Reason == "queue",
		e.Type == livedesk.EventQueued: // in this demo, only after an AI turn
		return 1
	}
	return 0
}

// onEvent is the desk's Options.OnEvent.
func (t *transcript) onEvent(ctx context.Context, e livedesk.Event) {
	defer func() {
		t.mu.Lock()
		t.counts[e.Type]++
		t.more.Broadcast()
		t.mu.Unlock()
	}()
	class, order := eventClass(e), -1
	if e.Type == livedesk.EventMessageQueued {
		t.mu.Lock()
		t.entered++
		t.outbox[e.MessageID] = t.entered
		t.mu.Unlock()
	}
	if e.Type == livedesk.EventMessageSent {
		t.mu.Lock()
		order = t.outbox[e.MessageID]
		t.mu.Unlock()
	}
	say := func(format string, args ...any) { t.sayIn(class, order, format, args...) }
	switch e.Type {
	case livedesk.EventConversationOpened:
		c, _ := t.desk.Contact(ctx, e.ContactID)
		say("  desk: conversation %s opened for %s (%s)", short(e.ConversationID), c.Phone, c.ProfileName)
	case livedesk.EventMessageReceived:
		say("  desk: message stored in conversation %s", short(e.ConversationID))
	case livedesk.EventDuplicateIgnored:
		say("  desk: duplicate MessageSid, already stored: nothing done")
	case livedesk.EventMessageQueued:
		say("  desk: %s put in the outbox: %q", e.Kind, t.text(ctx, e))
	case livedesk.EventMessageSent:
		say("  twilio: accepted %s for %s: %q", e.Kind, t.to(ctx, e), t.text(ctx, e))
	case livedesk.EventAssigned:
		who := e.AgentID
		if who == "" {
			who = "AI agent " + e.AIAgentID
		}
		switch e.Reason {
		case "queue":
			say("  desk: conversation %s assigned to %s (it was waiting for an agent)", short(e.ConversationID), who)
		case who:
			say("  desk: conversation %s assigned to %s", short(e.ConversationID), who)
		default:
			say("  desk: conversation %s assigned to %s (%s)", short(e.ConversationID), who, e.Reason)
		}
	case livedesk.EventQueued:
		say("  desk: conversation %s waits for an agent %s", short(e.ConversationID), e.Reason)
	case livedesk.EventHandedOff:
		say("  desk: AI agent %s handed off: %s", e.AIAgentID, e.Reason)
	case livedesk.EventAIReplied:
		say("  desk: AI agent %s replied (%d tokens)", e.AIAgentID, e.Usage.TotalTokens)
	case livedesk.EventResolved:
		say("  desk: conversation %s resolved", short(e.ConversationID))
	case livedesk.EventSurveySent:
		say("  desk: CSAT survey put in the outbox, attributed to %s", e.AgentID)
	case livedesk.EventSurveyAnswered:
		say("  desk: CSAT rating %d recorded for %s", e.Rating, e.AgentID)
	case livedesk.EventSurveyCommented:
		say("  desk: CSAT comment recorded")
	case livedesk.EventDeliveryStatus:
		say("  phone %s: the %s is %s", t.to(ctx, e), e.Kind, e.Status)
	case livedesk.EventWebhookRejected:
		say("  desk: webhook rejected: %s", e.Reason)
	default:
		say("  desk: %s %s %s", e.Type, e.Kind, e.Reason)
	}
}

// to returns the phone number of the customer an event is about.
func (t *transcript) to(ctx context.Context, e livedesk.Event) string {
	c, err := t.desk.Contact(ctx, e.ContactID)
	if err != nil || c.Phone == "" {
		return "the customer"
	}
	return c.Phone
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
				status = " [" + statusWords(m.Status) + "]"
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

// statusWords says an outbound message's status as the customer or Twilio
// would: it never says "queued" (Twilio's word for a message it accepted),
// which this transcript keeps for nothing.
func statusWords(s store.DeliveryStatus) string {
	switch s {
	case store.DeliveryQueued, store.DeliveryAccepted:
		return "accepted by Twilio"
	case store.DeliveryPending, store.DeliverySending:
		return "in the outbox"
	}
	return string(s)
}
