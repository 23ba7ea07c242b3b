package twilio_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/twilio"
)

const (
	testAccount                  = "AC0123456789abcdef0123456789abcdef"
	testToken     channel.Secret = "tok0123456789abcdef0123456789abcd"
	testKeySID                   = "SK0123456789abcdef0123456789abcdef"
	testKeySecret channel.Secret = "keysecret0123456789abcdef01234567"
	testService                  = "MG0123456789abcdef0123456789abcdef"
	testSender                   = "+14155238886"
	testCustomer                 = "+14155550100"
	testCallback                 = "https://desk.example.com/livedesk/status/ch1"
	testContent                  = "HX0123456789abcdef0123456789abcdef"
)

func classicChannel() channel.Channel {
	return channel.Channel{ID: "ch1", Name: "Support", Twilio: channel.Twilio{
		AccountSID: testAccount, AuthToken: testToken, PhoneNumber: testSender,
	}}
}

func serviceChannel() channel.Channel {
	return channel.Channel{ID: "ch2", Name: "Support", Twilio: channel.Twilio{
		AccountSID: testAccount, AuthToken: testToken, MessagingServiceSID: testService,
	}}
}

func newAPI(t testing.TB) *livedesktest.TwilioAPI {
	api := livedesktest.NewTwilioAPI(t)
	api.SetAuthToken(testAccount, testToken)
	return api
}

func TestSendMapsEnvelopeToTwilio(t *testing.T) {
	tests := []struct {
		name   string
		ch     channel.Channel
		msg    channel.Envelope
		status string
		check  func(t *testing.T, m livedesktest.SentMessage)
	}{
		{
			name: "classic mode sends from the channel's number", ch: classicChannel(),
			msg: channel.Envelope{To: testCustomer, Text: "Hello"}, status: "queued",
			check: func(t *testing.T, m livedesktest.SentMessage) {
				require.Equal(t, "whatsapp:"+testCustomer, m.To)
				require.Equal(t, "whatsapp:"+testSender, m.From)
				require.Equal(t, "Hello", m.Body)
				require.Empty(t, m.MessagingServiceSID)
				require.False(t, m.Form.Has("StatusCallback"))
				require.False(t, m.Form.Has("ContentSid"))
			},
		},
		{
			name: "classic mode ignores Envelope.From", ch: classicChannel(),
			msg: channel.Envelope{To: testCustomer, From: "+14155559999", Text: "Hi"}, status: "queued",
			check: func(t *testing.T, m livedesktest.SentMessage) {
				require.Equal(t, "whatsapp:"+testSender, m.From)
			},
		},
		{
			name: "messaging service without From lets Twilio choose", ch: serviceChannel(),
			msg: channel.Envelope{To: testCustomer, Text: "Hi"}, status: "accepted",
			check: func(t *testing.T, m livedesktest.SentMessage) {
				require.Equal(t, testService, m.MessagingServiceSID)
				require.False(t, m.Form.Has("From"))
			},
		},
		{
			name: "messaging service with From pins the sender", ch: serviceChannel(),
			msg: channel.Envelope{To: testCustomer, From: testSender, Text: "Hi"}, status: "queued",
			check: func(t *testing.T, m livedesktest.SentMessage) {
				require.Equal(t, testService, m.MessagingServiceSID)
				require.Equal(t, "whatsapp:"+testSender, m.From)
			},
		},
		{
			name: "media with a caption", ch: classicChannel(),
			msg: channel.Envelope{To: testCustomer, Text: "the invoice", MediaURLs: []string{
				"https://cdn.example.com/a.pdf", "https://cdn.example.com/b.jpg"}}, status: "queued",
			check: func(t *testing.T, m livedesktest.SentMessage) {
				require.Equal(t, []string{"https://cdn.example.com/a.pdf", "https://cdn.example.com/b.jpg"}, m.MediaURLs)
				require.Equal(t, "the invoice", m.Body)
				require.True(t, strings.HasPrefix(m.SID, "MM"), m.SID)
			},
		},
		{
			name: "media alone sends no Body", ch: classicChannel(),
			msg:    channel.Envelope{To: testCustomer, MediaURLs: []string{"https://cdn.example.com/a.jpg"}},
			status: "queued",
			check: func(t *testing.T, m livedesktest.SentMessage) {
				require.False(t, m.Form.Has("Body"))
				require.Len(t, m.MediaURLs, 1)
			},
		},
		{
			name: "content template with variables as JSON and no Body", ch: classicChannel(),
			msg: channel.Envelope{To: testCustomer, ContentSID: testContent, Text: "ignored",
				MediaURLs:        []string{"https://cdn.example.com/ignored.jpg"},
				ContentVariables: map[string]string{"1": "Ana", "2": "#123"}}, status: "queued",
			check: func(t *testing.T, m livedesktest.SentMessage) {
				require.Equal(t, testContent, m.ContentSID)
				require.JSONEq(t, `{"1":"Ana","2":"#123"}`, m.ContentVariables)
				require.False(t, m.Form.Has("Body"))
				require.False(t, m.Form.Has("MediaUrl"))
			},
		},
		{
			name: "content template without variables", ch: classicChannel(),
			msg: channel.Envelope{To: testCustomer, ContentSID: testContent}, status: "queued",
			check: func(t *testing.T, m livedesktest.SentMessage) {
				require.False(t, m.Form.Has("ContentVariables"))
			},
		},
		{
			name: "status callback", ch: classicChannel(),
			msg: channel.Envelope{To: testCustomer, Text: "Hi", StatusCallback: testCallback}, status: "queued",
			check: func(t *testing.T, m livedesktest.SentMessage) {
				require.Equal(t, testCallback, m.StatusCallback)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newAPI(t)
			r, err := api.Messenger().Send(t.Context(), tt.ch, tt.msg)
			require.NoError(t, err)
			sent := api.Sent()
			require.Len(t, sent, 1)
			m := sent[0]
			require.Equal(t, m.SID, r.SID)
			require.Equal(t, tt.status, r.Status)
			require.Equal(t, testAccount, m.AccountSID)
			require.Equal(t, testAccount, m.Username)
			tt.check(t, m)
		})
	}
}

func TestSendWithAPIKey(t *testing.T) {
	api := livedesktest.NewTwilioAPI(t) // no Auth Token registered: only the key works
	api.AddAPIKey(testAccount, testKeySID, testKeySecret)
	ch := classicChannel()
	ch.Twilio.APIKeySID, ch.Twilio.APIKeySecret = testKeySID, testKeySecret

	r, err := api.Messenger().Send(t.Context(), ch, channel.Envelope{To: testCustomer, Text: "Hi"})
	require.NoError(t, err)
	m := api.Sent()[0]
	require.Equal(t, r.SID, m.SID)
	require.Equal(t, testKeySID, m.Username)
	require.Equal(t, testAccount, m.AccountSID, "the path must name the account, not the key")
}

func TestSendRejectsInvalidInputLocally(t *testing.T) {
	noSender := classicChannel()
	noSender.Twilio.PhoneNumber = ""
	noAccount := classicChannel()
	noAccount.Twilio.AccountSID = ""
	noToken := classicChannel()
	noToken.Twilio.AuthToken = ""
	keyNoSecret := classicChannel()
	keyNoSecret.Twilio.APIKeySID = testKeySID
	tests := []struct {
		name string
		ch   channel.Channel
		msg  channel.Envelope
		want error
	}{
		{"empty To", classicChannel(), channel.Envelope{Text: "Hi"}, twilio.ErrInvalidEnvelope},
		{"To with the whatsapp prefix", classicChannel(), channel.Envelope{To: "whatsapp:" + testCustomer, Text: "Hi"}, twilio.ErrInvalidEnvelope},
		{"To without plus", classicChannel(), channel.Envelope{To: "14155550100", Text: "Hi"}, twilio.ErrInvalidEnvelope},
		{"malformed From", serviceChannel(), channel.Envelope{To: testCustomer, From: "4155", Text: "Hi"}, twilio.ErrInvalidEnvelope},
		{"nothing to send", classicChannel(), channel.Envelope{To: testCustomer}, twilio.ErrInvalidEnvelope},
		{"variables without content", classicChannel(), channel.Envelope{To: testCustomer, Text: "Hi",
			ContentVariables: map[string]string{"1": "x"}}, twilio.ErrInvalidEnvelope},
		{"text too long", classicChannel(), channel.Envelope{To: testCustomer,
			Text: strings.Repeat("é", channel.MaxTextLength+1)}, twilio.ErrInvalidEnvelope},
		{"no sender", noSender, channel.Envelope{To: testCustomer, Text: "Hi"}, twilio.ErrInvalidChannel},
		{"no account", noAccount, channel.Envelope{To: testCustomer, Text: "Hi"}, twilio.ErrInvalidChannel},
		{"no token", noToken, channel.Envelope{To: testCustomer, Text: "Hi"}, twilio.ErrInvalidChannel},
		{"API key without secret", keyNoSecret, channel.Envelope{To: testCustomer, Text: "Hi"}, twilio.ErrInvalidChannel},
	}
	api := newAPI(t)
	m := api.Messenger()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.Send(t.Context(), tt.ch, tt.msg)
			require.ErrorIs(t, err, tt.want)
			require.False(t, twilio.IsRetryable(err))
			var se *twilio.SendError
			require.False(t, errors.As(err, &se), "validation errors are not SendErrors")
		})
	}
	require.Zero(t, api.Requests())
}

func TestSendWithDoneContextSendsNothing(t *testing.T) {
	api := newAPI(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := api.Messenger().Send(ctx, classicChannel(), channel.Envelope{To: testCustomer, Text: "Hi"})
	require.ErrorIs(t, err, context.Canceled)
	require.True(t, twilio.IsRetryable(err), "nothing was sent")
	require.Zero(t, api.Requests())
}

func TestSendContextAbortsRequestInFlight(t *testing.T) {
	api := newAPI(t)
	api.HangNext()
	m := api.Messenger() // 10 s client timeout: only ctx can end this early
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := m.Send(ctx, classicChannel(), channel.Envelope{To: testCustomer, Text: "Hi"})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Less(t, time.Since(start), 5*time.Second)
	var se *twilio.SendError
	require.ErrorAs(t, err, &se)
	require.False(t, se.Retryable(), "the request was sent: Twilio may have it")
	require.True(t, se.Ambiguous())
	require.Equal(t, 1, api.Requests())

	// The same messenger and client keep working afterwards.
	_, err = m.Send(t.Context(), classicChannel(), channel.Envelope{To: testCustomer, Text: "again"})
	require.NoError(t, err)
}

func TestSendConcurrently(t *testing.T) {
	api := newAPI(t)
	api.AddAPIKey(testAccount, testKeySID, testKeySecret)
	m := api.Messenger()
	keyed := classicChannel()
	keyed.Twilio.APIKeySID, keyed.Twilio.APIKeySecret = testKeySID, testKeySecret
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			ch := classicChannel()
			if i%2 == 1 {
				ch = keyed
			}
			_, errs[i] = m.Send(t.Context(), ch, channel.Envelope{To: testCustomer, Text: fmt.Sprint(i)})
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	sids := map[string]bool{}
	users := map[string]int{}
	for _, s := range api.Sent() {
		sids[s.SID] = true
		users[s.Username]++
	}
	require.Len(t, sids, n)
	require.Equal(t, map[string]int{testAccount: n / 2, testKeySID: n / 2}, users)
}

func TestSendUsesEdgeAndRegion(t *testing.T) {
	api := newAPI(t)
	hc := api.Client()
	var hosts []string
	var mu sync.Mutex
	base := hc.Transport
	hc.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		hosts = append(hosts, r.URL.Host)
		mu.Unlock()
		return base.RoundTrip(r)
	})
	m := twilio.NewMessenger(twilio.MessengerOptions{HTTPClient: hc, Edge: "dublin", Region: "ie1"})
	_, err := m.Send(t.Context(), classicChannel(), channel.Envelope{To: testCustomer, Text: "Hi"})
	require.NoError(t, err)
	require.Equal(t, []string{"api.dublin.ie1.twilio.com"}, hosts)
}

func BenchmarkSend(b *testing.B) {
	api := newAPI(b)
	m := api.Messenger()
	ch := classicChannel()
	msg := channel.Envelope{To: testCustomer, Text: "Hello", StatusCallback: testCallback}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Send(b.Context(), ch, msg); err != nil {
			b.Fatal(err)
		}
	}
}
