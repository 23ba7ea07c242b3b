package livedesk_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/livedesktest"
)

// TestHealth: on both stores, with the fake clock, Health reports the
// backlog a webhook leaves when no Run is running (a pending greeting), is
// not OK once RunStaleAfter passes without a heartbeat, and is OK again,
// with the greeting sent and the heartbeat's time, once Run has run; the
// handler answers 503 then 200 with the figures as JSON.
func TestHealth(t *testing.T) {
	for _, st := range testStores {
		t.Run(st.name, func(t *testing.T) {
			h, _ := newHarness(t, func(o *livedesk.Options) { o.Store = st.open(t) })
			ch := h.AddChannel(greeting)
			h.Post(ch, livedesktest.Message{Body: "hello"})
			h.Clock.Advance(30 * time.Second)
			hl, err := h.Desk.Health(t.Context())
			require.NoError(t, err)
			require.Equal(t, 1, hl.PendingOutbound, "the greeting waits")
			require.Equal(t, 30*time.Second, hl.OldestPendingAge)
			require.Equal(t, 0, hl.UnprocessedInbound, "the webhook processed the message")
			require.Equal(t, 0, hl.FailedLastHour)
			require.True(t, hl.LastRunAt.IsZero())
			require.False(t, hl.OK)
			require.Contains(t, hl.Problems[0], "no Run has ever made progress")

			rec := httptest.NewRecorder()
			h.Desk.HealthHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/health", nil))
			require.Equal(t, http.StatusServiceUnavailable, rec.Code)
			var body map[string]any
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			require.EqualValues(t, 1, body["pending_outbound"])
			require.Equal(t, false, body["ok"])

			started := h.Clock.Now()
			h.Start()
			h.WaitEvents(livedesk.EventMessageSent, 1)
			hl, err = h.Desk.Health(t.Context())
			require.NoError(t, err)
			require.True(t, hl.OK, "%+v", hl)
			require.Equal(t, 0, hl.PendingOutbound)
			require.Zero(t, hl.OldestPendingAge)
			require.True(t, hl.LastRunAt.Equal(started), "heartbeat at %v, want %v", hl.LastRunAt, started)

			rec = httptest.NewRecorder()
			h.Desk.HealthHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/health", nil))
			require.Equal(t, http.StatusOK, rec.Code)
			require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
		})
	}
}

// TestHealthFailedAndQueued: a send that failed counts in FailedLastHour
// for an hour; a conversation waiting for an agent (the channel has none)
// counts as queued with its wait.
func TestHealthFailedAndQueued(t *testing.T) {
	for _, st := range testStores {
		t.Run(st.name, func(t *testing.T) {
			h, _ := newHarness(t, func(o *livedesk.Options) { o.Store = st.open(t) })
			ch := h.AddChannel(greeting)
			h.Twilio.FailNext(400, 21211, "The 'To' number is not a valid phone number.")
			h.Start()
			h.Post(ch, livedesktest.Message{Body: "hello"})
			h.WaitEvents(livedesk.EventMessageFailed, 1)
			h.Clock.Advance(20 * time.Second)
			hl, err := h.Desk.Health(t.Context())
			require.NoError(t, err)
			require.Equal(t, 1, hl.FailedLastHour)
			require.Equal(t, 1, hl.QueuedConversations, "no agent on the channel: the conversation waits")
			require.Equal(t, 20*time.Second, hl.OldestQueuedWait)
			h.Clock.Advance(time.Hour)
			hl, err = h.Desk.Health(t.Context())
			require.NoError(t, err)
			require.Equal(t, 0, hl.FailedLastHour, "an hour later")
		})
	}
}

// TestNoRunWarning: webhooks keep being answered with no Run started; once
// RunStaleAfter has passed with work waiting, the desk logs a warning
// saying to start Run, once per RunStaleAfter; a desk whose Run runs logs
// nothing of the kind.
func TestNoRunWarning(t *testing.T) {
	const warning = "no Run is making progress"
	h, logs := newHarness(t)
	ch := h.AddChannel(greeting)
	h.Post(ch, livedesktest.Message{Body: "hello"})
	require.NotContains(t, logs.String(), warning, "not in the first RunStaleAfter")
	h.Clock.Advance(61 * time.Second)
	h.Post(ch, livedesktest.Message{Body: "anyone?"})
	require.Equal(t, 1, strings.Count(logs.String(), warning), logs.String())
	h.Post(ch, livedesktest.Message{Body: "hello??"})
	require.Equal(t, 1, strings.Count(logs.String(), warning), "once per RunStaleAfter")
	h.Clock.Advance(61 * time.Second)
	_, err := h.Desk.Reply(t.Context(), h.RequireConversations(ch.ID, 1)[0].ID, "bea", "on it")
	require.NoError(t, err)
	require.Equal(t, 2, strings.Count(logs.String(), warning), "Send checks too")

	ran, ranLogs := newHarness(t)
	ch2 := ran.AddChannel(greeting)
	ran.Start()
	ran.Post(ch2, livedesktest.Message{Body: "hello"})
	ran.Clock.Advance(61 * time.Second)
	ran.Post(ch2, livedesktest.Message{Body: "again"})
	require.NotContains(t, ranLogs.String(), warning)
}
