package console_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/hours"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

func TestBrowserGreetingReachesTheNextCustomer(t *testing.T) {
	e := newEnv(t)
	e.h.Start()
	ctx := e.browser(t, "admin")
	e.visit(t, ctx, "/channels/"+e.ch.ID, "#general")
	if value(t, ctx, chromedp.Evaluate[bool](`document.getElementById('greeting').checked`)) {
		t.Fatal("the greeting is on before anyone turned it on")
	}
	const text = "Hello! Thanks for writing, we answer within minutes."
	e.run(t, ctx, chromedp.Click("#greeting"), chromedp.SendKeys("#greeting_text", text),
		chromedp.Click("#save-general"), chromedp.WaitVisible(".flash"))
	if msg := value(t, ctx, chromedp.Text(".flash")); !strings.Contains(msg, "saved") {
		t.Errorf("after saving: %q", msg)
	}
	screenshot(t, ctx, "settings")
	ch, _ := e.h.Desk.Channel(context.Background(), e.ch.ID)
	if !ch.Settings.Greeting.Enabled || ch.Settings.Greeting.Text != text || ch.Version != e.ch.Version+1 {
		t.Fatalf("stored greeting %+v at version %d", ch.Settings.Greeting, ch.Version)
	}
	resp, body := e.h.Post(ch, livedesktest.Message{From: "+14155550111", Body: "hi"})
	livedesktest.RequireStatus(t, resp, body, 200)
	conv := e.h.RequireConversations(ch.ID, 1)[0]
	e.h.RequireQueued(conv.ID, store.KindGreeting, 1)
	e.h.WaitEvents(livedesk.EventMessageSent, 1)
	sent := e.h.Twilio.Sent()
	if len(sent) != 1 || sent[0].Body != text || sent[0].To != "whatsapp:+14155550111" {
		t.Fatalf("Twilio got %+v, want the greeting to the customer", sent)
	}
}

func TestBrowserEditBusinessHours(t *testing.T) {
	e := newEnv(t)
	ctx := e.browser(t, "admin")
	e.visit(t, ctx, "/channels/"+e.ch.ID, "#hours")
	set := func(sel, v string) chromedp.Action[chromedp.Void] { return chromedp.SetValue(sel, v) }
	e.run(t, ctx, chromedp.Click("#hours_enabled"),
		set("#timezone", "Europe/Paris"),
		set("#day_monday", "09:00-12:30, 14:00-18:00"),
		set("#day_tuesday", "09:00-18:00"),
		set("#day_friday", "09:00-17:00, 22:00-02:00"),
		set(`[name=hol_date_0]`, "2026-12-25"), set(`[name=hol_name_0]`, "Christmas"),
		chromedp.Click(`[name=hol_yearly_0]`),
		set(`[name=hol_date_1]`, "2026-12-24"), set(`[name=hol_ranges_1]`, "09:00-12:00"),
		set("#ooo_message", "We are closed; back {{next_open}}."),
		chromedp.Click("#save-hours"), chromedp.WaitVisible(".flash"))
	ch, _ := e.h.Desk.Channel(context.Background(), e.ch.ID)
	b := ch.Settings.BusinessHours
	want := hours.BusinessHours{Enabled: true, TimeZone: "Europe/Paris", OutOfOfficeMessage: "We are closed; back {{next_open}}.",
		Exceptions: []hours.Exception{{Name: "Christmas", Date: "2026-12-25", Yearly: true, Closed: true},
			{Date: "2026-12-24", Ranges: []hours.Range{"09:00-12:00"}}}}
	want.Week[time.Monday] = []hours.Range{"09:00-12:30", "14:00-18:00"}
	want.Week[time.Tuesday] = []hours.Range{"09:00-18:00"}
	want.Week[time.Friday] = []hours.Range{"09:00-17:00", "22:00-02:00"}
	if b.Enabled != want.Enabled || b.TimeZone != want.TimeZone || b.OutOfOfficeMessage != want.OutOfOfficeMessage ||
		!slices.EqualFunc(b.Week[:], want.Week[:], slices.Equal) ||
		!slices.EqualFunc(b.Exceptions, want.Exceptions, func(x, y hours.Exception) bool {
			return x.Name == y.Name && x.Date == y.Date && x.Yearly == y.Yearly && x.Closed == y.Closed && slices.Equal(x.Ranges, y.Ranges)
		}) {
		t.Fatalf("stored hours\n%+v\nwant\n%+v", b, want)
	}
	// The page shows what is stored.
	if v := value(t, ctx, chromedp.Value("#day_friday")); v != "09:00-17:00, 22:00-02:00" {
		t.Errorf("Friday shows %q", v)
	}
	screenshot(t, ctx, "business-hours")

	// An overlapping range is refused next to its day, and nothing changes.
	e.run(t, ctx, chromedp.SetValue("#day_tuesday", "09:00-18:00, 17:00-19:00"), chromedp.Click("#save-hours"),
		chromedp.WaitVisible("#day_tuesday-error"))
	if msg := value(t, ctx, chromedp.Text("#day_tuesday-error")); !strings.Contains(msg, "overlap") {
		t.Errorf("overlap error %q", msg)
	}
	if v := value(t, ctx, chromedp.Value("#day_tuesday")); v != "09:00-18:00, 17:00-19:00" {
		t.Errorf("the typed ranges were lost: %q", v)
	}
	after, _ := e.h.Desk.Channel(context.Background(), e.ch.ID)
	if after.Version != ch.Version {
		t.Errorf("a refused edit changed the channel (version %d -> %d)", ch.Version, after.Version)
	}
}
