package console

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/livedesk/livedesk"
)

// Hub passes the desk's events to the console's open pages. Give Publish
// to the desk as Options.OnEvent (or call it from your own OnEvent) and
// the Hub to the console as Options.Events. A Hub is safe for concurrent
// use; Publish never blocks (a page too slow to keep up misses changes
// and catches up on its next one, as every change makes it re-read).
type Hub struct {
	mu   sync.Mutex
	subs map[chan change]struct{}
}

// change is what a page learns: which conversation changed and how.
type change struct {
	Type         string `json:"type"`
	Conversation string `json:"conversation,omitempty"`
	Channel      string `json:"channel,omitempty"`
}

// NewHub returns a Hub with no subscriber.
func NewHub() *Hub { return &Hub{subs: map[chan change]struct{}{}} }

// Publish tells every open page about e. It has the signature of
// livedesk.Options.OnEvent.
func (h *Hub) Publish(_ context.Context, e livedesk.Event) {
	if e.ConversationID == "" {
		return
	}
	ch := change{Type: string(e.Type), Conversation: e.ConversationID, Channel: e.ChannelID}
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		select {
		case s <- ch:
		default: // that page is behind; it re-reads on its next change
		}
	}
}

func (h *Hub) subscribe() (<-chan change, func()) {
	s := make(chan change, 64)
	h.mu.Lock()
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	return s, func() {
		h.mu.Lock()
		delete(h.subs, s)
		h.mu.Unlock()
	}
}

// keepAlive is how often an idle event stream gets a comment line, so
// proxies do not close it.
const keepAlive = 25 * time.Second

// serveEvents streams changes as Server-Sent Events until the page goes.
func (c *Console) serveEvents(w http.ResponseWriter, r *http.Request) {
	if c.opts.Events == nil {
		http.Error(w, "console: live updates are off (Options.Events)", http.StatusNotFound)
		return
	}
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	sub, cancel := c.opts.Events.subscribe()
	defer cancel()
	_, _ = fmt.Fprint(w, "retry: 2000\n\n")
	if err := rc.Flush(); err != nil {
		return
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
			_, _ = fmt.Fprint(w, ": keep-alive\n\n")
		case ch := <-sub:
			b, _ := json.Marshal(ch)
			_, _ = fmt.Fprintf(w, "event: change\ndata: %s\n\n", b)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
