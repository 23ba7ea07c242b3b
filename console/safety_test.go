package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestNoUserIsRefused(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, path := range []string{"/inbox", "/channels", "/agents", "/report", "/report.csv", "/events", "/channels/" + e.ch.ID} {
		code, body := e.get(c, "", path)
		if code != http.StatusUnauthorized || !strings.Contains(body, "Sign in") {
			t.Errorf("GET %s without a user: %d, want 401 with a sign-in page", path, code)
		}
	}
	code, _ := e.post(c, "", "/agents", url.Values{"id": {"mallory"}, "name": {"Mallory"}})
	if code != http.StatusUnauthorized {
		t.Errorf("POST without a user: %d, want 401", code)
	}
	if _, err := e.h.Desk.Agent(context.Background(), "mallory"); err == nil {
		t.Error("an agent was created by a request without a user")
	}
}

func TestStateChangesNeedTheCSRFToken(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	tok := e.token(c, "admin")
	form := url.Values{"id": {"mallory"}, "name": {"Mallory"}}
	cases := []struct {
		name  string
		token string
		setup func(*http.Request)
	}{
		{"no token", "", nil},
		{"wrong token", tok[:len(tok)-2] + "xx", nil},
		{"other origin", tok, func(r *http.Request) { r.Header.Set("Origin", "https://evil.example") }},
	}
	for _, tc := range cases {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		if tc.token != "" {
			f.Set("csrf_token", tc.token)
		}
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/console/agents", strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Test-User", "admin")
		if tc.setup != nil {
			tc.setup(req)
		}
		code, body := e.do(c, req)
		if code != http.StatusForbidden || !strings.Contains(body, "Reload the page") {
			t.Errorf("%s: %d, want 403 with an explanation", tc.name, code)
		}
	}
	// A fresh client (another browser) has no cookie: the token alone is not enough.
	code, _ := e.post(e.client(), "admin", "/agents", url.Values{"id": {"mallory"}, "name": {"Mallory"}, "csrf_token": {tok}})
	if code != http.StatusForbidden {
		t.Errorf("token without its cookie: %d, want 403", code)
	}
	if _, err := e.h.Desk.Agent(context.Background(), "mallory"); err == nil {
		t.Fatal("a refused request created an agent")
	}
	// With cookie and token it works.
	code, loc := e.post(c, "admin", "/agents", url.Values{"id": {"mallory"}, "name": {"Mallory"}, "csrf_token": {tok}})
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, "/console/agents") {
		t.Fatalf("valid request: %d %s, want a redirect to the agents page", code, loc)
	}
	if _, err := e.h.Desk.Agent(context.Background(), "mallory"); err != nil {
		t.Fatalf("the agent was not created: %v", err)
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/console/inbox", nil)
	req.Header.Set("X-Test-User", "admin")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	var ck *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "livedesk_console_csrf" {
			ck = c
		}
	}
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode {
		t.Errorf("CSRF cookie %+v, want HttpOnly and SameSite=Strict", ck)
	}
}

func TestAgentsCannotOpenAdminScreens(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, path := range []string{"/channels", "/channels/new", "/channels/" + e.ch.ID, "/report", "/report.csv"} {
		if code, _ := e.get(c, "bob", path); code != http.StatusForbidden {
			t.Errorf("agent GET %s: %d, want 403", path, code)
		}
	}
	for _, path := range []string{"/inbox", "/agents"} {
		if code, _ := e.get(c, "bob", path); code != http.StatusOK {
			t.Errorf("agent GET %s: %d, want 200", path, code)
		}
	}
	tok := e.token(c, "bob")
	if code, _ := e.post(c, "bob", "/agents/alice/status", url.Values{"status": {"offline"}, "csrf_token": {tok}}); code != http.StatusForbidden {
		t.Errorf("agent changing someone else's status: %d, want 403", code)
	}
	if code, _ := e.post(c, "bob", "/agents/bob/status", url.Values{"status": {"online"}, "csrf_token": {tok}}); code != http.StatusSeeOther {
		t.Errorf("agent changing their own status: %d, want 303", code)
	}
	if a, _ := e.h.Desk.Agent(context.Background(), "bob"); a.Status != "online" {
		t.Errorf("bob is %s, want online", a.Status)
	}
}

func TestCredentialsAreNeverRendered(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	token := string(e.ch.Twilio.AuthToken)
	for _, path := range []string{"/channels", "/channels/" + e.ch.ID, "/channels/" + e.ch.ID + "/created", "/inbox"} {
		code, body := e.get(c, "admin", path)
		if code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, code)
		}
		if strings.Contains(body, token) {
			t.Errorf("GET %s shows the Auth Token", path)
		}
	}
	// A failed create does not echo the token typed in.
	tok := e.token(c, "admin")
	code, body := e.post(c, "admin", "/channels", url.Values{"name": {""}, "account_sid": {"ACbad"},
		"auth_token": {"feedfacefeedfacefeedfacefeedface"}, "phone_number": {"+14155238886"}, "csrf_token": {tok}})
	if code != http.StatusUnprocessableEntity {
		t.Fatalf("invalid channel: %d", code)
	}
	if strings.Contains(body, "feedfacefeedfacefeedfacefeedface") {
		t.Error("the form echoes the Auth Token back")
	}
}

// The one-line messages pages show after an action are signed: a link made
// elsewhere cannot put words on a console page.
func TestPageMessagesAreSigned(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	_, body := e.get(c, "admin", "/agents?flash=Your+session+expired,+call+%2B1+555+0100")
	if strings.Contains(body, "session expired") {
		t.Error("an unsigned flash message was shown")
	}
	_, body = e.get(c, "admin", "/inbox?error=Send+your+password+to+evil.example")
	if strings.Contains(body, "evil.example") {
		t.Error("an unsigned error message was shown")
	}
	// The console's own messages are shown.
	tok := e.token(c, "admin")
	code, loc := e.post(c, "admin", "/agents/bob/status", url.Values{"status": {"online"}, "csrf_token": {tok}})
	if code != http.StatusSeeOther {
		t.Fatalf("status: %d", code)
	}
	if _, body := e.get(c, "admin", strings.TrimPrefix(loc, "/console")); !strings.Contains(body, "Bob is online.") {
		t.Error("the console's own message is not shown after its action")
	}
}
