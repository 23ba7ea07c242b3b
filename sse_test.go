package livedesk_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

// sseFrame is one frame of an event stream: an event, or a comment.
type sseFrame struct {
	id, event, data string
	comment         string
}

// sseClient reads an event stream over HTTP into frames.
type sseClient struct {
	frames chan sseFrame
	cancel context.CancelFunc
	resp   *http.Response
}

func openSSE(t *testing.T, url, lastID string) *sseClient {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	c := &sseClient{frames: make(chan sseFrame, 100), cancel: cancel, resp: resp}
	go func() {
		defer close(c.frames)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var f sseFrame
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if f != (sseFrame{}) {
					c.frames <- f
				}
				f = sseFrame{}
			case strings.HasPrefix(line, ":"):
				f.comment = strings.TrimSpace(line[1:])
			case strings.HasPrefix(line, "id: "):
				f.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				f.event = line[7:]
			case strings.HasPrefix(line, "data: "):
				f.data = line[6:]
			}
		}
	}()
	return c
}

// next returns the next frame that is not the stream's opening comment.
func (c *sseClient) next(t *testing.T) sseFrame {
	t.Helper()
	for {
		select {
		case f, ok := <-c.frames:
			require.True(t, ok, "the stream ended")
			if f.comment == "livedesk event stream" {
				continue
			}
			return f
		case <-time.After(10 * time.Second):
			t.Fatal("no frame within 10s")
		}
	}
}

// TestEventStreamResume streams the feed as Server-Sent Events over real
// HTTP, on memstore and on Postgres: filtered events arrive as they
// happen, a heartbeat comes after EventHeartbeat of silence (fake clock),
// the handler ends when the client goes, and a client reconnecting with
// Last-Event-ID gets exactly the events it missed, then live ones.
func TestEventStreamResume(t *testing.T) {
	for _, tc := range []struct {
		name  string
		store func(t *testing.T) store.Store
	}{
		{"memstore", nil},
		{"postgres", newPGStore},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := livedesktest.New(t, func(o *livedesk.Options) {
				o.EventHeartbeat = 10 * time.Second
				if tc.store != nil {
					o.Store = tc.store(t)
				}
			})
			ch := h.AddChannel()
			other := h.AddChannel(func(c *channel.Channel) { c.ID = "other"; c.Twilio.PhoneNumber = "+14155230000" })
			ended := make(chan struct{}, 10)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer func() { ended <- struct{}{} }()
				h.Desk.EventStream().ServeHTTP(w, r)
			}))
			defer srv.Close()
			url := srv.URL + "/?channel=" + ch.ID + "&type=message.received,conversation.opened"

			c := openSSE(t, url+"&after=0", "")
			h.Post(ch, livedesktest.Message{Body: "one"})
			h.Post(other, livedesktest.Message{Body: "filtered out: other channel"})
			h.Post(ch, livedesktest.Message{Body: "two"})
			var got []livedesk.Event
			for _, want := range []string{"conversation.opened", "message.received", "message.received"} {
				f := c.next(t)
				require.Equal(t, want, f.event)
				var e livedesk.Event
				require.NoError(t, json.Unmarshal([]byte(f.data), &e))
				require.Equal(t, f.id, e.Position.String(), "the SSE id is the event's position")
				require.Equal(t, ch.ID, e.ChannelID)
				got = append(got, e)
			}
			require.Equal(t, "customer", got[1].Kind)

			// Silence: after EventHeartbeat on the desk's clock, a comment.
			h.Clock.BlockUntil(1)
			h.Clock.Advance(10 * time.Second)
			require.Equal(t, sseFrame{comment: "heartbeat"}, c.next(t))

			// The client goes: the handler ends.
			c.cancel()
			select {
			case <-ended:
			case <-time.After(10 * time.Second):
				t.Fatal("the handler did not end when the client went")
			}
			last := got[len(got)-1].Position.String()
			h.Post(ch, livedesktest.Message{Body: "three"})
			h.Post(ch, livedesktest.Message{From: "+14155550199", Body: "four"})

			c = openSSE(t, url, last)
			defer c.cancel()
			var types []string
			var ids []livedesk.Position
			for range 3 {
				f := c.next(t)
				types = append(types, f.event)
				p, err := livedesk.ParsePosition(f.id)
				require.NoError(t, err)
				ids = append(ids, p)
			}
			require.Equal(t, []string{"message.received", "conversation.opened", "message.received"}, types)
			prev := got[len(got)-1].Position
			for _, p := range ids {
				require.Greater(t, p, prev, "resumed events come after Last-Event-ID, in order")
				prev = p
			}
			h.Post(ch, livedesktest.Message{Body: "five"})
			require.Equal(t, "message.received", c.next(t).event)
			select {
			case f := <-c.frames:
				t.Fatalf("unexpected frame %+v", f)
			default:
			}

			resp, err := http.Get(srv.URL + "/?after=not-a-position")
			require.NoError(t, err)
			resp.Body.Close()
			require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		})
	}
}
