package openai_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/ai/openai"
	"github.com/livedesk/livedesk/store"
)

// A host function the model may call: an order lookup. The stand-in API
// calls it once, then answers from its result.
func ExampleTool() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		message := `{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",` +
			`"function":{"name":"lookup_order","arguments":"{\"order_id\":\"1042\"}"}}]}`
		if strings.Contains(string(body), `"role":"tool"`) { // the second round
			message = `{"role":"assistant","content":"Your order 1042 has **shipped**.","refusal":null}`
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini",`+
			`"choices":[{"index":0,"message":`+message+`,"finish_reason":"stop"}],"usage":{"prompt_tokens":400,"completion_tokens":10,"total_tokens":410}}`)
	}))
	defer api.Close()

	orders := map[string]string{"1042": `{"status":"shipped","carrier":"Colissimo"}`}
	lookup := openai.Tool{
		Name:        "lookup_order",
		Description: "Look up one of the customer's orders by its number.",
		Parameters: map[string]any{
			"type":       "object",
			"properties": map[string]any{"order_id": map[string]any{"type": "string"}},
			"required":   []string{"order_id"},
		},
		Handler: func(ctx context.Context, req livedesk.AIRequest, arguments json.RawMessage) (string, error) {
			var args struct {
				OrderID string `json:"order_id"`
			}
			if err := json.Unmarshal(arguments, &args); err != nil {
				return "", openai.ModelError(err)
			}
			// A real handler checks the order is req.Contact's.
			o, ok := orders[args.OrderID]
			if !ok {
				return "", openai.ModelError(fmt.Errorf("no order %q", args.OrderID)) // the model is told
			}
			return o, nil
		},
	}
	agent, err := openai.NewAgent(openai.Config{APIKey: "sk-...", BaseURL: api.URL + "/v1", Tools: []openai.Tool{lookup}})
	if err != nil {
		fmt.Println(err)
		return
	}
	question := store.Message{ID: "m1", Direction: store.Inbound, Text: "Where is my order 1042?"}
	resp, err := agent.Respond(context.Background(), livedesk.AIRequest{History: []store.Message{question}, Message: question})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range resp.ToolCalls {
		fmt.Printf("called %s(%s) -> %s\n", c.Name, c.Arguments, c.Result)
	}
	fmt.Println(resp.Text)
	fmt.Println(resp.Usage.TotalTokens, "tokens for the turn")
	// Output:
	// called lookup_order({"order_id":"1042"}) -> {"status":"shipped","carrier":"Colissimo"}
	// Your order 1042 has *shipped*.
	// 820 tokens for the turn
}
