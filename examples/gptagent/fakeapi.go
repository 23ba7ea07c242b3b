package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
)

// orderNumber finds an order number in the customer's question.
var orderNumber = regexp.MustCompile(`\b\d{4}\b`)

// startFakeAPI serves a scripted stand-in for the Chat Completions API on
// loopback, so the example runs without an API key: when the latest
// customer message names an order it calls lookup_order, then answers
// from the function's result; otherwise it answers from the system
// message. It is no model: it shows the requests and rounds an Agent makes.
func startFakeAPI() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
			http.Error(w, `{"error":{"message":"unknown route","type":"invalid_request_error"}}`, http.StatusNotFound)
			return
		}
		var req struct {
			Messages []struct {
				Role    string          `json:"role"`
				Content json.RawMessage `json:"content"`
			} `json:"messages"`
		}
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &req); err != nil || len(req.Messages) == 0 {
			http.Error(w, `{"error":{"message":"bad request","type":"invalid_request_error"}}`, http.StatusBadRequest)
			return
		}
		last := req.Messages[len(req.Messages)-1]
		var text string
		_ = json.Unmarshal(last.Content, &text)
		var message map[string]any
		switch {
		case last.Role == "tool":
			message = answer(describeOrder(text))
		case last.Role == "user" && orderNumber.MatchString(text):
			args, _ := json.Marshal(map[string]string{"order_id": orderNumber.FindString(text)})
			message = map[string]any{"role": "assistant", "content": nil, "tool_calls": []any{map[string]any{
				"id": "call_1", "type": "function", "function": map[string]any{"name": "lookup_order", "arguments": string(args)},
			}}}
		default:
			message = answer("Hello! I am a scripted stand-in for the model; set OPENAI_API_KEY to talk to a real one. " +
				"Ask me about order 1042.")
		}
		out, _ := json.Marshal(map[string]any{
			"id": "chatcmpl-fake", "object": "chat.completion", "created": 1764316800, "model": "fake",
			"choices": []any{map[string]any{"index": 0, "message": message, "finish_reason": "stop"}},
			"usage":   map[string]any{"prompt_tokens": len(body) / 4, "completion_tokens": 20, "total_tokens": len(body)/4 + 20},
		})
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(out)
	}))
}

func answer(text string) map[string]any {
	return map[string]any{"role": "assistant", "content": text, "refusal": nil}
}

// describeOrder turns lookup_order's result into the scripted answer.
func describeOrder(result string) string {
	var o struct {
		ID, Items, Status, Delivery, Error string
	}
	if err := json.Unmarshal([]byte(result), &o); err != nil || o.Error != "" {
		return "I could not find that order: could you check its number?"
	}
	return fmt.Sprintf("Your order #%s (%s) is **%s**; delivery: %s.", o.ID, o.Items, strings.ToLower(o.Status), o.Delivery)
}
