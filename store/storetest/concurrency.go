package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/livedesk/livedesk/store"
)

// parallel runs f(i) for i in [0, n) on n goroutines released at once and
// fails the test on the first error.
func parallel(t *testing.T, n int, f func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			<-start
			if err := f(i); err != nil {
				errs <- err
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

var concurrencyCases = []testCase{
	{"50 goroutines recording the same MessageSid record one message", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		var mu sync.Mutex
		fresh := 0
		parallel(t, 50, func(int) error {
			res, err := s.RecordInbound(ctx(t), inbound("ch1", "+14155550100", 1, t0))
			if err != nil {
				return err
			}
			if !res.Duplicate {
				mu.Lock()
				fresh++
				mu.Unlock()
			}
			return nil
		})
		equal(t, fresh, 1, "non-duplicate results")
		convs, err := s.ListConversations(ctx(t), store.ConversationFilter{})
		noErr(t, err, "ListConversations")
		equal(t, len(convs), 1, "conversations")
		msgs, err := s.Messages(ctx(t), convs[0].ID)
		noErr(t, err, "Messages")
		equal(t, len(msgs), 1, "messages")
	}},
	{"50 goroutines writing for one contact open one conversation", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		var mu sync.Mutex
		newConvs, newContacts := 0, 0
		parallel(t, 50, func(i int) error {
			res, err := s.RecordInbound(ctx(t), inbound("ch1", "+14155550100", i+1, t0.Add(time.Duration(i)*time.Second)))
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			if res.NewConversation {
				newConvs++
			}
			if res.NewContact {
				newContacts++
			}
			return nil
		})
		equal(t, newConvs, 1, "NewConversation results")
		equal(t, newContacts, 1, "NewContact results")
		convs, err := s.ListConversations(ctx(t), store.ConversationFilter{})
		noErr(t, err, "ListConversations")
		equal(t, len(convs), 1, "conversations")
		msgs, err := s.Messages(ctx(t), convs[0].ID)
		noErr(t, err, "Messages")
		equal(t, len(msgs), 50, "messages")
		k, err := s.Contact(ctx(t), convs[0].ContactID)
		noErr(t, err, "Contact")
		sameTime(t, k.LastInboundAt, t0.Add(49*time.Second), "LastInboundAt is the latest")
	}},
	{"50 goroutines finishing with the same key queue one message", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		var mu sync.Mutex
		total := 0
		parallel(t, 50, func(i int) error {
			q := store.Message{ConversationID: res.Conversation.ID, Kind: store.KindGreeting, Key: "greeting:" + res.Conversation.ID, Text: fmt.Sprint(i)}
			queued, err := s.FinishInbound(ctx(t), res.Message.ID, []store.Message{q}, t0)
			mu.Lock()
			total += len(queued)
			mu.Unlock()
			return err
		})
		equal(t, total, 1, "queued in total")
		msgs, err := s.Messages(ctx(t), res.Conversation.ID)
		noErr(t, err, "Messages")
		equal(t, len(msgs), 2, "messages")
	}},
	{"50 goroutines enqueueing the same key create one message", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		res := mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
		var mu sync.Mutex
		created := 0
		parallel(t, 50, func(int) error {
			_, c, err := s.Enqueue(ctx(t), store.Message{ConversationID: res.Conversation.ID, Key: "same"}, t0)
			if c {
				mu.Lock()
				created++
				mu.Unlock()
			}
			return err
		})
		equal(t, created, 1, "created")
	}},
}
