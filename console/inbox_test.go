package console_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

var convIDs = regexp.MustCompile(`data-id="([^"]+)"`)

// listed returns the IDs of the conversations a list page shows.
func listed(t *testing.T, e *env, user, path string) []string {
	t.Helper()
	code, body := e.get(e.client(), user, path)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, code)
	}
	var ids []string
	for _, m := range convIDs.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

func TestInboxViews(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// alice is online with capacity 5: she gets the first conversation.
	mine := e.customerWrites(t, "+14155550131", "first")
	if mine.AssigneeID != "alice" {
		t.Fatalf("first conversation assigned to %q, want alice", mine.AssigneeID)
	}
	if _, err := e.h.Desk.SetAgentStatus(ctx, "alice", "offline"); err != nil {
		t.Fatal(err)
	}
	e.h.Clock.Advance(time.Minute)
	waiting := e.customerWrites(t, "+14155550132", "second, about my invoice")
	if waiting.QueuedAt.IsZero() {
		t.Fatalf("second conversation is not waiting: %+v", waiting)
	}
	cases := []struct {
		name, user, path string
		want             []string
	}{
		{"mine", "admin", "/inbox?view=mine", []string{mine.ID}},
		{"mine of another agent", "bob", "/inbox?view=mine", nil},
		{"unassigned", "admin", "/inbox?view=unassigned", []string{waiting.ID}},
		{"queued", "admin", "/inbox?view=queued", []string{waiting.ID}},
		{"queue of a team nobody waits for", "admin", "/inbox?view=queued&team=billing", nil},
		{"all, latest first", "admin", "/inbox?view=all", []string{waiting.ID, mine.ID}},
		{"search in messages", "admin", "/inbox?view=all&q=invoice", []string{waiting.ID}},
		{"search by phone", "admin", "/inbox?view=all&q=%2B1+415+555+0131", []string{mine.ID}},
		{"other channel", "admin", "/inbox?view=all&channel=nope", nil},
		{"resolved", "admin", "/inbox?view=all&status=resolved", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := listed(t, e, tc.user, tc.path)
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("GET %s lists %v, want %v", tc.path, got, tc.want)
			}
		})
	}
}

func TestInboxPages(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 5; i++ {
		e.customerWrites(t, "+1415555014"+string(rune('0'+i)), "hello")
	}
	// Page size 50 by default: use the console's own pager through a
	// smaller page, by walking the "Older" links.
	c, err := newPagedConsole(e, 2)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	path, pages := "/console/inbox?view=all", 0
	for path != "" && pages < 10 {
		pages++
		req, _ := http.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("X-Test-User", "admin")
		rec := newRecorder()
		c.ServeHTTP(rec, req)
		body := rec.Body.String()
		for _, m := range convIDs.FindAllStringSubmatch(body, -1) {
			if seen[m[1]] {
				t.Errorf("conversation %s listed twice", m[1])
			}
			seen[m[1]] = true
		}
		path = ""
		if m := regexp.MustCompile(`href="([^"]+)" id="older"`).FindStringSubmatch(body); m != nil {
			path = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	if len(seen) != 5 || pages != 3 {
		t.Errorf("%d conversations over %d pages, want 5 over 3", len(seen), pages)
	}
}
