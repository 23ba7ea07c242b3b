package openai

import (
	"strings"
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

// visionGuidance replaces guidance's last line when Config.Vision is set.
const visionGuidance = `- Attachments, locations and button taps the customer sent are described in square brackets; the images of the customer's latest messages are attached for you to see, other attachments you cannot open.`

// Markers prefixed to outbound messages the model did not write, so it
// tells its own words from a colleague's or the desk's.
const (
	markHuman     = "[human agent] "
	markAutomatic = "[automatic message] "
)

// systemMessage is the SystemPrompt, the fixed guidance, then the
// per-request context.
func systemMessage(prompt string, vision bool, context string) string {
	var b strings.Builder
	if p := strings.TrimSpace(prompt); p != "" {
		b.WriteString(p)
		b.WriteString("\n\n")
	}
	g := guidance
	if vision {
		g = g[:strings.LastIndexByte(g, '\n')+1] + visionGuidance
	}
	b.WriteString(g)
	if c := strings.TrimSpace(context); c != "" {
		b.WriteString("\n\n")
		b.WriteString(c)
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
