// Package openai is a LiveDesk AI agent backed by OpenAI's Chat Completions
// API, through the official SDK (github.com/openai/openai-go/v3).
//
//	agent, err := openai.NewAgent(openai.Config{
//		APIKey:       os.Getenv("OPENAI_API_KEY"),
//		SystemPrompt: "You answer for Le Fournil, a bakery in Lyon. Open 7:00-19:00, closed Mondays. ...",
//		Teams:        []string{"orders", "billing"},
//	})
//	desk, err := livedesk.New(livedesk.Options{
//		PublicURL: "https://support.example.com/livedesk",
//		AIAgents:  map[string]livedesk.AIAgent{"gpt": agent},
//	})
//	err = desk.AddAIAgent(ctx, channelID, "gpt", true)
//
// # What the model sees
//
// One system message: Config.SystemPrompt (the business's instructions and
// knowledge), then fixed guidance (a customer-support agent on WhatsApp;
// plain text, no Markdown tables; concise; the customer's language; nothing
// invented; call handoff_to_human when it cannot help or the customer asks
// for a person), then the channel's name and the customer's WhatsApp
// profile name when known.
//
// Then the conversation, oldest first, at most Config.MaxHistory messages
// (the oldest are dropped):
//   - the customer's messages are user messages; attachments, locations
//     and taps are described in brackets before the text:
//     "[image: image/jpeg] is this broken?", "[location: 48.85, 2.35 —
//     Paris office]", "[tapped button: Yes]", "[audio: audio/ogg]";
//   - the desk's outbound messages are assistant messages: the AI's own
//     replies as they are, a human agent's prefixed with "[human agent] "
//     and automatic ones (greeting, out-of-office, CSAT) with
//     "[automatic message] ", so the model does not take a colleague's
//     promise or a canned text for its own words (the guidance explains
//     the markers, and a marker the model copies onto its answer is
//     removed);
//   - outbound messages that failed, were undelivered or canceled are left
//     out: the customer never saw them.
//
// # Answers
//
// The answer is turned into WhatsApp text: **bold** becomes *bold*,
// ~~struck~~ ~struck~, "# Heading" lines bold lines, [text](url) "text
// (url)". Twilio takes at most 1600 characters per WhatsApp message: a
// longer answer is cut at the last sentence end or line break that fits
// (at the last space, with "…", when a single sentence is longer). An
// answer stopped by the model's token limit loses its unfinished last
// sentence.
//
// # Hand-offs and errors
//
// The request offers one function, handoff_to_human, with a required
// reason and, when Config.Teams is set, an optional team among them
// (tool_choice auto). When the model calls it, Respond returns Handoff with
// that reason, Target{Team: name} for a team, and any text the model wrote
// alongside as a last word.
//
// Outcomes where the API answered but there is nothing to send are
// hand-offs with a Reason and a nil error: a refusal, OpenAI's content
// filter (finish_reason content_filter), an empty answer. When no answer
// came, Respond returns an error, which the desk turns into a hand-off with
// the error's text as the reason: an API error once the SDK's retries are
// spent (errors.As gives the SDK's *openai.Error with StatusCode), a
// transport failure, or Config.RequestTimeout passing (ErrTimeout). The
// API key never appears in an error's text, nor does the API's error
// message (for a bad key it quotes part of it); its code does
// ("rate_limit_exceeded").
//
// Usage carries the completion's token counts whenever the API answered.
//
// # Timeouts and retries
//
// Config.RequestTimeout (20 s by default) bounds a whole Respond call, the
// SDK's retries (Config.MaxRetries, 2 by default, for connection errors,
// 408, 409, 429 and 5xx) and their waits included; keep it below the desk's
// Options.AITimeout (30 s by default). A Retry-After or retry-after-ms
// header longer than RequestTimeout ends the call at once with the API's
// error.
//
// The Agent reads no environment variable (the SDK's client would read
// OPENAI_BASE_URL, OPENAI_ORG_ID...): everything comes from Config, and
// Config.RequestOptions passes further SDK options (azure.WithAPIKey,
// option.WithHeader...).
package openai
