package livedesktest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/memstore"
)

// PublicURL is the public URL of every harness desk. Requests are sent to a
// loopback httptest server but signed over this URL, as Twilio signs the
// URL it was configured with.
const PublicURL = "https://desk.example.com/livedesk"

// Harness is a desk on an in-memory store with a fake clock, served over
// real HTTP on loopback, plus helpers to post signed webhooks and read what
// the desk did. Call the desk's own API through the Desk field
// (h.Desk.Reply, h.Desk.Conversations...); the harness's helpers have
// names of their own, and those that can fail fail the test.
type Harness struct {
	// Desk is the desk under test.
	Desk *livedesk.Desk
	// TB is the test the harness reports failures to.
	TB testing.TB
	// Store is the in-memory store the desk uses unless configure replaced
	// it; read through the Desk's methods to see the store in use.
	Store *memstore.Store
	// Clock is the desk's fake clock; it starts at Options.Start
	// (DefaultTime() by default).
	Clock *Clock
	// Server serves the desk's Handler under /livedesk/ on loopback.
	Server *httptest.Server
	// Twilio is the fake Twilio REST API the desk sends through (unless
	// configure set another Messenger). AddChannel registers the channel's
	// credentials with it.
	Twilio *TwilioAPI

	waitTimeout time.Duration

	mu      sync.Mutex
	changed *sync.Cond // broadcast on every event
	events  []livedesk.Event
	tokens  map[string]channel.Secret // account SID -> auth token, for status callbacks
}

// New starts a harness with the default Options; everything is released
// when the test ends. configure may change the desk's options (a different
// store, a Messenger, a Logger: the harness discards the desk's logs by
// default) before the desk is created; PublicURL must stay PublicURL.
func New(tb testing.TB, configure ...func(*livedesk.Options)) *Harness {
	tb.Helper()
	return NewWithOptions(tb, Options{Configure: configure})
}

// NewWithOptions starts a harness with the given options (a clock that
// starts at another time, a longer WaitTimeout...).
func NewWithOptions(tb testing.TB, o Options) *Harness {
	tb.Helper()
	o.defaults()
	h := &Harness{TB: tb, Store: memstore.New(), Clock: NewClock(o.Start), Twilio: NewTwilioAPI(tb), waitTimeout: o.WaitTimeout, tokens: map[string]channel.Secret{}}
	h.changed = sync.NewCond(&h.mu)
	h.Twilio.SetClock(h.Clock.Now)
	// The desk's logs are discarded unless configure sets a Logger (a
	// desk's default, slog.Default(), would interleave every test's
	// failures-on-purpose with go test's output).
	opts := livedesk.Options{PublicURL: PublicURL, Store: h.Store, Clock: h.Clock, Messenger: h.Twilio.Messenger(),
		Logger: slog.New(slog.DiscardHandler)}
	for _, f := range o.Configure {
		f(&opts)
	}
	user := opts.OnEvent
	opts.OnEvent = func(ctx context.Context, e livedesk.Event) {
		h.mu.Lock()
		h.events = append(h.events, e)
		h.changed.Broadcast()
		h.mu.Unlock()
		if user != nil {
			user(ctx, e)
		}
	}
	d, err := livedesk.New(opts)
	if err != nil {
		tb.Fatalf("livedesktest: %v", err)
	}
	h.Desk = d
	h.Register(TestChannel()) // so CreateChannel(TestChannel()) passes the credential check
	mux := http.NewServeMux()
	mux.Handle("/livedesk/", d.Handler())
	h.Server = httptest.NewServer(mux)
	tb.Cleanup(h.Server.Close)
	return h
}

// TestChannel returns a valid classic channel configuration with fixed
// test credentials (AccountSID AC + 32 'a', PhoneNumber +14155238886),
// without an ID. mods change it before it is returned.
func TestChannel(mods ...func(*channel.Channel)) channel.Channel {
	ch := channel.Channel{
		Name: "Support",
		Twilio: channel.Twilio{
			AccountSID:  "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
			AuthToken:   "0123456789abcdef0123456789abcdef",
			PhoneNumber: "+14155238886",
		},
	}
	for _, f := range mods {
		f(&ch)
	}
	return ch
}

// AddChannel registers TestChannel(mods...) with the fake Twilio API and
// creates it on the desk.
func (h *Harness) AddChannel(mods ...func(*channel.Channel)) channel.Channel {
	h.TB.Helper()
	want := TestChannel(mods...)
	h.Register(want)
	ch, err := h.Desk.CreateChannel(context.Background(), want)
	if err != nil {
		h.TB.Fatalf("livedesktest: create channel: %v", err)
	}
	return ch
}

// Register makes the fake Twilio API know ch as Twilio would: it accepts
// its credentials, and has its WhatsApp sender (unless it is the sandbox)
// or its Messaging Service. AddChannel does it; call it before creating a
// channel otherwise, or CreateChannel's credential check refuses it.
func (h *Harness) Register(ch channel.Channel) {
	h.Twilio.Register(ch)
	h.mu.Lock()
	h.tokens[ch.Twilio.AccountSID] = ch.Twilio.AuthToken
	h.mu.Unlock()
}

// Start runs the desk's Run in the background until the test ends (or the
// returned stop is called, which waits for Run to return).
func (h *Harness) Start() (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Desk.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				h.TB.Errorf("livedesktest: Run: %v", err)
			}
		})
	}
	h.TB.Cleanup(stop)
	return stop
}

// StatusCallback posts Twilio's signed status callback for a message the
// fake API accepted to the desk, and returns the response.
func (h *Harness) StatusCallback(m SentMessage, status string, errorCode int) (*http.Response, string) {
	h.TB.Helper()
	h.mu.Lock()
	token := h.tokens[m.AccountSID]
	h.mu.Unlock()
	req := h.Twilio.StatusCallback(m, status, errorCode, token)
	req.URL.Scheme, req.URL.Host = "http", h.Server.Listener.Addr().String()
	req.Host = ""
	return h.Do(req)
}

// Post sends m to ch's inbound webhook over HTTP, signed like Twilio signs,
// and returns the response with its body read into the returned string.
func (h *Harness) Post(ch channel.Channel, m Message) (*http.Response, string) {
	h.TB.Helper()
	return h.PostForm(ch, h.Desk.WebhookURL(ch.ID), m.Form(ch))
}

// PostForm sends form to signedURL's path on the harness server, signed
// over signedURL with ch's token. tamper may change the request after
// signing (to forge or break it).
func (h *Harness) PostForm(ch channel.Channel, signedURL string, form url.Values, tamper ...func(*http.Request)) (*http.Response, string) {
	h.TB.Helper()
	req := NewRequest(ch, signedURL, h.target(signedURL), form)
	for _, f := range tamper {
		f(req)
	}
	return h.Do(req)
}

// Do sends req and reads the response body.
func (h *Harness) Do(req *http.Request) (*http.Response, string) {
	h.TB.Helper()
	resp, err := h.Server.Client().Do(req)
	if err != nil {
		h.TB.Fatalf("livedesktest: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		h.TB.Fatalf("livedesktest: reading response: %v", err)
	}
	return resp, string(body)
}

// target maps a public URL to the same path and query on the test server.
func (h *Harness) target(publicURL string) string {
	u, err := url.Parse(publicURL)
	if err != nil {
		h.TB.Fatalf("livedesktest: %v", err)
	}
	return h.Server.URL + u.RequestURI()
}

// Events returns the events the desk emitted so far.
func (h *Harness) Events() []livedesk.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]livedesk.Event(nil), h.events...)
}

// WaitTimeout returns how long WaitEvents waits before failing the test
// (Options.WaitTimeout; DefaultWaitTimeout by default).
func (h *Harness) WaitTimeout() time.Duration { return h.waitTimeout }

// WaitEvents blocks until the desk has emitted at least n events of type t
// (counting from the start of the test) and returns them; the test fails
// after h.WaitTimeout() of real time.
func (h *Harness) WaitEvents(t livedesk.EventType, n int) []livedesk.Event {
	h.TB.Helper()
	timer := time.AfterFunc(h.waitTimeout, func() {
		h.mu.Lock()
		h.changed.Broadcast()
		h.mu.Unlock()
	})
	defer timer.Stop()
	deadline := time.Now().Add(h.waitTimeout)
	h.mu.Lock()
	defer h.mu.Unlock()
	for {
		var got []livedesk.Event
		for _, e := range h.events {
			if e.Type == t {
				got = append(got, e)
			}
		}
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			h.TB.Fatalf("livedesktest: %d %q events after %v, want %d", len(got), t, h.waitTimeout, n)
		}
		h.changed.Wait()
	}
}

// CountEvents returns how many events of type t the desk has emitted.
func (h *Harness) CountEvents(t livedesk.EventType) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, e := range h.events {
		if e.Type == t {
			n++
		}
	}
	return n
}

// MustConversations returns every conversation of a channel, oldest first;
// the test fails if the desk returns an error.
func (h *Harness) MustConversations(ch channel.Channel) []store.Conversation {
	h.TB.Helper()
	cs, err := h.Desk.Conversations(context.Background(), store.ConversationFilter{ChannelID: ch.ID})
	if err != nil {
		h.TB.Fatalf("livedesktest: %v", err)
	}
	return cs
}

// MustMessages returns a conversation's messages, oldest first; the test
// fails if the desk returns an error.
func (h *Harness) MustMessages(conversationID string) []store.Message {
	h.TB.Helper()
	ms, err := h.Desk.Messages(context.Background(), conversationID)
	if err != nil {
		h.TB.Fatalf("livedesktest: %v", err)
	}
	return ms
}

// Outbound returns a conversation's outbound messages of the given kind
// (all kinds when kind is empty), oldest first.
func (h *Harness) Outbound(conversationID string, kind store.Kind) []store.Message {
	h.TB.Helper()
	var out []store.Message
	for _, m := range h.MustMessages(conversationID) {
		if m.Direction == store.Outbound && (kind == "" || m.Kind == kind) {
			out = append(out, m)
		}
	}
	return out
}
