package livedesk_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/memstore"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
	"github.com/livedesk/livedesk/twilio"
)

// eachStore runs f once on memstore and once on pgstore (a fresh schema;
// skipped without Postgres except under CI, see pgtest).
func eachStore(t *testing.T, f func(t *testing.T, s store.Store)) {
	t.Run("memstore", func(t *testing.T) { f(t, memstore.New()) })
	t.Run("pgstore", func(t *testing.T) {
		pool := pgtest.Pool(t)
		s, err := pgstore.New(pool, pgstore.Options{Schema: pgtest.Schema(t, pool)})
		require.NoError(t, err)
		f(t, s)
	})
}

func useStore(s store.Store) func(*livedesk.Options) {
	return func(o *livedesk.Options) { o.Store = s }
}

// TestHostileSignedInputs posts signed webhooks that no honest Twilio sends
// (or only rarely) through the real handler, and checks every store gives
// the same documented answer (README "Hostile input"): text Twilio may send
// is sanitized and stored, values it never sends are refused with 400 and
// nothing is stored, and no answer is a 500 (issue 13, defect 1).
func TestHostileSignedInputs(t *testing.T) {
	big := strings.Repeat("7", 5000)
	type inboundCase struct {
		name   string
		set    map[string]string // form parameters set over a normal message
		header string            // I-Twilio-Idempotency-Token, when set
		want   int
		check  func(t *testing.T, m store.Message) // the stored message, for 200
	}
	inbound := []inboundCase{
		{name: "NUL in Body", set: map[string]string{"Body": "a\x00b"}, want: 200, check: func(t *testing.T, m store.Message) {
			require.Equal(t, "a\uFFFDb", m.Text)
		}},
		{name: "lone surrogate in Body", set: map[string]string{"Body": "x\xed\xa0\x80y"}, want: 200, check: func(t *testing.T, m store.Message) {
			require.Equal(t, "x\uFFFD\uFFFD\uFFFDy", m.Text)
		}},
		{name: "NUL in ProfileName", set: map[string]string{"ProfileName": "An\x00a"}, want: 200, check: func(t *testing.T, m store.Message) {
			require.Equal(t, "An\uFFFDa", m.Inbound.ProfileName)
		}},
		{name: "NUL and 0xff in referral fields", set: map[string]string{"ReferralBody": "ad\x00", "ReferralHeadline": "\xff"}, want: 200, check: func(t *testing.T, m store.Message) {
			require.Equal(t, "ad\uFFFD", m.Inbound.Referral.Body)
			require.Equal(t, "\uFFFD", m.Inbound.Referral.Headline)
		}},
		{name: "NUL in ChannelMetadata", set: map[string]string{"ChannelMetadata": `{"type":"whatsapp\u0000"}` + "\x00"}, want: 200, check: func(t *testing.T, m store.Message) {
			require.Equal(t, `{"type":"whatsapp\u0000"}`+"\uFFFD", m.Inbound.ChannelMetadata)
		}},
		{name: "NUL in an extra parameter's name and value", set: map[string]string{"Odd\x00Key": "v\x00", "AddOns": "\xc3("}, want: 200, check: func(t *testing.T, m store.Message) {
			require.Equal(t, "v\uFFFD", m.Inbound.Extra["Odd\uFFFDKey"])
			require.Equal(t, "\uFFFD(", m.Inbound.Extra["AddOns"])
		}},
		{name: "Latitude=NaN is not a location", set: map[string]string{"Latitude": "NaN", "Longitude": "2.35", "MessageType": "location"}, want: 200, check: func(t *testing.T, m store.Message) {
			require.Nil(t, m.Inbound.Location)
			require.Equal(t, "NaN", m.Inbound.Extra["Latitude"])
		}},
		{name: "Longitude=Inf is not a location", set: map[string]string{"Latitude": "1", "Longitude": "Inf"}, want: 200, check: func(t *testing.T, m store.Message) {
			require.Nil(t, m.Inbound.Location)
		}},
		{name: "invalid UTF-8 idempotency header", header: "tok\xff", want: 200, check: func(t *testing.T, m store.Message) {
			require.Equal(t, "tok\uFFFD", m.Inbound.IdempotencyToken)
		}},
		{name: "5 KB Body is kept", set: map[string]string{"Body": big}, want: 200, check: func(t *testing.T, m store.Message) {
			require.Equal(t, big, m.Text)
		}},
		{name: "5 KB MessageSid", set: map[string]string{"MessageSid": "SM" + big}, want: 400},
		{name: "5 KB From", set: map[string]string{"From": "whatsapp:+" + big}, want: 400},
		{name: "5 KB WaId", set: map[string]string{"WaId": big}, want: 400},
		{name: "NUL in MessageSid", set: map[string]string{"MessageSid": "SM\x00" + strings.Repeat("a", 31)}, want: 400},
		{name: "0xff in From", set: map[string]string{"From": "whatsapp:+1415\xff"}, want: 400},
		{name: "5 KB OriginalRepliedMessageSid", set: map[string]string{"OriginalRepliedMessageSid": "SM" + big}, want: 400},
	}

	eachStore(t, func(t *testing.T, s store.Store) {
		h, logs := newHarness(t, useStore(s))
		ch := h.AddChannel(greeting)
		h.Start()
		stored := 0
		for i, c := range inbound {
			t.Run(c.name, func(t *testing.T) {
				m := livedesktest.Message{From: "+1415555" + pad4(i), Body: "hello"}
				form := m.Form(ch)
				sid := livedesktest.NewSID()
				form.Set("MessageSid", sid)
				for k, v := range c.set {
					form.Set(k, v)
				}
				if form.Get("MessageSid") != sid {
					form.Del("SmsSid")
					form.Del("SmsMessageSid")
				}
				token := "token-" + sid
				if c.header != "" {
					token = c.header
				}
				setToken := func(r *http.Request) { r.Header["I-Twilio-Idempotency-Token"] = []string{token} }
				resp, body := postSigned(h, ch, h.Desk.WebhookURL(ch.ID), form, setToken)
				livedesktest.RequireStatus(t, resp, body, c.want)
				if c.want != 200 {
					require.Equal(t, stored, inboundCount(t, h, ch), "nothing stored")
					return
				}
				stored++
				require.Equal(t, stored, inboundCount(t, h, ch))
				c.check(t, findInbound(t, h, ch, sid))
				// A retry of the same delivery is the same 200 and stores nothing more.
				resp, body = postSigned(h, ch, h.Desk.WebhookURL(ch.ID), form, setToken)
				livedesktest.RequireStatus(t, resp, body, 200)
				require.Equal(t, stored, inboundCount(t, h, ch))
			})
		}
		require.NotContains(t, logs.String(), big[:200], "no multi-KB value is echoed into the logs")
		for _, e := range h.Events() {
			require.Less(t, len(e.Reason), 1000, "event %s echoes a long value", e.Type)
		}

		// Status callbacks, against the greetings the desk sent.
		greetings := h.WaitEvents(livedesk.EventMessageSent, 2)
		require.GreaterOrEqual(t, len(greetings), 2)
		// The events say two sends were recorded; Twilio may have received
		// more that the desk has not recorded yet: use recorded ones only.
		recorded := map[string]bool{}
		for _, c := range h.MustConversations(ch) {
			for _, m := range h.MustMessages(c.ID) {
				if m.Direction == store.Outbound && m.SID != "" {
					recorded[m.SID] = true
				}
			}
		}
		var sent []livedesktest.SentMessage
		for _, m := range h.Twilio.Sent() {
			if recorded[m.SID] {
				sent = append(sent, m)
			}
		}
		require.GreaterOrEqual(t, len(sent), 2)
		statusCases := []struct {
			name   string
			msg    livedesktest.SentMessage
			query  string // replaces the callback URL's query, when set
			set    map[string]string
			want   int
			status store.DeliveryStatus // the message's status afterwards
			errMsg string               // the message's Error afterwards
		}{
			{name: "NUL in o=", msg: sent[0], query: "o=%00", set: map[string]string{"MessageStatus": "delivered"}, want: 400, status: store.DeliveryQueued},
			{name: "%ff in o=", msg: sent[0], query: "o=%ff", set: map[string]string{"MessageStatus": "delivered"}, want: 400, status: store.DeliveryQueued},
			{name: "5 KB o=", msg: sent[0], query: "o=" + big, set: map[string]string{"MessageStatus": "delivered"}, want: 400, status: store.DeliveryQueued},
			{name: "NUL in MessageSid", msg: sent[0], set: map[string]string{"MessageSid": "SM\x00", "MessageStatus": "delivered"}, want: 400, status: store.DeliveryQueued},
			{name: "%ff in MessageSid", msg: sent[0], set: map[string]string{"MessageSid": "SM\xff", "MessageStatus": "delivered"}, want: 400, status: store.DeliveryQueued},
			{name: "5 KB MessageSid", msg: sent[0], set: map[string]string{"MessageSid": "SM" + big, "MessageStatus": "delivered"}, want: 400, status: store.DeliveryQueued},
			{name: "NUL in ErrorMessage", msg: sent[0], set: map[string]string{"MessageStatus": "failed", "ErrorCode": "30008", "ErrorMessage": "Unknown\x00error"},
				want: 200, status: store.DeliveryFailed, errMsg: "Unknown\uFFFDerror"},
			{name: "ChannelStatusMessage surfaces in the error", msg: sent[1], set: map[string]string{"MessageStatus": "failed", "ErrorCode": "63024",
				"ErrorMessage": "Invalid message recipient", "ChannelStatusMessage": "(#131026) Message undeliverable \xff"},
				want: 200, status: store.DeliveryFailed, errMsg: "Invalid message recipient (WhatsApp: (#131026) Message undeliverable \uFFFD)"},
		}
		for _, c := range statusCases {
			t.Run("status/"+c.name, func(t *testing.T) {
				signed := c.msg.StatusCallback
				if c.query != "" {
					base, _, _ := strings.Cut(signed, "?")
					signed = base + "?" + c.query
				}
				form := url.Values{"MessageSid": {c.msg.SID}, "AccountSid": {c.msg.AccountSID}, "From": {c.msg.From},
					"To": {c.msg.To}, "ApiVersion": {"2010-04-01"}, "ChannelPrefix": {"whatsapp"}}
				for k, v := range c.set {
					form.Set(k, v)
				}
				resp, body := postSigned(h, ch, signed, form, func(r *http.Request) {
					r.Header["I-Twilio-Idempotency-Token"] = []string{"status-" + c.name}
				})
				livedesktest.RequireStatus(t, resp, body, c.want)
				m := findOutbound(t, h, ch, c.msg.SID)
				require.Equal(t, c.status, m.Status)
				require.Equal(t, c.errMsg, m.Error)
			})
		}
		var failed []livedesk.Event
		for _, e := range h.Events() {
			if e.Type == livedesk.EventDeliveryStatus && e.Status == string(store.DeliveryFailed) {
				failed = append(failed, e)
			}
		}
		require.Len(t, failed, 2)
		require.Equal(t, "Invalid message recipient (WhatsApp: (#131026) Message undeliverable \uFFFD)", failed[1].Reason,
			"WhatsApp's own text reaches the event")
	})
}

func pad4(i int) string {
	return string([]byte{byte('0' + i/1000%10), byte('0' + i/100%10), byte('0' + i/10%10), byte('0' + i%10)})
}

func inboundCount(t *testing.T, h *livedesktest.Harness, ch channel.Channel) int {
	t.Helper()
	return messageCount(t, h, ch)
}

func findInbound(t *testing.T, h *livedesktest.Harness, ch channel.Channel, sid string) store.Message {
	t.Helper()
	for _, c := range h.MustConversations(ch) {
		for _, m := range h.MustMessages(c.ID) {
			if m.Direction == store.Inbound && m.SID == sid {
				return m
			}
		}
	}
	t.Fatalf("inbound %s not stored", sid)
	return store.Message{}
}

func findOutbound(t *testing.T, h *livedesktest.Harness, ch channel.Channel, sid string) store.Message {
	t.Helper()
	for _, c := range h.MustConversations(ch) {
		for _, m := range h.MustMessages(c.ID) {
			if m.Direction == store.Outbound && m.SID == sid {
				return m
			}
		}
	}
	t.Fatalf("outbound %s not found", sid)
	return store.Message{}
}

// postSigned is Harness.PostForm for forms whose MessageSid cannot be a
// header value (NewRequest puts it in I-Twilio-Idempotency-Token): it signs
// form over signedURL with ch's token and posts it to the harness server;
// tamper sets the headers.
func postSigned(h *livedesktest.Harness, ch channel.Channel, signedURL string, form url.Values, tamper func(*http.Request)) (*http.Response, string) {
	h.TB.Helper()
	u, err := url.Parse(signedURL)
	require.NoError(h.TB, err)
	req, err := http.NewRequest(http.MethodPost, h.Server.URL+u.RequestURI(), strings.NewReader(form.Encode()))
	require.NoError(h.TB, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(twilio.SignatureHeader, livedesktest.Sign(ch.Twilio.AuthToken, signedURL, form))
	tamper(req)
	return h.Do(req)
}
