package console_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

// customerWrites posts a signed webhook for a customer message and returns
// the conversation.
func (e *env) customerWrites(t *testing.T, from, text string) store.Conversation {
	t.Helper()
	resp, body := e.h.Post(e.ch, livedesktest.Message{From: from, ProfileName: "Customer " + from[len(from)-3:], Body: text})
	livedesktest.RequireStatus(t, resp, body, 200)
	ct, err := e.h.Desk.ContactByPhone(context.Background(), e.ch.ID, from)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := e.h.Desk.Conversations(context.Background(), store.ConversationFilter{ContactID: ct.ID})
	if err != nil || len(cs) == 0 {
		t.Fatalf("no conversation for %s: %v", from, err)
	}
	return cs[len(cs)-1]
}

// liveOpen waits until the page's event stream is connected.
var liveOpen = chromedp.Poll[chromedp.Void](`document.body.dataset.liveState === 'open'`)

// noReload marks the page, so a later check sees whether it was reloaded.
var noReload = chromedp.Evaluate[chromedp.Void](`window.__noReload = true`)

func stillNoReload(t *testing.T, ctx context.Context) {
	t.Helper()
	if !value(t, ctx, chromedp.Evaluate[bool](`window.__noReload === true`)) {
		t.Error("the page was reloaded")
	}
}

func TestBrowserWebhookAppearsLiveInTheInbox(t *testing.T) {
	e := newEnv(t)
	ctx := e.browser(t, "admin")
	e.visit(t, ctx, "/inbox?view=all", "#conv-list")
	// The page's event stream is open before the webhook arrives.
	e.run(t, ctx, noReload, liveOpen)
	e.customerWrites(t, "+14155550123", "Where is my parcel?")
	start := time.Now()
	if err := doWithin(ctx, time.Second, chromedp.Poll[chromedp.Void](
		`document.querySelector('#conv-list').textContent.includes('Where is my parcel?')`)); err != nil {
		t.Fatalf("the message did not appear in the open inbox within 1s: %v", err)
	}
	t.Logf("the message appeared %v after the webhook returned", time.Since(start).Round(time.Millisecond))
	stillNoReload(t, ctx)
	if n := value(t, ctx, chromedp.Text("#count-unassigned")); n != "0" && n != "1" {
		t.Errorf("unassigned count %q", n)
	}

	// In an open conversation, the next message appears in its timeline.
	conv := e.customerWrites(t, "+14155550123", "Hello?")
	e.visit(t, ctx, "/inbox/"+conv.ID+"?view=all", "#timeline")
	e.run(t, ctx, noReload, liveOpen)
	e.customerWrites(t, "+14155550123", "It was due yesterday.")
	if err := doWithin(ctx, time.Second, chromedp.Poll[chromedp.Void](
		`document.querySelector('#timeline').textContent.includes('It was due yesterday.')`)); err != nil {
		t.Fatalf("the message did not appear in the open conversation within 1s: %v", err)
	}
	stillNoReload(t, ctx)
	screenshot(t, ctx, "inbox")
}

func TestBrowserReplyReachesTwilio(t *testing.T) {
	e := newEnv(t)
	e.h.Start()
	conv := e.customerWrites(t, "+14155550124", "Can I change my address?")
	ctx := e.browser(t, "admin")
	e.visit(t, ctx, "/inbox/"+conv.ID, "#reply-text")
	if w := value(t, ctx, chromedp.Text("#window")); !strings.Contains(w, "24-hour window open") {
		t.Errorf("window banner %q", w)
	}
	const text = "Of course: what is the new address?"
	e.run(t, ctx, chromedp.SendKeys("#reply-text", text), chromedp.Click("#send"), chromedp.WaitVisible("#reply-text"))
	e.h.WaitEvents(livedesk.EventMessageSent, 1)
	sent := e.h.Twilio.Sent()
	if len(sent) != 1 || sent[0].Body != text || sent[0].To != "whatsapp:+14155550124" {
		t.Fatalf("Twilio got %+v, want the reply", sent)
	}
	replies := e.h.Outbound(conv.ID, store.KindReply)
	if len(replies) != 1 || replies[0].AuthorID != "alice" {
		t.Fatalf("replies %+v, want one by alice (the user's agent)", replies)
	}
	// The delivery status shows in the timeline without a reload.
	e.run(t, ctx, noReload, liveOpen)
	resp, body := e.h.StatusCallback(sent[0], "delivered", 0)
	livedesktest.RequireStatus(t, resp, body, 200)
	if err := doWithin(ctx, time.Second, chromedp.Poll[chromedp.Void](`[...document.querySelectorAll('.msg.out .delivery')].some(d => d.textContent.includes('✓✓'))`)); err != nil {
		t.Fatalf("the delivered status did not show: %v", err)
	}
	stillNoReload(t, ctx)

	// 24 hours later the window is closed: the box offers templates.
	e.h.Clock.Advance(24 * time.Hour)
	e.visit(t, ctx, "/inbox/"+conv.ID, "#template-form")
	if w := value(t, ctx, chromedp.Text("#window")); !strings.Contains(w, "closed") {
		t.Errorf("window banner %q", w)
	}
}

func TestBrowserResolveSendsSurveyAndTheRatingShowsInTheReport(t *testing.T) {
	e := newEnv(t)
	ch, _ := e.h.Desk.Channel(context.Background(), e.ch.ID)
	ch.Settings.CSAT = csat.Config{Enabled: true}
	ch, err := e.h.Desk.UpdateChannel(context.Background(), ch)
	if err != nil {
		t.Fatal(err)
	}
	e.ch = ch
	e.h.Start()
	conv := e.customerWrites(t, "+14155550125", "My order is late")
	if _, err := e.h.Desk.Assign(context.Background(), conv.ID, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.h.Desk.Reply(context.Background(), conv.ID, "alice", "It arrives today."); err != nil {
		t.Fatal(err)
	}
	e.h.WaitEvents(livedesk.EventMessageSent, 1)
	ctx := e.browser(t, "admin")
	e.visit(t, ctx, "/inbox/"+conv.ID, "#resolve")
	e.run(t, ctx, chromedp.Click("#resolve"), chromedp.WaitVisible("#reopen"))
	if s := value(t, ctx, chromedp.Text("#conv-status")); s != "resolved" {
		t.Errorf("status shows %q", s)
	}
	e.h.WaitEvents(livedesk.EventMessageSent, 2)
	sent := e.h.Twilio.Sent()
	survey := sent[len(sent)-1]
	if survey.Body != csat.DefaultSurveyText || survey.To != "whatsapp:+14155550125" {
		t.Fatalf("last message to Twilio %q to %s, want the CSAT survey", survey.Body, survey.To)
	}
	resp, body := e.h.Post(e.ch, livedesktest.Message{From: "+14155550125", Body: "5"})
	livedesktest.RequireStatus(t, resp, body, 200)
	e.h.WaitEvents(livedesk.EventSurveyAnswered, 1)

	e.visit(t, ctx, "/report", "#kpi-average")
	if avg := value(t, ctx, chromedp.Text("#kpi-average")); avg != "5.00" {
		t.Errorf("average shows %q, want 5.00", avg)
	}
	if rate := value(t, ctx, chromedp.Text("#kpi-response")); rate != "100%" {
		t.Errorf("response rate shows %q", rate)
	}
	if row := value(t, ctx, chromedp.Text("#by-agent tbody tr")); !strings.Contains(row, "Alice") || !strings.Contains(row, "100%") {
		t.Errorf("per-agent row %q", row)
	}
	screenshot(t, ctx, "report")
}

func TestBrowserPhoneWidth(t *testing.T) {
	e := newEnv(t)
	conv := e.customerWrites(t, "+14155550126", "Hi from my phone")
	ctx := e.browser(t, "admin")
	e.run(t, ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(1)))
	for _, path := range []string{"/inbox/" + conv.ID, "/channels/" + e.ch.ID, "/agents", "/report", "/channels/new"} {
		e.visit(t, ctx, path, "main")
		if w := value(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
			t.Errorf("%s is %dpx wide at phone width (390px)", path, w)
		}
	}
	e.visit(t, ctx, "/inbox/"+conv.ID, "#timeline")
	screenshot(t, ctx, "inbox-phone")
}
