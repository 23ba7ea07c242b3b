package twilio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/twilio/twilio-go/client"
)

// SendError is the error Send returns for every failure after local
// validation: Twilio refused the message, answered something unreadable, or
// could not be reached. It says whether the outbox may retry.
//
// Retryable is true only when retrying cannot, or is very unlikely to,
// send the message twice:
//   - 429 or Twilio code 20429 (too many requests: never processed);
//   - 500, 502, 503, 504, including proxy pages that are not Twilio's JSON
//     (a small duplicate risk Twilio itself accepts);
//   - the request was never completely sent: DNS, dial and connection
//     errors, a ctx cancelled before the request went out.
//
// Everything else is permanent: 4xx answers with a Twilio code (20003
// authentication, 20404, 21211 bad To, 21606 bad From, 21408 region,
// 21610 unsubscribed, 21654-21656 content, 63007 unknown sender...), and
// above all a request that was sent but got no answer (a client timeout, a
// connection reset while waiting, a cancelled ctx). Twilio may have accepted
// such a message, and WhatsApp messages cannot be recalled, so it must not be
// resent blindly (see Ambiguous): the desk waits for a status callback to
// settle it and tries again only if none comes.
type SendError struct {
	// Code is Twilio's error code (20429, 21211, 63016...), 0 when none.
	Code int
	// Status is the HTTP status, 0 when no response was received.
	Status int
	// Message is Twilio's message, or a description of what happened. It
	// never contains credentials.
	Message string
	// Err is the underlying error: a *client.TwilioRestError when Twilio
	// answered with its JSON error, the transport's error otherwise.
	Err error

	retry     bool
	ambiguous bool
}

// Error returns e.g. "twilio: send failed: 429 (code 20429): Too Many Requests".
func (e *SendError) Error() string {
	switch {
	case e.Status != 0 && e.Code != 0:
		return fmt.Sprintf("twilio: send failed: %d (code %d): %s", e.Status, e.Code, e.Message)
	case e.Status != 0:
		return fmt.Sprintf("twilio: send failed: %d: %s", e.Status, e.Message)
	case e.Code != 0:
		return fmt.Sprintf("twilio: send failed (code %d): %s", e.Code, e.Message)
	}
	return "twilio: send failed: " + e.Message
}

// Unwrap returns the underlying error.
func (e *SendError) Unwrap() error { return e.Err }

// Retryable reports whether sending the same message again is safe (see
// SendError).
func (e *SendError) Retryable() bool { return e.retry }

// Ambiguous reports whether the request reached Twilio but no usable answer
// came back, so the message may or may not exist. It is never retryable; a
// human (or a reconciliation with Twilio's message list) has to decide.
func (e *SendError) Ambiguous() bool { return e.ambiguous }

// IsRetryable reports whether err, or an error it wraps, has a
// Retryable() bool method returning true: the contract of
// channel.Messenger.
func IsRetryable(err error) bool {
	var r interface{ Retryable() bool }
	return errors.As(err, &r) && r.Retryable()
}

// retryableStatus lists the HTTP statuses worth retrying.
func retryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// codeTooManyRequests is Twilio's error code for a rate-limited request.
const codeTooManyRequests = 20429

// decodeStatus finds the status in twilio-go's error for a non-JSON error
// body: "error decoding the response for an HTTP error code: 502: ...".
var decodeStatus = regexp.MustCompile(`error decoding the response for an HTTP error code: (\d{3})`)

// classify turns what twilio-go returned, and what the transport observed,
// into a SendError. status is the HTTP status received (0: none); traced
// says whether net/http reported connection events; wrote whether the whole
// request was written.
func classify(err error, status int, traced, wrote bool) *SendError {
	var tre *client.TwilioRestError
	if errors.As(err, &tre) {
		msg := tre.Message
		if msg == "" {
			msg = http.StatusText(status)
		}
		return &SendError{Code: tre.Code, Status: status, Message: msg, Err: err,
			retry: retryableStatus(status) || tre.Code == codeTooManyRequests}
	}
	if status == 0 {
		if m := decodeStatus.FindStringSubmatch(err.Error()); m != nil {
			status, _ = strconv.Atoi(m[1])
		}
	}
	switch {
	case status >= 400:
		return &SendError{Status: status, Err: err, retry: retryableStatus(status),
			Message: fmt.Sprintf("Twilio answered %s with a body that is not Twilio's JSON error (a proxy or outage page)", http.StatusText(status))}
	case status != 0:
		return &SendError{Status: status, Err: err, ambiguous: true,
			Message: "Twilio's answer could not be read; the message may have been sent, so it is not retried (check the Twilio console): " + err.Error()}
	}
	if (traced && !wrote) || (!traced && isDialError(err)) {
		return &SendError{Err: err, retry: true,
			Message: "could not reach Twilio, the message was not sent: " + err.Error()}
	}
	return &SendError{Err: err, ambiguous: true,
		Message: "no answer from Twilio after the request was sent; it may have been accepted, so it is not retried (check the Twilio console or wait for a status callback before resending): " + err.Error()}
}

// isDialError recognises failures to connect (DNS, refused, unreachable),
// for transports that do not report httptrace events.
func isDialError(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return (errors.As(err, &op) && op.Op == "dial") || errors.As(err, &dns)
}

// maxResponse bounds the answer read from Twilio (a message is ~1 KB).
const maxResponse = 1 << 20

var errTooLarge = errors.New("twilio: answer larger than 1 MiB")

// call is the HTTP side of one Send: an http.Client whose Transport binds
// the caller's ctx to the request and records what classify needs. It also
// reads the whole answer before returning it and closes the connection's
// body, because twilio-go never closes the body of an error response.
type call struct {
	ctx    context.Context
	base   http.RoundTripper
	client *http.Client
	trace  *httptrace.ClientTrace

	status int // set in RoundTrip, on the caller's goroutine
	traced atomic.Bool
	wrote  atomic.Bool
}

func newCall(ctx context.Context, hc *http.Client) *call {
	c := &call{ctx: ctx, base: hc.Transport}
	if c.base == nil {
		c.base = http.DefaultTransport
	}
	c.client = &http.Client{Transport: c, Timeout: hc.Timeout, CheckRedirect: hc.CheckRedirect, Jar: hc.Jar}
	c.trace = &httptrace.ClientTrace{
		GetConn: func(string) { c.traced.Store(true) },
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				c.wrote.Store(true)
			}
		},
	}
	return c
}

// RoundTrip sends req with a context done when either the http.Client's
// own deadline (in req's context) or the caller's ctx is.
func (c *call) RoundTrip(req *http.Request) (*http.Response, error) {
	c.status = 0 // a set-up call may make several requests (pages)
	ctx, cancel := context.WithCancelCause(req.Context())
	defer cancel(nil)
	stop := context.AfterFunc(c.ctx, func() { cancel(context.Cause(c.ctx)) })
	defer stop()
	resp, err := c.base.RoundTrip(req.WithContext(httptrace.WithClientTrace(ctx, c.trace)))
	if err != nil {
		return nil, err
	}
	c.status = resp.StatusCode
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	_ = resp.Body.Close()
	switch {
	case err != nil:
		return nil, fmt.Errorf("reading Twilio's answer: %w", err)
	case len(body) > maxResponse:
		return nil, errTooLarge
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// sendError classifies err and removes secret from the message, in case a
// layer below ever echoes it.
func (c *call) sendError(err error, secret string) *SendError {
	e := classify(err, c.status, c.traced.Load(), c.wrote.Load())
	if secret != "" {
		e.Message = strings.ReplaceAll(e.Message, secret, "[redacted]")
	}
	return e
}
