package openai

import (
	"strconv"
	"strings"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// turn is one history message as the model sees it: a user message when
// the customer wrote it, an assistant message otherwise.
type turn struct {
	customer bool
	text     string
}

// transcript turns the request's history into at most max turns, oldest
// first. Outbound messages the customer never saw (failed, undelivered,
// canceled) and messages with nothing to show are left out; req.Message is
// added when History does not hold it.
func transcript(req livedesk.AIRequest, max int) []turn {
	msgs := req.History
	if !holds(msgs, req.Message) {
		msgs = append(msgs[:len(msgs):len(msgs)], req.Message)
	}
	turns := make([]turn, 0, min(len(msgs), max))
	for _, m := range msgs {
		if t, ok := describe(m); ok {
			turns = append(turns, t)
		}
	}
	if len(turns) > max {
		turns = turns[len(turns)-max:]
	}
	return turns
}

// holds reports whether history already contains m: by ID, or for a
// message without one (a hand-built request), as its last entry.
func holds(history []store.Message, m store.Message) bool {
	if m.ID != "" {
		for i := len(history) - 1; i >= 0; i-- {
			if history[i].ID == m.ID {
				return true
			}
		}
		return false
	}
	if len(history) == 0 {
		return m.Text == "" && m.Inbound == nil // nothing to add
	}
	last := history[len(history)-1]
	return last.Direction == m.Direction && last.Text == m.Text && last.CreatedAt.Equal(m.CreatedAt)
}

// describe renders one message; ok is false when it is to be left out.
func describe(m store.Message) (turn, bool) {
	if m.Direction == store.Inbound {
		text := describeInbound(m)
		return turn{customer: true, text: text}, text != ""
	}
	switch m.Status {
	case store.DeliveryFailed, store.DeliveryUndelivered, store.DeliveryCanceled:
		return turn{}, false // the customer never saw it
	}
	parts := make([]string, 0, 1+len(m.MediaURLs))
	if t := strings.TrimSpace(m.Text); t != "" {
		parts = append(parts, t)
	} else if m.ContentSID != "" {
		parts = append(parts, "[template message]")
	}
	for range m.MediaURLs {
		parts = append(parts, "[attachment]")
	}
	if len(parts) == 0 {
		return turn{}, false
	}
	text := strings.Join(parts, " ")
	switch m.Kind {
	case store.KindAI:
	case store.KindReply:
		text = markHuman + text
	default: // greeting, out-of-office, CSAT...
		text = markAutomatic + text
	}
	return turn{text: text}, true
}

// describeInbound renders what the customer sent: button taps, media,
// locations and other non-text messages as bracketed descriptions, then the
// text.
func describeInbound(m store.Message) string {
	text := strings.TrimSpace(m.Text)
	in := m.Inbound
	if in == nil {
		return text
	}
	if text == "" {
		text = strings.TrimSpace(in.Body)
	}
	var parts []string
	if button := strings.TrimSpace(in.ButtonText); button != "" || in.Type.IsButton() {
		if button == "" {
			button = text
		}
		parts = append(parts, "[tapped button: "+button+"]")
		if text == button {
			text = "" // Twilio repeats the button's title in Body
		}
	}
	for _, media := range in.Media {
		parts = append(parts, describeMedia(in.Type, media.ContentType))
	}
	if loc := in.Location; loc != nil {
		parts = append(parts, describeLocation(*loc))
	}
	switch in.Type {
	case channel.TypeContacts:
		parts = append(parts, "[contact card]")
	case channel.TypeReaction:
		parts = append(parts, "[reaction]")
	case channel.TypeUnknown:
		if text == "" && len(parts) == 0 {
			parts = append(parts, "[unsupported message]")
		}
	}
	if text != "" {
		parts = append(parts, text)
	}
	return strings.Join(parts, " ")
}

// describeMedia is "[image: image/jpeg]": the kind of attachment, taken from
// its content type, and the content type itself.
func describeMedia(t channel.MessageType, contentType string) string {
	kind := "document"
	major, _, _ := strings.Cut(contentType, "/")
	switch {
	case t == channel.TypeSticker:
		kind = "sticker"
	case major == "image" || major == "audio" || major == "video":
		kind = major
	case contentType == "" && (t == channel.TypeImage || t == channel.TypeAudio || t == channel.TypeVideo):
		kind = string(t)
	case contentType == "" && t != channel.TypeDocument:
		kind = "attachment"
	}
	if contentType == "" {
		return "[" + kind + "]"
	}
	return "[" + kind + ": " + contentType + "]"
}

// describeLocation is "[location: 48.85, 2.35 — Paris office, 1 rue X]".
func describeLocation(l channel.Location) string {
	s := "[location: " + strconv.FormatFloat(l.Latitude, 'f', -1, 64) + ", " + strconv.FormatFloat(l.Longitude, 'f', -1, 64)
	var names []string
	for _, n := range []string{l.Label, l.Address} {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	if len(names) > 0 {
		s += " — " + strings.Join(names, ", ")
	}
	return s + "]"
}
