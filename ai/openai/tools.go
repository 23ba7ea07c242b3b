package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"github.com/livedesk/livedesk"
)

// maxToolResult caps what a function's result gives the model, in
// characters.
const maxToolResult = 16000

// Tool is a host function the model may call during a turn: look up an
// order, check stock, book a slot.
//
// The model sees Name, Description and Parameters. When it calls the
// function, Handler runs with the call's JSON arguments and the turn's
// request (req.Contact says who is asking: a handler giving out personal
// data should check it belongs to that customer). Its result (text or
// JSON, up to 16,000 characters) goes back to the model, which then
// answers or calls more functions, within Config.MaxToolRounds and
// Config.ToolTimeout. The calls one answer asks for run in parallel.
//
// What ends the turn in a hand-off, with a reason for the agents:
//   - Handler returns an error, unless wrapped with ModelError (then the
//     model is told, as {"error": "..."}, and may ask the customer or hand
//     off itself);
//   - Handler panics (the panic is recovered; the desk does not crash);
//   - Handler is still running after Config.ToolTimeout (its ctx is then
//     cancelled; it must return soon after);
//   - the model calls a function that is not in Config.Tools.
//
// Arguments that are not valid JSON are not given to Handler: the model is
// told and may try again.
//
// A turn may be run again after a crash or a lost lease, so a Handler that
// changes something (books a slot) should be idempotent. Calls are never
// sent to the customer; the desk reports each in an ai.tool_called event
// (livedesk.AIResponse.ToolCalls).
type Tool struct {
	// Name is the function's name: 1 to 64 letters, digits, _ or -;
	// unique, and not handoff_to_human.
	Name string
	// Description tells the model what the function does and when to call
	// it.
	Description string
	// Parameters is the JSON schema of the arguments, an object schema
	// ({"type": "object", "properties": {...}, "required": [...]}). Nil:
	// no arguments.
	Parameters map[string]any
	// Handler runs a call. Required.
	Handler func(ctx context.Context, req livedesk.AIRequest, arguments json.RawMessage) (string, error)
}

// ModelError marks a Handler's error as one the model can act on (an
// unknown order number, a date in the past): its text is given to the
// model as the call's result, {"error": "<text>"}, instead of handing the
// conversation off.
func ModelError(err error) error {
	if err == nil {
		return nil
	}
	return &modelError{err}
}

type modelError struct{ err error }

func (e *modelError) Error() string { return e.err.Error() }
func (e *modelError) Unwrap() error { return e.err }

// toolParams declares the host's tools to the API.
func toolParams(tools []Tool) []sdk.ChatCompletionToolUnionParam {
	out := make([]sdk.ChatCompletionToolUnionParam, 0, len(tools))
	for _, t := range tools {
		params := t.Parameters
		if params == nil {
			params = map[string]any{"type": "object", "properties": map[string]any{}}
		}
		def := shared.FunctionDefinitionParam{Name: t.Name, Parameters: shared.FunctionParameters(params)}
		if t.Description != "" {
			def.Description = sdk.String(t.Description)
		}
		out = append(out, sdk.ChatCompletionFunctionTool(def))
	}
	return out
}

// toolCall is a call of one of the host's tools the model asked for.
type toolCall struct {
	id, name, arguments string
	tool                *Tool
}

// toolOutcome is what one call gave.
type toolOutcome struct {
	result   string
	err      error
	panicked bool
	panicVal any
}

// roundResult is what a round of calls gives: the tool messages for the
// next request, the calls as recorded, and, when the turn must end, the
// hand-off reason or the error (RequestTimeout, the caller giving up).
type roundResult struct {
	messages []sdk.ChatCompletionMessageParamUnion
	records  []livedesk.AIToolCall
	handoff  string
	err      error
}

// runTools runs one answer's calls in parallel under ToolTimeout (within
// tctx, the turn's RequestTimeout, itself within the caller's ctx).
func (a *Agent) runTools(ctx, tctx context.Context, req livedesk.AIRequest, calls []toolCall) roundResult {
	rctx, cancel := context.WithTimeout(tctx, a.cfg.ToolTimeout)
	defer cancel()
	type done struct {
		i int
		o toolOutcome
	}
	ch := make(chan done, len(calls)) // a late handler never blocks
	got := make([]*toolOutcome, len(calls))
	pending := 0
	for i, c := range calls {
		if !json.Valid([]byte(c.arguments)) {
			got[i] = &toolOutcome{err: ModelError(errors.New("the arguments are not valid JSON; call the function again with valid JSON arguments"))}
			continue
		}
		pending++
		go func() {
			defer func() {
				if v := recover(); v != nil {
					ch <- done{i, toolOutcome{panicked: true, panicVal: v}}
				}
			}()
			res, err := c.tool.Handler(rctx, req, json.RawMessage(c.arguments))
			ch <- done{i, toolOutcome{result: res, err: err}}
		}()
	}
	for ; pending > 0; pending-- {
		select {
		case d := <-ch:
			got[d.i] = &d.o
		case <-rctx.Done():
			pending = 0 // stop waiting; the rest is below
		}
	}
	var r roundResult
	if tctx.Err() != nil { // RequestTimeout or the caller, not ToolTimeout
		r.records = records(calls, got, "")
		r.err = a.requestError(ctx, tctx, tctx.Err())
		return r
	}
	late := fmt.Sprintf("no answer within %v (Config.ToolTimeout)", a.cfg.ToolTimeout)
	r.records = records(calls, got, late)
	for i, c := range calls {
		o := got[i]
		var reason string
		var me *modelError
		switch {
		case o == nil:
			reason = fmt.Sprintf("function %s gave %s", c.name, late)
		case o.panicked:
			reason = fmt.Sprintf("function %s panicked: %v", c.name, o.panicVal)
		case o.err != nil && !errors.As(o.err, &me):
			reason = fmt.Sprintf("function %s failed: %v", c.name, o.err)
		}
		if reason != "" && r.handoff == "" {
			r.handoff = clip(reason, maxReason)
		}
		r.messages = append(r.messages, sdk.ToolMessage(r.records[i].Result, c.id))
	}
	return r
}

// records describes each call as the desk reports it; late is the error of
// a call that gave nothing.
func records(calls []toolCall, got []*toolOutcome, late string) []livedesk.AIToolCall {
	out := make([]livedesk.AIToolCall, len(calls))
	for i, c := range calls {
		rec := livedesk.AIToolCall{ID: c.id, Name: c.name, Arguments: c.arguments}
		o := got[i]
		var me *modelError
		switch {
		case o == nil:
			rec.Error = late
		case o.panicked:
			rec.Error = fmt.Sprintf("panic: %v", o.panicVal)
		case o.err != nil && errors.As(o.err, &me):
			rec.Error = o.err.Error()
			rec.Result = errorResult(o.err)
		case o.err != nil:
			rec.Error = o.err.Error()
		default:
			rec.Result = clip(o.result, maxToolResult)
			if strings.TrimSpace(rec.Result) == "" {
				rec.Result = "(no result)"
			}
		}
		out[i] = rec
	}
	return out
}

// errorResult is an error as the model is told it.
func errorResult(err error) string {
	b, _ := json.Marshal(map[string]string{"error": clip(err.Error(), maxReason)})
	return string(b)
}

// callsMessage is the assistant message asking for the calls, as the next
// request must repeat it before the tool messages.
func callsMessage(msg sdk.ChatCompletionMessage) sdk.ChatCompletionMessageParamUnion {
	var p sdk.ChatCompletionAssistantMessageParam
	if msg.Content != "" {
		p.Content.OfString = sdk.String(msg.Content)
	}
	for _, c := range msg.ToolCalls {
		p.ToolCalls = append(p.ToolCalls, sdk.ChatCompletionMessageToolCallUnionParam{OfFunction: &sdk.ChatCompletionMessageFunctionToolCallParam{
			ID:       c.ID,
			Function: sdk.ChatCompletionMessageFunctionToolCallFunctionParam{Name: c.Function.Name, Arguments: c.Function.Arguments},
		}})
	}
	return sdk.ChatCompletionMessageParamUnion{OfAssistant: &p}
}
