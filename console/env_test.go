package console_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/console"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/twilio"
)

// env is a desk on the livedesktest harness (memstore, fake clock, fake
// Twilio API) with the console mounted at /console on a loopback server.
// The test user is chosen per request with the X-Test-User header (or the
// test_user cookie /login/{user} sets for the browser):
// "admin" (an admin acting as agent alice), "bob" (an agent), or none.
type env struct {
	t       testing.TB
	h       *livedesktest.Harness
	console *console.Console
	srv     *httptest.Server
	ch      channel.Channel
	media   *livedesktest.TwilioMedia
}

// The templates of the env's channel account in the fake Twilio API.
var (
	followUpSID = "HX" + strings.Repeat("1", 32) // approved
	pendingSID  = "HX" + strings.Repeat("2", 32) // pending WhatsApp approval
)

var testUsers = map[string]console.User{
	"admin": {ID: "u-admin", Name: "Alice Admin", Role: console.RoleAdmin, AgentID: "alice"},
	"bob":   {ID: "u-bob", Name: "Bob", Role: console.RoleAgent, AgentID: "bob"},
}

func newEnv(t testing.TB) *env {
	t.Helper()
	media := livedesktest.NewTwilioMedia(t)
	h := livedesktest.New(t, func(o *livedesk.Options) {
		o.AIAgents = map[string]livedesk.AIAgent{"bot": livedesk.AIAgentFunc(func(context.Context, livedesk.AIRequest) (livedesk.AIResponse, error) {
			return livedesk.AIResponse{Handoff: true, Reason: "test bot"}, nil
		})}
		o.MediaFetcher = twilio.NewMediaFetcher(twilio.MediaOptions{HTTPClient: media.Client()})
	})
	e := &env{t: t, h: h, media: media}
	ctx := context.Background()
	for _, a := range []store.Agent{
		{ID: "alice", Name: "Alice", Status: store.AgentOnline, Capacity: 5},
		{ID: "bob", Name: "Bob", Status: store.AgentAway, Capacity: 3, Teams: []string{"billing"}},
	} {
		if _, err := h.Desk.CreateAgent(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	e.ch = h.AddChannel(func(c *channel.Channel) {
		c.Name = "Support"
		c.Settings.Assignment.Agents = []string{"alice"}
	})
	// The account has one approved template (offered outside the window)
	// and one still pending (never offered).
	h.Twilio.AddTemplate(livedesktest.Template{SID: followUpSID, AccountSID: e.ch.Twilio.AccountSID,
		FriendlyName: "Follow-up", Body: "Are you still there?", Status: "approved", Category: "UTILITY"})
	h.Twilio.AddTemplate(livedesktest.Template{SID: pendingSID, AccountSID: e.ch.Twilio.AccountSID,
		FriendlyName: "Spring sale", Body: "20% off", Status: "pending", Category: "MARKETING"})
	c, err := console.New(console.Options{
		Desk: h.Desk, BasePath: "/console", Now: h.Clock.Now, AIAgents: []string{"bot"},
		Authenticate: func(r *http.Request) (console.User, error) {
			name := r.Header.Get("X-Test-User")
			if ck, err := r.Cookie("test_user"); err == nil && name == "" {
				name = ck.Value
			}
			u, ok := testUsers[name]
			if !ok {
				return console.User{}, errors.New("not signed in")
			}
			return u, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.console = c
	mux := http.NewServeMux()
	mux.Handle("/console/", c)
	mux.Handle("/livedesk/", h.Desk.Handler())
	// The browser tests sign in here: the host's own login, in a test.
	mux.HandleFunc("GET /login/{user}", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "test_user", Value: r.PathValue("user"), Path: "/"})
		http.Redirect(w, r, r.URL.Query().Get("next"), http.StatusSeeOther)
	})
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

// client returns an HTTP client with a cookie jar, as a browser would have.
func (e *env) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// get fetches a console page as user ("" for nobody).
func (e *env) get(c *http.Client, user, path string) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/console"+path, nil)
	if user != "" {
		req.Header.Set("X-Test-User", user)
	}
	return e.do(c, req)
}

// post submits a form as user; token "" sends none.
func (e *env) post(c *http.Client, user, path string, form url.Values) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/console"+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.Header.Set("X-Test-User", user)
	}
	return e.do(c, req)
}

func (e *env) do(c *http.Client, req *http.Request) (int, string) {
	e.t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusSeeOther {
		return resp.StatusCode, loc
	}
	return resp.StatusCode, string(b)
}

var tokenRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// token reads the CSRF token from a page the client fetched.
func (e *env) token(c *http.Client, user string) string {
	e.t.Helper()
	code, body := e.get(c, user, "/agents")
	m := tokenRE.FindStringSubmatch(body)
	if code != http.StatusOK || m == nil {
		e.t.Fatalf("no CSRF token on /agents (%d)", code)
	}
	return m[1]
}

// newPagedConsole is the env's console with another page size.
func newPagedConsole(e *env, pageSize int) (*console.Console, error) {
	return console.New(console.Options{Desk: e.h.Desk, BasePath: "/console", Now: e.h.Clock.Now, PageSize: pageSize,
		Authenticate: func(r *http.Request) (console.User, error) { return testUsers[r.Header.Get("X-Test-User")], nil }})
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
