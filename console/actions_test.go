package console_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

func TestInboxActions(t *testing.T) {
	e := newEnv(t)
	conv := e.customerWrites(t, "+14155550151", "hello")
	c := e.client()
	tok := e.token(c, "admin")
	post := func(user, action string, f url.Values) (int, string) {
		f.Set("csrf_token", tok)
		f.Set("qs", "view=all")
		return e.post(c, user, "/inbox/"+conv.ID+"/"+action, f)
	}
	read := func() store.Conversation {
		got, err := e.h.Desk.Conversation(context.Background(), conv.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if code, loc := post("admin", "assign", url.Values{"agent": {"bob"}}); code != http.StatusSeeOther || !strings.Contains(loc, "view=all") {
		t.Fatalf("assign: %d %s", code, loc)
	}
	if got := read(); got.AssigneeID != "bob" {
		t.Fatalf("assignee %q, want bob", got.AssigneeID)
	}
	if code, _ := post("admin", "assign", url.Values{"agent": {"me"}}); code != http.StatusSeeOther || read().AssigneeID != "alice" {
		t.Fatalf("assign to me: %d, assignee %q, want alice (the admin's agent)", code, read().AssigneeID)
	}
	if code, _ := post("admin", "assign", url.Values{"agent": {""}}); code != http.StatusSeeOther || read().AssigneeID != "" {
		t.Fatalf("unassign: %d, assignee %q", code, read().AssigneeID)
	}
	if code, _ := post("admin", "resolve", url.Values{}); code != http.StatusSeeOther || read().Status != store.StatusResolved {
		t.Fatalf("resolve: %d, status %s", code, read().Status)
	}
	// Resolving twice is refused with the reason, on the page.
	if code, loc := post("admin", "resolve", url.Values{}); code != http.StatusSeeOther || !strings.Contains(loc, "error=") {
		t.Errorf("second resolve: %d %s, want a redirect carrying the error", code, loc)
	}
	if code, _ := post("admin", "reopen", url.Values{}); code != http.StatusSeeOther || read().Status != store.StatusOpen {
		t.Fatalf("reopen: %d, status %s", code, read().Status)
	}

	// Outside the 24-hour window: free text is refused, a template goes.
	e.h.Clock.Advance(25 * time.Hour)
	if _, loc := post("admin", "reply", url.Values{"text": {"hello?"}}); !strings.Contains(loc, "error=") {
		t.Errorf("free text outside the window: %s, want an error", loc)
	}
	// The picker offers the account's approved template only (Desk.Templates).
	_, page := e.get(c, "admin", "/inbox/"+conv.ID+"?view=all")
	if !strings.Contains(page, `<option value="`+followUpSID+`">Follow-up (en)</option>`) || strings.Contains(page, pendingSID) {
		t.Errorf("the template picker does not offer exactly the approved template:\n%s", page)
	}
	// A template still pending approval is refused before anything is queued.
	if _, loc := post("admin", "reply", url.Values{"template": {pendingSID}}); !strings.Contains(loc, "error=") {
		t.Errorf("pending template: %s, want an error", loc)
	}
	if got := e.h.Outbound(conv.ID, store.KindReply); len(got) != 0 {
		t.Fatalf("a pending template was queued: %+v", got)
	}
	sid := followUpSID
	if code, loc := post("admin", "reply", url.Values{"template": {sid}}); code != http.StatusSeeOther || strings.Contains(loc, "error=") {
		t.Fatalf("template: %d %s", code, loc)
	}
	replies := e.h.Outbound(conv.ID, store.KindReply)
	if len(replies) != 1 || replies[0].ContentSID != sid || replies[0].AuthorID != "alice" {
		t.Fatalf("replies %+v, want the template by alice", replies)
	}
}

func TestReportCSV(t *testing.T) {
	e := newEnv(t)
	ch := e.channel(t)
	ch.Settings.CSAT = csat.Config{Enabled: true, Trigger: csat.TriggerAlways}
	if _, err := e.h.Desk.UpdateChannel(context.Background(), ch); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, rating := range []string{"5", "2"} {
		from := "+1415555016" + string(rune('0'+i))
		conv := e.customerWrites(t, from, "hi")
		if _, err := e.h.Desk.Assign(ctx, conv.ID, "alice"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.h.Desk.Resolve(ctx, conv.ID); err != nil {
			t.Fatal(err)
		}
		resp, body := e.h.Post(e.ch, livedesktest.Message{From: from, Body: rating})
		livedesktest.RequireStatus(t, resp, body, 200)
	}
	code, body := e.get(e.client(), "admin", "/report.csv?days=7")
	if code != http.StatusOK {
		t.Fatalf("CSV: %d", code)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"day":   "day,2026-03-02,2,2,1.000,3.50,0.500,0,1,0,0,1",
		"agent": "agent,alice,2,2,1.000,3.50,0.500,0,1,0,0,1",
		"total": "total,,2,2,1.000,3.50,0.500,0,1,0,0,1",
	}
	got := map[string]string{}
	for _, r := range rows[1:] {
		got[r[0]] = strings.Join(r, ",")
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s row %q, want %q", k, got[k], w)
		}
	}
	if code, body := e.get(e.client(), "admin", "/report?days=7"); code != http.StatusOK || !strings.Contains(body, `id="kpi-average">3.50`) {
		t.Errorf("report page: %d, want average 3.50", code)
	}
}
