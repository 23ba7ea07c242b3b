package console_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/livedesk/livedesk/livedesktest"
)

// seedConversations opens n conversations on the env's channel through
// signed webhooks, straight into the desk's handler.
func seedConversations(tb testing.TB, e *env, n int) {
	tb.Helper()
	hook := e.h.Desk.WebhookURL(e.ch.ID)
	for i := 0; i < n; i++ {
		m := livedesktest.Message{From: fmt.Sprintf("+1415%07d", 5550000+i), ProfileName: fmt.Sprintf("Customer %d", i), Body: "Hello, I need help with my order"}
		req := livedesktest.NewRequest(e.ch, hook, hook, m.Form(e.ch))
		req.RequestURI = req.URL.RequestURI()
		rec := httptest.NewRecorder()
		e.h.Desk.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			tb.Fatalf("webhook %d: %d %s", i, rec.Code, rec.Body)
		}
	}
}

// cpuTime is the process's user+system CPU time in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkInboxPage is the server time of an inbox page (the list of the
// "all" view, 50 rows, with the counts of every view) over 10,000 open
// conversations on memstore. The goal is under 100 ms.
func BenchmarkInboxPage(b *testing.B) {
	e := newEnv(b)
	seedConversations(b, e, 10_000)
	for _, bc := range []struct{ name, path string }{
		{"all", "/console/inbox?view=all"},
		{"mine", "/console/inbox?view=mine"},
		{"page100", "/console/inbox?view=all&offset=5000"},
		{"search", "/console/inbox?view=all&q=customer+9999"},
		{"list-fragment", "/console/inbox/list?view=all"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, bc.path, nil)
			req.Header.Set("X-Test-User", "admin")
			cpu := cpuTime()
			for b.Loop() {
				rec := httptest.NewRecorder()
				e.console.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "class=\"conv") {
					b.Fatalf("%s: %d", bc.path, rec.Code)
				}
			}
			// CPU time is steadier than wall time on a shared machine.
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}
