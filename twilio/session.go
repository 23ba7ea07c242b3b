package twilio

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/livedesk/livedesk/channel"
	"github.com/twilio/twilio-go/client"
	apiv2010 "github.com/twilio/twilio-go/rest/api/v2010"
	contentv1 "github.com/twilio/twilio-go/rest/content/v1"
	messagingv1 "github.com/twilio/twilio-go/rest/messaging/v1"
	messagingv2 "github.com/twilio/twilio-go/rest/messaging/v2"
)

// ErrUnreachable is matched by the errors of the set-up calls
// (CheckChannel, ConfigureWebhook, SenderStatus, Typing, Templates) when
// Twilio could not be reached, did not answer in time, or answered 429 or
// 5xx: nothing is known about the channel and retrying later may succeed.
// Such errors are *CallError with Retryable() true.
var ErrUnreachable = errors.New("twilio: Twilio could not be reached")

// CallError is the error of a set-up call (not Send, see SendError) after
// local validation: Twilio refused the request, answered something
// unreadable, or could not be reached (Retryable, matches ErrUnreachable).
type CallError struct {
	// Op is what was attempted ("fetch account", "list WhatsApp senders"...).
	Op string
	// Status is the HTTP status, 0 when no response was received.
	Status int
	// Code is Twilio's error code (20003, 20404...), 0 when none.
	Code int
	// Message is Twilio's message or a description; never a credential.
	Message string
	// Err is the underlying error.
	Err error

	retry bool
}

// Error returns e.g. "twilio: fetch account: 401 (code 20003): Authenticate".
func (e *CallError) Error() string {
	switch {
	case e.Status != 0 && e.Code != 0:
		return fmt.Sprintf("twilio: %s: %d (code %d): %s", e.Op, e.Status, e.Code, e.Message)
	case e.Status != 0:
		return fmt.Sprintf("twilio: %s: %d: %s", e.Op, e.Status, e.Message)
	}
	return fmt.Sprintf("twilio: %s: %s", e.Op, e.Message)
}

// Unwrap returns the underlying error.
func (e *CallError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrUnreachable) true for retryable failures.
func (e *CallError) Is(target error) bool { return target == ErrUnreachable && e.retry }

// Retryable reports whether the same call may succeed later: Twilio was not
// reached, did not answer, or answered 429 or 5xx. The set-up calls only
// read, or set a value to what it already is on a retry, so repeating
// them is safe.
func (e *CallError) Retryable() bool { return e.retry }

// session is one set-up operation's twilio-go plumbing: services using the
// given credentials, with every request bound to ctx (see Messenger).
type session struct {
	call   *call
	rh     *client.RequestHandler
	secret string
}

// session returns a session authenticated as username/password on account.
func (m *Messenger) session(ctx context.Context, account, username, password string) *session {
	shared := m.clientFor(account, username, password)
	c := newCall(ctx, m.http)
	perCall := *shared // credentials and account; only HTTPClient differs
	perCall.HTTPClient = c.client
	return &session{call: c, rh: &client.RequestHandler{Client: &perCall, Edge: m.edge, Region: m.region}, secret: password}
}

// channelSession returns a session with the channel's sending credentials
// (its API key when set, its Auth Token otherwise).
func (m *Messenger) channelSession(ctx context.Context, t channel.Twilio) (*session, error) {
	username, password, err := credentials(t)
	if err != nil {
		return nil, err
	}
	return m.session(ctx, t.AccountSID, username, password), nil
}

func (s *session) api() *apiv2010.ApiService            { return apiv2010.NewApiService(s.rh) }
func (s *session) messagingV1() *messagingv1.ApiService { return messagingv1.NewApiService(s.rh) }
func (s *session) messagingV2() *messagingv2.ApiService { return messagingv2.NewApiService(s.rh) }
func (s *session) content() *contentv1.ApiService       { return contentv1.NewApiService(s.rh) }

// fail classifies what twilio-go returned for op. Unlike Send, a request
// that got no answer is retryable: set-up calls are safe to repeat.
func (s *session) fail(op string, err error) *CallError {
	if ctxErr := s.call.ctx.Err(); ctxErr != nil && s.call.status == 0 {
		return &CallError{Op: op, Message: "not completed: " + ctxErr.Error(), Err: err, retry: true}
	}
	e := classify(err, s.call.status, s.call.traced.Load(), s.call.wrote.Load())
	msg := e.Message
	if s.secret != "" {
		msg = strings.ReplaceAll(msg, s.secret, "[redacted]")
	}
	if e.Status == 0 && e.Code == 0 {
		msg = "could not reach Twilio or got no answer: " + err.Error()
	}
	return &CallError{Op: op, Status: e.Status, Code: e.Code, Message: msg, Err: err,
		retry: e.retry || (e.Status == 0 && e.Code == 0)}
}

// refused reports whether err is Twilio refusing the request (a 4xx with
// or without a code), as opposed to not answering usably.
func refused(err error) (*CallError, bool) {
	var ce *CallError
	if errors.As(err, &ce) && !ce.retry && ce.Status >= 400 && ce.Status < 500 {
		return ce, true
	}
	return ce, false
}

// codeText is " (20003)" for a Twilio code, "" without one.
func codeText(code int) string {
	if code == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d)", code)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
