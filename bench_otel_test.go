package livedesk_test

import (
	"context"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/ldotel"
	"github.com/livedesk/livedesk/livedesktest"
)

// BenchmarkInboundExistingConversationOTel is
// BenchmarkInboundExistingConversation with ldotel on OpenTelemetry's SDK:
// every span recorded (always sampled) into the in-memory exporter, and
// metrics into a manual reader. The difference is telemetry's cost, plus
// the exporter keeping every span in memory (a growing heap for the GC).
func BenchmarkInboundExistingConversationOTel(b *testing.B) {
	benchOTel(b, tracetest.NewInMemoryExporter())
}

// BenchmarkInboundExistingConversationOTelDiscard is the same with an
// exporter that drops the spans it is given: the SDK's and ldotel's cost
// without the in-memory exporter's growing heap.
func BenchmarkInboundExistingConversationOTelDiscard(b *testing.B) {
	benchOTel(b, discardExporter{})
}

type discardExporter struct{}

func (discardExporter) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discardExporter) Shutdown(context.Context) error                             { return nil }

func benchOTel(b *testing.B, spans sdktrace.SpanExporter) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	defer func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) }()
	tel, err := ldotel.New(ldotel.Options{TracerProvider: tp, MeterProvider: mp})
	if err != nil {
		b.Fatal(err)
	}
	h := livedesktest.New(b)
	d, err := livedesk.New(livedesk.Options{PublicURL: livedesktest.PublicURL, Store: h.Store, Clock: h.Clock,
		SkipTwilioChecks: true, Telemetry: tel})
	if err != nil {
		b.Fatal(err)
	}
	h.Desk = d
	ch := h.AddChannel(greeting)
	h.Post(ch, livedesktest.Message{Body: "first"})
	benchInbound(b, ch, h.Desk, func(int) livedesktest.Message {
		return livedesktest.Message{Body: "Hello, I need help with order #123", ProfileName: "Ana"}
	})
	b.StopTimer()
	if mem, ok := spans.(*tracetest.InMemoryExporter); ok && len(mem.GetSpans()) == 0 {
		b.Fatal("no spans recorded")
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil || len(rm.ScopeMetrics) == 0 {
		b.Fatalf("no metrics collected: %v", err)
	}
}
