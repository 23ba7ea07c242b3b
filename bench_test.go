package livedesk_test

import (
	"context"
	"fmt"
	"github.com/livedesk/livedesk/store"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/routing"
)

// discardWriter is a reusable ResponseWriter, so the benchmarks measure the
// handler rather than httptest.ResponseRecorder.
type discardWriter struct {
	h    http.Header
	code int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }

// benchInbound serves b.N signed requests; msg(i) describes the i-th
// message. Requests are built outside the timer in batches, so the heap does
// not hold b.N of them at once.
func benchInbound(b *testing.B, ch channel.Channel, d *livedesk.Desk, msg func(i int) livedesktest.Message) {
	const batch = 512
	reqs := make([]*http.Request, batch)
	h := d.Handler()
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%batch == 0 {
			b.StopTimer()
			for j := range reqs {
				reqs[j] = livedesktest.NewRequest(ch, d.WebhookURL(ch.ID), "", msg(i+j).Form(ch))
			}
			runtime.GC() // collect the setup's garbage now, not in the timed part
			b.StartTimer()
		}
		w.code = 0
		clear(w.h)
		h.ServeHTTP(w, reqs[i%batch])
		if w.code != http.StatusOK {
			b.Fatalf("status %d", w.code)
		}
	}
}

// benchDesk is a harness desk without the harness's event recorder, which
// would otherwise be measured too.
func benchDesk(b *testing.B, mods ...func(*channel.Channel)) (*livedesktest.Harness, channel.Channel) {
	h := livedesktest.New(b)
	d, err := livedesk.New(livedesk.Options{PublicURL: livedesktest.PublicURL, Store: h.Store, Clock: h.Clock, SkipTwilioChecks: true})
	if err != nil {
		b.Fatal(err)
	}
	h.Desk = d
	return h, h.AddChannel(mods...)
}

// BenchmarkInboundExistingConversation: a customer writes again in their
// open conversation.
func BenchmarkInboundExistingConversation(b *testing.B) {
	h, ch := benchDesk(b, greeting)
	h.Post(ch, livedesktest.Message{Body: "first"})
	benchInbound(b, ch, h.Desk, func(int) livedesktest.Message {
		return livedesktest.Message{Body: "Hello, I need help with order #123", ProfileName: "Ana"}
	})
}

// BenchmarkInboundNewConversation: a new customer opens a conversation and
// the greeting is queued.
func BenchmarkInboundNewConversation(b *testing.B) {
	h, ch := benchDesk(b, greeting)
	benchInbound(b, ch, h.Desk, func(i int) livedesktest.Message {
		return livedesktest.Message{Body: "Hello, I need help with order #123", ProfileName: "Ana", From: fmt.Sprintf("+1415%07d", i)}
	})
}

// BenchmarkInboundDuplicate: Twilio delivers a MessageSid again.
func BenchmarkInboundDuplicate(b *testing.B) {
	h, ch := benchDesk(b, greeting)
	m := livedesktest.Message{SID: livedesktest.NewSID(), Body: "Hello, I need help with order #123", ProfileName: "Ana"}
	h.Post(ch, m)
	benchInbound(b, ch, h.Desk, func(int) livedesktest.Message { return m })
}

// BenchmarkInboundRejected: a forged request is refused with 403.
func BenchmarkInboundRejected(b *testing.B) {
	h, ch := benchDesk(b)
	req := livedesktest.NewRequest(ch, h.WebhookURL(ch.ID), "", livedesktest.Message{Body: "x"}.Form(ch))
	body := strings.NewReader("")
	raw := readAll(req)
	handler := h.Handler()
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		body.Reset(raw + "&Forged=1")
		req.Body = nopCloser{body}
		req.ContentLength = -1
		handler.ServeHTTP(w, req)
		if w.code != http.StatusForbidden {
			b.Fatalf("status %d", w.code)
		}
	}
}

// BenchmarkStatusCallback: a delivery status callback through the handler
// (signed, verified, applied to the store).
func BenchmarkStatusCallback(b *testing.B) {
	h, ch := benchDesk(b)
	conv := func() string {
		h.Post(ch, livedesktest.Message{Body: "hi"})
		return h.RequireConversations(ch.ID, 1)[0].ID
	}()
	msg, err := h.Send(b.Context(), conv, livedesk.Outgoing{AgentID: "a", Text: "hello"})
	if err != nil {
		b.Fatal(err)
	}
	sid := "SM0123456789abcdef0123456789abcdef"
	if _, _, err := h.Store.ApplyStatus(b.Context(), store.StatusUpdate{ChannelID: ch.ID, MessageID: msg.ID, SID: sid, Status: store.DeliveryQueued}); err != nil {
		b.Fatal(err)
	}
	sent := livedesktest.SentMessage{SID: sid, AccountSID: ch.Twilio.AccountSID, From: "whatsapp:+14155238886",
		To: "whatsapp:+14155550100", StatusCallback: h.StatusCallbackURL(ch.ID) + "?o=" + msg.ID}
	req := h.Twilio.StatusCallback(sent, "delivered", 0, ch.Twilio.AuthToken)
	raw := readAll(req)
	body := strings.NewReader(raw)
	handler := h.Handler()
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		body.Reset(raw)
		req.Body = nopCloser{body}
		handler.ServeHTTP(w, req)
		if w.code != http.StatusOK {
			b.Fatalf("status %d", w.code)
		}
	}
}

// BenchmarkOutbox: claim, send through a no-op Messenger and record, on
// memstore, as Run does; reports messages per second.
func BenchmarkOutbox(b *testing.B) {
	noop := channel.MessengerFunc(func(context.Context, channel.Channel, channel.Envelope) (channel.Receipt, error) {
		return channel.Receipt{SID: "SM0123456789abcdef0123456789abcdef", Status: "queued"}, nil
	})
	h := livedesktest.New(b, func(o *livedesk.Options) { o.Messenger = noop })
	ch := h.AddChannel()
	h.Post(ch, livedesktest.Message{Body: "hi"})
	conv := h.RequireConversations(ch.ID, 1)[0].ID
	sent := make(chan struct{}, 1024)
	d, err := livedesk.New(livedesk.Options{PublicURL: livedesktest.PublicURL, Store: h.Store, Clock: h.Clock, Messenger: noop,
		OnEvent: func(_ context.Context, e livedesk.Event) {
			if e.Type == livedesk.EventMessageSent {
				sent <- struct{}{}
			}
		}})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(b.Context())
	done := make(chan struct{})
	go func() { _ = d.Run(ctx); close(done) }()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := d.Send(ctx, conv, livedesk.Outgoing{AgentID: "a", Text: "hello", Key: fmt.Sprint("bench-", i)}); err != nil {
			b.Fatal(err)
		}
		<-sent
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	cancel()
	<-done
}

// BenchmarkInboundWithAssignment: a new customer's conversation is routed
// (5 rules that do not match) and assigned by least load among 10 agents.
func BenchmarkInboundWithAssignment(b *testing.B) {
	h, ch := benchDesk(b, greeting, rules(
		routing.Rule{Name: "r1", When: routing.Condition{TextContainsAny: []string{"refund"}}, Then: routing.Target{Team: "billing"}},
		routing.Rule{Name: "r2", When: routing.Condition{TextStartsWith: []string{"urgent"}}, Then: routing.Target{Team: "vip"}},
		routing.Rule{Name: "r3", When: routing.Condition{PhonePrefix: []string{"+33"}}, Then: routing.Target{Team: "fr"}},
		routing.Rule{Name: "r4", When: routing.Condition{MessageType: []string{"image"}}, Then: routing.Target{Team: "media"}},
		routing.Rule{Name: "r5", When: routing.Condition{TextMatches: `(?i)invoice\s+\d+`}, Then: routing.Target{Team: "billing"}},
	))
	addAgents(b, h, ch, 10, 0)
	benchInbound(b, ch, h.Desk, func(i int) livedesktest.Message {
		return livedesktest.Message{Body: "Hello, I need help with order #123", ProfileName: "Ana", From: fmt.Sprintf("+1415%07d", i)}
	})
}
