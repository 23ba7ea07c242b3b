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
// for a person), then the request's context. The context is what
// Config.Context returns for the request, or [DefaultContext]: the
// channel's name, the customer's WhatsApp profile name and the contact's
// Attributes (the host's own data: tier, last order...), the current time
// and, when the channel has business hours, whether the team is in and
// when it is back. The customer's phone number is never in the prompt. A
// hook gives each channel its own prompt without a second agent, and adds
// the host's data (open orders, account status):
//
//	Context: func(ctx context.Context, req livedesk.AIRequest) (string, error) {
//		return prompts[req.ChannelID] + "\n" + openai.DefaultContext(req), nil
//	},
//
// Then the conversation, at most Config.MaxHistory messages (the oldest
// are dropped), in conversation order, ending with the customer's
// unanswered messages: the desk records a greeting after the question that
// triggered it, and an AI reply after what the customer wrote while it was
// being written, so recorded order would end with the desk's own words.
// Each AI reply comes right after the message it answered
// (livedesk.AIReplyTo), and the customer's messages no answer covered come
// last. Then:
//   - the customer's messages are user messages; attachments, locations
//     and taps are described in brackets before the text:
//     "[image: image/jpeg] is this broken?", "[location: 48.85, 2.35 —
//     Paris office]", "[tapped button: Yes]", "[audio: audio/ogg]";
//   - with Config.Vision, the images of the unanswered messages (at most 4,
//     JPEG, PNG, WebP or GIF, each at most Config.MaxImageBytes) are also
//     given to the model, downloaded through the desk with the channel's
//     credentials (livedesk.AIRequest.FetchMedia); one that cannot be is
//     said to be so;
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
// (url)". Twilio takes at most 1600 characters per WhatsApp message,
// counted in UTF-16 code units (an emoji such as 🥐 counts 2): a longer
// answer is cut at the last sentence end or line break that fits (at the
// last space, with "…", when a single sentence is longer).
// Config.MaxOutputTokens caps the answer's tokens (max_completion_tokens);
// an answer stopped by it (or by the model's own limit) loses its
// unfinished last sentence, and one that never finished a sentence is not
// sent: the conversation is handed off.
//
// # Host functions
//
// Config.Tools are the host's functions the model may call: look up an
// order, check stock, book a slot. Each [Tool] has a name, a description,
// a JSON schema of its arguments and a Go handler, which gets the turn's
// request (so it knows which customer asks). The calls of one answer run
// in parallel; their results go back to the model as tool messages, and
// the model answers or calls again, at most Config.MaxToolRounds rounds,
// each within Config.ToolTimeout, all within Config.RequestTimeout. A
// handler's error wrapped with [ModelError] is told to the model
// ({"error": "..."}); any other error, a panic, a handler still running at
// ToolTimeout, too many rounds or a call of an unknown function hands the
// conversation off with a reason saying which. The calls and results are
// in the response's ToolCalls and the desk's ai.tool_called events, never
// in a message to the customer; Usage counts every request of the turn.
//
// # Hand-offs and errors
//
// The request also offers handoff_to_human, with a required reason and,
// when Config.Teams is set, an optional team among them (tool_choice
// auto). When the model calls it, Respond returns Handoff with that
// reason, Target{Team: name} for a team, and any text the model wrote
// alongside as a last word (host functions called next to it are not run).
//
// Outcomes where the API answered but there is nothing to send are
// hand-offs with a Reason and a nil error: a refusal, OpenAI's content
// filter (finish_reason content_filter), an empty answer, an answer cut
// before its first sentence ended, a call of a function that is not in
// Config.Tools (any text next to it, "Let me check your order.", is not
// sent: nothing would follow). When no answer came, Respond returns an
// error, which the desk turns into a hand-off with the error's text as the
// reason: an API error once the SDK's retries are spent (errors.As gives
// the SDK's *openai.Error with StatusCode), a transport failure,
// Config.RequestTimeout passing (ErrTimeout), or Config.Context failing.
// The API key never appears in an error's text, nor does the API's error
// message (for a bad key it quotes part of it); its code does
// ("rate_limit_exceeded").
//
// # Timeouts and retries
//
// Config.RequestTimeout (20 s by default) bounds a whole Respond call: its
// rounds of function calls, the SDK's retries (Config.MaxRetries, 2 by
// default, for connection errors, 408, 409, 429 and 5xx) and their waits
// included. Keep it below the desk's Options.AITimeout (30 s by default):
// the hand-off reason then names RequestTimeout ("openai: no answer within
// 20s (Config.RequestTimeout)..."). A Retry-After or retry-after-ms header
// longer than RequestTimeout ends the call at once with the API's error.
//
// The Agent reads no environment variable (the SDK's client would read
// OPENAI_BASE_URL, OPENAI_ORG_ID...): everything comes from Config, and
// Config.RequestOptions passes further SDK options (azure.WithAPIKey,
// option.WithHeader...).
package openai
