package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDemoServesEveryScreen runs the demo on a free loopback port and opens
// every screen as the admin, as a person clicking through would.
func TestDemoServesEveryScreen(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, addr) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	get := func(path string) string {
		t.Helper()
		var resp *http.Response
		for i := 0; i < 300; i++ { // the demo seeds before it listens
			if resp, err = http.Get("http://" + addr + path); err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return string(b)
	}
	for path, want := range map[string]string{
		"/":                          "00112233445566778899aabbccddeeff",
		"/console/inbox?view=all":    "Olivia Brown",
		"/console/channels":          "Ventas ES",
		"/console/agents":            "Marie Dubois",
		"/console/report":            "kpi-average",
		"/console/report.csv":        "group,key,sent",
		"/console/inbox?view=queued": "Noah Wilson",
	} {
		if body := get(path); !strings.Contains(body, want) {
			t.Errorf("GET %s does not show %q", path, want)
		}
	}
	// The account the home page offers passes the desk's check with the
	// fake Twilio API: the form confirms and shows the webhook URL.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get("http://" + addr + "/console/channels/new")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no CSRF token on the new channel form")
	}
	resp, err = c.PostForm("http://"+addr+"/console/channels", url.Values{"csrf_token": {string(m[1])}, "name": {"Try"},
		"account_sid": {spare.Twilio.AccountSID}, "auth_token": {spare.Twilio.AuthToken.Reveal()}, "phone_number": {spare.Twilio.PhoneNumber}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `id="webhook-url"`) {
		t.Errorf("adding the spare account: %d, want the confirmation with the webhook URL", resp.StatusCode)
	}
}

func TestDemoRefusesNonLoopback(t *testing.T) {
	if err := run(context.Background(), "0.0.0.0:8080"); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("run on 0.0.0.0: %v, want a loopback-only error", err)
	}
}
