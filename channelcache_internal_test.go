package livedesk

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store/memstore"
)

// stepClock is a Clock moved by hand (livedesktest imports this package).
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}
func (c *stepClock) NewTimer(time.Duration) Timer { panic("not used") }
func (c *stepClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// lookupCounter counts Channel lookups.
type lookupCounter struct {
	*memstore.Store
	mu sync.Mutex
	n  int
}

func (s *lookupCounter) Channel(ctx context.Context, id string) (channel.Channel, error) {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	return s.Store.Channel(ctx, id)
}

func (s *lookupCounter) lookups() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// TestNegativeCache: an ID just found missing is not looked up again for
// the cache TTL; at most maxMissing IDs are remembered; creating the
// channel through the desk forgets that it was missing.
func TestNegativeCache(t *testing.T) {
	clock := &stepClock{now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	st := &lookupCounter{Store: memstore.New()}
	noop := channel.MessengerFunc(func(context.Context, channel.Channel, channel.Envelope) (channel.Receipt, error) {
		return channel.Receipt{}, nil
	})
	d, err := New(Options{PublicURL: "https://desk.example.com/livedesk", Store: st, Clock: clock, Messenger: noop})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for range 100 {
		if _, err := d.channels.get(ctx, "nope"); err == nil {
			t.Fatal("an unknown channel was found")
		}
	}
	if got := st.lookups(); got != 1 {
		t.Fatalf("%d store lookups for one unknown ID asked 100 times, want 1", got)
	}
	clock.advance(30 * time.Second) // the default TTL
	_, _ = d.channels.get(ctx, "nope")
	if got := st.lookups(); got != 2 {
		t.Fatalf("%d store lookups after the TTL, want 2", got)
	}

	for i := range 5 * maxMissing {
		_, _ = d.channels.get(ctx, fmt.Sprintf("id-%d", i))
	}
	d.channels.mu.RLock()
	size := len(d.channels.miss)
	d.channels.mu.RUnlock()
	if size > maxMissing {
		t.Fatalf("%d unknown IDs remembered, cap %d", size, maxMissing)
	}

	ch := channel.Channel{ID: "nope", Name: "Support", Twilio: channel.Twilio{AccountSID: "AC" + strings.Repeat("a", 32),
		AuthToken: channel.Secret(strings.Repeat("0", 32)), PhoneNumber: "+14155238886"}}
	_, _ = d.channels.get(ctx, "nope")
	if _, err := d.CreateChannel(ctx, ch); err != nil {
		t.Fatal(err)
	}
	if _, err := d.channels.get(ctx, "nope"); err != nil {
		t.Fatalf("a channel created through the desk is still missing: %v", err)
	}
}

func TestSanitize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"ch-1", "ch-1"},
		{"a\x00b\nc\xffd", "a?b?c?d"},
		{"\xed\xa0\x80", "???"},
		{strings.Repeat("x", 100), strings.Repeat("x", 64) + "…(100 bytes)"},
		{strings.Repeat("é", 40), strings.Repeat("é", 32) + "…(80 bytes)"},
	} {
		got := sanitize(c.in)
		if got != c.want {
			t.Errorf("sanitize(%q) = %q, want %q", c.in, got, c.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("sanitize(%q) = %q is not UTF-8", c.in, got)
		}
	}
}

// TestRejectLog: a burst, then one line per rejectEvery, and the count of
// those left out at most once per rejectSummaryEvery.
func TestRejectLog(t *testing.T) {
	var l rejectLog
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	logged := 0
	for range 1000 {
		if ok, missed := l.allow(t0); ok {
			logged++
		} else if missed != 0 {
			t.Fatalf("summary of %d before rejectSummaryEvery", missed)
		}
	}
	if logged != rejectBurst {
		t.Fatalf("%d lines at once, want %d", logged, rejectBurst)
	}
	if ok, _ := l.allow(t0.Add(rejectEvery / 2)); ok {
		t.Fatal("a line before the bucket refilled")
	}
	if ok, missed := l.allow(t0.Add(rejectEvery)); !ok || missed != 1000-rejectBurst+1 {
		t.Fatalf("after rejectEvery: ok %v, missed %d, want true, %d", ok, missed, 1000-rejectBurst+1)
	}
	if n := l.flush(t0.Add(time.Hour)); n != 0 {
		t.Fatalf("flush reported %d already reported", n)
	}
	for range 100 {
		l.allow(t0.Add(rejectEvery))
	}
	if n := l.flush(t0.Add(rejectEvery + rejectSummaryEvery/2)); n != 0 {
		t.Fatalf("flush before rejectSummaryEvery: %d", n)
	}
	if n := l.flush(t0.Add(rejectEvery + rejectSummaryEvery)); n != 100 {
		t.Fatalf("flush: %d, want 100", n)
	}
}
