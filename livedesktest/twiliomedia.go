package livedesktest

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/livedesk/livedesk/channel"
)

// TwilioMedia is a fake of Twilio's media URLs on loopback: a media URL
// (https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Messages/MM.../Media/ME...)
// requires the account's Basic auth and redirects to a CDN URL
// (https://mms.twiliocdn.com/...) that serves the bytes without auth, as
// Twilio does when the account enforces HTTP auth on media. The CDN refuses
// a request carrying credentials, so a client that leaks them past the
// redirect fails. Client reaches both hosts; every request is recorded.
type TwilioMedia struct {
	srv *httptest.Server

	mu       sync.Mutex
	n        int
	media    map[string]fakeMedia // by media path
	cdn      map[string]fakeMedia // by CDN path
	requests []MediaRequest
}

type fakeMedia struct {
	account     string
	token       channel.Secret
	contentType string
	data        []byte
	redirect    string // instead of the CDN
}

// MediaRequest is one request the fake received.
type MediaRequest struct {
	// Host is the host the client asked for (api.twilio.com, mms.twiliocdn.com...).
	Host, Path string
	// Auth reports whether the request carried an Authorization header.
	Auth bool
}

// NewTwilioMedia starts a fake closed when the test ends.
func NewTwilioMedia(tb testing.TB) *TwilioMedia {
	tb.Helper()
	m := &TwilioMedia{media: map[string]fakeMedia{}, cdn: map[string]fakeMedia{}}
	m.srv = httptest.NewServer(http.HandlerFunc(m.serve))
	tb.Cleanup(m.srv.Close)
	return m
}

// Add stores media of the account, readable with token, and returns its
// media URL as Twilio posts it in MediaUrl0.
func (m *TwilioMedia) Add(accountSID string, token channel.Secret, contentType string, data []byte) string {
	return m.add(fakeMedia{account: accountSID, token: token, contentType: contentType, data: data})
}

// AddRedirect returns a media URL of the account whose authenticated GET
// redirects to target instead of the CDN.
func (m *TwilioMedia) AddRedirect(accountSID string, token channel.Secret, target string) string {
	return m.add(fakeMedia{account: accountSID, token: token, redirect: target})
}

func (m *TwilioMedia) add(f fakeMedia) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n++
	path := fmt.Sprintf("/2010-04-01/Accounts/%s/Messages/MM%032x/Media/ME%032x", f.account, m.n, m.n)
	m.media[path] = f
	m.cdn[fmt.Sprintf("/%s/%032x", f.account, m.n)] = f
	return "https://api.twilio.com" + path
}

// Remove deletes the media at mediaURL (as Add returned it), as an
// account deleting it does: its media URL and its CDN URL answer 404.
func (m *TwilioMedia) Remove(mediaURL string) {
	path := strings.TrimPrefix(mediaURL, "https://api.twilio.com")
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok := m.media[path]; ok {
		delete(m.media, path)
		delete(m.cdn, cdnPath(path, f.account))
	}
}

// Requests returns the requests received so far.
func (m *TwilioMedia) Requests() []MediaRequest {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]MediaRequest(nil), m.requests...)
}

// Client is an http.Client whose requests to api.twilio.com and
// *.twiliocdn.com reach the fake (any other host is refused); it follows
// redirects as http.Client does.
func (m *TwilioMedia) Client() *http.Client {
	target, _ := url.Parse(m.srv.URL)
	return &http.Client{Transport: &mediaRewrite{target: target, base: m.srv.Client().Transport}}
}

// mediaRewrite sends requests for Twilio's media hosts to the fake, telling
// it the host asked for.
type mediaRewrite struct {
	target *url.URL
	base   http.RoundTripper
}

func (t *mediaRewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Hostname()
	if host != "api.twilio.com" && !strings.HasSuffix(host, ".twiliocdn.com") {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, fmt.Errorf("livedesktest: refusing a request to %s: the fake only serves api.twilio.com and *.twiliocdn.com", req.URL.Host)
	}
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host = t.target.Scheme, t.target.Host
	r.Header.Set("X-Fake-Host", host)
	return t.base.RoundTrip(r)
}

func (m *TwilioMedia) serve(w http.ResponseWriter, r *http.Request) {
	host := r.Header.Get("X-Fake-Host")
	m.mu.Lock()
	m.requests = append(m.requests, MediaRequest{Host: host, Path: r.URL.Path, Auth: r.Header.Get("Authorization") != ""})
	api, cdn := m.media[r.URL.Path], m.cdn[r.URL.Path]
	m.mu.Unlock()
	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch host {
	case "api.twilio.com":
		if api.account == "" {
			writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
			return
		}
		user, pass, ok := r.BasicAuth()
		if !ok || user != api.account || subtle.ConstantTimeCompare([]byte(pass), []byte(api.token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
			writeError(w, http.StatusUnauthorized, 20003, "Authenticate")
			return
		}
		to := api.redirect
		if to == "" {
			to = "https://mms.twiliocdn.com" + cdnPath(r.URL.Path, api.account)
		}
		http.Redirect(w, r, to, http.StatusTemporaryRedirect)
	default: // the CDN
		if r.Header.Get("Authorization") != "" {
			http.Error(w, "credentials sent to the CDN", http.StatusBadRequest)
			return
		}
		if cdn.account == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", cdn.contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(cdn.data)))
		_, _ = w.Write(cdn.data)
	}
}

// cdnPath is the CDN path of a media path: /{account}/{n}.
func cdnPath(mediaPath, account string) string {
	i := strings.LastIndex(mediaPath, "/ME")
	return "/" + account + "/" + mediaPath[i+3:]
}
