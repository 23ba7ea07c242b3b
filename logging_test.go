package livedesk_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

type traceKey struct{}

// ctxRecorder is a slog.Handler keeping each record with the trace value
// its context carried, as a host's handler adding trace IDs would read it.
type ctxRecorder struct {
	mu      sync.Mutex
	records []ctxRecord
}

type ctxRecord struct {
	msg   string
	trace any
	attrs map[string]string
}

func (c *ctxRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (c *ctxRecorder) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *ctxRecorder) WithGroup(string) slog.Handler            { return c }
func (c *ctxRecorder) Handle(ctx context.Context, r slog.Record) error {
	rec := ctxRecord{msg: r.Message, trace: ctx.Value(traceKey{}), attrs: map[string]string{}}
	r.Attrs(func(a slog.Attr) bool { rec.attrs[a.Key] = a.Value.String(); return true })
	c.mu.Lock()
	c.records = append(c.records, rec)
	c.mu.Unlock()
	return nil
}

func (c *ctxRecorder) find(msg string) (ctxRecord, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range c.records {
		if r.msg == msg {
			return r, true
		}
	}
	return ctxRecord{}, false
}

// TestSendFailureLog: a failed send is logged with its channel,
// conversation, message, Twilio code and more_info link, with the context
// Run was given (so a host's trace IDs reach the line).
func TestSendFailureLog(t *testing.T) {
	rec := &ctxRecorder{}
	h := livedesktest.New(t, func(o *livedesk.Options) { o.Logger = slog.New(rec) })
	ch := h.AddChannel(greeting)
	h.Twilio.FailNext(400, 21211, "The 'To' number is not a valid phone number.")
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), traceKey{}, "run-trace"))
	done := make(chan error, 1)
	go func() { done <- h.Desk.Run(ctx) }()
	defer func() { cancel(); <-done }()
	h.Post(ch, livedesktest.Message{Body: "hello"})
	failed := h.WaitEvents(livedesk.EventMessageFailed, 1)[0]
	r, ok := rec.find("send failed")
	require.True(t, ok, "no send failed line: %+v", rec.records)
	require.Equal(t, "run-trace", r.trace)
	require.Equal(t, ch.ID, r.attrs["channel"])
	require.Equal(t, failed.ConversationID, r.attrs["conversation"])
	require.Equal(t, failed.MessageID, r.attrs["message"])
	require.Equal(t, "21211", r.attrs["code"])
	require.Equal(t, "https://www.twilio.com/docs/errors/21211", r.attrs["more_info"])
}

// TestStatusFailureLog: a message Twilio reports undelivered by status
// callback (63016, outside the window) is logged at ERROR with what names
// it, with the request's context.
func TestStatusFailureLog(t *testing.T) {
	rec := &ctxRecorder{}
	h := livedesktest.New(t, func(o *livedesk.Options) { o.Logger = slog.New(rec) })
	ch := h.AddChannel(greeting)
	h.Start()
	h.Post(ch, livedesktest.Message{Body: "hello"})
	sent := h.WaitEvents(livedesk.EventMessageSent, 1)[0]
	resp, _ := h.StatusCallback(h.Twilio.Sent()[0], "undelivered", 63016)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	r, ok := rec.find("Twilio reports a message not delivered")
	require.True(t, ok, "no line: %+v", rec.records)
	require.Equal(t, ch.ID, r.attrs["channel"])
	require.Equal(t, sent.ConversationID, r.attrs["conversation"])
	require.Equal(t, sent.MessageID, r.attrs["message"])
	require.Equal(t, "63016", r.attrs["code"])
	require.Equal(t, "https://www.twilio.com/docs/errors/63016", r.attrs["more_info"])
	require.Equal(t, h.Twilio.Sent()[0].SID, r.attrs["sid"])
	m := h.Outbound(sent.ConversationID, store.KindGreeting)[0]
	require.Equal(t, store.DeliveryUndelivered, m.Status)
}

// TestRejectionLogUsesRequestContext: the rejection line is logged with
// the request's context.
func TestRejectionLogUsesRequestContext(t *testing.T) {
	rec := &ctxRecorder{}
	h := livedesktest.New(t, func(o *livedesk.Options) { o.Logger = slog.New(rec) })
	ch := h.AddChannel()
	req := httptest.NewRequest(http.MethodPost, "/livedesk/twilio/"+ch.ID, strings.NewReader("a=b"))
	req = req.WithContext(context.WithValue(req.Context(), traceKey{}, "req-trace"))
	w := httptest.NewRecorder()
	h.Desk.Handler().ServeHTTP(w, req)
	require.Equal(t, http.StatusForbidden, w.Code)
	r, ok := rec.find("webhook rejected")
	require.True(t, ok)
	require.Equal(t, "req-trace", r.trace)
}

// TestNilLoggerIsSlogDefault: with no Logger the desk's lines go to
// slog.Default(), not nowhere.
func TestNilLoggerIsSlogDefault(t *testing.T) {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
	defer slog.SetDefault(old)
	d, err := livedesk.New(livedesk.Options{PublicURL: livedesktest.PublicURL, SkipTwilioChecks: true})
	require.NoError(t, err)
	w := httptest.NewRecorder()
	d.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/livedesk/twilio/ch1", nil))
	require.Equal(t, http.StatusMethodNotAllowed, w.Code)
	require.Contains(t, buf.String(), "webhook rejected")
}
