package openai_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// testKey is the API key the tests use; no error may show it.
const testKey = "sk-test-0123456789abcdef"

// fakeAPI is a local server speaking the part of the Chat Completions API
// the SDK calls: POST {BaseURL}/chat/completions. The n-th request is
// answered by handlers[n], the last handler answering the rest; every
// request is recorded.
type fakeAPI struct {
	srv      *httptest.Server
	handlers []http.HandlerFunc

	mu      sync.Mutex
	bodies  []map[string]any
	headers []http.Header
}

func newFakeAPI(t testing.TB, handlers ...http.HandlerFunc) *fakeAPI {
	t.Helper()
	require.NotEmpty(t, handlers)
	f := &fakeAPI{handlers: handlers}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// BaseURL is what Config.BaseURL is set to.
func (f *fakeAPI) BaseURL() string { return f.srv.URL + "/v1" }

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		http.Error(w, `{"error":{"message":"unknown route","type":"invalid_request_error"}}`, http.StatusNotFound)
		return
	}
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		http.Error(w, `{"error":{"message":"bad JSON","type":"invalid_request_error"}}`, http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	n := len(f.bodies)
	f.bodies = append(f.bodies, body)
	f.headers = append(f.headers, r.Header.Clone())
	f.mu.Unlock()
	f.handlers[min(n, len(f.handlers)-1)](w, r)
}

// Requests is how many requests arrived.
func (f *fakeAPI) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.bodies)
}

// Body is the JSON body of the i-th request.
func (f *fakeAPI) Body(t testing.TB, i int) map[string]any {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	require.Greater(t, len(f.bodies), i, "request %d never arrived", i)
	return f.bodies[i]
}

// Header is the headers of the i-th request.
func (f *fakeAPI) Header(t testing.TB, i int) http.Header {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	require.Greater(t, len(f.headers), i, "request %d never arrived", i)
	return f.headers[i]
}

// respond answers with status, a JSON body and header pairs.
func respond(status int, body string, headerPairs ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(headerPairs); i += 2 {
			w.Header().Set(headerPairs[i], headerPairs[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// ok answers 200 with a completion.
func ok(body string) http.HandlerFunc { return respond(http.StatusOK, body) }

// block holds the request until the client gives up.
func block(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }

// completion is a chat.completion object shaped like OpenAI's, with one
// choice made of message and finishReason, and usage 57/17/74.
func completion(message map[string]any, finishReason string) string {
	c := map[string]any{
		"id":      "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
		"object":  "chat.completion",
		"created": 1741569952,
		"model":   "gpt-4o-mini-2024-07-18",
		"choices": []any{map[string]any{
			"index":         0,
			"message":       message,
			"logprobs":      nil,
			"finish_reason": finishReason,
		}},
		"usage": map[string]any{
			"prompt_tokens":             57,
			"completion_tokens":         17,
			"total_tokens":              74,
			"prompt_tokens_details":     map[string]any{"cached_tokens": 0, "audio_tokens": 0},
			"completion_tokens_details": map[string]any{"reasoning_tokens": 0, "audio_tokens": 0},
		},
		"service_tier":       "default",
		"system_fingerprint": "fp_06737a9306",
	}
	b, err := json.Marshal(c)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// textMessage is an assistant message with content (nil for null).
func textMessage(content any) map[string]any {
	return map[string]any{"role": "assistant", "content": content, "refusal": nil, "annotations": []any{}}
}

// refusalMessage is an assistant message refusing.
func refusalMessage(refusal string) map[string]any {
	return map[string]any{"role": "assistant", "content": nil, "refusal": refusal, "annotations": []any{}}
}

// toolMessage is an assistant message calling function name with
// arguments (a JSON text), alongside content (nil for null).
func toolMessage(content any, name, arguments string) map[string]any {
	return map[string]any{
		"role":    "assistant",
		"content": content,
		"refusal": nil,
		"tool_calls": []any{map[string]any{
			"id":   "call_Y5bPkmlVxR5qCT9ArSmZ1k7F",
			"type": "function",
			"function": map[string]any{
				"name":      name,
				"arguments": arguments,
			},
		}},
		"annotations": []any{},
	}
}

// apiError is an error body shaped like OpenAI's.
func apiError(message, typ, code string) string {
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": message, "type": typ, "param": nil, "code": code}})
	return string(b)
}

// fnCall is one function call in a completion's message.
type fnCall struct{ id, name, arguments string }

// callsMessage is an assistant message calling several functions, with
// content (nil for null).
func callsMessage(content any, calls ...fnCall) map[string]any {
	list := make([]any, 0, len(calls))
	for _, c := range calls {
		list = append(list, map[string]any{
			"id":       c.id,
			"type":     "function",
			"function": map[string]any{"name": c.name, "arguments": c.arguments},
		})
	}
	return map[string]any{"role": "assistant", "content": content, "refusal": nil, "tool_calls": list, "annotations": []any{}}
}

// rawMessages is the i-th request's messages as JSON, for exact
// comparisons.
func (f *fakeAPI) rawMessages(t testing.TB, i int) string {
	t.Helper()
	b, err := json.Marshal(f.Body(t, i)["messages"])
	require.NoError(t, err)
	return string(b)
}
