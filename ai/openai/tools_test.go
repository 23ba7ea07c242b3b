package openai_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/ai/openai"
	"github.com/livedesk/livedesk/store"
)

// orders is the host's data the tools read.
var orders = map[string]string{
	"1042": `{"id":"1042","status":"shipped","carrier":"Colissimo","eta":"2026-12-01"}`,
}

// lookupOrder is a host tool reading orders.
func lookupOrder(handler func(ctx context.Context, req livedesk.AIRequest, args json.RawMessage) (string, error)) openai.Tool {
	if handler == nil {
		handler = func(_ context.Context, _ livedesk.AIRequest, args json.RawMessage) (string, error) {
			var a struct {
				OrderID string `json:"order_id"`
			}
			if err := json.Unmarshal(args, &a); err != nil {
				return "", openai.ModelError(err)
			}
			o, ok := orders[a.OrderID]
			if !ok {
				return "", openai.ModelError(fmt.Errorf("no order %q", a.OrderID))
			}
			return o, nil
		}
	}
	return openai.Tool{
		Name:        "lookup_order",
		Description: "Look up one of the customer's orders by its number.",
		Parameters: map[string]any{
			"type":                 "object",
			"properties":           map[string]any{"order_id": map[string]any{"type": "string", "description": "The order number, e.g. 1042."}},
			"required":             []string{"order_id"},
			"additionalProperties": false,
		},
		Handler: handler,
	}
}

// system is a request's system message as sent.
func system(t *testing.T, api *fakeAPI, i int) string {
	t.Helper()
	return messages(t, api.Body(t, i))[0].Content
}

func TestToolTwoRounds(t *testing.T) {
	t.Parallel()
	api := newFakeAPI(t,
		ok(completion(callsMessage("Let me check.", fnCall{"call_1", "lookup_order", `{"order_id":"1042"}`}), "tool_calls")),
		ok(completion(textMessage("Your order 1042 has shipped with **Colissimo**; it should arrive on December 1."), "stop")),
	)
	var asker store.Contact
	tool := lookupOrder(nil)
	inner := tool.Handler
	tool.Handler = func(ctx context.Context, req livedesk.AIRequest, args json.RawMessage) (string, error) {
		asker = req.Contact // the handler knows who asks
		return inner(ctx, req, args)
	}
	a := newAgent(t, api, openai.Config{Tools: []openai.Tool{tool}})
	req := question("Where is my order 1042?")
	req.Contact = store.Contact{ID: "c1", ProfileName: "Marie"}
	got, err := a.Respond(context.Background(), req)
	require.NoError(t, err)
	require.Equal(t, livedesk.AIResponse{
		Text:  "Your order 1042 has shipped with *Colissimo*; it should arrive on December 1.",
		Usage: livedesk.AIUsage{PromptTokens: 114, CompletionTokens: 34, TotalTokens: 148}, // both requests
		ToolCalls: []livedesk.AIToolCall{{ID: "call_1", Name: "lookup_order", Arguments: `{"order_id":"1042"}`,
			Result: orders["1042"]}},
	}, got)
	require.Equal(t, "c1", asker.ID)
	require.Equal(t, 2, api.Requests())

	sys, err := json.Marshal(system(t, api, 0))
	require.NoError(t, err)
	// Round 1: the system message and the question; both functions offered.
	require.JSONEq(t, `[
		{"role":"system","content":`+string(sys)+`},
		{"role":"user","content":"Where is my order 1042?"}
	]`, api.rawMessages(t, 0))
	tools := api.Body(t, 0)["tools"].([]any)
	require.Len(t, tools, 2)
	require.Equal(t, openai.HandoffTool, tools[0].(map[string]any)["function"].(map[string]any)["name"])
	require.JSONEq(t, `{"type":"function","function":{
		"name":"lookup_order",
		"description":"Look up one of the customer's orders by its number.",
		"parameters":{"type":"object","properties":{"order_id":{"type":"string","description":"The order number, e.g. 1042."}},"required":["order_id"],"additionalProperties":false}
	}}`, mustJSON(t, tools[1]))
	// Round 2: the same, then the call and its result.
	require.JSONEq(t, `[
		{"role":"system","content":`+string(sys)+`},
		{"role":"user","content":"Where is my order 1042?"},
		{"role":"assistant","content":"Let me check.","tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup_order","arguments":"{\"order_id\":\"1042\"}"}}]},
		{"role":"tool","tool_call_id":"call_1","content":`+mustJSON(t, orders["1042"])+`}
	]`, api.rawMessages(t, 1))
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// The calls of one answer run at the same time, and their results go back
// in the calls' order.
func TestToolParallelCalls(t *testing.T) {
	t.Parallel()
	api := newFakeAPI(t,
		ok(completion(callsMessage(nil,
			fnCall{"call_a", "lookup_order", `{"order_id":"1042"}`},
			fnCall{"call_b", "lookup_order", `{"order_id":"999"}`},
		), "tool_calls")),
		ok(completion(textMessage("Order 1042 has shipped; I cannot find order 999."), "stop")),
	)
	var started sync.WaitGroup
	started.Add(2)
	both := make(chan struct{})
	go func() { started.Wait(); close(both) }()
	tool := lookupOrder(nil)
	inner := tool.Handler
	tool.Handler = func(ctx context.Context, req livedesk.AIRequest, args json.RawMessage) (string, error) {
		started.Done()
		select { // each call waits for the other to have started
		case <-both:
		case <-ctx.Done():
			return "", errors.New("the other call never started: calls are not run in parallel")
		}
		return inner(ctx, req, args)
	}
	a := newAgent(t, api, openai.Config{Tools: []openai.Tool{tool}, ToolTimeout: 5 * time.Second})
	got, err := a.Respond(context.Background(), question("Where are orders 1042 and 999?"))
	require.NoError(t, err)
	require.False(t, got.Handoff, got.Reason)
	require.Equal(t, []livedesk.AIToolCall{
		{ID: "call_a", Name: "lookup_order", Arguments: `{"order_id":"1042"}`, Result: orders["1042"]},
		{ID: "call_b", Name: "lookup_order", Arguments: `{"order_id":"999"}`, Result: `{"error":"no order \"999\""}`, Error: `no order "999"`},
	}, got.ToolCalls)
	msgs := messages2(t, api, 1)
	require.Len(t, msgs, 5)
	require.Equal(t, []map[string]any{
		{"role": "tool", "tool_call_id": "call_a", "content": orders["1042"]},
		{"role": "tool", "tool_call_id": "call_b", "content": `{"error":"no order \"999\""}`},
	}, msgs[3:])
}

// What the model can fix is told to it: a ModelError, arguments that are
// not JSON (the handler is not called).
func TestToolErrorsForTheModel(t *testing.T) {
	t.Parallel()
	api := newFakeAPI(t,
		ok(completion(callsMessage(nil, fnCall{"call_1", "lookup_order", `{"order_id": 10`}), "tool_calls")),
		ok(completion(callsMessage(nil, fnCall{"call_2", "lookup_order", `{"order_id":"777"}`}), "tool_calls")),
		ok(completion(textMessage("I cannot find order 777: could you check the number?"), "stop")),
	)
	calls := 0
	tool := lookupOrder(nil)
	inner := tool.Handler
	tool.Handler = func(ctx context.Context, req livedesk.AIRequest, args json.RawMessage) (string, error) {
		calls++
		return inner(ctx, req, args)
	}
	a := newAgent(t, api, openai.Config{Tools: []openai.Tool{tool}})
	got, err := a.Respond(context.Background(), question("Where is order 777?"))
	require.NoError(t, err)
	require.Equal(t, "I cannot find order 777: could you check the number?", got.Text)
	require.False(t, got.Handoff)
	require.Equal(t, 1, calls, "bad JSON never reaches the handler")
	require.Len(t, got.ToolCalls, 2)
	require.Contains(t, got.ToolCalls[0].Result, "not valid JSON")
	require.Equal(t, `{"error":"no order \"777\""}`, got.ToolCalls[1].Result)
	last := messages2(t, api, 2)
	require.Equal(t, map[string]any{"role": "tool", "tool_call_id": "call_2", "content": `{"error":"no order \"777\""}`}, last[len(last)-1])
}

// messages2 is the i-th request's messages as maps.
func messages2(t *testing.T, api *fakeAPI, i int) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, m := range api.Body(t, i)["messages"].([]any) {
		out = append(out, m.(map[string]any))
	}
	return out
}

func TestToolHandoffs(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	handler := func(f func(ctx context.Context) (string, error)) openai.Tool {
		return lookupOrder(func(ctx context.Context, _ livedesk.AIRequest, _ json.RawMessage) (string, error) { return f(ctx) })
	}
	call := ok(completion(callsMessage("Let me check your order.", fnCall{"call_1", "lookup_order", `{"order_id":"1042"}`}), "tool_calls"))
	tests := []struct {
		name     string
		tool     openai.Tool
		cfg      openai.Config
		replies  []http.HandlerFunc
		reason   string
		requests int
		calls    []livedesk.AIToolCall
	}{
		{
			name: "a handler error hands off",
			tool: handler(func(context.Context) (string, error) {
				return "", errors.New("orders database unreachable")
			}),
			replies:  []http.HandlerFunc{call},
			reason:   "function lookup_order failed: orders database unreachable",
			requests: 1,
			calls:    []livedesk.AIToolCall{{ID: "call_1", Name: "lookup_order", Arguments: `{"order_id":"1042"}`, Error: "orders database unreachable"}},
		},
		{
			name:     "a panicking handler hands off",
			tool:     handler(func(context.Context) (string, error) { panic("nil map") }),
			replies:  []http.HandlerFunc{call},
			reason:   "function lookup_order panicked: nil map",
			requests: 1,
			calls:    []livedesk.AIToolCall{{ID: "call_1", Name: "lookup_order", Arguments: `{"order_id":"1042"}`, Error: "panic: nil map"}},
		},
		{
			name: "a handler past ToolTimeout hands off",
			tool: handler(func(ctx context.Context) (string, error) {
				<-ctx.Done() // it honours ctx: cancelled at the deadline
				return "", ctx.Err()
			}),
			cfg:      openai.Config{ToolTimeout: 50 * time.Millisecond},
			replies:  []http.HandlerFunc{call},
			reason:   "function lookup_order gave no answer within 50ms (Config.ToolTimeout)",
			requests: 1,
			calls:    []livedesk.AIToolCall{{ID: "call_1", Name: "lookup_order", Arguments: `{"order_id":"1042"}`, Error: "no answer within 50ms (Config.ToolTimeout)"}},
		},
		{
			name: "a handler ignoring its deadline is not waited for",
			tool: handler(func(context.Context) (string, error) {
				<-release
				return "too late", nil
			}),
			cfg:      openai.Config{ToolTimeout: 50 * time.Millisecond},
			replies:  []http.HandlerFunc{call},
			reason:   "function lookup_order gave no answer within 50ms (Config.ToolTimeout)",
			requests: 1,
			calls:    []livedesk.AIToolCall{{ID: "call_1", Name: "lookup_order", Arguments: `{"order_id":"1042"}`, Error: "no answer within 50ms (Config.ToolTimeout)"}},
		},
		{
			name:     "too many rounds hand off",
			tool:     lookupOrder(nil),
			cfg:      openai.Config{MaxToolRounds: 2},
			replies:  []http.HandlerFunc{call}, // the model never stops calling
			reason:   "the model was still calling functions after 2 rounds (Config.MaxToolRounds)",
			requests: 3,
			calls: []livedesk.AIToolCall{
				{ID: "call_1", Name: "lookup_order", Arguments: `{"order_id":"1042"}`, Result: orders["1042"]},
				{ID: "call_1", Name: "lookup_order", Arguments: `{"order_id":"1042"}`, Result: orders["1042"]},
			},
		},
		{
			name:     "an unknown function with text hands off, without the text",
			tool:     lookupOrder(nil),
			replies:  []http.HandlerFunc{ok(completion(toolMessage("Let me check your stock.", "check_stock", `{"sku":"baguette"}`), "tool_calls"))},
			reason:   `the model called an unknown function "check_stock" instead of answering`,
			requests: 1,
		},
		{
			name: "handoff_to_human next to a host function: the function is not run",
			tool: handler(func(context.Context) (string, error) { panic("must not run") }),
			replies: []http.HandlerFunc{ok(completion(callsMessage("A colleague will help you.",
				fnCall{"call_1", "lookup_order", `{"order_id":"1042"}`},
				fnCall{"call_2", "handoff_to_human", `{"reason":"wants to cancel"}`}), "tool_calls"))},
			reason:   "wants to cancel",
			requests: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			api := newFakeAPI(t, tt.replies...)
			cfg := tt.cfg
			cfg.Tools = []openai.Tool{tt.tool}
			a := newAgent(t, api, cfg)
			got, err := a.Respond(context.Background(), question("Where is my order 1042?"))
			require.NoError(t, err)
			require.True(t, got.Handoff)
			require.Equal(t, tt.reason, got.Reason)
			require.Equal(t, tt.calls, got.ToolCalls)
			require.Equal(t, tt.requests, api.Requests())
			require.Equal(t, tt.requests*74, got.Usage.TotalTokens, "usage of every request")
			if strings.HasPrefix(tt.name, "handoff_to_human") {
				require.Equal(t, "A colleague will help you.", got.Text)
			} else {
				require.Empty(t, got.Text, "nothing is sent to the customer")
			}
		})
	}
}

// RequestTimeout bounds the whole turn, tool calls included.
func TestToolRequestTimeout(t *testing.T) {
	t.Parallel()
	api := newFakeAPI(t, ok(completion(callsMessage(nil, fnCall{"call_1", "lookup_order", `{}`}), "tool_calls")))
	tool := lookupOrder(func(ctx context.Context, _ livedesk.AIRequest, _ json.RawMessage) (string, error) {
		<-ctx.Done()
		return "", ctx.Err()
	})
	// The timeout leaves the first request time to be answered even on a
	// loaded machine under -race (100 ms did not); the tool then waits it out.
	a := newAgent(t, api, openai.Config{Tools: []openai.Tool{tool}, RequestTimeout: time.Second, ToolTimeout: time.Minute})
	got, err := a.Respond(context.Background(), question("Where is my order?"))
	require.ErrorIs(t, err, openai.ErrTimeout)
	require.Equal(t, "openai: no answer within 1s (Config.RequestTimeout): the API is slow or unreachable", err.Error())
	require.Equal(t, 74, got.Usage.TotalTokens)
	require.Equal(t, []livedesk.AIToolCall{{ID: "call_1", Name: "lookup_order", Arguments: `{}`,
		Error: "no answer before the turn ended (Config.RequestTimeout, or the caller gave up)"}}, got.ToolCalls)
}

// A tool without Parameters is declared with an empty object schema, as the
// API requires.
func TestToolWithoutParameters(t *testing.T) {
	t.Parallel()
	api := newFakeAPI(t, ok(completion(textMessage("OK."), "stop")))
	hoursTool := openai.Tool{Name: "opening_hours", Description: "Today's opening hours.",
		Handler: func(context.Context, livedesk.AIRequest, json.RawMessage) (string, error) { return "7:00-19:00", nil }}
	a := newAgent(t, api, openai.Config{Tools: []openai.Tool{hoursTool}})
	_, err := a.Respond(context.Background(), question("Are you open?"))
	require.NoError(t, err)
	tools := api.Body(t, 0)["tools"].([]any)
	require.JSONEq(t, `{"type":"function","function":{"name":"opening_hours","description":"Today's opening hours.",
		"parameters":{"type":"object","properties":{}}}}`, mustJSON(t, tools[1]))
}
