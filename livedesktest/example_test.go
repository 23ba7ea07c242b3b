package livedesktest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

// testRefundsGoToBilling is a routing test as it sits in a host's
// _test.go file, called from
//
//	func TestRefundsGoToBilling(t *testing.T) { testRefundsGoToBilling(t) }
func testRefundsGoToBilling(t testing.TB) {
	h := livedesktest.New(t)
	rules, err := routing.DecodeRules([]byte(`[{"name": "Refunds", "when": {"text_contains_any": ["refund"]}, "then": {"team": "billing"}}]`))
	if err != nil {
		t.Fatal(err)
	}
	ch := h.AddChannel(func(c *channel.Channel) { c.Settings.Assignment.Rules = rules })
	h.MustAddAgent(ch, store.Agent{ID: "ann"})
	h.MustAddAgent(ch, store.Agent{ID: "bob", Teams: []string{"billing"}})

	resp, body := h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "I want a REFUND"})
	livedesktest.RequireStatus(t, resp, body, 200)
	h.Clock.Advance(time.Minute)
	resp, body = h.Post(ch, livedesktest.Message{From: "+14155550101", Body: "Where is my parcel?"})
	livedesktest.RequireStatus(t, resp, body, 200)

	for _, c := range h.RequireConversations(ch.ID, 2) {
		t.Logf("%q -> %s", h.MustMessages(c.ID)[0].Text, c.AssigneeID)
	}
	if got := h.MustConversations(ch)[0].AssigneeID; got != "bob" {
		t.Fatalf("the refund went to %q, want bob (billing)", got)
	}
}

// A routing test with livedesktest: a desk on memstore, a channel with a
// rule, two agents, two signed customer messages, and who got each. The
// example runs the test with a testing.TB that prints its log; in your
// code, call it from a TestXxx(t *testing.T).
func Example_routingTest() {
	t := &printTB{}
	defer t.cleanup()
	testRefundsGoToBilling(t)
	fmt.Println("failed:", t.failed)
	// Output:
	// "I want a REFUND" -> bob
	// "Where is my parcel?" -> ann
	// failed: false
}

// printTB is the little of testing.TB the example needs: Logf prints, a
// failure is printed and recorded.
type printTB struct {
	testing.TB // not set: only the methods below are used
	failed     bool
	cleanups   []func()
}

func (t *printTB) Helper()                           {}
func (t *printTB) Context() context.Context          { return context.Background() }
func (t *printTB) Cleanup(f func())                  { t.cleanups = append(t.cleanups, f) }
func (t *printTB) Logf(format string, args ...any)   { fmt.Printf(format+"\n", args...) }
func (t *printTB) Errorf(format string, args ...any) { t.failed = true; t.Logf(format, args...) }
func (t *printTB) Fatalf(format string, args ...any) { t.Errorf(format, args...); panic("test failed") }
func (t *printTB) Fatal(args ...any)                 { t.Fatalf("%s", fmt.Sprint(args...)) }

func (t *printTB) cleanup() {
	for i := len(t.cleanups) - 1; i >= 0; i-- {
		t.cleanups[i]()
	}
}
