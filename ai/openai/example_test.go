package openai_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/ai/openai"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// fakeOpenAI stands in for the API in the examples: it answers every chat
// completion with message.
func fakeOpenAI(message string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini",`+
			`"choices":[{"index":0,"message":`+message+`,"logprobs":null,"finish_reason":"stop"}],`+
			`"usage":{"prompt_tokens":412,"completion_tokens":14,"total_tokens":426}}`)
	}))
}

func ExampleAgent_Respond() {
	api := fakeOpenAI(`{"role":"assistant","content":"We open at **7:00**, every day but Monday.","refusal":null}`)
	defer api.Close()

	agent, err := openai.NewAgent(openai.Config{
		APIKey:       "sk-...",        // os.Getenv("OPENAI_API_KEY")
		BaseURL:      api.URL + "/v1", // leave empty for api.openai.com
		SystemPrompt: "You answer for Le Fournil, a bakery in Lyon. Open 7:00-19:00, closed Mondays.",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	question := store.Message{ID: "m1", Direction: store.Inbound, Text: "When do you open?"}
	resp, err := agent.Respond(context.Background(), livedesk.AIRequest{History: []store.Message{question}, Message: question})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Text)
	fmt.Println(resp.Usage.TotalTokens, "tokens")
	// Output:
	// We open at *7:00*, every day but Monday.
	// 426 tokens
}

func ExampleAgent_Respond_handoff() {
	api := fakeOpenAI(`{"role":"assistant","content":"A colleague from billing will reply shortly.","refusal":null,` +
		`"tool_calls":[{"id":"call_1","type":"function","function":{"name":"handoff_to_human","arguments":"{\"reason\":\"asks for a refund\",\"team\":\"billing\"}"}}]}`)
	defer api.Close()

	agent, err := openai.NewAgent(openai.Config{APIKey: "sk-...", BaseURL: api.URL + "/v1", Teams: []string{"orders", "billing"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	question := store.Message{ID: "m1", Direction: store.Inbound, Text: "I want my money back"}
	resp, err := agent.Respond(context.Background(), livedesk.AIRequest{History: []store.Message{question}, Message: question})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("handoff=%v reason=%q target=%s\nlast word: %s\n", resp.Handoff, resp.Reason, resp.Target, resp.Text)
	// Output:
	// handoff=true reason="asks for a refund" target=team "billing"
	// last word: A colleague from billing will reply shortly.
}

// The agent joins a desk under an ID, then a channel adds it: new
// conversations of the channel go to it (after routing rules), until it
// hands them off.
func ExampleNewAgent() {
	agent, err := openai.NewAgent(openai.Config{APIKey: "sk-...", SystemPrompt: "You answer for Le Fournil, a bakery in Lyon."})
	if err != nil {
		fmt.Println(err)
		return
	}
	desk, err := livedesk.New(livedesk.Options{
		PublicURL: "https://support.example.com/livedesk",
		AIAgents:  map[string]livedesk.AIAgent{"gpt": agent},
		// Offline example: the channel's credentials are not checked with Twilio.
		SkipTwilioChecks: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	ch, err := desk.CreateChannel(ctx, channel.Channel{
		ID:   "fournil",
		Name: "Le Fournil",
		Twilio: channel.Twilio{
			AccountSID:  "AC00000000000000000000000000000000",
			AuthToken:   "0123456789abcdef0123456789abcdef",
			PhoneNumber: "+14155238886",
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := desk.AddAIAgent(ctx, ch.ID, "gpt", true); err != nil {
		fmt.Println(err)
		return
	}
	ch, _ = desk.Channel(ctx, ch.ID)
	fmt.Printf("%s: AI agents %+v\n", ch.Name, ch.Settings.Assignment.AIAgents)
	// Output:
	// Le Fournil: AI agents [{ID:gpt Enabled:true}]
}
