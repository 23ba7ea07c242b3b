package ldotel

import (
	"context"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/livedesk/livedesk"
)

// Event implements livedesk.Telemetry: the metrics counted from events.
func (t *Telemetry) Event(ctx context.Context, e livedesk.Event) {
	if t.meter == nil {
		return
	}
	switch e.Type {
	case livedesk.EventMessageReceived:
		t.inbound.Add(ctx, 1, metric.WithAttributes(attribute.String("livedesk.channel.id", e.ChannelID),
			attribute.String("livedesk.message.type", e.MessageType)))
	case livedesk.EventConversationOpened:
		t.track(t.openedAt, e)
	case livedesk.EventQueued:
		t.track(t.queuedAt, e)
	case livedesk.EventAssigned:
		if at, ok := t.take(t.queuedAt, e.ConversationID); ok {
			t.toAssign.Record(ctx, e.At.Sub(at).Seconds())
		}
	case livedesk.EventMessageSent:
		if e.Kind == "reply" || e.Kind == "ai" {
			if at, ok := t.take(t.openedAt, e.ConversationID); ok {
				t.firstResponse.Record(ctx, e.At.Sub(at).Seconds())
			}
		}
	case livedesk.EventAIReplied, livedesk.EventHandedOff:
		outcome := "replied"
		if e.Type == livedesk.EventHandedOff {
			outcome = "handed_off"
		}
		t.aiTurns.Add(ctx, 1, metric.WithAttributes(attribute.String("livedesk.ai.outcome", outcome)))
		if e.Usage.PromptTokens > 0 {
			t.tokens.Record(ctx, int64(e.Usage.PromptTokens), metric.WithAttributes(attribute.String("gen_ai.token.type", "input")))
		}
		if e.Usage.CompletionTokens > 0 {
			t.tokens.Record(ctx, int64(e.Usage.CompletionTokens), metric.WithAttributes(attribute.String("gen_ai.token.type", "output")))
		}
	case livedesk.EventSurveyAnswered:
		t.ratings.Add(ctx, 1, metric.WithAttributes(attribute.String("livedesk.csat.rating", strconv.Itoa(e.Rating))))
	}
}

// track remembers when a conversation's event happened (the first time
// since it was last taken); when MaxTracked conversations are remembered
// it forgets them all rather than grow.
func (t *Telemetry) track(m map[string]time.Time, e livedesk.Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := m[e.ConversationID]; ok {
		return
	}
	if len(m) >= t.maxTracked {
		clear(m)
	}
	m[e.ConversationID] = e.At
}

// take returns and forgets when a conversation's event happened.
func (t *Telemetry) take(m map[string]time.Time, conversationID string) (time.Time, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	at, ok := m[conversationID]
	delete(m, conversationID)
	return at, ok
}
