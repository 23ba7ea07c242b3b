package livedesk_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
)

// TestSignatureDiagnosis: a request signed over another URL than PublicURL
// gives (the host a proxy forwards, the scheme it terminates) and one
// signed with a wrong Auth Token are both refused with 403, and the log
// line says which it is.
func TestSignatureDiagnosis(t *testing.T) {
	cases := []struct {
		name   string
		signed func(id string) string
		token  string
		tamper func(*http.Request)
		want   func(id string) string
	}{
		{
			name:   "Host of a proxy that forwards it",
			signed: func(id string) string { return "https://chat.example.org/livedesk/twilio/" + id },
			tamper: func(r *http.Request) { r.Host = "chat.example.org" },
			want: func(id string) string {
				return "Twilio signed https://chat.example.org/livedesk/twilio/" + id +
					"; PublicURL gives https://desk.example.com/livedesk/twilio/" + id
			},
		},
		{
			name:   "X-Forwarded-Host and X-Forwarded-Proto",
			signed: func(id string) string { return "http://edge.example.net/livedesk/twilio/" + id + "/status?o=1" },
			tamper: func(r *http.Request) {
				r.Header.Set("X-Forwarded-Host", "edge.example.net")
				r.Header.Set("X-Forwarded-Proto", "http")
			},
			want: func(id string) string {
				return "Twilio signed http://edge.example.net/livedesk/twilio/" + id + "/status?o=1" +
					"; PublicURL gives https://desk.example.com/livedesk/twilio/" + id + "/status?o=1"
			},
		},
		{
			name:   "wrong Auth Token",
			signed: func(id string) string { return livedesktest.PublicURL + "/twilio/" + id },
			token:  "ffffffffffffffffffffffffffffffff",
			want:   func(string) string { return "no URL matches: check the Auth Token" },
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, logs := newHarness(t)
			ch := h.AddChannel()
			signed := c.signed(ch.ID)
			form := livedesktest.Message{Body: "hi"}.Form(ch)
			resp, _ := h.PostForm(ch, signed, form, func(r *http.Request) {
				if c.token != "" {
					u, _ := url.Parse(signed)
					r.Header.Set("X-Twilio-Signature", livedesktest.Sign(channel.Secret(c.token), u.String(), form))
				}
				if c.tamper != nil {
					c.tamper(r)
				}
			})
			require.Equal(t, http.StatusForbidden, resp.StatusCode, "a diagnosis never accepts a request")
			require.Equal(t, 0, messageCount(t, h, ch))
			line := ""
			for _, l := range strings.Split(logs.String(), "\n") {
				if strings.Contains(l, "webhook rejected") {
					line = l
				}
			}
			require.Contains(t, line, c.want(ch.ID), "log: %s", logs.String())
		})
	}
}

// TestSignatureDiagnosisRateLimited: the diagnosis (a few dozen HMACs) is
// only made for rejection lines the rate limit lets through: a flood of
// forged requests gets 20 diagnosed lines, not one per request.
func TestSignatureDiagnosisRateLimited(t *testing.T) {
	h, logs := newHarness(t)
	ch := h.AddChannel()
	form := livedesktest.Message{Body: "hi"}.Form(ch)
	for range 100 {
		resp, _ := h.PostForm(ch, h.Desk.WebhookURL(ch.ID), form, func(r *http.Request) {
			r.Header.Set("X-Twilio-Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
		})
		require.Equal(t, http.StatusForbidden, resp.StatusCode)
	}
	require.Equal(t, 20, strings.Count(logs.String(), "diagnosis="), "the rejection log's burst, and no more")
}
