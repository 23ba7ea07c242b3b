package openai

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

func TestDescribe(t *testing.T) {
	in := func(text string, inb channel.Inbound) store.Message {
		return store.Message{Direction: store.Inbound, Kind: store.KindCustomer, Text: text, Inbound: &inb}
	}
	out := func(kind store.Kind, status store.DeliveryStatus, text string) store.Message {
		return store.Message{Direction: store.Outbound, Kind: kind, Status: status, Text: text}
	}
	media := func(ct string) []channel.Media {
		return []channel.Media{{URL: "https://api.twilio.com/ME1", ContentType: ct}}
	}
	tests := []struct {
		name string
		msg  store.Message
		want turn
		skip bool
	}{
		{name: "customer text", msg: in("Hello", channel.Inbound{Type: channel.TypeText, Body: "Hello"}), want: turn{customer: true, text: "Hello"}},
		{name: "customer text without webhook", msg: store.Message{Direction: store.Inbound, Text: " Hello "}, want: turn{customer: true, text: "Hello"}},
		{name: "Body when Text is empty", msg: in("", channel.Inbound{Type: channel.TypeText, Body: "Hi"}), want: turn{customer: true, text: "Hi"}},
		{name: "image with caption", msg: in("broken?", channel.Inbound{Type: channel.TypeImage, Media: media("image/jpeg")}), want: turn{customer: true, text: "[image: image/jpeg] broken?"}},
		{name: "two images", msg: in("", channel.Inbound{Type: channel.TypeImage, Media: append(media("image/png"), media("image/jpeg")...)}), want: turn{customer: true, text: "[image: image/png] [image: image/jpeg]"}},
		{name: "voice note", msg: in("", channel.Inbound{Type: channel.TypeAudio, Media: media("audio/ogg")}), want: turn{customer: true, text: "[audio: audio/ogg]"}},
		{name: "video", msg: in("", channel.Inbound{Type: channel.TypeVideo, Media: media("video/mp4")}), want: turn{customer: true, text: "[video: video/mp4]"}},
		{name: "PDF", msg: in("invoice", channel.Inbound{Type: channel.TypeDocument, Media: media("application/pdf")}), want: turn{customer: true, text: "[document: application/pdf] invoice"}},
		{name: "sticker", msg: in("", channel.Inbound{Type: channel.TypeSticker, Media: media("image/webp")}), want: turn{customer: true, text: "[sticker: image/webp]"}},
		{name: "media without a content type", msg: in("", channel.Inbound{Type: channel.TypeImage, Media: media("")}), want: turn{customer: true, text: "[image]"}},
		{name: "unknown media without a content type", msg: in("", channel.Inbound{Type: channel.TypeUnknown, Media: media("")}), want: turn{customer: true, text: "[attachment]"}},
		{name: "location with label and address", msg: in("", channel.Inbound{Type: channel.TypeLocation, Location: &channel.Location{Latitude: 45.764043, Longitude: 4.835659, Label: "Le Fournil", Address: "3 rue de la République, Lyon"}}),
			want: turn{customer: true, text: "[location: 45.764043, 4.835659 — Le Fournil, 3 rue de la République, Lyon]"}},
		{name: "bare location", msg: in("", channel.Inbound{Type: channel.TypeLocation, Location: &channel.Location{Latitude: -33.9, Longitude: 18.4}}), want: turn{customer: true, text: "[location: -33.9, 18.4]"}},
		{name: "template button", msg: in("Yes", channel.Inbound{Type: channel.TypeButton, Body: "Yes", ButtonText: "Yes", ButtonPayload: "yes"}), want: turn{customer: true, text: "[tapped button: Yes]"}},
		{name: "list tap without ButtonText", msg: in("Opening hours", channel.Inbound{Type: channel.TypeInteractive, Body: "Opening hours"}), want: turn{customer: true, text: "[tapped button: Opening hours]"}},
		{name: "contact card", msg: in("", channel.Inbound{Type: channel.TypeContacts}), want: turn{customer: true, text: "[contact card]"}},
		{name: "reaction", msg: in("👍", channel.Inbound{Type: channel.TypeReaction, Body: "👍"}), want: turn{customer: true, text: "[reaction] 👍"}},
		{name: "unsupported message", msg: in("", channel.Inbound{Type: channel.TypeUnknown}), want: turn{customer: true, text: "[unsupported message]"}},
		{name: "empty customer message is left out", msg: store.Message{Direction: store.Inbound}, skip: true},

		{name: "AI reply as is", msg: out(store.KindAI, store.DeliveryDelivered, "We open at 7."), want: turn{text: "We open at 7."}},
		{name: "AI reply still in the outbox", msg: out(store.KindAI, store.DeliveryPending, "We open at 7."), want: turn{text: "We open at 7."}},
		{name: "human agent reply is marked", msg: out(store.KindReply, store.DeliveryRead, "Refunded."), want: turn{text: "[human agent] Refunded."}},
		{name: "greeting is marked automatic", msg: out(store.KindGreeting, store.DeliverySent, "Hi!"), want: turn{text: "[automatic message] Hi!"}},
		{name: "out-of-office is marked automatic", msg: out(store.KindOutOfOffice, store.DeliverySent, "We are closed."), want: turn{text: "[automatic message] We are closed."}},
		{name: "CSAT survey is marked automatic", msg: out(store.KindSurvey, store.DeliverySent, "Rate us 1-5"), want: turn{text: "[automatic message] Rate us 1-5"}},
		{name: "template without text", msg: store.Message{Direction: store.Outbound, Kind: store.KindReply, ContentSID: "HX123"}, want: turn{text: "[human agent] [template message]"}},
		{name: "outbound attachment", msg: store.Message{Direction: store.Outbound, Kind: store.KindReply, Text: "Our menu", MediaURLs: []string{"https://example.com/menu.pdf"}}, want: turn{text: "[human agent] Our menu [attachment]"}},
		{name: "failed outbound is left out", msg: out(store.KindAI, store.DeliveryFailed, "Hi"), skip: true},
		{name: "undelivered outbound is left out", msg: out(store.KindReply, store.DeliveryUndelivered, "Hi"), skip: true},
		{name: "canceled outbound is left out", msg: out(store.KindReply, store.DeliveryCanceled, "Hi"), skip: true},
		{name: "internal note is left out", msg: store.Message{Direction: store.Internal, Kind: store.KindNote, AuthorID: "a1", Text: "Customer is rude; refund anyway"}, skip: true},
		{name: "empty outbound is left out", msg: out(store.KindAI, store.DeliverySent, " "), skip: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := describe(tt.msg)
			require.Equal(t, !tt.skip, ok)
			if !tt.skip {
				require.Equal(t, tt.want, got)
			}
		})
	}
}

func TestTranscriptDoesNotAliasHistory(t *testing.T) {
	history := make([]store.Message, 1, 4)
	history[0] = store.Message{ID: "1", Direction: store.Inbound, Text: "a"}
	msg := store.Message{ID: "2", Direction: store.Inbound, Text: "b"}
	_ = transcript(livedesk.AIRequest{History: history, Message: msg}, 30)
	require.Equal(t, store.Message{}, history[:2][1], "the caller's backing array was written")
}
