package livedesk

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/livedesk/livedesk/channel"
)

// emptyTwiML is the answer to every accepted webhook: "no reply from the
// webhook", since the desk sends its messages through the REST API.
var emptyTwiML = []byte(`<?xml version="1.0" encoding="UTF-8"?><Response></Response>`)

var xmlContentType = []string{"text/xml; charset=utf-8"}

// Handler returns the http.Handler Twilio's webhooks are sent to. Mount it
// at PublicURL's path; only POST {path}/twilio/... needs to reach it, and
// it finds its route whatever leading part of PublicURL's path the router
// or a proxy stripped (http.StripPrefix with or without a trailing slash,
// chi's Mount, gin's and echo's wildcards; see the README):
//
//	mux.Handle("/livedesk/", desk.Handler())
//	mux.Handle("/livedesk/", http.StripPrefix("/livedesk/", desk.Handler()))
//
// It serves POST {PublicURL}/twilio/{channelID} (inbound messages) and
// POST {PublicURL}/twilio/{channelID}/status (delivery statuses). Answers:
// 200 with empty TwiML once the message is stored (also for duplicates),
// 403 bad signature or a request for another account or sender, 404 unknown
// channel or path, 405 not POST (with Allow: POST), 413 body over
// Options.MaxBodyBytes, 400 malformed form, 500 store failure (Twilio's
// retry then finds it again).
//
// A rejected request is logged at WARN (ERROR for a store failure) and
// reported as an EventWebhookRejected. Since anyone can send one, what it
// makes the desk write is bounded: values from the request are cut to 64
// bytes (the reason to 256) and sanitised, at most 20 lines are logged at
// once and one a second after that (the others are counted in a "webhook
// rejections not logged" line at most once a minute), and an ID that is
// not a channel is answered 404 without a store lookup when it cannot be a
// channel ID (channel.ValidID) or was just found missing.
func (d *Desk) Handler() http.Handler { return http.HandlerFunc(d.serveHTTP) }

func (d *Desk) serveHTTP(w http.ResponseWriter, r *http.Request) {
	id, status, ok := d.routePath(r.URL.Path)
	var end SpanEnd
	if d.tel != nil {
		var ctx context.Context
		ctx, end = d.tel.Start(r.Context(), SpanWebhook, SpanAttrs{})
		r = r.WithContext(ctx)
	}
	var err error
	switch {
	case !ok:
		err = fmt.Errorf("%w: %s", errUnknownRoute, sanitize(r.URL.Path))
	case r.Method != http.MethodPost:
		// Before the channel lookup: a GET costs no store round trip.
		err = fmt.Errorf("%w, not %s", errMethod, sanitize(r.Method))
	case !channel.ValidID(id):
		// No channel can have this ID: no store round trip either.
		err = fmt.Errorf("%w %q", errUnknownChannel, sanitize(id))
	case status:
		err = d.serveStatus(r, id)
	default:
		err = d.serveInbound(r, id)
	}
	code := webhookStatus(err)
	if end != nil {
		a := SpanAttrs{Route: "/twilio/{channel}", Status: code, Rejection: RejectionReason(err)}
		if status {
			a.Route = "/twilio/{channel}/status"
		}
		if d.channels.cached(id) {
			a.ChannelID = id // only a known channel: a bounded label
		}
		defer end.End(a, err)
	}
	if code != http.StatusOK {
		d.reject(r, id, code, err)
		if code == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", http.MethodPost)
		}
		http.Error(w, http.StatusText(code), code)
		return
	}
	w.Header()["Content-Type"] = xmlContentType
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(emptyTwiML)
}

// routePath finds the channel ID in a path of the form
// {P}twilio/{id}[/status], where P is what is left of PublicURL's path
// (with a slash after it) once the host's router or proxy stripped any
// leading part of it: all of "/livedesk/", "livedesk/", "/" or nothing
// (http.StripPrefix with or without a trailing slash, a proxy that strips
// "/livedesk"). Nothing else precedes "twilio/".
func (d *Desk) routePath(path string) (id string, status, ok bool) {
	for from := 0; ; {
		i := strings.Index(path[from:], "twilio/")
		if i < 0 {
			return "", false, false
		}
		i += from
		from = i + 1
		if p := path[:i]; p != "" && (p[len(p)-1] != '/' || !strings.HasSuffix(d.publicPath, p[:len(p)-1])) {
			continue
		}
		id, tail, _ := strings.Cut(path[i+len("twilio/"):], "/")
		if id == "" {
			continue
		}
		switch tail {
		case "":
			return id, false, true
		case "status":
			return id, true, true
		}
	}
}

// reject logs and reports a refused webhook. Everything in the request is
// the sender's choice and the sender is not authenticated yet, so what it
// makes the desk write is bounded: values are clipped (see sanitize), log
// lines are rate-limited with a periodic summary of those left out (see
// rejectLog), and the event's ChannelID is only set for a channel this
// desk knows, never to an ID taken from the path, so a host using it as a
// metric label gets no more labels than it has channels.
func (d *Desk) reject(r *http.Request, channelID string, code int, err error) {
	level, limit := slog.LevelWarn, &d.warnLog
	if code == http.StatusInternalServerError {
		level, limit = slog.LevelError, &d.errorLog
	}
	known := d.channels.cached(channelID)
	reason := sanitizeN(err.Error(), maxReason)
	ctx := r.Context()
	if ok, missed := limit.allow(d.clock.Now()); ok || missed > 0 {
		if missed > 0 {
			d.log.Log(ctx, level, "webhook rejections not logged (rate limit)", "count", missed)
		}
		if ok {
			ch := channelID
			if !known {
				ch = sanitize(channelID)
			}
			attrs := []any{"status", code, "channel", ch, "path", sanitize(r.URL.Path), "remote", sanitize(r.RemoteAddr), "err", reason}
			if diag, ok := diagnoseSignature(r, err); ok {
				attrs = append(attrs, "host", sanitize(r.Host), "x_forwarded_proto", sanitize(r.Header.Get("X-Forwarded-Proto")),
					"x_forwarded_host", sanitize(r.Header.Get("X-Forwarded-Host")), "diagnosis", diag)
			}
			d.log.Log(ctx, level, "webhook rejected", attrs...)
		}
	}
	ev := Event{Type: EventWebhookRejected, Reason: reason}
	if known {
		ev.ChannelID = channelID
	}
	d.emit(ctx, ev)
}

// detached keeps the request's values but not its cancellation: once a
// message is stored, processing it should not stop because Twilio hung up.
func detached(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }
