package livedesk

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// sseBatch is how many events the stream reads at a time.
const sseBatch = 100

// EventStream returns an http.Handler streaming the durable event feed as
// Server-Sent Events (text/event-stream). Each event is sent as
//
//	id: <position>
//	event: <type>
//	data: <the Event as JSON>
//
// The stream starts after the request's Last-Event-ID header (what a
// browser's EventSource sends when it reconnects) or its "after" query
// parameter, or, with neither, at the feed's head (only new events;
// after=0 replays everything retained). Query parameters filter it:
// channel, conversation, agent (see EventFilter) and type (repeated or
// comma-separated). A comment line goes out every Options.EventHeartbeat
// of silence. The stream ends when the client goes or the request's
// context ends. Bad parameters get 400.
//
// It has no authentication of its own: mount it behind the host's auth,
// and force the filter a user may see (for example, set the agent
// parameter from the session) before calling it.
func (d *Desk) EventStream() http.Handler { return http.HandlerFunc(d.serveEvents) }

func (d *Desk) serveEvents(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "use GET", http.StatusMethodNotAllowed)
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	f := EventFilter{ChannelID: q.Get("channel"), ConversationID: q.Get("conversation"), AgentID: q.Get("agent")}
	for _, v := range q["type"] {
		for _, t := range strings.Split(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				f.Types = append(f.Types, EventType(t))
			}
		}
	}
	from := r.Header.Get("Last-Event-ID")
	if from == "" {
		from = q.Get("after")
	}
	var pos Position
	var err error
	if from != "" {
		pos, err = ParsePosition(from)
		if err != nil {
			http.Error(w, "bad Last-Event-ID or after: "+err.Error(), http.StatusBadRequest)
			return
		}
	} else if pos, err = d.FeedHead(ctx); err != nil {
		d.log.Error("event stream: feed head", "err", err)
		http.Error(w, "the event feed is unavailable", http.StatusServiceUnavailable)
		return
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, ": livedesk event stream\n\n"); err != nil || rc.Flush() != nil {
		return
	}
	for {
		evs, next, err := d.Events(ctx, pos, f, sseBatch)
		if err != nil {
			if ctx.Err() == nil {
				d.log.Error("event stream: reading the feed failed", "err", err)
			}
			return
		}
		for _, e := range evs {
			if err := writeSSE(w, e); err != nil {
				return
			}
		}
		if len(evs) > 0 && rc.Flush() != nil {
			return
		}
		pos = next
		if len(evs) == sseBatch {
			continue
		}
		switch woke, err := d.waitOrBeat(ctx, pos); {
		case err != nil:
			return // the client went, or the store failed
		case !woke:
			if _, err := fmt.Fprint(w, ": heartbeat\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

// waitOrBeat waits for events after pos for at most one heartbeat period
// (on the desk's clock): woke is false when the period ran out first.
func (d *Desk) waitOrBeat(ctx context.Context, pos Position) (woke bool, err error) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- d.store.WaitEvents(wctx, pos) }()
	t := d.clock.NewTimer(d.sseHeartbeat)
	defer t.Stop()
	select {
	case err := <-done:
		return err == nil, err
	case <-t.C():
		cancel()
		if err := <-done; err == nil {
			return true, nil // woke as the period ended
		}
		return false, ctx.Err()
	}
}

func writeSSE(w http.ResponseWriter, e Event) error {
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	// The ID and type are plain tokens and JSON has no raw newline: one
	// data line is enough.
	_, err = fmt.Fprintf(w, "id: %s\nevent: %s\ndata: %s\n\n", e.Position, e.Type, data)
	return err
}
