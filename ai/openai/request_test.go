package openai_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/ai/openai"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

const bakeryPrompt = "You answer for Le Fournil, a bakery in Lyon. Open 7:00-19:00, closed Mondays."

// conversation is a request whose history has every kind of message; its
// last message (an audio note) is the one to answer.
func conversation() livedesk.AIRequest {
	out := func(id string, kind store.Kind, status store.DeliveryStatus, text string) store.Message {
		return store.Message{ID: id, Direction: store.Outbound, Kind: kind, Status: status, Text: text}
	}
	in := func(id, text string, inb *channel.Inbound) store.Message {
		return store.Message{ID: id, Direction: store.Inbound, Kind: store.KindCustomer, Text: text, Inbound: inb}
	}
	history := []store.Message{
		out("1", store.KindGreeting, store.DeliveryRead, "Hi! An agent will be with you shortly."),
		in("2", "Do you deliver to Villeurbanne?", &channel.Inbound{Type: channel.TypeText, Body: "Do you deliver to Villeurbanne?"}),
		out("3", store.KindAI, store.DeliveryDelivered, "Yes, for 3 euros."),
		out("4", store.KindAI, store.DeliveryFailed, "Anything else?"),
		in("5", "is this cake damaged?", &channel.Inbound{Type: channel.TypeImage, Body: "is this cake damaged?",
			Media: []channel.Media{{URL: "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", ContentType: "image/jpeg"}}}),
		out("6", store.KindReply, store.DeliverySent, "Sorry about that, we will refund you."),
		out("7", store.KindAI, store.DeliveryUndelivered, "Is there anything else?"),
		in("8", "", &channel.Inbound{Type: channel.TypeLocation, Location: &channel.Location{Latitude: 48.85, Longitude: 2.35, Label: "Paris office"}}),
		in("9", "Yes", &channel.Inbound{Type: channel.TypeButton, Body: "Yes", ButtonText: "Yes", ButtonPayload: "confirm"}),
		in("10", "", &channel.Inbound{Type: channel.TypeAudio, Media: []channel.Media{{URL: "https://api.twilio.com/ME2", ContentType: "audio/ogg"}}}),
	}
	return livedesk.AIRequest{
		AIAgentID:   "gpt",
		ChannelID:   "ch1",
		ChannelName: "Le Fournil",
		Contact:     store.Contact{ID: "c1", Phone: "+33612345678", ProfileName: "Marie"},
		History:     history,
		Message:     history[len(history)-1],
	}
}

// chat is a request message as the API receives it.
type chat struct{ Role, Content string }

// wantHistory is conversation()'s history as the model must see it.
var wantHistory = []chat{
	{"assistant", "[automatic message] Hi! An agent will be with you shortly."},
	{"user", "Do you deliver to Villeurbanne?"},
	{"assistant", "Yes, for 3 euros."},
	{"user", "[image: image/jpeg] is this cake damaged?"},
	{"assistant", "[human agent] Sorry about that, we will refund you."},
	{"user", "[location: 48.85, 2.35 — Paris office]"},
	{"user", "[tapped button: Yes]"},
	{"user", "[audio: audio/ogg]"},
}

// messages returns a request body's messages.
func messages(t *testing.T, body map[string]any) []chat {
	t.Helper()
	raw, ok := body["messages"].([]any)
	require.True(t, ok, "messages: %v", body["messages"])
	out := make([]chat, 0, len(raw))
	for _, m := range raw {
		mm := m.(map[string]any)
		content, ok := mm["content"].(string)
		require.True(t, ok, "content is not a string: %v", mm["content"])
		out = append(out, chat{Role: mm["role"].(string), Content: content})
	}
	return out
}

func TestRequestBody(t *testing.T) {
	tests := []struct {
		name string
		cfg  openai.Config
		req  func() livedesk.AIRequest
		want []chat // the history, after the system message
	}{
		{
			name: "the history in order, with roles, descriptions and markers, failed messages skipped",
			req:  conversation,
			want: wantHistory,
		},
		{
			name: "MaxHistory keeps the latest messages",
			cfg:  openai.Config{MaxHistory: 3},
			req:  conversation,
			want: wantHistory[len(wantHistory)-3:],
		},
		{
			name: "MaxHistory counts the messages sent, not the skipped ones",
			cfg:  openai.Config{MaxHistory: 5},
			req:  conversation,
			want: wantHistory[len(wantHistory)-5:],
		},
		{
			name: "the message to answer is added when History lacks it",
			req: func() livedesk.AIRequest {
				r := conversation()
				r.History = r.History[:len(r.History)-1]
				return r
			},
			want: wantHistory,
		},
		{
			name: "greeting: the question comes after the greeting it triggered",
			req: func() livedesk.AIRequest {
				q := store.Message{ID: "m1", Direction: store.Inbound, Kind: store.KindCustomer, Text: "Do you deliver on Sundays?"}
				greeting := store.Message{ID: "g1", Direction: store.Outbound, Kind: store.KindGreeting, Status: store.DeliveryPending, Text: "Hi! Welcome to Le Fournil."}
				return livedesk.AIRequest{History: []store.Message{q, greeting}, Message: q}
			},
			want: []chat{{"assistant", "[automatic message] Hi! Welcome to Le Fournil."}, {"user", "Do you deliver on Sundays?"}},
		},
		{
			name: "busy: the messages written during the last turn come after its answer",
			req: func() livedesk.AIRequest {
				in := func(id, text string) store.Message {
					return store.Message{ID: id, Direction: store.Inbound, Kind: store.KindCustomer, Text: text}
				}
				m1, m2, m3 := in("m1", "Do you have croissants?"), in("m2", "And pains au chocolat?"), in("m3", "For 10 people")
				a1 := store.Message{ID: "a1", Direction: store.Outbound, Kind: store.KindAI, Status: store.DeliverySent, Key: "ai:m1", Text: "First answer."}
				return livedesk.AIRequest{History: []store.Message{m1, m2, m3, a1}, Message: m3}
			},
			want: []chat{{"user", "Do you have croissants?"}, {"assistant", "First answer."}, {"user", "And pains au chocolat?"}, {"user", "For 10 people"}},
		},
		{
			name: "busy with a greeting: each answer after what it answered",
			req: func() livedesk.AIRequest {
				in := func(id, text string) store.Message {
					return store.Message{ID: id, Direction: store.Inbound, Kind: store.KindCustomer, Text: text}
				}
				out := func(id string, kind store.Kind, key, text string) store.Message {
					return store.Message{ID: id, Direction: store.Outbound, Kind: kind, Status: store.DeliverySent, Key: key, Text: text}
				}
				m1, m2, m3, m4 := in("m1", "one"), in("m2", "two"), in("m3", "three"), in("m4", "four")
				return livedesk.AIRequest{History: []store.Message{
					m1, out("g", store.KindGreeting, "greeting:c1", "Hi!"), m2, out("a1", store.KindAI, "ai:m1", "answer one"),
					out("a2", store.KindAI, "ai:m2", "answer two"), m3, m4,
				}, Message: m4}
			},
			want: []chat{
				{"user", "one"}, {"assistant", "[automatic message] Hi!"}, {"assistant", "answer one"},
				{"user", "two"}, {"assistant", "answer two"}, {"user", "three"}, {"user", "four"},
			},
		},
		{
			name: "a human reply covers what came before it",
			req: func() livedesk.AIRequest {
				m1 := store.Message{ID: "m1", Direction: store.Inbound, Text: "hello"}
				h := store.Message{ID: "h", Direction: store.Outbound, Kind: store.KindReply, Status: store.DeliverySent, Text: "Hi, Paul here."}
				m2 := store.Message{ID: "m2", Direction: store.Inbound, Text: "thanks"}
				return livedesk.AIRequest{History: []store.Message{m1, h, m2}, Message: m2}
			},
			want: []chat{{"user", "hello"}, {"assistant", "[human agent] Hi, Paul here."}, {"user", "thanks"}},
		},
		{
			name: "a hand-built request without IDs is not doubled",
			req: func() livedesk.AIRequest {
				m := store.Message{Direction: store.Inbound, Text: "Hello"}
				return livedesk.AIRequest{History: []store.Message{m}, Message: m}
			},
			want: []chat{{"user", "Hello"}},
		},
		{
			name: "a request with only Message",
			req: func() livedesk.AIRequest {
				return livedesk.AIRequest{Message: store.Message{Direction: store.Inbound, Text: "Hello"}}
			},
			want: []chat{{"user", "Hello"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newFakeAPI(t, ok(completion(textMessage("OK."), "stop")))
			cfg := tt.cfg
			cfg.SystemPrompt = bakeryPrompt
			a := newAgent(t, api, cfg)
			_, err := a.Respond(context.Background(), tt.req())
			require.NoError(t, err)
			msgs := messages(t, api.Body(t, 0))
			require.Equal(t, "system", msgs[0].Role)
			require.True(t, strings.HasPrefix(msgs[0].Content, bakeryPrompt), "the system message opens with SystemPrompt")
			require.Equal(t, tt.want, msgs[1:])
		})
	}
}

func TestRequestSystemMessage(t *testing.T) {
	t.Parallel()
	api := newFakeAPI(t, ok(completion(textMessage("OK."), "stop")))
	a := newAgent(t, api, openai.Config{SystemPrompt: bakeryPrompt})
	_, err := a.Respond(context.Background(), conversation())
	require.NoError(t, err)
	system := messages(t, api.Body(t, 0))[0].Content
	for _, want := range []string{
		bakeryPrompt + "\n\n",
		"customer-support agent",
		"WhatsApp",
		"no Markdown tables",
		"concise",
		"handoff_to_human",
		"asks for a person",
		"[human agent]",
		"WhatsApp channel: Le Fournil",
		"Customer's WhatsApp name: Marie",
	} {
		require.Contains(t, system, want)
	}
}

func TestRequestParameters(t *testing.T) {
	zero, warm := 0.0, 0.7
	tests := []struct {
		name  string
		cfg   openai.Config
		check func(t *testing.T, body map[string]any)
	}{
		{
			name: "the default model, tool_choice auto, no temperature",
			check: func(t *testing.T, body map[string]any) {
				require.Equal(t, "gpt-4o-mini", body["model"])
				require.Equal(t, "auto", body["tool_choice"])
				require.NotContains(t, body, "temperature")
				require.NotContains(t, body, "stream")
			},
		},
		{
			name: "the configured model",
			cfg:  openai.Config{Model: "gpt-4.1"},
			check: func(t *testing.T, body map[string]any) {
				require.Equal(t, "gpt-4.1", body["model"])
			},
		},
		{
			name:  "temperature 0 is sent",
			cfg:   openai.Config{Temperature: &zero},
			check: func(t *testing.T, body map[string]any) { require.Equal(t, 0.0, body["temperature"]) },
		},
		{
			name:  "temperature 0.7 is sent",
			cfg:   openai.Config{Temperature: &warm},
			check: func(t *testing.T, body map[string]any) { require.Equal(t, 0.7, body["temperature"]) },
		},
		{
			name: "no output cap by default",
			check: func(t *testing.T, body map[string]any) {
				require.NotContains(t, body, "max_completion_tokens")
				require.NotContains(t, body, "max_tokens")
			},
		},
		{
			name:  "MaxOutputTokens is sent as max_completion_tokens",
			cfg:   openai.Config{MaxOutputTokens: 300},
			check: func(t *testing.T, body map[string]any) { require.Equal(t, 300.0, body["max_completion_tokens"]) },
		},
		{
			name: "handoff_to_human requires a reason; no team argument without Teams",
			check: func(t *testing.T, body map[string]any) {
				fn := handoffFunction(t, body)
				params := fn["parameters"].(map[string]any)
				require.Equal(t, "object", params["type"])
				require.Equal(t, []any{"reason"}, params["required"])
				props := params["properties"].(map[string]any)
				require.Equal(t, "string", props["reason"].(map[string]any)["type"])
				require.NotContains(t, props, "team")
				require.NotEmpty(t, fn["description"])
			},
		},
		{
			name: "with Teams, an optional team among them",
			cfg:  openai.Config{Teams: []string{"orders", "billing"}},
			check: func(t *testing.T, body map[string]any) {
				params := handoffFunction(t, body)["parameters"].(map[string]any)
				require.Equal(t, []any{"reason"}, params["required"])
				team := params["properties"].(map[string]any)["team"].(map[string]any)
				require.Equal(t, "string", team["type"])
				require.Equal(t, []any{"orders", "billing"}, team["enum"])
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newFakeAPI(t, ok(completion(textMessage("OK."), "stop")))
			a := newAgent(t, api, tt.cfg)
			_, err := a.Respond(context.Background(), question("Hello"))
			require.NoError(t, err)
			tt.check(t, api.Body(t, 0))
		})
	}
}

// handoffFunction returns the one tool's function definition.
func handoffFunction(t *testing.T, body map[string]any) map[string]any {
	t.Helper()
	tools, ok := body["tools"].([]any)
	require.True(t, ok, "tools: %v", body["tools"])
	require.Len(t, tools, 1)
	tool := tools[0].(map[string]any)
	require.Equal(t, "function", tool["type"])
	fn := tool["function"].(map[string]any)
	require.Equal(t, openai.HandoffTool, fn["name"])
	return fn
}

// The Agent takes nothing from the environment: only Config counts.
func TestRequestIgnoresEnvironment(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "sk-from-env")
	t.Setenv("OPENAI_ORG_ID", "org-from-env")
	t.Setenv("OPENAI_CUSTOM_HEADERS", "X-From-Env: yes")
	api := newFakeAPI(t, ok(completion(textMessage("OK."), "stop")))
	a := newAgent(t, api, openai.Config{})
	_, err := a.Respond(context.Background(), question("Hello"))
	require.NoError(t, err)
	h := api.Header(t, 0)
	require.Equal(t, "Bearer "+testKey, h.Get("Authorization"))
	require.Empty(t, h.Get("OpenAI-Organization"))
	require.Empty(t, h.Get("X-From-Env"))
}
