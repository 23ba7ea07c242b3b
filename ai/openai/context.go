package openai

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/livedesk/livedesk"
)

// Limits on what DefaultContext takes from the contact's attributes.
const (
	maxAttributes     = 50
	maxAttributeValue = 200
)

// contextLayout is how DefaultContext writes times: the weekday (the model
// says "Monday", not a date), the date and the time, then the zone.
const contextLayout = "Monday 2006-01-02 15:04"

// DefaultContext is the per-request context the Agent writes when
// Config.Context is nil, one fact a line, each when known:
//
//	WhatsApp channel: Le Fournil
//	Customer's WhatsApp name: Marie
//	What we know about the customer (from our records):
//	- last_order: 1042
//	- tier: VIP
//	Current time: Saturday 2026-11-28 10:15 (Europe/Paris)
//	Business hours: open now, until Saturday 2026-11-28 19:00 (Europe/Paris)
//
// or "Business hours: closed now; the team is back Monday 2026-11-30 09:00
// (Europe/Paris)". The attributes are the contact's Attributes, sorted by
// key (at most 50, values cut at 200 characters, line breaks flattened);
// the hours are the channel's (req.BusinessHours), in its time zone; the
// time is req.Now. The customer's phone number is never written.
func DefaultContext(req livedesk.AIRequest) string {
	var b strings.Builder
	line := func(format string, args ...any) {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, format, args...)
	}
	if name := oneLine(req.ChannelName); name != "" {
		line("WhatsApp channel: %s", name)
	}
	if name := oneLine(req.Contact.ProfileName); name != "" {
		line("Customer's WhatsApp name: %s", name)
	}
	if attrs := req.Contact.Attributes; len(attrs) > 0 {
		line("What we know about the customer (from our records):")
		keys := slices.Sorted(maps.Keys(attrs))
		for _, k := range keys[:min(len(keys), maxAttributes)] {
			line("- %s: %s", oneLine(k), clip(oneLine(attrs[k]), maxAttributeValue))
		}
	}
	sched := req.BusinessHours
	if req.Now.IsZero() {
		return b.String()
	}
	now := req.Now.UTC()
	if sched != nil {
		now = req.Now.In(sched.Location())
	}
	line("Current time: %s", when(now))
	if sched == nil {
		return b.String()
	}
	if sched.IsOpen(now) {
		if end, ok := sched.NextClose(now); ok {
			line("Business hours: open now, until %s", when(end))
		} else {
			line("Business hours: open now")
		}
		return b.String()
	}
	if next, ok := sched.NextOpen(now); ok {
		line("Business hours: closed now; the team is back %s", when(next))
	} else {
		line("Business hours: closed now, with no opening scheduled")
	}
	return b.String()
}

// when writes t for the model: "Monday 2026-11-30 09:00 (Europe/Paris)".
func when(t time.Time) string {
	return t.Format(contextLayout) + " (" + t.Location().String() + ")"
}

// oneLine flattens line breaks, so a value cannot start a line of its own
// in the system message.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// requestContext runs Config.Context (or DefaultContext), turning a panic
// into an error.
func (a *Agent) requestContext(ctx context.Context, req livedesk.AIRequest) (text string, err error) {
	if a.cfg.Context == nil {
		return DefaultContext(req), nil
	}
	defer func() {
		if v := recover(); v != nil {
			text, err = "", fmt.Errorf("openai: Config.Context panicked: %v", v)
		}
	}()
	text, err = a.cfg.Context(ctx, req)
	if err != nil {
		return "", fmt.Errorf("openai: Config.Context: %w", err)
	}
	return text, nil
}
