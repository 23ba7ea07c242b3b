package storetest

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// Hostile records: the text rule every store shares (channel.Inbound.Check,
// store.InboundRecord.Check, store.StatusUpdate.Check). Everything the
// webhook parser can produce is kept exactly; everything else is refused
// with ErrInvalid and nothing is written. Both lists must give the same
// result on every store (issue 13: Postgres refused, with a 500 on every
// retry, signed input that memstore kept).
var hostileCases = []testCase{
	{"records the parser can produce are kept exactly", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		for i, h := range keptRecords() {
			rec := inbound("ch1", contactPhone(i), 1000+i, t0)
			h.mod(&rec.Message)
			if err := rec.Check(); err != nil {
				t.Fatalf("%s: the case itself breaks the rule: %v", h.name, err)
			}
			res, err := s.RecordInbound(ctx(t), rec)
			if err != nil {
				t.Fatalf("%s: RecordInbound: %v", h.name, err)
			}
			want := rec.Message
			msgs, err := s.Messages(ctx(t), res.Conversation.ID)
			noErr(t, err, h.name+": Messages")
			if len(msgs) != 1 || msgs[0].Inbound == nil {
				t.Fatalf("%s: stored %d messages", h.name, len(msgs))
			}
			if !reflect.DeepEqual(*msgs[0].Inbound, want) {
				t.Fatalf("%s: stored webhook differs:\n got %+v\nwant %+v", h.name, *msgs[0].Inbound, want)
			}
			equal(t, msgs[0].Text, want.Text(), h.name+": Text")
			c, err := s.Contact(ctx(t), res.Contact.ID)
			noErr(t, err, h.name+": Contact")
			equal(t, c.ProfileName, want.ProfileName, h.name+": ProfileName")
			equal(t, c.WaID, want.WaID, h.name+": WaID")
			equal(t, c.Phone, want.Phone(), h.name+": Phone")
			// A redelivery finds it, unchanged.
			dup, err := s.RecordInbound(ctx(t), rec)
			noErr(t, err, h.name+": RecordInbound again")
			equal(t, dup.Duplicate, true, h.name+": Duplicate")
			if !reflect.DeepEqual(*dup.Message.Inbound, want) {
				t.Fatalf("%s: duplicate returns a different webhook:\n got %+v\nwant %+v", h.name, *dup.Message.Inbound, want)
			}
		}
	}},
	{"records no store can keep are refused alike, nothing written", func(t *testing.T, s store.Store) {
		mustCreateChannel(t, s, "ch1")
		for i, h := range refusedRecords() {
			rec := inbound("ch1", contactPhone(i), 2000+i, t0)
			h.mod(&rec)
			_, err := s.RecordInbound(ctx(t), rec)
			wantErr(t, err, store.ErrInvalid, h.name)
			if len(err.Error()) > 400 {
				t.Fatalf("%s: the error echoes the value (%d bytes): %.200s", h.name, len(err.Error()), err)
			}
		}
		convs, err := s.ListConversations(ctx(t), store.ConversationFilter{ChannelID: "ch1"})
		noErr(t, err, "Conversations")
		equal(t, len(convs), 0, "conversations after refused records")
		un, err := s.UnprocessedInbound(ctx(t), t0.Add(1e12), 0)
		noErr(t, err, "UnprocessedInbound")
		equal(t, len(un), 0, "messages after refused records")
		// The store still works.
		mustRecord(t, s, inbound("ch1", "+14155550100", 1, t0))
	}},
	{"status updates: clean text kept, hostile values refused", func(t *testing.T, s store.Store) {
		_, out := queueN(t, s, 1)
		m := out[0]
		refused := []store.StatusUpdate{
			{MessageID: m.ID, Status: store.DeliveryFailed, ErrorCode: 30008, ErrorMessage: "bad\x00"},
			{MessageID: m.ID, Status: store.DeliveryFailed, ErrorCode: 30008, ErrorMessage: "\xed\xa0\x80"},
			{MessageID: "\xff", Status: store.DeliveryDelivered},
			{MessageID: m.ID + "\x00", Status: store.DeliveryDelivered},
			{MessageID: strings.Repeat("a", 5000), Status: store.DeliveryDelivered},
			{ChannelID: "ch1", SID: "SM" + strings.Repeat("a", 5000), Status: store.DeliveryDelivered},
			{ChannelID: "ch1", SID: "SM\x00", Status: store.DeliveryDelivered},
		}
		for i, u := range refused {
			u.At = t0
			_, _, err := s.ApplyStatus(ctx(t), u)
			wantErr(t, err, store.ErrInvalid, fmt.Sprintf("refused update %d", i))
		}
		got := mustMessage(t, s, m.ConversationID, m.ID)
		equal(t, got.Status, m.Status, "status after refused updates")
		equal(t, got.Error, "", "error after refused updates")

		text := "Invalid message recipient (WhatsApp: " + strings.Repeat("\uFFFD😍", 500) + ")"
		_, changed, err := s.ApplyStatus(ctx(t), store.StatusUpdate{MessageID: m.ID, Status: store.DeliveryFailed,
			ErrorCode: 63024, ErrorMessage: text, At: t0})
		noErr(t, err, "ApplyStatus")
		equal(t, changed, true, "changed")
		got = mustMessage(t, s, m.ConversationID, m.ID)
		equal(t, got.Error, text, "Error")
		equal(t, got.ErrorCode, 63024, "ErrorCode")
	}},
}

func mustMessage(t *testing.T, s store.Store, conversationID, id string) store.Message {
	t.Helper()
	msgs, err := s.Messages(ctx(t), conversationID)
	noErr(t, err, "Messages")
	for _, m := range msgs {
		if m.ID == id {
			return m
		}
	}
	t.Fatalf("message %s not found", id)
	return store.Message{}
}

type hostileInbound struct {
	name string
	mod  func(*channel.Inbound)
}

// keptRecords are odd but legal: what twilio.ParseInbound can return.
func keptRecords() []hostileInbound {
	extra := map[string]string{"": "empty key", "ключ": "значение", "a.b[0]": `"quoted" \back\slash`}
	for i := range 100 {
		extra[fmt.Sprintf("Param%03d", i)] = strings.Repeat("x", i)
	}
	return []hostileInbound{
		{"U+FFFD where a NUL was", func(in *channel.Inbound) { in.Body = "a\uFFFDb"; in.ProfileName = "\uFFFD" }},
		{"64 KB body of emoji", func(in *channel.Inbound) { in.Body = strings.Repeat("😍", 16*1024) }},
		{"control characters other than NUL", func(in *channel.Inbound) { in.Body = "\x01\x02\t\n\r\x1f\x7f" }},
		{"RTL, zero-width, line separator, noncharacter", func(in *channel.Inbound) {
			in.Body = "\u202Eevil\u200B\u2028\uFFFE\U0010FFFF"
			in.ProfileName = "مرحبا\u200D"
		}},
		{"SQL and JSON lookalikes", func(in *channel.Inbound) {
			in.Body = `'); DROP TABLE messages; --`
			in.ChannelMetadata = `{"unterminated": "\u0000`
			in.ButtonPayload = `\u0000`
		}},
		{"longest identifier and address", func(in *channel.Inbound) {
			in.MessageSID = "SM" + strings.Repeat("f", channel.MaxSIDLen-2)
			in.From = "whatsapp:+" + strings.Repeat("1", channel.MaxAddressLen-10)
			in.WaID = strings.Repeat("1", channel.MaxAddressLen)
		}},
		{"many and odd extra parameters", func(in *channel.Inbound) { in.Extra = extra }},
		{"location at the edges", func(in *channel.Inbound) {
			in.Location = &channel.Location{Latitude: -90, Longitude: 180, Address: "\uFFFD", Label: strings.Repeat("L", 3000)}
			in.Type = channel.TypeLocation
		}},
		{"smallest float and negative zero", func(in *channel.Inbound) {
			in.Location = &channel.Location{Latitude: math.SmallestNonzeroFloat64, Longitude: math.Copysign(0, -1)}
		}},
		{"every optional part", func(in *channel.Inbound) {
			in.MessagingServiceSID = "MG" + strings.Repeat("0", 32)
			in.Media = []channel.Media{{URL: "https://api.twilio.com/x?y=\uFFFD", ContentType: "image/jpeg; x=\"y\""}}
			in.ReplyTo = &channel.ReplyTo{MessageSID: "SM1", Sender: "whatsapp:+14155238886"}
			in.Referral = &channel.Referral{Body: strings.Repeat("r", 4000), CtwaClid: "\uFFFD", NumMedia: "0"}
			in.ExternalUserID = "whatsapp:ID.123"
			in.IdempotencyToken = "tok\uFFFD"
			in.Forwarded, in.FrequentlyForwarded = true, true
		}},
	}
}

// hostileRecord is a record change that makes it one no store can keep.
type hostileRecord struct {
	name string
	mod  func(*store.InboundRecord)
}

func refusedRecords() []hostileRecord {
	big := strings.Repeat("9", 5000)
	msg := func(name string, f func(*channel.Inbound)) hostileRecord {
		return hostileRecord{name, func(r *store.InboundRecord) { f(&r.Message) }}
	}
	return []hostileRecord{
		msg("NUL in Body", func(in *channel.Inbound) { in.Body = "a\x00b" }),
		msg("lone surrogate in ProfileName", func(in *channel.Inbound) { in.ProfileName = "\xed\xa0\x80" }),
		msg("NUL in ChannelMetadata", func(in *channel.Inbound) { in.ChannelMetadata = "{\x00}" }),
		msg("NUL in an extra key", func(in *channel.Inbound) { in.Extra = map[string]string{"a\x00": "v"} }),
		msg("0xff in an extra value", func(in *channel.Inbound) { in.Extra = map[string]string{"k": "\xff"} }),
		msg("NUL in a referral", func(in *channel.Inbound) { in.Referral = &channel.Referral{Body: "\x00"} }),
		msg("NUL in a media URL", func(in *channel.Inbound) { in.Media = []channel.Media{{URL: "https://x/\x00"}} }),
		msg("NUL in the idempotency token", func(in *channel.Inbound) { in.IdempotencyToken = "\x00" }),
		msg("5 KB MessageSid", func(in *channel.Inbound) { in.MessageSID = "SM" + big }),
		msg("65-character MessageSid", func(in *channel.Inbound) { in.MessageSID = "SM" + strings.Repeat("a", 63) }),
		msg("MessageSid with a quote", func(in *channel.Inbound) { in.MessageSID = "SM'1" }),
		msg("empty MessageSid", func(in *channel.Inbound) { in.MessageSID = "" }),
		msg("5 KB From", func(in *channel.Inbound) { in.From = "whatsapp:+" + big }),
		msg("From with a newline", func(in *channel.Inbound) { in.From = "whatsapp:+1\n" }),
		msg("5 KB WaId", func(in *channel.Inbound) { in.WaID = big }),
		msg("5 KB To", func(in *channel.Inbound) { in.To = "whatsapp:+" + big }),
		msg("5 KB reply SID", func(in *channel.Inbound) { in.ReplyTo = &channel.ReplyTo{MessageSID: big} }),
		msg("NaN latitude", func(in *channel.Inbound) { in.Location = &channel.Location{Latitude: math.NaN()} }),
		msg("infinite longitude", func(in *channel.Inbound) { in.Location = &channel.Location{Longitude: math.Inf(1)} }),
		msg("latitude 91", func(in *channel.Inbound) { in.Location = &channel.Location{Latitude: 91} }),
		{"NUL in the survey answer", func(r *store.InboundRecord) { r.Answer.SurveyID = "\x00" }},
	}
}
