package livedesktest_test

import (
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

func TestClock(t *testing.T) {
	c := livedesktest.NewClock(livedesktest.DefaultTime())
	if got := c.Now(); !got.Equal(livedesktest.DefaultTime()) {
		t.Fatalf("Now = %v", got)
	}
	early, late := c.After(time.Minute), c.After(time.Hour)
	if c.Timers() != 2 {
		t.Fatalf("Timers = %d, want 2", c.Timers())
	}
	c.Advance(59 * time.Second)
	select {
	case <-early:
		t.Fatal("fired before its deadline")
	default:
	}
	c.Advance(time.Second)
	select {
	case got := <-early:
		if !got.Equal(livedesktest.DefaultTime().Add(time.Minute)) {
			t.Fatalf("fired with %v", got)
		}
	default:
		t.Fatal("did not fire at its deadline")
	}
	c.Set(livedesktest.DefaultTime().Add(2 * time.Hour))
	select {
	case <-late:
	default:
		t.Fatal("Set past the deadline did not fire")
	}
	select {
	case <-c.After(0):
	default:
		t.Fatal("After(0) must fire at once")
	}
	done := make(chan struct{})
	go func() {
		c.BlockUntil(1)
		close(done)
	}()
	c.After(time.Second)
	<-done
}

func TestMessageForm(t *testing.T) {
	ch := livedesktest.TestChannel()
	f := livedesktest.Message{From: "+14155550123", Body: "hi", ProfileName: "Bo",
		Media: []channel.Media{{URL: "https://x/ME1", ContentType: "image/png"}}}.Form(ch)
	for k, want := range map[string]string{
		"From": "whatsapp:+14155550123", "To": "whatsapp:+14155238886", "WaId": "14155550123",
		"AccountSid": ch.Twilio.AccountSID, "Body": "hi", "ProfileName": "Bo", "NumMedia": "1",
		"MediaUrl0": "https://x/ME1", "MediaContentType0": "image/png", "MessageType": "image",
	} {
		if got := f.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	a, b := (livedesktest.Message{}).Form(ch).Get("MessageSid"), (livedesktest.Message{}).Form(ch).Get("MessageSid")
	if a == b || len(a) != 34 {
		t.Errorf("SIDs must be unique and well-formed: %q %q", a, b)
	}
	svc := livedesktest.TestChannel(func(c *channel.Channel) {
		c.Twilio.PhoneNumber = ""
		c.Twilio.MessagingServiceSID = "MGdddddddddddddddddddddddddddddddd"
	})
	if got := (livedesktest.Message{}).Form(svc).Get("MessagingServiceSid"); got != svc.Twilio.MessagingServiceSID {
		t.Errorf("MessagingServiceSid = %q", got)
	}
}

// TestSign checks the builder signs with Twilio's real algorithm: Twilio's
// published test vector.
func TestSign(t *testing.T) {
	form := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"},
		"From": {"+12349013030"}, "To": {"+18005551212"}}
	if got := livedesktest.Sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form); got != "0/KCTR6DLpKmkAf8muzZqo1nDgQ=" {
		t.Fatalf("Sign = %q", got)
	}
	req := livedesktest.NewRequest(livedesktest.TestChannel(), "https://desk.example.com/x", "http://127.0.0.1:1/x", form)
	if req.URL.Host != "127.0.0.1:1" || req.Header.Get("X-Twilio-Signature") != livedesktest.Sign("0123456789abcdef0123456789abcdef", "https://desk.example.com/x", form) {
		t.Fatalf("request %v %v", req.URL, req.Header)
	}
}

func TestHarness(t *testing.T) {
	h := livedesktest.New(t)
	ch := h.AddChannel(func(c *channel.Channel) {
		c.Settings.Greeting = channel.Greeting{Enabled: true, Text: "Hi!"}
	})
	resp, body := h.Post(ch, livedesktest.Message{Body: "hello"})
	livedesktest.RequireStatus(t, resp, body, 200)
	conv := h.RequireConversations(ch.ID, 1)[0]
	if g := h.RequireQueued(conv.ID, store.KindGreeting, 1)[0]; g.Text != "Hi!" {
		t.Fatalf("greeting %q", g.Text)
	}
	if len(h.MustMessages(conv.ID)) != 2 || len(h.Events()) == 0 {
		t.Fatalf("messages %d, events %d", len(h.MustMessages(conv.ID)), len(h.Events()))
	}
	if !h.Clock.Now().Equal(livedesktest.DefaultTime()) {
		t.Fatal("the harness clock starts at DefaultTime")
	}
}

// fatalTB records a Fatalf and stops the goroutine, as testing.T does.
type fatalTB struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.msg = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

func TestHarnessOptions(t *testing.T) {
	start := time.Date(2026, time.July, 4, 23, 30, 0, 0, time.UTC)
	tb := &fatalTB{TB: t}
	h := livedesktest.NewWithOptions(tb, livedesktest.Options{Start: start, WaitTimeout: time.Millisecond})
	if !h.Clock.Now().Equal(start) {
		t.Fatalf("clock starts at %v, want %v", h.Clock.Now(), start)
	}
	if h.WaitTimeout() != time.Millisecond {
		t.Fatalf("WaitTimeout %v", h.WaitTimeout())
	}
	if d := livedesktest.New(t).WaitTimeout(); d != livedesktest.DefaultWaitTimeout {
		t.Fatalf("default WaitTimeout %v", d)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.WaitEvents(livedesk.EventMessageSent, 1) // nothing sends: fails after 1ms
	}()
	<-done
	if !strings.Contains(tb.msg, "0 \"message.sent\" events after 1ms, want 1") {
		t.Fatalf("WaitEvents failed with %q", tb.msg)
	}
}

func TestMustAddAgent(t *testing.T) {
	h := livedesktest.New(t)
	ch := h.AddChannel()
	a := h.MustAddAgent(ch, store.Agent{ID: "bea", Capacity: 2})
	if a.Name != "bea" || a.Status != store.AgentOnline || a.Capacity != 2 {
		t.Fatalf("agent %+v", a)
	}
	got, err := h.Desk.Channel(t.Context(), ch.ID)
	if members := got.Settings.Assignment.Agents; err != nil || len(members) != 1 || members[0] != "bea" {
		t.Fatalf("members %v, %v", members, err)
	}

	tb := &fatalTB{TB: t}
	h2 := livedesktest.New(tb)
	done := make(chan struct{})
	go func() {
		defer close(done)
		h2.MustAddAgent(ch, store.Agent{ID: "not an id"})
	}()
	<-done
	if !strings.Contains(tb.msg, "bad agent") {
		t.Fatalf("MustAddAgent failed with %q", tb.msg)
	}
}
