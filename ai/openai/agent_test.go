package openai_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	sdk "github.com/openai/openai-go/v3"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/ai/openai"
	"github.com/livedesk/livedesk/routing"
	"github.com/livedesk/livedesk/store"
)

// newAgent returns an Agent on api, with cfg's other fields.
func newAgent(t testing.TB, api *fakeAPI, cfg openai.Config) *openai.Agent {
	t.Helper()
	cfg.APIKey = testKey
	cfg.BaseURL = api.BaseURL()
	a, err := openai.NewAgent(cfg)
	require.NoError(t, err)
	return a
}

// question is a one-message request.
func question(text string) livedesk.AIRequest {
	m := store.Message{ID: "m1", Direction: store.Inbound, Kind: store.KindCustomer, Text: text}
	return livedesk.AIRequest{AIAgentID: "gpt", ChannelID: "ch1", History: []store.Message{m}, Message: m}
}

var wantUsage = livedesk.AIUsage{PromptTokens: 57, CompletionTokens: 17, TotalTokens: 74}

func TestRespondOutcomes(t *testing.T) {
	long := strings.Repeat("Our croissants are baked every morning with French butter. ", 40) // 2,360 characters
	tests := []struct {
		name    string
		reply   string
		want    livedesk.AIResponse
		check   func(t *testing.T, got livedesk.AIResponse) // instead of want
		noUsage bool
	}{
		{
			name:  "an answer is the reply, with the usage",
			reply: completion(textMessage("Bonjour ! We open at 7:00 every day but Monday."), "stop"),
			want:  livedesk.AIResponse{Text: "Bonjour ! We open at 7:00 every day but Monday.", Usage: wantUsage},
		},
		{
			name:  "markdown bold becomes WhatsApp bold",
			reply: completion(textMessage("We are **closed** on Mondays."), "stop"),
			want:  livedesk.AIResponse{Text: "We are *closed* on Mondays.", Usage: wantUsage},
		},
		{
			name:  "a marker the model copied is removed",
			reply: completion(textMessage("[human agent] Your order left today."), "stop"),
			want:  livedesk.AIResponse{Text: "Your order left today.", Usage: wantUsage},
		},
		{
			name:  "handoff_to_human hands off with its reason and team",
			reply: completion(toolMessage(nil, "handoff_to_human", `{"reason":"wants a refund","team":"billing"}`), "tool_calls"),
			want:  livedesk.AIResponse{Handoff: true, Reason: "wants a refund", Target: routing.Target{Team: "billing"}, Usage: wantUsage},
		},
		{
			name:  "the team is matched case-insensitively and given as configured",
			reply: completion(toolMessage(nil, "handoff_to_human", `{"reason":"order lost","team":"ORDERS"}`), "tool_calls"),
			want:  livedesk.AIResponse{Handoff: true, Reason: "order lost", Target: routing.Target{Team: "orders"}, Usage: wantUsage},
		},
		{
			name:  "text next to the call is the last word",
			reply: completion(toolMessage("A colleague will **follow up** shortly.", "handoff_to_human", `{"reason":"asked for a person"}`), "tool_calls"),
			want:  livedesk.AIResponse{Text: "A colleague will *follow up* shortly.", Handoff: true, Reason: "asked for a person", Usage: wantUsage},
		},
		{
			name:  "an unknown team goes to the pool, said in the reason",
			reply: completion(toolMessage(nil, "handoff_to_human", `{"reason":"legal question","team":"legal"}`), "tool_calls"),
			want:  livedesk.AIResponse{Handoff: true, Reason: `legal question (unknown team "legal" ignored)`, Usage: wantUsage},
		},
		{
			name:  "unreadable arguments still hand off",
			reply: completion(toolMessage(nil, "handoff_to_human", `{"reason": "cut off`), "tool_calls"),
			want:  livedesk.AIResponse{Handoff: true, Reason: "the AI agent asked for a person (its reason could not be read)", Usage: wantUsage},
		},
		{
			name:  "a call without a reason still hands off",
			reply: completion(toolMessage(nil, "handoff_to_human", `{}`), "tool_calls"),
			want:  livedesk.AIResponse{Handoff: true, Reason: "the AI agent asked for a person without giving a reason", Usage: wantUsage},
		},
		{
			name:  "an unknown function and no text hands off",
			reply: completion(toolMessage(nil, "lookup_order", `{"id":"42"}`), "tool_calls"),
			want:  livedesk.AIResponse{Handoff: true, Reason: `the model called an unknown function "lookup_order" instead of answering`, Usage: wantUsage},
		},
		{
			name:  "a refusal hands off, without sending it",
			reply: completion(refusalMessage("I'm sorry, I can't help with that."), "stop"),
			want:  livedesk.AIResponse{Handoff: true, Reason: "the model refused to answer: I'm sorry, I can't help with that.", Usage: wantUsage},
		},
		{
			name:  "the content filter hands off, dropping the partial text",
			reply: completion(textMessage("Here is how to"), "content_filter"),
			want:  livedesk.AIResponse{Handoff: true, Reason: "OpenAI's content filter withheld the answer", Usage: wantUsage},
		},
		{
			name:  "empty content hands off",
			reply: completion(textMessage(""), "stop"),
			want:  livedesk.AIResponse{Handoff: true, Reason: "the model gave an empty answer (finish_reason stop)", Usage: wantUsage},
		},
		{
			name:  "null content hands off",
			reply: completion(textMessage(nil), "stop"),
			want:  livedesk.AIResponse{Handoff: true, Reason: "the model gave an empty answer (finish_reason stop)", Usage: wantUsage},
		},
		{
			name:    "no choice hands off",
			reply:   `{"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini","choices":[]}`,
			want:    livedesk.AIResponse{Handoff: true, Reason: "the model returned no answer"},
			noUsage: true,
		},
		{
			name:  "an answer stopped by the token limit loses its unfinished sentence",
			reply: completion(textMessage("We deliver in Lyon. Delivery costs 3 euros and takes"), "length"),
			want:  livedesk.AIResponse{Text: "We deliver in Lyon.", Usage: wantUsage},
		},
		{
			name:  "a lone unfinished sentence stopped by the token limit hands off, unsent",
			reply: completion(textMessage("Delivery to Villeurbanne costs 3 euros and takes"), "length"),
			want: livedesk.AIResponse{Handoff: true, Usage: wantUsage,
				Reason: "the answer reached the output token limit (Config.MaxOutputTokens or the model's) before its first sentence ended"},
		},
		{
			name:  "an unknown function with text hands off, without the text",
			reply: completion(toolMessage("Let me check your order.", "lookup_order", `{"id":"42"}`), "tool_calls"),
			want:  livedesk.AIResponse{Handoff: true, Reason: `the model called an unknown function "lookup_order" instead of answering`, Usage: wantUsage},
		},
		{
			name:  "the 1600 limit counts UTF-16 units, as Twilio does",
			reply: completion(textMessage(strings.Repeat("Merci 🥐. ", 200)), "stop"), // 2,000 characters, 2,200 units
			check: func(t *testing.T, got livedesk.AIResponse) {
				require.False(t, got.Handoff)
				units := len(utf16.Encode([]rune(got.Text)))
				require.LessOrEqual(t, units, 1600)
				require.Greater(t, units, 1580, "cut far too early")
				require.True(t, strings.HasSuffix(got.Text, "Merci 🥐."), got.Text[len(got.Text)-20:])
			},
		},
		{
			name:  "a long answer is cut at a sentence end within 1600 characters",
			reply: completion(textMessage(long), "stop"),
			check: func(t *testing.T, got livedesk.AIResponse) {
				require.False(t, got.Handoff)
				require.LessOrEqual(t, utf8.RuneCountInString(got.Text), 1600)
				require.Greater(t, utf8.RuneCountInString(got.Text), 1500, "cut far too early")
				require.True(t, strings.HasPrefix(long, got.Text))
				require.True(t, strings.HasSuffix(got.Text, "French butter."), "not cut at a sentence end: %q", got.Text[len(got.Text)-20:])
				require.Equal(t, wantUsage, got.Usage)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newFakeAPI(t, ok(tt.reply))
			a := newAgent(t, api, openai.Config{Teams: []string{"orders", "billing"}})
			got, err := a.Respond(context.Background(), question("Hello"))
			require.NoError(t, err)
			if tt.check != nil {
				tt.check(t, got)
				return
			}
			require.Equal(t, tt.want, got)
			require.Equal(t, 1, api.Requests())
		})
	}
}

func TestRespondRetriesRateLimit(t *testing.T) {
	t.Parallel()
	api := newFakeAPI(t,
		respond(429, apiError("Rate limit reached for gpt-4o-mini", "requests", "rate_limit_exceeded"), "retry-after-ms", "10"),
		ok(completion(textMessage("We open at 7:00."), "stop")),
	)
	a := newAgent(t, api, openai.Config{})
	got, err := a.Respond(context.Background(), question("When do you open?"))
	require.NoError(t, err)
	require.Equal(t, livedesk.AIResponse{Text: "We open at 7:00.", Usage: wantUsage}, got)
	require.Equal(t, 2, api.Requests(), "the SDK retries a 429 once it may")
	require.Equal(t, "1", api.Header(t, 1).Get("X-Stainless-Retry-Count"))
}

func TestRespondErrors(t *testing.T) {
	tests := []struct {
		name     string
		handler  func(w http.ResponseWriter, r *http.Request)
		cfg      openai.Config
		requests int
		check    func(t *testing.T, err error)
	}{
		{
			name:     "a 500 is retried, then an API error",
			handler:  respond(500, apiError("The server had an error processing your request. "+testKey, "server_error", ""), "retry-after-ms", "10"),
			requests: 3, // the default 2 retries
			check: func(t *testing.T, err error) {
				var apiErr *sdk.Error
				require.ErrorAs(t, err, &apiErr)
				require.Equal(t, 500, apiErr.StatusCode)
				require.Contains(t, err.Error(), "500 Internal Server Error")
				require.NotErrorIs(t, err, openai.ErrTimeout)
			},
		},
		{
			name:     "MaxRetries bounds the retries",
			handler:  respond(503, apiError("overloaded", "server_error", ""), "retry-after-ms", "10"),
			cfg:      openai.Config{MaxRetries: 4},
			requests: 5,
			check:    func(t *testing.T, err error) { require.Contains(t, err.Error(), "503") },
		},
		{
			name:     "a negative MaxRetries disables retries",
			handler:  respond(503, apiError("overloaded", "server_error", ""), "retry-after-ms", "10"),
			cfg:      openai.Config{MaxRetries: -1},
			requests: 1,
			check:    func(t *testing.T, err error) { require.Contains(t, err.Error(), "503") },
		},
		{
			name: "a 401 is not retried and says to check the key",
			// OpenAI's message quotes part of the key: it must not be shown.
			handler:  respond(401, apiError("Incorrect API key provided: "+testKey[:8]+"****cdef. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key"), "retry-after-ms", "10"),
			requests: 1,
			check: func(t *testing.T, err error) {
				require.Equal(t, "openai: OpenAI API error: 401 Unauthorized (invalid_api_key): check Config.APIKey (OPENAI_API_KEY)", err.Error())
				require.NotContains(t, err.Error(), testKey[:8])
			},
		},
		{
			name:     "a Retry-After longer than RequestTimeout returns the 429 at once",
			handler:  respond(429, apiError("You exceeded your current quota", "insufficient_quota", "insufficient_quota"), "retry-after", "60"),
			requests: 1,
			check: func(t *testing.T, err error) {
				require.Equal(t, "openai: OpenAI API error: 429 Too Many Requests (insufficient_quota): rate limit or quota reached", err.Error())
			},
		},
		{
			name:     "no answer within RequestTimeout is ErrTimeout",
			handler:  block,
			cfg:      openai.Config{RequestTimeout: 200 * time.Millisecond},
			requests: 1,
			check: func(t *testing.T, err error) {
				require.ErrorIs(t, err, openai.ErrTimeout)
				require.ErrorIs(t, err, context.DeadlineExceeded)
				require.Equal(t, "openai: no answer within 200ms (Config.RequestTimeout): the API is slow or unreachable", err.Error())
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newFakeAPI(t, tt.handler)
			a := newAgent(t, api, tt.cfg)
			got, err := a.Respond(context.Background(), question("Hello"))
			require.Error(t, err)
			require.Equal(t, livedesk.AIResponse{}, got)
			require.True(t, strings.HasPrefix(err.Error(), "openai: "), err.Error())
			require.NotContains(t, err.Error(), testKey)
			require.Equal(t, tt.requests, api.Requests())
			tt.check(t, err)
		})
	}
}

func TestRespondCallerCancels(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{})
	api := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		close(arrived)
		<-r.Context().Done()
	})
	a := newAgent(t, api, openai.Config{})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	_, err := a.Respond(ctx, question("Hello"))
	require.ErrorIs(t, err, context.Canceled)
	require.NotErrorIs(t, err, openai.ErrTimeout, "the caller gave up, not RequestTimeout")
	require.Equal(t, "openai: request abandoned: context canceled", err.Error())
}

func TestRespondTransportErrorHidesKey(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close() // connections are refused from now on
	a, err := openai.NewAgent(openai.Config{
		APIKey:     testKey,
		BaseURL:    closed.URL + "/" + testKey + "/v1", // a key where a URL shows in errors
		MaxRetries: -1,
	})
	require.NoError(t, err)
	_, err = a.Respond(context.Background(), question("Hello"))
	require.Error(t, err)
	require.True(t, strings.HasPrefix(err.Error(), "openai: request failed: "), err.Error())
	require.NotContains(t, err.Error(), testKey)
	require.Contains(t, err.Error(), "[redacted]")
}
