package livedesk

import (
	"strconv"

	"github.com/livedesk/livedesk/store"
)

// MoreInfoURL returns the page of Twilio's documentation for an error code
// (the more_info link of Twilio's error answers), or "" for code 0.
func MoreInfoURL(code int) string {
	if code <= 0 {
		return ""
	}
	return "https://www.twilio.com/docs/errors/" + strconv.Itoa(code)
}

// failureAttrs are the log attributes naming a message whose send or
// delivery failed: where it was going, and Twilio's code with its page.
func failureAttrs(m store.Message, code int) []any {
	attrs := []any{"channel", m.ChannelID, "conversation", m.ConversationID, "message", m.ID}
	if m.SID != "" {
		attrs = append(attrs, "sid", m.SID)
	}
	if code != 0 {
		attrs = append(attrs, "code", code, "more_info", MoreInfoURL(code))
	}
	return attrs
}
