package livedesk_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/memstore"
)

const testToken = "0123456789abcdef0123456789abcdef"

func greeting(c *channel.Channel) {
	c.Settings.Greeting = channel.Greeting{Enabled: true, Text: "Hi! An agent will be with you shortly."}
}

// logBuffer captures the desk's logs so tests can check no secret leaks.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func newHarness(t *testing.T, configure ...func(*livedesk.Options)) (*livedesktest.Harness, *logBuffer) {
	logs := &logBuffer{}
	h := livedesktest.New(t, append([]func(*livedesk.Options){func(o *livedesk.Options) {
		o.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}}, configure...)...)
	t.Cleanup(func() {
		for _, secret := range []string{testToken, "fedcba9876543210fedcba9876543210"} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("a credential appears in the logs:\n%s", logs.String())
			}
		}
		for _, e := range h.Events() {
			if strings.Contains(e.Reason, testToken) {
				t.Errorf("a credential appears in event %+v", e)
			}
		}
	})
	return h, logs
}

// messageCount counts the inbound messages stored on a channel.
func messageCount(t *testing.T, h *livedesktest.Harness, ch channel.Channel) int {
	n := 0
	for _, c := range h.MustConversations(ch) {
		for _, m := range h.MustMessages(c.ID) {
			if m.Direction == store.Inbound {
				n++
			}
		}
	}
	return n
}

func TestInboundSignature(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(greeting)
	hook := h.Desk.WebhookURL(ch.ID)
	wrong := ch
	wrong.Twilio.AuthToken = "fedcba9876543210fedcba9876543210"
	cases := []struct {
		name      string
		signedURL string
		signer    channel.Channel
		form      func(url.Values)
		tamper    func(*http.Request)
		want      int
	}{
		{name: "signed over the webhook URL", signedURL: hook, want: 200},
		{name: "signed with the default port :443", signedURL: strings.Replace(hook, "desk.example.com", "desk.example.com:443", 1), want: 200},
		{name: "signed over http://", signedURL: strings.Replace(hook, "https://", "http://", 1), want: 403},
		{name: "signed with the wrong token", signedURL: hook, signer: wrong, want: 403},
		{name: "body tampered after signing", signedURL: hook, tamper: func(r *http.Request) {
			body := strings.Replace(readAll(r), "hello", "hellO", 1)
			setBody(r, body)
		}, want: 403},
		{name: "signature header missing", signedURL: hook, tamper: func(r *http.Request) { r.Header.Del("X-Twilio-Signature") }, want: 403},
		{name: "signed over another channel's URL", signedURL: h.Desk.WebhookURL("other"), want: 403},
		{name: "query string moved into the form", signedURL: hook + "?tenant=acme", tamper: func(r *http.Request) {
			r.URL.RawQuery = ""
			setBody(r, readAll(r)+"&tenant=acme")
		}, want: 403},
		{name: "query string kept in the URL", signedURL: hook + "?tenant=acme", want: 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := messageCount(t, h, ch)
			signer := ch
			if c.signer.ID != "" {
				signer = c.signer
			}
			form := livedesktest.Message{Body: "hello"}.Form(ch)
			req := livedesktest.NewRequest(signer, c.signedURL, h.Server.URL+"/livedesk/twilio/"+ch.ID+queryOf(c.signedURL), form)
			if c.tamper != nil {
				c.tamper(req)
			}
			resp, body := h.Do(req)
			livedesktest.RequireStatus(t, resp, body, c.want)
			want := before
			if c.want == 200 {
				want++
			}
			require.Equal(t, want, messageCount(t, h, ch), "messages stored")
		})
	}
}

func queryOf(u string) string {
	if _, q, ok := strings.Cut(u, "?"); ok {
		return "?" + q
	}
	return ""
}

func readAll(r *http.Request) string {
	var b bytes.Buffer
	_, _ = b.ReadFrom(r.Body)
	return b.String()
}

func setBody(r *http.Request, body string) {
	r.Body = nopCloser{strings.NewReader(body)}
	r.ContentLength = int64(len(body))
}

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }

// TestWorkedExample posts TWILIO.md §3.5's message (token 12345, its exact
// parameters) to a channel and checks it is accepted and parsed.
func TestWorkedExample(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(func(c *channel.Channel) { c.Twilio.AuthToken = "12345" })
	form, err := url.ParseQuery("AccountSid=ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&ApiVersion=2010-04-01&Body=Hello%2C+I+need+help+with+order+%23123&From=whatsapp%3A%2B14155550100&MessageSid=SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb&NumMedia=0&ProfileName=Ana&SmsMessageSid=SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb&SmsSid=SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb&SmsStatus=received&To=whatsapp%3A%2B14155238886&WaId=14155550100")
	require.NoError(t, err)
	resp, body := h.PostForm(ch, h.Desk.WebhookURL(ch.ID), form)
	livedesktest.RequireStatus(t, resp, body, 200)
	require.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`, body)
	require.Equal(t, "text/xml; charset=utf-8", resp.Header.Get("Content-Type"))
	conv := h.RequireConversations(ch.ID, 1)[0]
	msgs := h.MustMessages(conv.ID)
	require.Len(t, msgs, 1)
	require.Equal(t, "Hello, I need help with order #123", msgs[0].Text)
	require.Equal(t, "SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", msgs[0].SID)
	contact, err := h.Desk.Contact(t.Context(), conv.ContactID)
	require.NoError(t, err)
	require.Equal(t, "+14155550100", contact.Phone)
	require.Equal(t, "Ana", contact.ProfileName)
}

func TestInboundMessagingServiceChannel(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(func(c *channel.Channel) {
		c.Twilio.PhoneNumber = ""
		c.Twilio.MessagingServiceSID = "MGdddddddddddddddddddddddddddddddd"
	})
	// Any number of the service's pool is fine.
	resp, body := h.Post(ch, livedesktest.Message{Body: "hi", To: "+14155550199"})
	livedesktest.RequireStatus(t, resp, body, 200)
	form := livedesktest.Message{Body: "hi"}.Form(ch)
	form.Set("MessagingServiceSid", "MGeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee")
	resp, body = h.PostForm(ch, h.Desk.WebhookURL(ch.ID), form)
	livedesktest.RequireStatus(t, resp, body, 403)
	require.Equal(t, 1, messageCount(t, h, ch))
}

func TestInboundMustBelongToTheChannel(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel()
	cases := []struct {
		name string
		set  func(url.Values)
	}{
		{"another account", func(v url.Values) { v.Set("AccountSid", "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb") }},
		{"another sender number", func(v url.Values) { v.Set("To", "whatsapp:+14155550199") }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			form := livedesktest.Message{Body: "x"}.Form(ch)
			c.set(form)
			resp, body := h.PostForm(ch, h.Desk.WebhookURL(ch.ID), form)
			livedesktest.RequireStatus(t, resp, body, 403)
			require.Zero(t, messageCount(t, h, ch))
		})
	}
}

func TestWebhookStatusCodes(t *testing.T) {
	h, _ := newHarness(t, func(o *livedesk.Options) { o.MaxBodyBytes = 4096 })
	ch := h.AddChannel()
	hook := h.Desk.WebhookURL(ch.ID)
	post := func(path, contentType, body string) *http.Request {
		req, err := http.NewRequest(http.MethodPost, h.Server.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("X-Twilio-Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
		return req
	}
	form := "application/x-www-form-urlencoded"
	notAMessage := url.Values{"AccountSid": {ch.Twilio.AccountSID}}
	cases := []struct {
		name string
		req  *http.Request
		want int
	}{
		{"unknown channel", post("/livedesk/twilio/no-such-channel", form, "a=b"), 404},
		{"unknown path", post("/livedesk/twilio/"+ch.ID+"/nope", form, "a=b"), 404},
		{"outside the desk's paths", post("/livedesk/other", form, "a=b"), 404},
		{"GET", func() *http.Request {
			r, _ := http.NewRequest(http.MethodGet, h.Server.URL+"/livedesk/twilio/"+ch.ID, nil)
			return r
		}(), 405},
		{"body over the cap", post("/livedesk/twilio/"+ch.ID, form, "Body="+strings.Repeat("x", 5000)), 413},
		{"body over the cap without Content-Length", func() *http.Request {
			r := post("/livedesk/twilio/"+ch.ID, form, "Body="+strings.Repeat("x", 5000))
			r.ContentLength = -1
			return r
		}(), 413},
		{"malformed form", post("/livedesk/twilio/"+ch.ID, form, "a=%zz"), 400},
		{"JSON body", post("/livedesk/twilio/"+ch.ID, "application/json", `{"a":1}`), 400},
		{"bad signature", post("/livedesk/twilio/"+ch.ID, form, "a=b"), 403},
		{"signed but not a message", livedesktest.NewRequest(ch, hook, h.Server.URL+"/livedesk/twilio/"+ch.ID, notAMessage), 400},
		{"a valid message", livedesktest.NewRequest(ch, hook, h.Server.URL+"/livedesk/twilio/"+ch.ID, livedesktest.Message{Body: "hi"}.Form(ch)), 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := h.Do(c.req)
			livedesktest.RequireStatus(t, resp, body, c.want)
		})
	}
	require.Equal(t, 1, messageCount(t, h, ch), "only the valid message is stored")
}

func TestInboundDuplicate(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(greeting)
	m := livedesktest.Message{SID: livedesktest.NewSID(), Body: "hello"}
	for range 3 {
		resp, body := h.Post(ch, m)
		livedesktest.RequireStatus(t, resp, body, 200)
		require.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`, body)
	}
	conv := h.RequireConversations(ch.ID, 1)[0]
	require.Len(t, h.MustMessages(conv.ID), 2, "one inbound message and one greeting")
	h.RequireQueued(conv.ID, store.KindGreeting, 1)
	dups := 0
	for _, e := range h.Events() {
		if e.Type == livedesk.EventDuplicateIgnored {
			dups++
		}
	}
	require.Equal(t, 2, dups)
}

func TestConcurrentDuplicatesQueueOneGreeting(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(greeting)
	m := livedesktest.Message{SID: livedesktest.NewSID(), Body: "hello"}
	form := m.Form(ch)
	var wg sync.WaitGroup
	codes := make(chan int, 50)
	for range 50 {
		wg.Go(func() {
			req := livedesktest.NewRequest(ch, h.Desk.WebhookURL(ch.ID), h.Server.URL+"/livedesk/twilio/"+ch.ID, form)
			resp, err := h.Server.Client().Do(req)
			if err != nil {
				codes <- -1
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		})
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		require.Equal(t, 200, c)
	}
	conv := h.RequireConversations(ch.ID, 1)[0]
	require.Len(t, h.Outbound(conv.ID, ""), 1)
	h.RequireQueued(conv.ID, store.KindGreeting, 1)
	inbound := 0
	for _, m := range h.MustMessages(conv.ID) {
		if m.Direction == store.Inbound {
			inbound++
		}
	}
	require.Equal(t, 1, inbound)
}

func TestConcurrentFirstMessagesOpenOneConversation(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel(greeting)
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			req := livedesktest.NewRequest(ch, h.Desk.WebhookURL(ch.ID), h.Server.URL+"/livedesk/twilio/"+ch.ID,
				livedesktest.Message{Body: "msg " + string(rune('a'+i))}.Form(ch))
			resp, err := h.Server.Client().Do(req)
			if err == nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	conv := h.RequireConversations(ch.ID, 1)[0]
	require.Len(t, h.MustMessages(conv.ID), 31)
	h.RequireQueued(conv.ID, store.KindGreeting, 1)
}

func TestGreeting(t *testing.T) {
	t.Run("queued for a new conversation only", func(t *testing.T) {
		h, _ := newHarness(t)
		ch := h.AddChannel(greeting)
		h.Post(ch, livedesktest.Message{Body: "one"})
		h.Post(ch, livedesktest.Message{Body: "two"})
		conv := h.RequireConversations(ch.ID, 1)[0]
		g := h.RequireQueued(conv.ID, store.KindGreeting, 1)[0]
		require.Equal(t, "greeting:"+conv.ID, g.Key)
		require.Equal(t, "Hi! An agent will be with you shortly.", g.Text)
		require.Equal(t, store.DeliveryPending, g.Status)
		msgs := h.MustMessages(conv.ID)
		require.Equal(t, []store.Kind{store.KindCustomer, store.KindGreeting, store.KindCustomer},
			[]store.Kind{msgs[0].Kind, msgs[1].Kind, msgs[2].Kind})
	})
	t.Run("not queued when disabled", func(t *testing.T) {
		h, _ := newHarness(t)
		ch := h.AddChannel()
		h.Post(ch, livedesktest.Message{Body: "one"})
		conv := h.RequireConversations(ch.ID, 1)[0]
		h.RequireQueued(conv.ID, store.KindGreeting, 0)
		require.True(t, h.MustMessages(conv.ID)[0].Processed)
	})
	t.Run("each customer gets their own", func(t *testing.T) {
		h, _ := newHarness(t)
		ch := h.AddChannel(greeting)
		h.Post(ch, livedesktest.Message{Body: "one", From: "+14155550100"})
		h.Post(ch, livedesktest.Message{Body: "one", From: "+14155550101"})
		for _, c := range h.RequireConversations(ch.ID, 2) {
			h.RequireQueued(c.ID, store.KindGreeting, 1)
		}
	})
}

// failingStore fails the chosen operations.
type failingStore struct {
	*memstore.Store
	failRecord, failFinish bool
}

var errInjected = errors.New("injected failure")

func (s *failingStore) RecordInbound(ctx context.Context, rec store.InboundRecord) (store.InboundResult, error) {
	if s.failRecord {
		return store.InboundResult{}, errInjected
	}
	return s.Store.RecordInbound(ctx, rec)
}

func (s *failingStore) FinishInbound(ctx context.Context, id string, q []store.Message, at time.Time) ([]store.Message, error) {
	if s.failFinish {
		return nil, errInjected
	}
	return s.Store.FinishInbound(ctx, id, q, at)
}

func TestStoreFailure(t *testing.T) {
	t.Run("recording fails: 500 and nothing stored", func(t *testing.T) {
		fs := &failingStore{Store: memstore.New(), failRecord: true}
		h, _ := newHarness(t, func(o *livedesk.Options) { o.Store = fs })
		ch := h.AddChannel(greeting)
		m := livedesktest.Message{SID: livedesktest.NewSID(), Body: "hello"}
		resp, body := h.Post(ch, m)
		livedesktest.RequireStatus(t, resp, body, 500)
		h.RequireConversations(ch.ID, 0)
		// Twilio retries once the store is back: the message is recorded.
		fs.failRecord = false
		resp, body = h.Post(ch, m)
		livedesktest.RequireStatus(t, resp, body, 200)
		conv := h.RequireConversations(ch.ID, 1)[0]
		h.RequireQueued(conv.ID, store.KindGreeting, 1)
	})
	t.Run("processing fails: 200, the message is kept and the sweep finishes it", func(t *testing.T) {
		fs := &failingStore{Store: memstore.New(), failFinish: true}
		h, _ := newHarness(t, func(o *livedesk.Options) { o.Store = fs })
		ch := h.AddChannel(greeting)
		resp, body := h.Post(ch, livedesktest.Message{Body: "hello"})
		livedesktest.RequireStatus(t, resp, body, 200)
		conv := h.RequireConversations(ch.ID, 1)[0]
		h.RequireQueued(conv.ID, store.KindGreeting, 0)
		require.False(t, h.MustMessages(conv.ID)[0].Processed)
		fs.failFinish = false
		n, err := h.Desk.Sweep(t.Context())
		require.NoError(t, err)
		require.Zero(t, n, "too young for the sweep: a webhook may still be processing it")
		h.Clock.Advance(2 * time.Minute)
		n, err = h.Desk.Sweep(t.Context())
		require.NoError(t, err)
		require.Equal(t, 1, n)
		h.RequireQueued(conv.ID, store.KindGreeting, 1)
		n, err = h.Desk.Sweep(t.Context())
		require.NoError(t, err)
		require.Zero(t, n)
		h.RequireQueued(conv.ID, store.KindGreeting, 1)
	})
}

func TestStripPrefixMount(t *testing.T) {
	h, _ := newHarness(t)
	ch := h.AddChannel()
	mux := http.NewServeMux()
	mux.Handle("/livedesk/", http.StripPrefix("/livedesk", h.Desk.Handler()))
	srv := httptestServer(t, mux)
	req := livedesktest.NewRequest(ch, h.Desk.WebhookURL(ch.ID), srv+"/livedesk/twilio/"+ch.ID, livedesktest.Message{Body: "hi"}.Form(ch))
	resp, body := h.Do(req)
	livedesktest.RequireStatus(t, resp, body, 200)
}
