package livedesk

import (
	"errors"
	"net/http"

	"github.com/livedesk/livedesk/store"
)

// ErrNotFound is store.ErrNotFound, re-exported so callers of the desk can
// branch on it without importing store.
var ErrNotFound = store.ErrNotFound

// ErrExists is store.ErrExists: creating a channel or an agent whose ID is
// taken.
var ErrExists = store.ErrExists

// ErrConflict is store.ErrConflict: UpdateChannel with a channel read
// before someone else changed it. Nothing changed; read it again, apply
// the change and update again.
var ErrConflict = store.ErrConflict

// Webhook rejections. Each maps to one HTTP status in webhookStatus.
var (
	errUnknownChannel = errors.New("livedesk: unknown channel")
	errUnknownRoute   = errors.New("livedesk: unknown webhook path")
	errMethod         = errors.New("livedesk: webhooks must be POST")
	errTooLarge       = errors.New("livedesk: webhook body too large")
	errMalformed      = errors.New("livedesk: malformed webhook")
	errSignature      = errors.New("livedesk: bad X-Twilio-Signature")
	errForeign        = errors.New("livedesk: webhook is not for this channel")
	errStore          = errors.New("livedesk: store failure")
)

// webhookStatus is the one place that maps a webhook outcome to an HTTP
// status. Twilio logs 11217 and may call the fallback URL on any 4xx/5xx,
// so only requests that are not Twilio's (or not ours) get one, and a store
// failure gets 500 so that nothing unrecorded is acknowledged.
func webhookStatus(err error) int {
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, errSignature), errors.Is(err, errForeign):
		return http.StatusForbidden
	case errors.Is(err, errUnknownChannel), errors.Is(err, errUnknownRoute):
		return http.StatusNotFound
	case errors.Is(err, errMethod):
		return http.StatusMethodNotAllowed
	case errors.Is(err, errTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, errMalformed):
		return http.StatusBadRequest
	default:
		return http.StatusInternalServerError
	}
}
