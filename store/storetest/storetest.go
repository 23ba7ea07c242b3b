package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// NewStore returns a new, empty store for one subtest.
type NewStore func(t *testing.T) store.Store

// Run runs the whole conformance suite against stores made by newStore.
func Run(t *testing.T, newStore NewStore) {
	t.Helper()
	groups := []struct {
		name  string
		cases []testCase
	}{
		{"Channels", append(channelCases, channelCases2...)},
		{"Members", memberCases},
		{"Contacts", contactCases},
		{"Facts", append(factCases, factCases2...)},
		{"Owner", append(ownerCases, ownerCases2...)},
		{"Inbox", inboxCases},
		{"Conversations", conversationCases},
		{"Outbox", outboxCases},
		{"Delivery", deliveryCases},
		{"Report", reportCases},
		{"Concurrency", concurrencyCases},
		{"Agents", agentCases},
		{"Assign", assignCases},
		{"Queue", queueCases},
		{"Resolve", resolveCases},
		{"Surveys", surveyCases},
		{"AITurns", aiTurnCases},
		{"Contention", contentionCases},
		{"Queries", queryCases},
		{"Labels", labelCases},
		{"Notes", noteCases},
		{"Hostile", hostileCases},
		{"Events", eventCases},
		{"Health", healthCases},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, c := range g.cases {
				t.Run(c.name, func(t *testing.T) {
					c.run(t, newStore(t))
				})
			}
		})
	}
}

type testCase struct {
	name string
	run  func(t *testing.T, s store.Store)
}

// t0 is the suite's reference time; stores must keep times exactly at
// microsecond precision (what Postgres keeps).
var t0 = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func ctx(t *testing.T) context.Context { return t.Context() }

// testChannel returns a valid channel with the given ID.
func testChannel(id string) channel.Channel {
	return channel.Channel{
		ID:   id,
		Name: "Support " + id,
		Twilio: channel.Twilio{
			AccountSID:  "AC" + repeat("a", 32),
			AuthToken:   "0123456789abcdef0123456789abcdef",
			PhoneNumber: "+14155238886",
		},
		Settings:  channel.Settings{Greeting: channel.Greeting{Enabled: true, Text: "Hello!"}},
		Version:   1,
		CreatedAt: t0,
		UpdatedAt: t0,
	}
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

// inbound returns an inbound record for channel ch from phone with a
// MessageSid made from n.
func inbound(ch, phone string, n int, at time.Time) store.InboundRecord {
	return store.InboundRecord{
		ChannelID: ch,
		Message: channel.Inbound{
			MessageSID:  fmt.Sprintf("SM%032x", n),
			AccountSID:  "AC" + repeat("a", 32),
			From:        "whatsapp:" + phone,
			To:          "whatsapp:+14155238886",
			WaID:        phone[1:],
			ProfileName: "Ana",
			Body:        fmt.Sprintf("message %d", n),
			Type:        channel.TypeText,
			Extra:       map[string]string{"NumSegments": "1"},
		},
		ReceivedAt: at,
	}
}

func mustRecord(t *testing.T, s store.Store, rec store.InboundRecord) store.InboundResult {
	t.Helper()
	res, err := s.RecordInbound(ctx(t), rec)
	if err != nil {
		t.Fatalf("RecordInbound(%s): %v", rec.Message.MessageSID, err)
	}
	return res
}

func mustCreateChannel(t *testing.T, s store.Store, id string) channel.Channel {
	t.Helper()
	ch := testChannel(id)
	if err := s.CreateChannel(ctx(t), ch); err != nil {
		t.Fatalf("CreateChannel(%s): %v", id, err)
	}
	return ch
}

func wantErr(t *testing.T, err, target error, what string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: got error %v, want %v", what, err, target)
	}
}

func noErr(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func equal[T comparable](t *testing.T, got, want T, what string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

func sameTime(t *testing.T, got, want time.Time, what string) {
	t.Helper()
	if !got.Equal(want) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

// outboundByKey finds the outbound message with an idempotency key by
// reading every conversation's messages, or returns ErrNotFound.
func outboundByKey(t *testing.T, s store.Store, key string) (store.Message, error) {
	t.Helper()
	convs, err := s.ListConversations(ctx(t), store.ConversationFilter{})
	noErr(t, err, "ListConversations")
	for _, c := range convs {
		msgs, err := s.Messages(ctx(t), c.ID)
		noErr(t, err, "Messages")
		for _, m := range msgs {
			if m.Direction == store.Outbound && m.Key == key {
				return m, nil
			}
		}
	}
	return store.Message{}, fmt.Errorf("outbound message %q: %w", key, store.ErrNotFound)
}
