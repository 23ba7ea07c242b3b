// Package ldotel reports a livedesk.Desk's spans and metrics with
// OpenTelemetry. It is a separate package so that hosts that do not use
// OpenTelemetry neither compile nor link it: the desk only knows the
// livedesk.Telemetry interface.
//
//	tel, err := ldotel.New(ldotel.Options{TracerProvider: tp, MeterProvider: mp})
//	desk, err := livedesk.New(livedesk.Options{PublicURL: ..., Telemetry: tel})
//	err = tel.ObserveHealth(desk) // outbox and queue gauges, read from the store
//
// Spans: livedesk.webhook (SERVER; http.request.method, http.route,
// http.response.status_code), livedesk.process, livedesk.send (CLIENT;
// messaging.message.id is Twilio's message SID), livedesk.ai_turn and
// livedesk.store_call (db.operation.name) on the webhook and outbox paths.
// Identifiers are span attributes (livedesk.channel.id,
// livedesk.conversation.id, livedesk.message.id), never metric labels
// except the channel ID of a known channel.
//
// Metrics (names follow OpenTelemetry's semantic conventions where one
// exists: http.server.request.duration, gen_ai.client.token.usage):
//
//	livedesk.inbound.messages         counter    livedesk.channel.id, livedesk.message.type (Twilio's MessageType)
//	http.server.request.duration      histogram  s; http.request.method, http.route, http.response.status_code
//	livedesk.webhook.rejected         counter    livedesk.rejection.reason (a fixed set: livedesk.Reject*)
//	livedesk.sends                    counter    livedesk.send.outcome, twilio.error_code
//	livedesk.outbox.pending           gauge      (ObserveHealth)
//	livedesk.outbox.oldest_age        gauge      s (ObserveHealth)
//	livedesk.queue.length             gauge      (ObserveHealth)
//	livedesk.queue.oldest_wait        gauge      s (ObserveHealth)
//	livedesk.queue.time_to_assignment histogram  s
//	livedesk.first_response.duration  histogram  s
//	livedesk.ai.turns                 counter    livedesk.ai.outcome (replied, handed_off)
//	gen_ai.client.token.usage         histogram  {token}; gen_ai.token.type (input, output)
//	livedesk.csat.ratings             counter    livedesk.csat.rating
//
// Time to assignment and first-response time are measured from the events
// one process sees (queued then assigned; opened then the first agent or
// AI message sent), remembered for at most MaxTracked conversations: with
// several replicas, a conversation queued on one and assigned on another
// is not measured.
package ldotel

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/livedesk/livedesk"
)

// Options configure Telemetry.
type Options struct {
	// TracerProvider and MeterProvider are where spans and metrics go. Nil:
	// no spans, or no metrics.
	TracerProvider trace.TracerProvider
	MeterProvider  metric.MeterProvider
	// MaxTracked bounds the conversations remembered for time to
	// assignment and first response. Zero: 100,000.
	MaxTracked int
}

// ScopeName is the instrumentation scope of the spans and metrics.
const ScopeName = "github.com/livedesk/livedesk/ldotel"

// Telemetry implements livedesk.Telemetry with OpenTelemetry.
type Telemetry struct {
	tracer trace.Tracer
	meter  metric.Meter

	inbound        metric.Int64Counter
	webhookLatency metric.Float64Histogram
	rejected       metric.Int64Counter
	sends          metric.Int64Counter
	toAssign       metric.Float64Histogram
	firstResponse  metric.Float64Histogram
	aiTurns        metric.Int64Counter
	tokens         metric.Int64Histogram
	ratings        metric.Int64Counter

	mu         sync.Mutex
	maxTracked int
	queuedAt   map[string]time.Time // conversation -> when it was queued
	openedAt   map[string]time.Time // conversation -> when it opened, until its first response
}

var _ livedesk.Telemetry = (*Telemetry)(nil)

// New returns a Telemetry reporting to the providers in opts.
func New(opts Options) (*Telemetry, error) {
	t := &Telemetry{maxTracked: opts.MaxTracked, queuedAt: map[string]time.Time{}, openedAt: map[string]time.Time{}}
	if t.maxTracked <= 0 {
		t.maxTracked = 100_000
	}
	if opts.TracerProvider != nil {
		t.tracer = opts.TracerProvider.Tracer(ScopeName)
	}
	if opts.MeterProvider == nil {
		return t, nil
	}
	t.meter = opts.MeterProvider.Meter(ScopeName)
	m := t.meter
	var errs []error
	add := func(err error) { errs = append(errs, err) }
	var err error
	t.inbound, err = m.Int64Counter("livedesk.inbound.messages", metric.WithUnit("{message}"),
		metric.WithDescription("Inbound WhatsApp messages received (not duplicates)."))
	add(err)
	t.webhookLatency, err = m.Float64Histogram("http.server.request.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of webhook requests."),
		metric.WithExplicitBucketBoundaries(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10))
	add(err)
	t.rejected, err = m.Int64Counter("livedesk.webhook.rejected", metric.WithUnit("{request}"),
		metric.WithDescription("Webhook requests refused, by reason."))
	add(err)
	t.sends, err = m.Int64Counter("livedesk.sends", metric.WithUnit("{attempt}"),
		metric.WithDescription("Send attempts of outbound messages, by outcome and Twilio error code."))
	add(err)
	t.toAssign, err = m.Float64Histogram("livedesk.queue.time_to_assignment", metric.WithUnit("s"),
		metric.WithDescription("Time a conversation waited in the queue before an agent got it."))
	add(err)
	t.firstResponse, err = m.Float64Histogram("livedesk.first_response.duration", metric.WithUnit("s"),
		metric.WithDescription("Time from a conversation's opening to the first agent or AI message sent."))
	add(err)
	t.aiTurns, err = m.Int64Counter("livedesk.ai.turns", metric.WithUnit("{turn}"),
		metric.WithDescription("AI agent turns, by outcome."))
	add(err)
	t.tokens, err = m.Int64Histogram("gen_ai.client.token.usage", metric.WithUnit("{token}"),
		metric.WithDescription("Tokens used by AI agent turns."))
	add(err)
	t.ratings, err = m.Int64Counter("livedesk.csat.ratings", metric.WithUnit("{rating}"),
		metric.WithDescription("CSAT ratings received, by rating."))
	add(err)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return t, nil
}

// HealthSource is what ObserveHealth reads: a *livedesk.Desk.
type HealthSource interface {
	Health(ctx context.Context) (livedesk.Health, error)
}

// ObserveHealth registers the outbox and queue gauges, read from the store
// through d.Health at each collection (so they are the same on every
// replica: report them from one). It needs a MeterProvider.
func (t *Telemetry) ObserveHealth(d HealthSource) error {
	if t.meter == nil {
		return errors.New("ldotel: ObserveHealth needs Options.MeterProvider")
	}
	m := t.meter
	pending, err1 := m.Int64ObservableGauge("livedesk.outbox.pending", metric.WithUnit("{message}"),
		metric.WithDescription("Outbound messages not sent yet."))
	oldest, err2 := m.Float64ObservableGauge("livedesk.outbox.oldest_age", metric.WithUnit("s"),
		metric.WithDescription("Age of the oldest outbound message not sent yet."))
	queue, err3 := m.Int64ObservableGauge("livedesk.queue.length", metric.WithUnit("{conversation}"),
		metric.WithDescription("Conversations waiting for an agent."))
	wait, err4 := m.Float64ObservableGauge("livedesk.queue.oldest_wait", metric.WithUnit("s"),
		metric.WithDescription("Wait of the conversation queued longest."))
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return err
	}
	_, err := m.RegisterCallback(func(ctx context.Context, o metric.Observer) error {
		h, err := d.Health(ctx)
		if err != nil {
			return err
		}
		o.ObserveInt64(pending, int64(h.PendingOutbound))
		o.ObserveFloat64(oldest, h.OldestPendingAge.Seconds())
		o.ObserveInt64(queue, int64(h.QueuedConversations))
		o.ObserveFloat64(wait, h.OldestQueuedWait.Seconds())
		return nil
	}, pending, oldest, queue, wait)
	return err
}

// Start implements livedesk.Telemetry.
func (t *Telemetry) Start(ctx context.Context, name string, a livedesk.SpanAttrs) (context.Context, livedesk.SpanEnd) {
	s := &span{t: t, name: name, start: time.Now()}
	if t.tracer != nil {
		kind := trace.SpanKindInternal
		switch name {
		case livedesk.SpanWebhook:
			kind = trace.SpanKindServer
		case livedesk.SpanSend:
			kind = trace.SpanKindClient
		}
		// The attributes are set once, at End, when all are known (the
		// desk passes End a superset of what it knew at Start).
		ctx, s.span = t.tracer.Start(ctx, name, trace.WithSpanKind(kind))
	}
	return ctx, s
}

type span struct {
	t     *Telemetry
	name  string
	start time.Time
	span  trace.Span
}

// End implements livedesk.SpanEnd.
func (s *span) End(a livedesk.SpanAttrs, err error) {
	t := s.t
	if t.meter != nil {
		ctx := context.Background()
		switch s.name {
		case livedesk.SpanWebhook:
			t.webhookLatency.Record(ctx, time.Since(s.start).Seconds(), metric.WithAttributes(
				attribute.String("http.request.method", "POST"), attribute.String("http.route", a.Route),
				attribute.Int("http.response.status_code", a.Status)))
			if a.Rejection != "" {
				t.rejected.Add(ctx, 1, metric.WithAttributes(attribute.String("livedesk.rejection.reason", a.Rejection)))
			}
		case livedesk.SpanSend:
			t.sends.Add(ctx, 1, metric.WithAttributes(attribute.String("livedesk.send.outcome", a.Outcome),
				attribute.String("twilio.error_code", codeLabel(a.ErrorCode))))
		}
	}
	if s.span == nil {
		return
	}
	s.span.SetAttributes(spanAttrs(s.name, a)...)
	if err != nil {
		s.span.RecordError(err)
		s.span.SetStatus(codes.Error, err.Error())
	}
	s.span.End()
}

func codeLabel(code int) string {
	if code == 0 {
		return "none"
	}
	return strconv.Itoa(code)
}

// spanAttrs are a span's attributes: OpenTelemetry's semantic conventions
// where they apply, livedesk.* otherwise.
func spanAttrs(name string, a livedesk.SpanAttrs) []attribute.KeyValue {
	kv := make([]attribute.KeyValue, 0, 8)
	str := func(k, v string) {
		if v != "" {
			kv = append(kv, attribute.String(k, v))
		}
	}
	str("livedesk.channel.id", a.ChannelID)
	str("livedesk.conversation.id", a.ConversationID)
	str("livedesk.message.id", a.MessageID)
	str("messaging.message.id", a.MessageSID)
	str("livedesk.message.kind", a.Kind)
	switch name {
	case livedesk.SpanWebhook:
		kv = append(kv, attribute.String("http.request.method", "POST"))
		str("http.route", a.Route)
		if a.Status != 0 {
			kv = append(kv, attribute.Int("http.response.status_code", a.Status))
		}
		str("livedesk.rejection.reason", a.Rejection)
	case livedesk.SpanSend:
		kv = append(kv, attribute.String("messaging.system", "twilio"), attribute.String("messaging.operation.type", "send"))
		str("livedesk.send.outcome", a.Outcome)
		if a.ErrorCode != 0 {
			kv = append(kv, attribute.Int("twilio.error_code", a.ErrorCode))
		}
	case livedesk.SpanStore:
		str("db.operation.name", a.StoreOp)
	}
	return kv
}
