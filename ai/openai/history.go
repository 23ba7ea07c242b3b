package openai

import (
	"sort"
	"strconv"
	"strings"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// turn is one history message as the model sees it: a user message when
// the customer wrote it, an assistant message otherwise. pending marks the
// customer's messages the turn answers.
type turn struct {
	customer bool
	pending  bool
	text     string
	msg      store.Message
}

// transcript turns the request's history into at most max turns, in
// conversation order (see conversationOrder): the customer's unanswered
// messages come last, whatever was recorded after them. Outbound messages
// the customer never saw (failed, undelivered, canceled) and messages with
// nothing to show are left out; req.Message is added when History does not
// hold it.
func transcript(req livedesk.AIRequest, max int) []turn {
	msgs := req.History
	at := position(msgs, req.Message)
	if m := req.Message; at < 0 && (m.ID != "" || m.Text != "" || m.Inbound != nil) {
		msgs = append(msgs[:len(msgs):len(msgs)], m)
		at = len(msgs) - 1
	}
	ordered, pendingFrom := conversationOrder(msgs, at)
	turns := make([]turn, 0, min(len(ordered), max))
	for i, m := range ordered {
		if t, ok := describe(m); ok {
			t.pending, t.msg = i >= pendingFrom, m
			turns = append(turns, t)
		}
	}
	if len(turns) > max {
		turns = turns[len(turns)-max:]
	}
	return turns
}

// conversationOrder reorders msgs, in recorded order, into the order of
// the conversation, and says where the customer's unanswered messages
// start (they end it). msgs[at] is the message the turn answers.
//
// Recorded order misleads in two ways. An automatic message (a greeting)
// is recorded just after the question that triggered it; and an AI reply
// is recorded when its turn ends, after the messages the customer wrote
// while it ran, although it answered an earlier one (its Key names it, see
// livedesk.AIReplyTo). Sent as recorded, the model would take its own
// answer, or a greeting, for the latest word and have nothing to answer.
//
// So: the unanswered messages are the customer's messages after the last
// one an answer (an AI or human reply) covered, and msgs[at] in any case;
// they go last, in their order. Before them, each AI reply moves back to
// just before the first customer message after the one it answered.
func conversationOrder(msgs []store.Message, at int) ([]store.Message, int) {
	index := make(map[string]int, len(msgs))
	for i, m := range msgs {
		if m.Direction == store.Inbound && m.ID != "" {
			index[m.ID] = i
		}
	}
	// answered[i] is the position of the message an AI reply at i answered.
	answered := make(map[int]int)
	covered := 0 // the customer's messages before covered are answered
	for i, m := range msgs {
		if m.Direction != store.Outbound || (m.Kind != store.KindAI && m.Kind != store.KindReply) {
			continue
		}
		end := i // a human reply (or an AI reply of unknown turn) saw all before it
		if j, ok := index[livedesk.AIReplyTo(m)]; ok && j < i {
			answered[i], end = j, j+1
		}
		covered = max(covered, end)
	}
	rest := make([]store.Message, 0, len(msgs))
	var pending []store.Message
	keys := make([]int, 0, len(msgs)) // rest's sort keys, in half-steps
	for i, m := range msgs {
		if i == at || m.Direction == store.Inbound && i >= covered {
			pending = append(pending, m)
			continue
		}
		key := 2 * i
		if j, ok := answered[i]; ok {
			for k := j + 1; k < i; k++ {
				if msgs[k].Direction == store.Inbound && k != at && (k < covered) {
					key = 2*k - 1 // just before that customer message
					break
				}
			}
		}
		rest = append(rest, m)
		keys = append(keys, key)
	}
	order := make([]int, len(rest))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })
	out := make([]store.Message, 0, len(msgs))
	for _, i := range order {
		out = append(out, rest[i])
	}
	return append(out, pending...), len(out)
}

// position is the index of m in history: by ID, or for a message without
// one (a hand-built request), history's last entry when it is m; -1 when
// history does not hold it.
func position(history []store.Message, m store.Message) int {
	if m.ID != "" {
		for i := len(history) - 1; i >= 0; i-- {
			if history[i].ID == m.ID {
				return i
			}
		}
		return -1
	}
	if len(history) == 0 {
		return -1
	}
	last := history[len(history)-1]
	if last.Direction == m.Direction && last.Text == m.Text && last.CreatedAt.Equal(m.CreatedAt) {
		return len(history) - 1
	}
	return -1
}

// describe renders one message; ok is false when it is to be left out.
func describe(m store.Message) (turn, bool) {
	switch m.Direction {
	case store.Inbound:
		text := describeInbound(m)
		return turn{customer: true, text: text}, text != ""
	case store.Internal:
		return turn{}, false // an agent's note for the team: not the model's business
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
