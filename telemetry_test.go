package livedesk_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/ldotel"
	"github.com/livedesk/livedesk/livedesktest"
)

type otelKit struct {
	spans  *tracetest.InMemoryExporter
	reader *sdkmetric.ManualReader
	tel    *ldotel.Telemetry
}

func newOtelKit(t *testing.T) *otelKit {
	k := &otelKit{spans: tracetest.NewInMemoryExporter(), reader: sdkmetric.NewManualReader()}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(k.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(k.reader))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) })
	var err error
	k.tel, err = ldotel.New(ldotel.Options{TracerProvider: tp, MeterProvider: mp})
	require.NoError(t, err)
	return k
}

func (k *otelKit) spansNamed(name string) []tracetest.SpanStub {
	var out []tracetest.SpanStub
	for _, s := range k.spans.GetSpans() {
		if s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

func attr(s tracetest.SpanStub, key string) attribute.Value {
	for _, kv := range s.Attributes {
		if string(kv.Key) == key {
			return kv.Value
		}
	}
	return attribute.Value{}
}

// metric returns the data of the named metric.
func (k *otelKit) metric(t *testing.T, name string) metricdata.Aggregation {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, k.reader.Collect(context.Background(), &rm))
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name == name {
				return m.Data
			}
		}
	}
	t.Fatalf("no metric %s", name)
	return nil
}

// sumWith is the value of a counter's point with all the given attributes.
func sumWith(t *testing.T, data metricdata.Aggregation, kv ...attribute.KeyValue) int64 {
	t.Helper()
	var total int64
	for _, p := range data.(metricdata.Sum[int64]).DataPoints {
		ok := true
		for _, want := range kv {
			if v, has := p.Attributes.Value(want.Key); !has || v != want.Value {
				ok = false
			}
		}
		if ok {
			total += p.Value
		}
	}
	return total
}

func gauge[N int64 | float64](t *testing.T, data metricdata.Aggregation) N {
	t.Helper()
	pts := data.(metricdata.Gauge[N]).DataPoints
	require.Len(t, pts, 1)
	return pts[0].Value
}

func histSum(t *testing.T, data metricdata.Aggregation) (count uint64, sum float64) {
	t.Helper()
	for _, p := range data.(metricdata.Histogram[float64]).DataPoints {
		count += p.Count
		sum += p.Sum
	}
	return count, sum
}

// TestTelemetry: with ldotel on OpenTelemetry's in-memory exporter and a
// manual reader, a conversation's life gives the spans (webhook, store
// call, processing, send, with Twilio's SIDs) and the metrics (inbound by
// channel and type, webhook latency, rejections by reason, sends by
// outcome and code, queue gauges and time to assignment, first response,
// CSAT ratings).
func TestTelemetry(t *testing.T) {
	k := newOtelKit(t)
	h, _ := newHarness(t, func(o *livedesk.Options) { o.Telemetry = k.tel })
	require.NoError(t, k.tel.ObserveHealth(h.Desk))
	ch := h.AddChannel(greeting, withCSAT())
	stop := h.Start()
	sid := "SM" + "0123456789abcdef0123456789abcdef"
	h.Post(ch, livedesktest.Message{SID: sid, From: "+14155550100", Body: "hello"})
	sent := h.WaitEvents(livedesk.EventMessageSent, 1)[0]
	stop() // Run has returned: every span it started has ended

	web := k.spansNamed(livedesk.SpanWebhook)
	require.Len(t, web, 1)
	require.Equal(t, trace.SpanKindServer, web[0].SpanKind)
	require.EqualValues(t, 200, attr(web[0], "http.response.status_code").AsInt64())
	require.Equal(t, "/twilio/{channel}", attr(web[0], "http.route").AsString())
	var record tracetest.SpanStub
	for _, s := range k.spansNamed(livedesk.SpanStore) {
		if attr(s, "db.operation.name").AsString() == "RecordInbound" {
			record = s
		}
	}
	require.Equal(t, sid, attr(record, "messaging.message.id").AsString())
	require.Equal(t, web[0].SpanContext.SpanID(), record.Parent.SpanID(), "the store call is the webhook's child")
	proc := k.spansNamed(livedesk.SpanProcess)
	require.Len(t, proc, 1)
	require.Equal(t, web[0].SpanContext.TraceID(), proc[0].SpanContext.TraceID())
	require.Equal(t, sid, attr(proc[0], "messaging.message.id").AsString())
	send := k.spansNamed(livedesk.SpanSend)
	require.Len(t, send, 1)
	require.Equal(t, trace.SpanKindClient, send[0].SpanKind)
	require.Equal(t, h.Twilio.Sent()[0].SID, attr(send[0], "messaging.message.id").AsString())
	require.Equal(t, sent.MessageID, attr(send[0], "livedesk.message.id").AsString())
	require.Equal(t, "sent", attr(send[0], "livedesk.send.outcome").AsString())

	require.EqualValues(t, 1, sumWith(t, k.metric(t, "livedesk.inbound.messages"),
		attribute.String("livedesk.channel.id", ch.ID), attribute.String("livedesk.message.type", "text")))
	require.EqualValues(t, 1, sumWith(t, k.metric(t, "livedesk.sends"),
		attribute.String("livedesk.send.outcome", "sent"), attribute.String("twilio.error_code", "none")))
	n, _ := histSum(t, k.metric(t, "http.server.request.duration"))
	require.EqualValues(t, 1, n)

	// No agent yet: the conversation waits; 30 s later an agent comes.
	h.Clock.Advance(30 * time.Second)
	require.EqualValues(t, 1, gauge[int64](t, k.metric(t, "livedesk.queue.length")))
	require.InDelta(t, 30, gauge[float64](t, k.metric(t, "livedesk.queue.oldest_wait")), 1e-9)
	require.EqualValues(t, 0, gauge[int64](t, k.metric(t, "livedesk.outbox.pending")))
	h.Start() // Run again, to drain the queue
	addAgents(t, h, ch, 1, 5)
	h.WaitEvents(livedesk.EventAssigned, 1)
	n, sum := histSum(t, k.metric(t, "livedesk.queue.time_to_assignment"))
	require.EqualValues(t, 1, n)
	require.InDelta(t, 30, sum, 1e-9)

	conv := convOf(t, h, ch, "+14155550100")
	_, err := h.Desk.Reply(t.Context(), conv.ID, "a0", "Here to help")
	require.NoError(t, err)
	h.WaitEvents(livedesk.EventMessageSent, 2)
	n, sum = histSum(t, k.metric(t, "http.server.request.duration"))
	require.EqualValues(t, 1, n, "a Reply is not a webhook")
	n, sum = histSum(t, k.metric(t, "livedesk.first_response.duration"))
	require.EqualValues(t, 1, n)
	require.InDelta(t, 30, sum, 1e-9, "opened at t, first reply sent 30 s later")

	// A forged request: 403, counted by reason.
	resp, _ := h.PostForm(ch, h.Desk.WebhookURL(ch.ID), livedesktest.Message{Body: "x"}.Form(ch), func(r *http.Request) {
		r.Header.Set("X-Twilio-Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
	})
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.EqualValues(t, 1, sumWith(t, k.metric(t, "livedesk.webhook.rejected"),
		attribute.String("livedesk.rejection.reason", livedesk.RejectSignature)))

	// CSAT: resolve, rate 4.
	_, err = h.Desk.Resolve(t.Context(), conv.ID)
	require.NoError(t, err)
	h.Post(ch, livedesktest.Message{From: "+14155550100", Body: "4"})
	h.WaitEvents(livedesk.EventSurveyAnswered, 1)
	require.EqualValues(t, 1, sumWith(t, k.metric(t, "livedesk.csat.ratings"), attribute.String("livedesk.csat.rating", "4")))
}

// TestTelemetryFailedSend: a failed send's span has the error status and
// Twilio's code; the sends counter has the code as a label.
func TestTelemetryFailedSend(t *testing.T) {
	k := newOtelKit(t)
	h, _ := newHarness(t, func(o *livedesk.Options) { o.Telemetry = k.tel })
	ch := h.AddChannel(greeting)
	h.Twilio.FailNext(400, 21211, "The 'To' number is not a valid phone number.")
	stop := h.Start()
	h.Post(ch, livedesktest.Message{Body: "hello"})
	h.WaitEvents(livedesk.EventMessageFailed, 1)
	stop() // Run has returned: the send's span has ended
	send := k.spansNamed(livedesk.SpanSend)
	require.Len(t, send, 1)
	require.Equal(t, "Error", send[0].Status.Code.String())
	require.EqualValues(t, 21211, attr(send[0], "twilio.error_code").AsInt64())
	require.EqualValues(t, 1, sumWith(t, k.metric(t, "livedesk.sends"),
		attribute.String("livedesk.send.outcome", "failed"), attribute.String("twilio.error_code", "21211")))
}

// TestTelemetryAITurn: an AI turn is a span, counted with its tokens
// (gen_ai.client.token.usage, input and output).
func TestTelemetryAITurn(t *testing.T) {
	k := newOtelKit(t)
	bot := livedesk.AIAgentFunc(func(context.Context, livedesk.AIRequest) (livedesk.AIResponse, error) {
		return livedesk.AIResponse{Text: "Hi, I am a bot", Usage: livedesk.AIUsage{PromptTokens: 120, CompletionTokens: 30, TotalTokens: 150}}, nil
	})
	h, _ := newHarness(t, withAI("gpt", bot), func(o *livedesk.Options) { o.Telemetry = k.tel })
	ch := h.AddChannel()
	require.NoError(t, h.Desk.AddAIAgent(t.Context(), ch.ID, "gpt", true))
	stop := h.Start()
	h.Post(ch, livedesktest.Message{Body: "hello"})
	h.WaitEvents(livedesk.EventAIReplied, 1)
	h.WaitEvents(livedesk.EventMessageSent, 1)
	stop() // Run has returned: the turn's span has ended (its event is emitted just before)
	turns := k.spansNamed(livedesk.SpanAITurn)
	require.Len(t, turns, 1)
	require.NotEmpty(t, attr(turns[0], "livedesk.conversation.id").AsString())
	require.EqualValues(t, 1, sumWith(t, k.metric(t, "livedesk.ai.turns"), attribute.String("livedesk.ai.outcome", "replied")))
	var in, out int64
	for _, p := range k.metric(t, "gen_ai.client.token.usage").(metricdata.Histogram[int64]).DataPoints {
		v, _ := p.Attributes.Value("gen_ai.token.type")
		switch v.AsString() {
		case "input":
			in += p.Sum
		case "output":
			out += p.Sum
		}
	}
	require.EqualValues(t, 120, in)
	require.EqualValues(t, 30, out)
}
