package openai

import (
	"strings"

	"github.com/livedesk/livedesk"
)

// guidance follows the business's SystemPrompt in the system message. It is
// fixed text, so the system message's start stays the same from turn to
// turn and the API's prompt caching applies; the per-conversation context
// comes last.
const guidance = `You are a customer-support agent for this business, answering customers on WhatsApp.
- Write plain WhatsApp text: no Markdown tables, headings or links syntax; use *bold* sparingly and short "- " lists only when they help.
- Be concise: a few short sentences, never more than 1500 characters.
- Answer in the customer's language.
- Only state what these instructions or the conversation say; never invent prices, policies, order details or promises.
- Call the handoff_to_human function when you cannot help, when the customer asks for a person, or when they are upset; you may write a short last message saying a colleague will follow up.
- Messages starting with [human agent] were written by a person on the team, those starting with [automatic message] were sent automatically; never start your own messages with such a marker.
- Attachments, locations and button taps the customer sent are described in square brackets; you cannot open attachments.`

// Markers prefixed to outbound messages the model did not write, so it
// tells its own words from a colleague's or the desk's.
const (
	markHuman     = "[human agent] "
	markAutomatic = "[automatic message] "
)

// systemMessage is the SystemPrompt, the fixed guidance, then what the
// request says about the channel and the customer.
func systemMessage(prompt string, req livedesk.AIRequest) string {
	var b strings.Builder
	if p := strings.TrimSpace(prompt); p != "" {
		b.WriteString(p)
		b.WriteString("\n\n")
	}
	b.WriteString(guidance)
	if req.ChannelName != "" {
		b.WriteString("\n\nWhatsApp channel: ")
		b.WriteString(req.ChannelName)
	}
	if name := req.Contact.ProfileName; name != "" {
		b.WriteString("\nCustomer's WhatsApp name: ")
		b.WriteString(name)
	}
	return b.String()
}

// stripMarker removes a marker the model copied from the history onto its
// own answer despite the guidance.
func stripMarker(s string) string {
	for _, m := range []string{markHuman, markAutomatic} {
		m = strings.TrimSpace(m)
		if len(s) >= len(m) && strings.EqualFold(s[:len(m)], m) {
			return strings.TrimSpace(s[len(m):])
		}
	}
	return s
}
