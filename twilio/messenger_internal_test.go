package twilio

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/twilio/twilio-go/client"
)

const (
	accountA = "AC0123456789abcdef0123456789abcdef"
	accountB = "AC1123456789abcdef0123456789abcdef"
	keyA     = "SK0123456789abcdef0123456789abcdef"
)

func TestClientForReusesOneClientPerCredentials(t *testing.T) {
	m := NewMessenger(MessengerOptions{})
	c1 := m.clientFor(accountA, accountA, "token1")
	require.Same(t, c1, m.clientFor(accountA, accountA, "token1"), "same credentials, same client")
	require.Equal(t, accountA, c1.AccountSid())

	key := m.clientFor(accountA, keyA, "secret")
	require.NotSame(t, c1, key)
	require.Equal(t, accountA, key.AccountSid(), "an API key client must name the account")
	require.Equal(t, keyA, key.Username)

	other := m.clientFor(accountB, accountB, "token1")
	require.NotSame(t, c1, other)
	require.Len(t, m.clients, 3)

	rotated := m.clientFor(accountA, accountA, "token2")
	require.NotSame(t, c1, rotated, "a new token needs a new client")
	require.Equal(t, "token2", rotated.Password)
	require.Len(t, m.clients, 3, "the rotated client replaces the old one")
	require.Same(t, rotated, m.clientFor(accountA, accountA, "token2"))
}

func TestClientCacheIsBounded(t *testing.T) {
	m := NewMessenger(MessengerOptions{})
	for i := range maxClients + 10 {
		m.clientFor(accountA, fmt.Sprintf("SK%032x", i), "secret")
	}
	require.LessOrEqual(t, len(m.clients), maxClients)
}

func TestClassifyWithoutTransportHints(t *testing.T) {
	dial := &url.Error{Op: "Post", URL: "https://api.twilio.com/x", Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}}
	dns := &url.Error{Op: "Post", URL: "https://api.twilio.com/x", Err: &net.DNSError{Err: "no such host", Name: "api.twilio.com"}}
	reset := &url.Error{Op: "Post", URL: "https://api.twilio.com/x", Err: &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}}
	tests := []struct {
		name          string
		err           error
		status        int
		traced, wrote bool
		wantStatus    int
		retry, ambig  bool
	}{
		{"non-JSON 502 parsed from twilio-go's text", errors.New("error decoding the response for an HTTP error code: 502: invalid character '<' looking for beginning of value"), 0, true, true, 502, true, false},
		{"non-JSON 404 parsed from twilio-go's text", errors.New("error decoding the response for an HTTP error code: 404: EOF"), 0, true, true, 404, false, false},
		{"unreadable 201 body", errors.New("unexpected EOF"), 201, true, true, 201, false, true},
		{"traced, not written", reset, 0, true, false, 0, true, false},
		{"traced, written, reset", reset, 0, true, true, 0, false, true},
		{"untraced dial error", dial, 0, false, false, 0, true, false},
		{"untraced DNS error", dns, 0, false, false, 0, true, false},
		{"untraced other error is assumed sent", reset, 0, false, false, 0, false, true},
		{"synthetic twilio-go error without response", &client.TwilioRestError{Status: 400, Code: 21222, Message: "Invalid Username. Illegal chars"}, 0, false, false, 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := classify(tt.err, tt.status, tt.traced, tt.wrote)
			require.Equal(t, tt.wantStatus, e.Status)
			require.Equal(t, tt.retry, e.Retryable())
			require.Equal(t, tt.ambig, e.Ambiguous())
			require.ErrorIs(t, e, tt.err)
		})
	}
}

func TestSendErrorRedactsTheSecret(t *testing.T) {
	c := &call{}
	e := c.sendError(errors.New("proxy said: bad password s3cr3tT0ken"), "s3cr3tT0ken")
	require.NotContains(t, e.Error(), "s3cr3tT0ken")
	require.Contains(t, e.Error(), "[redacted]")
}

func TestSendErrorText(t *testing.T) {
	tests := []struct {
		name string
		e    SendError
		want string
	}{
		{"status and code", SendError{Status: 429, Code: 20429, Message: "Too Many Requests"}, "twilio: send failed: 429 (code 20429): Too Many Requests"},
		{"status only", SendError{Status: 502, Message: "bad gateway"}, "twilio: send failed: 502: bad gateway"},
		{"code only", SendError{Code: 21224, Message: "Invalid Password. Illegal chars"}, "twilio: send failed (code 21224): Invalid Password. Illegal chars"},
		{"neither", SendError{Message: "could not reach Twilio"}, "twilio: send failed: could not reach Twilio"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, tt.e.Error())
		})
	}
}

func BenchmarkClassify(b *testing.B) {
	err := &client.TwilioRestError{Status: 429, Code: 20429, Message: "Too Many Requests"}
	b.ReportAllocs()
	for b.Loop() {
		if !classify(err, 429, true, true).Retryable() {
			b.Fatal("not retryable")
		}
	}
}
