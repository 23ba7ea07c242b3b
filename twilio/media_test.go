package twilio_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/twilio"
)

var jpeg = []byte("\xff\xd8\xff\xe0 a small JPEG")

func TestFetchMedia(t *testing.T) {
	creds := classicChannel().Twilio
	tests := []struct {
		name      string
		url       func(m *livedesktest.TwilioMedia) string
		creds     channel.Twilio
		max       int64
		wantErr   error
		errText   string
		noRequest bool // the URL is refused before any request
	}{
		{
			name: "the media URL with Basic auth, then the CDN without it",
			url:  func(m *livedesktest.TwilioMedia) string { return m.Add(testAccount, testToken, "image/jpeg", jpeg) },
			max:  1 << 20,
		},
		{
			name:    "larger than the cap",
			url:     func(m *livedesktest.TwilioMedia) string { return m.Add(testAccount, testToken, "image/jpeg", jpeg) },
			max:     int64(len(jpeg) - 1),
			wantErr: twilio.ErrMediaTooLarge,
		},
		{
			name: "another account's URL is not fetched",
			url: func(m *livedesktest.TwilioMedia) string {
				return m.Add("AC"+strings.Repeat("9", 32), testToken, "image/jpeg", jpeg)
			},
			max:       1 << 20,
			wantErr:   twilio.ErrMediaURL,
			noRequest: true,
		},
		{
			name: "a host that is not Twilio's is not fetched",
			url: func(*livedesktest.TwilioMedia) string {
				return "https://evil.example.com/2010-04-01/Accounts/" + testAccount + "/Messages/MM1/Media/ME1"
			},
			max:       1 << 20,
			wantErr:   twilio.ErrMediaURL,
			noRequest: true,
		},
		{
			name: "plain http is not fetched",
			url: func(m *livedesktest.TwilioMedia) string {
				return strings.Replace(m.Add(testAccount, testToken, "image/jpeg", jpeg), "https:", "http:", 1)
			},
			max:       1 << 20,
			wantErr:   twilio.ErrMediaURL,
			noRequest: true,
		},
		{
			name: "a redirect away from Twilio is not followed",
			url: func(m *livedesktest.TwilioMedia) string {
				return m.AddRedirect(testAccount, testToken, "https://evil.example.com/steal")
			},
			max:     1 << 20,
			wantErr: twilio.ErrMediaURL,
		},
		{
			name: "deleted media",
			url: func(*livedesktest.TwilioMedia) string {
				return "https://api.twilio.com/2010-04-01/Accounts/" + testAccount + "/Messages/MM1/Media/ME404"
			},
			max:     1 << 20,
			wantErr: twilio.ErrMediaNotFound,
		},
		{
			name:    "wrong token",
			url:     func(m *livedesktest.TwilioMedia) string { return m.Add(testAccount, testToken, "image/jpeg", jpeg) },
			creds:   channel.Twilio{AccountSID: testAccount, AuthToken: "wrong0123456789abcdef0123456789ab"},
			max:     1 << 20,
			errText: "twilio: fetch media: HTTP 401",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := livedesktest.NewTwilioMedia(t)
			f := twilio.NewMediaFetcher(twilio.MediaOptions{HTTPClient: m.Client()})
			c := creds
			if tt.creds.AccountSID != "" {
				c = tt.creds
			}
			ct, data, err := f.FetchMedia(context.Background(), c, tt.url(m), tt.max)
			if tt.noRequest {
				require.Empty(t, m.Requests(), "no request may be made")
			}
			switch {
			case tt.wantErr != nil:
				require.ErrorIs(t, err, tt.wantErr)
			case tt.errText != "":
				require.EqualError(t, err, tt.errText)
			default:
				require.NoError(t, err)
				require.Equal(t, "image/jpeg", ct)
				require.Equal(t, jpeg, data)
				reqs := m.Requests()
				require.Len(t, reqs, 2)
				require.Equal(t, "api.twilio.com", reqs[0].Host)
				require.True(t, reqs[0].Auth)
				require.Equal(t, "mms.twiliocdn.com", reqs[1].Host)
				require.False(t, reqs[1].Auth, "credentials must not follow the redirect to the CDN")
				return
			}
			require.Nil(t, data)
			require.NotContains(t, err.Error(), string(testToken))
		})
	}
}

// A body without Content-Length is cut at the cap as it is read.
func TestFetchMediaCapsAStream(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		for range 64 {
			_, _ = w.Write(make([]byte, 1024))
			w.(http.Flusher).Flush() // chunked: no Content-Length
		}
	}))
	defer srv.Close()
	target, _ := url.Parse(srv.URL)
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host = target.Scheme, target.Host
		return http.DefaultTransport.RoundTrip(r)
	})}
	f := twilio.NewMediaFetcher(twilio.MediaOptions{HTTPClient: client})
	u := "https://api.twilio.com/2010-04-01/Accounts/" + testAccount + "/Messages/MM1/Media/ME1"
	_, data, err := f.FetchMedia(context.Background(), classicChannel().Twilio, u, 10_000)
	require.ErrorIs(t, err, twilio.ErrMediaTooLarge)
	require.Nil(t, data)
	ct, data, err := f.FetchMedia(context.Background(), classicChannel().Twilio, u, 64*1024)
	require.NoError(t, err)
	require.Equal(t, "image/png", ct)
	require.Len(t, data, 64*1024)
}
