// Command gptagent shows LiveDesk's OpenAI agent (package ai/openai)
// answering one scripted WhatsApp turn, without Twilio: a customer of a
// bakery asks about an order; the model calls the host's own function
// (lookup_order, reading an in-memory map of orders, limited to the
// customer's own), then answers from its result. A prompt hook
// (Config.Context) builds the system message per request: the channel's
// own instructions (one agent serves a Lyon and a Paris channel), the
// Agent's default context (the customer's name and attributes, the time,
// whether the shop is open and when it opens next) and the customer's open
// orders. The program prints that context, the tool calls (never sent to
// the customer), the answer or the hand-off the desk would make, and the
// tokens of the whole turn.
//
//	go run ./examples/gptagent
//	go run ./examples/gptagent "Where is order 2001?"
//	OPENAI_API_KEY=sk-... go run ./examples/gptagent
//
// Without OPENAI_API_KEY it talks to a scripted local fake of the Chat
// Completions API (no network, no key): the fake calls lookup_order when
// the question names an order and answers from the result, so the rounds
// and requests are those a real model would cause. With a key it talks to
// OpenAI; OPENAI_MODEL picks the model (gpt-4o-mini by default) and
// OPENAI_BASE_URL an OpenAI-compatible endpoint. With TWILIO_ACCOUNT_SID,
// TWILIO_AUTH_TOKEN and TWILIO_WHATSAPP_FROM set it also creates a channel
// that uses the agent and prints its webhook URL (built on
// LIVEDESK_PUBLIC_URL); it serves nothing (examples/quickstart -listen
// does).
//
// # Adding the agent to your desk
//
// Register the agent under an ID when creating the desk, then add it to a
// channel:
//
//	agent, err := openai.NewAgent(openai.Config{
//		APIKey:  os.Getenv("OPENAI_API_KEY"),
//		Context: shop.context,                     // the system message per request
//		Tools:   []openai.Tool{shop.lookupTool()}, // the host's functions
//		Teams:   []string{"orders", "billing"},    // optional hand-off targets
//		Vision:  true,                             // give the model the customer's photos
//	})
//	desk, err := livedesk.New(livedesk.Options{
//		PublicURL: "https://support.example.com/livedesk",
//		AIAgents:  map[string]livedesk.AIAgent{"gpt": agent},
//	})
//	err = desk.AddAIAgent(ctx, channelID, "gpt", true)
//
// From then on, new conversations on the channel that no routing rule
// claims go to the agent; Run asks it to answer each customer message, and
// the conversation goes to human agents as soon as it calls
// handoff_to_human, fails or times out (Options.AITimeout, which should
// exceed the agent's Config.RequestTimeout). The desk reports each tool
// call in an ai.tool_called event. desk.EnableAIAgent(ctx, channelID,
// "gpt", false) stops it taking new conversations.
package main
