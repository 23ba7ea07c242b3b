package livedesktest

import (
	"context"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// DefaultWaitTimeout is how long WaitEvents waits for the desk's
// background work before failing the test, unless the WaitTimeout option
// says otherwise. It is a failure deadline in real time, not a way to let
// the desk's time pass: that is the fake Clock.
const DefaultWaitTimeout = 10 * time.Second

// Options are a harness's own settings, for NewWithOptions; the zero value
// is what New uses.
type Options struct {
	// Start is where the harness's Clock starts; zero means DefaultTime().
	Start time.Time
	// WaitTimeout is how long WaitEvents waits, in real time, before
	// failing the test; zero means DefaultWaitTimeout.
	WaitTimeout time.Duration
	// Configure, if set, changes the desk's options before the desk is
	// created (a different store, a Messenger...); PublicURL must stay
	// PublicURL.
	Configure []func(*livedesk.Options)
}

func (o *Options) defaults() {
	if o.Start.IsZero() {
		o.Start = DefaultTime()
	}
	if o.WaitTimeout <= 0 {
		o.WaitTimeout = DefaultWaitTimeout
	}
}

// MustAddAgent creates the agent and adds it to ch, and returns it as
// stored; the test fails if either step fails. Name defaults to the ID and
// Status to online (CreateAgent's default is offline, which a routing test
// rarely wants).
func (h *Harness) MustAddAgent(ch channel.Channel, a store.Agent) store.Agent {
	h.TB.Helper()
	if a.Name == "" {
		a.Name = a.ID
	}
	if a.Status == "" {
		a.Status = store.AgentOnline
	}
	got, err := h.Desk.CreateAgent(context.Background(), a)
	if err != nil {
		h.TB.Fatalf("livedesktest: %v", err)
	}
	if err := h.Desk.AddAgent(context.Background(), ch.ID, a.ID); err != nil {
		h.TB.Fatalf("livedesktest: %v", err)
	}
	return got
}
