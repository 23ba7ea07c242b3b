package livedesk

import (
	"context"
	"errors"
)

// Telemetry receives the desk's spans and the events its metrics are
// counted from. The desk imports no telemetry library: package ldotel
// implements Telemetry with OpenTelemetry, and a host that sets no
// Options.Telemetry pays nothing (every hook is behind a nil check, so
// the webhook's allocations are unchanged).
type Telemetry interface {
	// Start begins a span named name (one of the Span constants) as a
	// child of the span in ctx, and returns the context carrying it and
	// its end. The desk calls End exactly once, with the attributes known
	// by then and the operation's error (nil on success).
	Start(ctx context.Context, name string, a SpanAttrs) (context.Context, SpanEnd)
	// Event is called with every event (after Options.OnEvent), for the
	// metrics derived from them: inbound messages, sends, assignments,
	// AI turns, CSAT ratings.
	Event(ctx context.Context, e Event)
}

// SpanEnd ends a span started by Telemetry.Start.
type SpanEnd interface {
	End(a SpanAttrs, err error)
}

// Span names.
const (
	SpanWebhook = "livedesk.webhook"    // one webhook request, inbound or status
	SpanProcess = "livedesk.process"    // deciding and queuing the answers to an inbound message
	SpanSend    = "livedesk.send"       // one send attempt of an outbound message
	SpanAITurn  = "livedesk.ai_turn"    // one AI agent turn
	SpanStore   = "livedesk.store_call" // a store call on the webhook and outbox paths (StoreOp)
)

// SpanAttrs are what the desk knows about a span's operation; only the
// fields that apply are set.
type SpanAttrs struct {
	ChannelID      string
	ConversationID string
	MessageID      string
	// MessageSID is Twilio's message SID (inbound MessageSid, or the SID
	// Twilio gave a sent message).
	MessageSID string
	Kind       string
	// Webhook: Route is "/twilio/{channel}" or "/twilio/{channel}/status",
	// Status the HTTP status answered, Rejection the bounded reason of a
	// refused request (see RejectionReason).
	Route     string
	Status    int
	Rejection string
	// Send: Outcome ("sent", "retry", "failed") and Twilio's ErrorCode.
	Outcome   string
	ErrorCode int
	// StoreOp is the store method, for SpanStore.
	StoreOp string
}

// Rejection reasons: a fixed set, so they can be metric labels.
const (
	RejectSignature      = "signature"
	RejectForeign        = "foreign"
	RejectUnknownChannel = "unknown_channel"
	RejectUnknownRoute   = "unknown_route"
	RejectMethod         = "method"
	RejectTooLarge       = "too_large"
	RejectMalformed      = "malformed"
	RejectStore          = "store"
	RejectOther          = "other"
)

// RejectionReason maps a webhook error to one of the Reject constants.
func RejectionReason(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, errSignature):
		return RejectSignature
	case errors.Is(err, errForeign):
		return RejectForeign
	case errors.Is(err, errUnknownChannel):
		return RejectUnknownChannel
	case errors.Is(err, errUnknownRoute):
		return RejectUnknownRoute
	case errors.Is(err, errMethod):
		return RejectMethod
	case errors.Is(err, errTooLarge):
		return RejectTooLarge
	case errors.Is(err, errMalformed):
		return RejectMalformed
	case errors.Is(err, errStore):
		return RejectStore
	}
	return RejectOther
}

// noSpan is the SpanEnd of a desk without telemetry.
type noSpan struct{}

func (noSpan) End(SpanAttrs, error) {}

// span starts a span when telemetry is configured; without it, it
// returns ctx and a no-op end, allocating nothing.
func (d *Desk) span(ctx context.Context, name string, a SpanAttrs) (context.Context, SpanEnd) {
	if d.tel == nil {
		return ctx, noSpan{}
	}
	return d.tel.Start(ctx, name, a)
}
