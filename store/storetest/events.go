package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/livedesk/livedesk/store"
)

// readAll reads every event after a position that matches f, in pages of
// page events.
func readAll(t *testing.T, s store.Store, after store.Position, f store.EventFilter, page int) []store.Event {
	t.Helper()
	var out []store.Event
	for {
		evs, err := s.ReadEvents(ctx(t), after, f, page)
		noErr(t, err, "ReadEvents")
		out = append(out, evs...)
		if len(evs) == 0 || page == 0 {
			return out
		}
		if page > 0 && len(evs) > page {
			t.Fatalf("ReadEvents returned %d events with limit %d", len(evs), page)
		}
		after = evs[len(evs)-1].Position
	}
}

// readN reads the events after a position that match f, in pages of
// page, until it has at least n of them: a store may make an event
// readable a little after it was written (on Postgres, once every older
// transaction has ended), never out of order.
func readN(t *testing.T, s store.Store, after store.Position, f store.EventFilter, page, n int) []store.Event {
	t.Helper()
	var out []store.Event
	deadline := time.Now().Add(20 * time.Second)
	for {
		evs, err := s.ReadEvents(ctx(t), after, f, page)
		noErr(t, err, "ReadEvents")
		if page > 0 && len(evs) > page {
			t.Fatalf("ReadEvents returned %d events with limit %d", len(evs), page)
		}
		out = append(out, evs...)
		if len(evs) > 0 {
			after = evs[len(evs)-1].Position
		}
		if len(out) >= n && (len(evs) == 0 || page == 0 || len(evs) < page) {
			return out
		}
		if len(evs) == 0 || page == 0 || len(evs) < page {
			if time.Now().After(deadline) {
				t.Fatalf("read %d events, want %d", len(out), n)
			}
			wctx, cancel := context.WithTimeout(ctx(t), time.Second)
			_ = s.WaitEvents(wctx, after)
			cancel()
		}
	}
}

func eventTypes(evs []store.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Type
	}
	return out
}

func wantOrdered(t *testing.T, evs []store.Event) {
	t.Helper()
	for i := 1; i < len(evs); i++ {
		if evs[i-1].Position >= evs[i].Position {
			t.Fatalf("events %d and %d are not in increasing position order: %v, %v", i-1, i, evs[i-1].Position, evs[i].Position)
		}
	}
}

// waitReturns runs WaitEvents and reports whether it returned nil within d.
func waitReturns(t *testing.T, s store.Store, after store.Position, d time.Duration) bool {
	t.Helper()
	c, cancel := context.WithTimeout(ctx(t), d)
	defer cancel()
	err := s.WaitEvents(c, after)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitEvents: %v", err)
	}
	return err == nil
}

var eventCases = []testCase{
	{"inbound and queued messages write their events in the same step", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		start, err := s.FeedHead(ctx(t))
		noErr(t, err, "FeedHead")
		first := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0)) // a duplicate writes nothing
		second := mustRecord(t, s, inbound("ch1", "+14155550100", 2, t0.Add(time.Second)))
		queued, err := s.FinishInbound(ctx(t), first.Message.ID, []store.Message{{ConversationID: first.Conversation.ID,
			ContactID: first.Contact.ID, ChannelID: "ch1", Kind: store.KindGreeting, Key: "greeting:x", Text: "Hello"}}, t0.Add(2*time.Second))
		noErr(t, err, "FinishInbound")
		evs := readN(t, s, start, store.EventFilter{}, 0, 4)
		wantOrdered(t, evs)
		want := []string{store.EventConversationOpened, store.EventMessageReceived, store.EventMessageReceived, store.EventMessageQueued}
		if got := eventTypes(evs); !slices.Equal(got, want) {
			t.Fatalf("event types = %v, want %v", got, want)
		}
		equal(t, evs[0].ConversationID, first.Conversation.ID, "opened: conversation")
		equal(t, evs[0].ContactID, first.Contact.ID, "opened: contact")
		equal(t, evs[1].MessageID, first.Message.ID, "received: message")
		equal(t, evs[2].MessageID, second.Message.ID, "second received: message")
		equal(t, string(evs[1].Data), `{"kind":"customer"}`, "received: data")
		equal(t, evs[3].MessageID, queued[0].ID, "queued: message")
		equal(t, string(evs[3].Data), `{"kind":"greeting"}`, "queued: data")
		sameTime(t, evs[1].At, t0, "received: At")
		for _, e := range evs {
			equal(t, e.ChannelID, "ch1", e.Type+": channel")
		}
	}},
	{"message events carry the conversation's owner", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		mustCreateAgent(t, s, "a1", 5)
		res := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		mustClaim(t, s, res.Conversation.ID, "a1", t0)
		mustRecord(t, s, inbound("ch1", "+14155550100", 2, t0.Add(time.Second)))
		evs := readN(t, s, store.Position(0), store.EventFilter{AgentID: "a1"}, 0, 1)
		if len(evs) != 1 || evs[0].Type != store.EventMessageReceived || evs[0].AgentID != "a1" {
			t.Fatalf("events for agent a1 = %+v, want the second message's received event", evs)
		}
	}},
	{"appended events get increasing positions and read back as written", func(t *testing.T, s store.Store) {
		evs := []store.Event{
			{Type: "x.one", At: t0, ChannelID: "ch1", ConversationID: "c1", ContactID: "k1", MessageID: "m1", Data: []byte(`{"reason":"r"}`)},
			{Type: "x.two", At: t0.Add(time.Second), ChannelID: "ch2", ConversationID: "c2", AgentID: "a1"},
			{Type: "x.three", At: t0.Add(2 * time.Second), ChannelID: "ch1", ConversationID: "c3", AIAgentID: "bot"},
		}
		noErr(t, s.AppendEvents(ctx(t), evs), "AppendEvents")
		wantOrdered(t, evs)
		got := readN(t, s, store.Position(0), store.EventFilter{}, 0, 3)
		if len(got) != 3 {
			t.Fatalf("read %d events, want 3", len(got))
		}
		for i := range evs {
			equal(t, got[i].Position, evs[i].Position, "Position")
			equal(t, got[i].Type, evs[i].Type, "Type")
			sameTime(t, got[i].At, evs[i].At, "At")
			equal(t, got[i].ChannelID, evs[i].ChannelID, "ChannelID")
			equal(t, got[i].ConversationID, evs[i].ConversationID, "ConversationID")
			equal(t, got[i].AgentID, evs[i].AgentID, "AgentID")
			equal(t, got[i].AIAgentID, evs[i].AIAgentID, "AIAgentID")
			equal(t, string(got[i].Data), string(evs[i].Data), "Data")
		}
		equal(t, got[0].ContactID, "k1", "ContactID")
		equal(t, got[0].MessageID, "m1", "MessageID")
		got[0].Data[0] = 'X' // the caller's own copy
		again := readAll(t, s, store.Position(0), store.EventFilter{}, 0)
		equal(t, string(again[0].Data), `{"reason":"r"}`, "Data after the caller changed its copy")

		after := readAll(t, s, evs[0].Position, store.EventFilter{}, 0)
		if got := eventTypes(after); !slices.Equal(got, []string{"x.two", "x.three"}) {
			t.Fatalf("after the first: %v", got)
		}
		head, err := s.FeedHead(ctx(t))
		noErr(t, err, "FeedHead")
		equal(t, head, evs[2].Position, "FeedHead")
		if n := len(readAll(t, s, head, store.EventFilter{}, 0)); n != 0 {
			t.Fatalf("%d events after the head", n)
		}
	}},
	{"filters by channel, conversation, agent and type; limit pages", func(t *testing.T, s store.Store) {
		var evs []store.Event
		for i := range 10 {
			evs = append(evs, store.Event{Type: fmt.Sprintf("t%d", i%3), At: t0, ChannelID: fmt.Sprintf("ch%d", i%2),
				ConversationID: fmt.Sprintf("c%d", i%5), AgentID: map[bool]string{true: "a1"}[i%4 == 0],
				AIAgentID: map[bool]string{true: "a1"}[i == 9]})
		}
		noErr(t, s.AppendEvents(ctx(t), evs), "AppendEvents")
		readN(t, s, store.Position(0), store.EventFilter{}, 0, 10) // all readable
		count := func(f store.EventFilter, page int) int { return len(readAll(t, s, store.Position(0), f, page)) }
		equal(t, count(store.EventFilter{}, 3), 10, "all, pages of 3")
		equal(t, count(store.EventFilter{ChannelID: "ch1"}, 0), 5, "channel ch1")
		equal(t, count(store.EventFilter{ConversationID: "c2"}, 0), 2, "conversation c2")
		equal(t, count(store.EventFilter{AgentID: "a1"}, 0), 4, "agent a1 (i=0,4,8 as agent, 9 as AI agent)")
		equal(t, count(store.EventFilter{Types: []string{"t0", "t2"}}, 0), 7, "types t0, t2")
		equal(t, count(store.EventFilter{ChannelID: "ch0", Types: []string{"t0"}}, 2), 2, "ch0 and t0 (i=0,6)")
		first, err := s.ReadEvents(ctx(t), store.Position(0), store.EventFilter{}, 4)
		noErr(t, err, "ReadEvents")
		equal(t, len(first), 4, "limit 4")
	}},
	{"WaitEvents returns at once when events exist, wakes on an append, ends with ctx", func(t *testing.T, s store.Store) {
		evs := []store.Event{{Type: "x", At: t0}}
		noErr(t, s.AppendEvents(ctx(t), evs), "AppendEvents")
		if !waitReturns(t, s, store.Position(0), 5*time.Second) {
			t.Fatal("WaitEvents did not return although an event is readable")
		}
		if waitReturns(t, s, evs[0].Position, 50*time.Millisecond) {
			t.Fatal("WaitEvents returned with nothing after the position")
		}
		done := make(chan error, 1)
		wctx, cancel := context.WithTimeout(ctx(t), 10*time.Second)
		defer cancel()
		go func() { done <- s.WaitEvents(wctx, evs[0].Position) }()
		more := []store.Event{{Type: "y", At: t0}}
		noErr(t, s.AppendEvents(ctx(t), more), "AppendEvents")
		if err := <-done; err != nil {
			t.Fatalf("WaitEvents after an append: %v", err)
		}
	}},
	{"PruneEvents deletes events older than the time and keeps positions", func(t *testing.T, s store.Store) {
		evs := []store.Event{{Type: "old", At: t0}, {Type: "old", At: t0.Add(time.Minute)}, {Type: "new", At: t0.Add(time.Hour)}}
		noErr(t, s.AppendEvents(ctx(t), evs), "AppendEvents")
		readN(t, s, store.Position(0), store.EventFilter{}, 0, 3)
		n, err := s.PruneEvents(ctx(t), t0.Add(30*time.Minute))
		noErr(t, err, "PruneEvents")
		equal(t, n, 2, "pruned")
		got := readAll(t, s, store.Position(0), store.EventFilter{}, 0)
		if len(got) != 1 || got[0].Position != evs[2].Position {
			t.Fatalf("after pruning: %+v", got)
		}
		more := []store.Event{{Type: "later", At: t0.Add(2 * time.Hour)}}
		noErr(t, s.AppendEvents(ctx(t), more), "AppendEvents")
		if more[0].Position <= evs[2].Position {
			t.Fatal("a position was reused after pruning")
		}
	}},
	{"cursors: created at the start given, one lease at a time, saved with the lease", func(t *testing.T, s store.Store) {
		evs := []store.Event{{Type: "before", At: t0}}
		noErr(t, s.AppendEvents(ctx(t), evs), "AppendEvents")
		c, err := s.ClaimCursor(ctx(t), "hook", evs[0].Position, t0, time.Minute)
		noErr(t, err, "ClaimCursor")
		equal(t, c.Position, evs[0].Position, "a new cursor starts where asked")
		_, err = s.ClaimCursor(ctx(t), "hook", 0, t0.Add(time.Second), time.Minute)
		wantErr(t, err, store.ErrCursorBusy, "second claim while leased")
		c.Position++
		c.Attempts, c.LastError, c.NextAttemptAt = 2, "HTTP 500", t0.Add(10*time.Minute)
		noErr(t, s.SaveCursor(ctx(t), c, false), "SaveCursor keeping the lease")
		noErr(t, s.SaveCursor(ctx(t), c, true), "SaveCursor releasing")
		_, err = s.ClaimCursor(ctx(t), "hook", 0, t0.Add(5*time.Minute), time.Minute)
		wantErr(t, err, store.ErrCursorBusy, "claim before NextAttemptAt")
		c2, err := s.ClaimCursor(ctx(t), "hook", 0, t0.Add(10*time.Minute), time.Minute)
		noErr(t, err, "claim at NextAttemptAt")
		equal(t, c2.Position, c.Position, "saved position")
		equal(t, c2.Attempts, 2, "Attempts")
		equal(t, c2.LastError, "HTTP 500", "LastError")
		wantErr(t, s.SaveCursor(ctx(t), c, false), store.ErrLeaseLost, "saving with a released lease")
		// The lease expires: another worker takes the cursor; the first loses it.
		c3, err := s.ClaimCursor(ctx(t), "hook", 0, t0.Add(12*time.Minute), time.Minute)
		noErr(t, err, "claim after the lease expired")
		wantErr(t, s.SaveCursor(ctx(t), c2, true), store.ErrLeaseLost, "saving with an expired, taken lease")
		noErr(t, s.SaveCursor(ctx(t), c3, true), "the new holder saves")
		other, err := s.ClaimCursor(ctx(t), "other", 0, t0, time.Minute)
		noErr(t, err, "another cursor")
		equal(t, other.Position, store.Position(0), "another cursor starts where asked")
		again, err := s.ClaimCursor(ctx(t), "hook", 0, t0.Add(20*time.Minute), time.Minute)
		noErr(t, err, "claim an existing cursor")
		equal(t, again.Position, c.Position, "an existing cursor keeps its position whatever the start")
	}},
	{"concurrent writers: a reader following the feed sees every event once, in order", func(t *testing.T, s store.Store) {
		const writers, each = 8, 25
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					evs := []store.Event{{Type: "w", At: t0, MessageID: fmt.Sprintf("%d-%d", w, i)}}
					if err := s.AppendEvents(context.Background(), evs); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		seen := map[string]bool{}
		var pos store.Position
		deadline := time.Now().Add(30 * time.Second)
		for len(seen) < writers*each && time.Now().Before(deadline) {
			evs, err := s.ReadEvents(ctx(t), pos, store.EventFilter{}, 7)
			noErr(t, err, "ReadEvents")
			for _, e := range evs {
				if e.Position <= pos {
					t.Fatalf("event at %v read after %v", e.Position, pos)
				}
				if seen[e.MessageID] {
					t.Fatalf("event %s read twice", e.MessageID)
				}
				seen[e.MessageID] = true
				pos = e.Position
			}
			if len(evs) == 0 {
				wctx, cancel := context.WithTimeout(ctx(t), time.Second)
				_ = s.WaitEvents(wctx, pos)
				cancel()
			}
		}
		wg.Wait()
		equal(t, len(seen), writers*each, "events seen")
		if rest := readAll(t, s, pos, store.EventFilter{}, 0); len(rest) != 0 {
			t.Fatalf("%d events after the reader's end", len(rest))
		}
	}},
}
