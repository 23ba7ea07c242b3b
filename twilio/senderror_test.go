package twilio_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/twilio/twilio-go/client"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/twilio"
)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// closedPort returns a loopback address nothing listens on.
func closedPort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

func TestSendErrorClassification(t *testing.T) {
	type want struct {
		status, code int
		retryable    bool
		ambiguous    bool
		text         string // the whole Error(), when set
		rest         bool   // Err is a *client.TwilioRestError
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, api *livedesktest.TwilioAPI) (*twilio.Messenger, channel.Channel)
		want  want
	}{
		{
			name:  "429 too many requests is retryable",
			setup: failing(func(api *livedesktest.TwilioAPI) { api.FailNext(429, 20429, "Too Many Requests") }),
			want: want{status: 429, code: 20429, retryable: true, rest: true,
				text: "twilio: send failed: 429 (code 20429): Too Many Requests"},
		},
		{
			name:  "code 20429 alone is retryable",
			setup: failing(func(api *livedesktest.TwilioAPI) { api.FailNext(400, 20429, "Too Many Requests") }),
			want:  want{status: 400, code: 20429, retryable: true, rest: true},
		},
		{
			name:  "500 with Twilio's JSON is retryable",
			setup: failing(func(api *livedesktest.TwilioAPI) { api.FailNext(500, 20500, "Internal Server Error") }),
			want:  want{status: 500, code: 20500, retryable: true, rest: true},
		},
		{
			name:  "502 HTML page from a proxy is retryable",
			setup: failing(func(api *livedesktest.TwilioAPI) { api.FailNextHTML(502) }),
			want: want{status: 502, retryable: true,
				text: "twilio: send failed: 502: Twilio answered Bad Gateway with a body that is not Twilio's JSON error (a proxy or outage page)"},
		},
		{
			name:  "503 is retryable",
			setup: failing(func(api *livedesktest.TwilioAPI) { api.FailNext(503, 20503, "Service Unavailable") }),
			want:  want{status: 503, code: 20503, retryable: true, rest: true},
		},
		{
			name:  "504 HTML is retryable",
			setup: failing(func(api *livedesktest.TwilioAPI) { api.FailNextHTML(504) }),
			want:  want{status: 504, retryable: true},
		},
		{
			name:  "501 is permanent",
			setup: failing(func(api *livedesktest.TwilioAPI) { api.FailNextHTML(501) }),
			want:  want{status: 501},
		},
		{
			name: "connection refused is retryable",
			setup: func(t *testing.T, api *livedesktest.TwilioAPI) (*twilio.Messenger, channel.Channel) {
				addr := closedPort(t)
				tr := http.DefaultTransport.(*http.Transport).Clone()
				t.Cleanup(tr.CloseIdleConnections)
				hc := &http.Client{Timeout: 10 * time.Second, Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
					r = r.Clone(r.Context())
					r.URL.Scheme, r.URL.Host = "http", addr
					return tr.RoundTrip(r)
				})}
				return twilio.NewMessenger(twilio.MessengerOptions{HTTPClient: hc}), classicChannel()
			},
			want: want{retryable: true},
		},
		{
			name: "timeout after the request was sent is permanent and ambiguous",
			setup: func(t *testing.T, api *livedesktest.TwilioAPI) (*twilio.Messenger, channel.Channel) {
				api.HangNext()
				hc := api.Client()
				hc.Timeout = 100 * time.Millisecond
				return twilio.NewMessenger(twilio.MessengerOptions{HTTPClient: hc}), classicChannel()
			},
			want: want{ambiguous: true},
		},
		{
			name:  "21211 invalid To is permanent",
			setup: failing(func(api *livedesktest.TwilioAPI) { api.FailNext(400, 21211, "Invalid 'To' Phone Number: +1415555") }),
			want: want{status: 400, code: 21211, rest: true,
				text: "twilio: send failed: 400 (code 21211): Invalid 'To' Phone Number: +1415555"},
		},
		{
			name: "20003 wrong token is permanent",
			setup: func(t *testing.T, api *livedesktest.TwilioAPI) (*twilio.Messenger, channel.Channel) {
				ch := classicChannel()
				ch.Twilio.AuthToken = "wrong0123456789abcdef0123456789a"
				return api.Messenger(), ch
			},
			want: want{status: 401, code: 20003, rest: true, text: "twilio: send failed: 401 (code 20003): Authenticate"},
		},
		{
			name:  "63016 outside the window is permanent",
			setup: failing(func(api *livedesktest.TwilioAPI) { api.FailNext(400, 63016, "Outside messaging window") }),
			want:  want{status: 400, code: 63016, rest: true},
		},
		{
			name: "63007 unknown sender is permanent",
			setup: failing(func(api *livedesktest.TwilioAPI) {
				api.FailNext(400, 63007, "Twilio could not find a Channel with the specified From address")
			}),
			want: want{status: 400, code: 63007, rest: true},
		},
		{
			name: "21610 unsubscribed is permanent",
			setup: failing(func(api *livedesktest.TwilioAPI) {
				api.FailNext(400, 21610, "Attempt to send to unsubscribed recipient")
			}),
			want: want{status: 400, code: 21610, rest: true},
		},
		{
			name: "non-alphanumeric token: twilio-go refuses before any request",
			setup: func(t *testing.T, api *livedesktest.TwilioAPI) (*twilio.Messenger, channel.Channel) {
				ch := classicChannel()
				ch.Twilio.AuthToken = "tok-en/with+symbols"
				return api.Messenger(), ch
			},
			want: want{code: 21224, rest: true, text: "twilio: send failed (code 21224): Invalid Password. Illegal chars"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newAPI(t)
			m, ch := tt.setup(t, api)
			_, err := m.Send(t.Context(), ch, channel.Envelope{To: testCustomer, Text: "Hi"})
			require.Error(t, err)
			var se *twilio.SendError
			require.ErrorAs(t, err, &se)
			require.Equal(t, tt.want.status, se.Status, "status")
			require.Equal(t, tt.want.code, se.Code, "code")
			require.Equal(t, tt.want.retryable, se.Retryable(), "retryable: %v", err)
			require.Equal(t, tt.want.ambiguous, se.Ambiguous(), "ambiguous: %v", err)
			require.Equal(t, tt.want.retryable, twilio.IsRetryable(fmt.Errorf("outbox: %w", err)))
			if tt.want.text != "" {
				require.Equal(t, tt.want.text, err.Error())
			}
			var rest *client.TwilioRestError
			require.Equal(t, tt.want.rest, errors.As(err, &rest), "wraps TwilioRestError")
			require.NotContains(t, err.Error(), string(ch.Twilio.AuthToken))
			require.NotContains(t, fmt.Sprintf("%+v %#v", err, err), string(ch.Twilio.AuthToken))
			require.Empty(t, api.Sent())
		})
	}
}

func failing(inject func(*livedesktest.TwilioAPI)) func(*testing.T, *livedesktest.TwilioAPI) (*twilio.Messenger, channel.Channel) {
	return func(_ *testing.T, api *livedesktest.TwilioAPI) (*twilio.Messenger, channel.Channel) {
		inject(api)
		return api.Messenger(), classicChannel()
	}
}

func TestSendRecoversAfterRetryableFailure(t *testing.T) {
	api := newAPI(t)
	api.FailNext(429, 20429, "Too Many Requests")
	m := api.Messenger()
	msg := channel.Envelope{To: testCustomer, Text: "Hi"}
	_, err := m.Send(t.Context(), classicChannel(), msg)
	require.True(t, twilio.IsRetryable(err))
	r, err := m.Send(t.Context(), classicChannel(), msg)
	require.NoError(t, err)
	require.Equal(t, 2, api.Requests())
	require.Equal(t, r.SID, api.Sent()[0].SID)
}

func TestIsRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain error", errors.New("boom"), false},
		{"validation error", fmt.Errorf("%w: To is empty", twilio.ErrInvalidEnvelope), false},
		{"retryable method, wrapped twice", fmt.Errorf("a: %w", fmt.Errorf("b: %w", retryableErr(true))), true},
		{"retryable method false", retryableErr(false), false},
		{"joined", errors.Join(errors.New("x"), retryableErr(true)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, twilio.IsRetryable(tt.err))
		})
	}
}

type retryableErr bool

func (r retryableErr) Error() string   { return "retryable?" }
func (r retryableErr) Retryable() bool { return bool(r) }

// toServer sends every request to srv, keeping its path, auth and body.
func toServer(srv *httptest.Server) http.RoundTripper {
	target, _ := url.Parse(srv.URL)
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host = target.Scheme, target.Host
		return srv.Client().Transport.RoundTrip(r)
	})
}

func TestSendUnreadableSuccessIsAmbiguous(t *testing.T) {
	tests := []struct {
		name, body string
	}{
		{"HTML body", "<html>ok</html>"},
		{"no sid", `{"status":"queued"}`},
		{"truncated JSON", `{"sid":"SM0123`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusCreated)
				_, _ = io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			m := twilio.NewMessenger(twilio.MessengerOptions{HTTPClient: &http.Client{Transport: toServer(srv)}})
			_, err := m.Send(t.Context(), classicChannel(), channel.Envelope{To: testCustomer, Text: "Hi"})
			var se *twilio.SendError
			require.ErrorAs(t, err, &se)
			require.Equal(t, http.StatusCreated, se.Status)
			require.True(t, se.Ambiguous(), "Twilio accepted something: %v", err)
			require.False(t, se.Retryable())
		})
	}
}
