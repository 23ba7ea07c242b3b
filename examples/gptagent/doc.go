// Command gptagent shows LiveDesk's OpenAI agent (package ai/openai)
// answering one scripted WhatsApp turn, without Twilio: a short
// conversation with a bakery (a greeting, a question the agent already
// answered, a photo, a new question) is sent to the Chat Completions API
// and the program prints the answer, or the hand-off the desk would make,
// and the tokens used.
//
//	OPENAI_API_KEY=sk-... go run ./examples/gptagent
//	OPENAI_API_KEY=sk-... go run ./examples/gptagent "I want to speak to a person"
//
// Without OPENAI_API_KEY it prints what it needs and exits. OPENAI_MODEL
// picks the model (gpt-4o-mini by default) and OPENAI_BASE_URL an
// OpenAI-compatible endpoint. With TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and
// TWILIO_WHATSAPP_FROM set it also creates a channel that uses the agent
// and prints its webhook URL (built on LIVEDESK_PUBLIC_URL); it serves
// nothing (examples/quickstart -listen does).
//
// # Adding the agent to your desk
//
// Register the agent under an ID when creating the desk, then add it to a
// channel:
//
//	agent, err := openai.NewAgent(openai.Config{
//		APIKey:       os.Getenv("OPENAI_API_KEY"),
//		SystemPrompt: "You answer for Le Fournil, a bakery in Lyon. ...",
//		Teams:        []string{"orders", "billing"}, // optional hand-off targets
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
// exceed the agent's Config.RequestTimeout). desk.EnableAIAgent(ctx,
// channelID, "gpt", false) stops it taking new conversations.
package main
