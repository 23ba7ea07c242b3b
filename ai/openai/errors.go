package openai

import (
	"context"
	"errors"
	"fmt"
	"strings"

	sdk "github.com/openai/openai-go/v3"
)

// ErrTimeout is matched by Respond's error when no answer came within
// Config.RequestTimeout.
var ErrTimeout = errors.New("openai: no answer in time")

// redacted stands for the API key wherever an error's text would show it.
const redacted = "[redacted]"

// requestFailure is Respond's error: a message safe to log and show to
// agents (the desk makes it the hand-off reason), wrapping the causes for
// errors.Is and errors.As (the SDK's *openai.Error has the status code).
type requestFailure struct {
	msg    string
	causes []error
}

func (e *requestFailure) Error() string   { return e.msg }
func (e *requestFailure) Unwrap() []error { return e.causes }

// requestError explains why the request made under tctx (derived from ctx)
// got no answer.
func (a *Agent) requestError(ctx, tctx context.Context, err error) error {
	var msg string
	var causes []error
	var apiErr *sdk.Error
	switch {
	case errors.As(err, &apiErr):
		// apiErr.Error() is "OpenAI API error: 429 Too Many Requests": the
		// body's message is left out, since for a bad key it quotes part
		// of the key. The machine-readable code is kept.
		msg = "openai: " + apiErr.Error()
		if code := strings.TrimSpace(apiErr.Code); code != "" && len(code) <= 64 {
			msg += " (" + code + ")"
		}
		msg += statusHint(apiErr.StatusCode)
		causes = []error{err}
	case ctx.Err() != nil:
		// The caller (the desk's AITimeout, a shutdown) gave up first.
		msg = "openai: request abandoned: " + context.Cause(ctx).Error()
		causes = []error{ctx.Err(), err}
	case tctx.Err() != nil:
		msg = fmt.Sprintf("openai: no answer within %v (Config.RequestTimeout): the API is slow or unreachable", a.cfg.RequestTimeout)
		causes = []error{ErrTimeout, tctx.Err(), err}
	default:
		msg = "openai: request failed: " + err.Error()
		causes = []error{err}
	}
	return &requestFailure{msg: a.redact(msg), causes: causes}
}

// statusHint says what to do about an API error status.
func statusHint(status int) string {
	switch {
	case status == 401:
		return ": check Config.APIKey (OPENAI_API_KEY)"
	case status == 403:
		return ": the API key's project may not use this model or endpoint"
	case status == 404:
		return ": check Config.Model and Config.BaseURL"
	case status == 400:
		return ": the request was rejected (model parameters or conversation)"
	case status == 429:
		return ": rate limit or quota reached"
	case status >= 500:
		return ": OpenAI's side failed"
	}
	return ""
}

// redact removes the API key from s, in case a transport error quotes a
// URL or header that carries it.
func (a *Agent) redact(s string) string {
	if k := strings.TrimSpace(a.cfg.APIKey); len(k) >= 4 {
		s = strings.ReplaceAll(s, k, redacted)
	}
	return s
}
