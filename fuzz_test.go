package livedesk_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/store/memstore"
	"github.com/livedesk/livedesk/store/pgstore"
	"github.com/livedesk/livedesk/store/pgstore/pgtest"
	"github.com/livedesk/livedesk/twilio"
)

// FuzzHandler drives the whole webhook handler (signature, parsing, store,
// processing) on memstore with requests signed by Twilio's real algorithm
// and the channel's token. Its seed corpus runs in every go test; run it
// longer with
//
//	go test -run '^$' -fuzz FuzzHandler$ .
//
// What it checks: no panic, no 500 (a store failure would be one: memstore
// never fails), only 200, 400 or 403 for a signed request, 400 exactly when
// the parser refuses the form, and what a 200 stored is what the parser
// made of the form and passes the store rule (issue 13, defect 1).
func FuzzHandler(f *testing.F) {
	fuzzHandler(f, func(testing.TB) store.Store { return memstore.New() })
}

// FuzzHandlerPostgres is FuzzHandler on pgstore (a fresh schema; skipped
// without PostgreSQL except under CI): the same inputs must get the same
// answers as on memstore.
func FuzzHandlerPostgres(f *testing.F) {
	fuzzHandler(f, func(tb testing.TB) store.Store {
		pool := pgtest.Pool(tb)
		s, err := pgstore.New(pool, pgstore.Options{Schema: pgtest.Schema(tb, pool)})
		if err != nil {
			tb.Fatal(err)
		}
		return s
	})
}

// fuzzSeeds adds the seed corpus. A case is (mode, MessageSid, From, Body,
// key, value, Latitude and Longitude, query string): mode 0 posts an
// inbound message with the fields overlaid on a normal one, 1 a status
// callback likewise, 2 the value as the raw body (signed over what it
// parses to). Empty fields are left as they are.
func fuzzSeeds(f *testing.F) {
	big := strings.Repeat("7", 5000)
	for _, s := range []struct {
		mode                         uint8
		sid, from, body, key, v, lat string
		query                        string
	}{
		{0, "", "", "hello", "", "", "", ""},
		{0, "", "", "a\x00b", "ProfileName", "An\x00a", "", ""},
		{0, "", "", "x\xed\xa0\x80y", "ReferralBody", "\xff", "", ""},
		{0, "", "", "", "ChannelMetadata", "{\x00}", "NaN", ""},
		{0, "", "", "", "Odd\x00Key", "v\x00", "Inf", ""},
		{0, "SM" + big, "", "hi", "", "", "", ""},
		{0, "", "+" + big, "hi", "", "", "", ""},
		{0, "SM\x00", "", "hi", "", "", "", ""},
		{0, "", "+1\n2", "hi", "WaId", big, "", ""},
		{0, "", "", big, "AccountSid", "AC" + big, "", ""},
		{0, "", "", "hi", "To", "whatsapp:+1", "", "tenant=acme"},
		{0, "", "", "hi", "MessagingServiceSid", "MG\xff", "91", "a=%zz"},
		{1, "", "", "", "", "", "", "o=%00"},
		{1, "", "", "", "", "", "", "o=%ff"},
		{1, "", "", "", "", "", "", "o=" + big},
		{1, "SM\x00", "", "", "ErrorMessage", "bad\x00", "", ""},
		{1, "SM\xff", "", "", "MessageStatus", big, "", ""},
		{1, "", "", "", "ChannelStatusMessage", "\xed\xa0\x80", "", "o=00000000-0000-0000-0000-000000000000"},
		{2, "", "", "", "", "MessageSid=SM1&AccountSid=ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&From=whatsapp%3A%2B1&To=whatsapp%3A%2B14155238886&Body=%00", "", ""},
		{2, "", "", "", "", "a=%zz", "", ""},
		{2, "", "", "", "", "a=1;b=2", "", ""},
		{2, "", "", "", "", "", "", ""},
	} {
		f.Add(s.mode, s.sid, s.from, s.body, s.key, s.v, s.lat, s.query)
	}
}

func fuzzHandler(f *testing.F, newStore func(testing.TB) store.Store) {
	fuzzSeeds(f)
	var (
		mu       sync.Mutex
		received []livedesk.Event
	)
	d, err := livedesk.New(livedesk.Options{PublicURL: livedesktest.PublicURL, Store: newStore(f), SkipTwilioChecks: true,
		OnEvent: func(_ context.Context, e livedesk.Event) {
			if e.Type == livedesk.EventMessageReceived {
				mu.Lock()
				received = append(received, e)
				mu.Unlock()
			}
		}})
	if err != nil {
		f.Fatal(err)
	}
	ch, err := d.CreateChannel(f.Context(), livedesktest.TestChannel())
	if err != nil {
		f.Fatal(err)
	}
	seen := map[string]bool{} // SIDs posted so far (a repeat is a duplicate)
	f.Fuzz(func(t *testing.T, mode uint8, sid, from, body, key, v, lat, query string) {
		mode %= 3
		base := d.WebhookURL(ch.ID)
		if mode == 1 {
			base = d.StatusCallbackURL(ch.ID)
		}
		signed := base
		if query != "" {
			signed += "?" + query
		}
		path := strings.TrimPrefix(base, "https://desk.example.com")
		var form url.Values
		var raw string
		switch mode {
		case 0:
			form = livedesktest.Message{Body: body}.Form(ch)
		case 1:
			form = url.Values{"MessageSid": {livedesktest.NewSID()}, "MessageStatus": {"failed"}, "AccountSid": {ch.Twilio.AccountSID},
				"ErrorCode": {"63024"}, "ErrorMessage": {"Invalid message recipient"}}
		case 2:
			raw = v
		}
		if mode != 2 {
			if sid != "" {
				form.Set("MessageSid", sid)
			}
			if from != "" {
				form.Set("From", "whatsapp:"+from)
			}
			if key != "" {
				form.Set(key, v)
			}
			if lat != "" {
				form.Set("Latitude", lat)
				form.Set("Longitude", lat)
			}
			raw = form.Encode()
		}
		parsed, perr := twilio.ParseForm([]byte(raw))
		req := &http.Request{Method: http.MethodPost, URL: &url.URL{Path: path, RawQuery: query},
			Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, Body: io.NopCloser(strings.NewReader(raw)),
			ContentLength: int64(len(raw))}
		req = req.WithContext(t.Context())
		if perr == nil {
			req.Header.Set(twilio.SignatureHeader, twilio.NewVerifier(ch.Twilio.AuthToken.Reveal()).Sign(signed, parsed))
		}
		mu.Lock()
		before := len(received)
		mu.Unlock()
		w := httptest.NewRecorder()
		d.Handler().ServeHTTP(w, req)
		code := w.Code

		switch {
		case perr != nil:
			if code != http.StatusBadRequest {
				t.Fatalf("malformed body %q: %d, want 400", excerpt(raw), code)
			}
			return
		case code != http.StatusOK && code != http.StatusBadRequest && code != http.StatusForbidden:
			t.Fatalf("signed request got %d (want 200, 400 or 403): %s", code, excerpt(w.Body.String()))
		}
		if mode == 1 {
			_, serr := twilio.ParseStatus(parsed)
			o := req.URL.Query().Get("o")
			want400 := errors.Is(serr, twilio.ErrInvalidParam) || (o != "" && !channel.ValidID(o))
			if want400 != (code == http.StatusBadRequest) {
				t.Fatalf("status callback: %d, parser says %v, o=%s", code, serr, excerpt(o))
			}
			return
		}
		in, ierr := twilio.ParseInbound(parsed)
		if (ierr != nil) != (code == http.StatusBadRequest) {
			t.Fatalf("inbound: %d, parser says %v", code, ierr)
		}
		if code != http.StatusOK {
			return
		}
		if err := in.Check(); err != nil {
			t.Fatalf("the parser accepted what a store refuses: %v", err)
		}
		fresh := !seen[in.MessageSID]
		seen[in.MessageSID] = true
		mu.Lock()
		got := received[before:]
		mu.Unlock()
		if !fresh {
			return // a duplicate: the first delivery's record stands
		}
		if len(got) != 1 {
			t.Fatalf("a new message was received %d times", len(got))
		}
		msgs, err := d.Messages(t.Context(), got[0].ConversationID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if m.ID != got[0].MessageID {
				continue
			}
			if m.Inbound == nil || m.Inbound.Body != in.Body || m.Inbound.ProfileName != in.ProfileName || m.SID != in.MessageSID {
				t.Fatalf("stored %+v, parsed %+v", m.Inbound, in)
			}
			return
		}
		t.Fatalf("message %s not stored", got[0].MessageID)
	})
}

func excerpt(s string) string { return channel.Excerpt(s) }
