package openai

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/routing"
)

// HandoffTool is the name of the function the model calls to hand the
// conversation to humans.
const HandoffTool = "handoff_to_human"

// maxReason caps the hand-off reasons taken from the model, which end up in
// events and logs.
const maxReason = 500

// handoffTool declares handoff_to_human: a required reason and, when teams
// are configured, an optional team limited to them.
func handoffTool(teams []string) sdk.ChatCompletionToolUnionParam {
	props := map[string]any{
		"reason": map[string]any{
			"type":        "string",
			"description": "Why a person should take over, in one sentence, for the support team.",
		},
	}
	if len(teams) > 0 {
		props["team"] = map[string]any{
			"type":        "string",
			"enum":        teams,
			"description": "The team best placed to help, if one clearly is; leave it out otherwise.",
		}
	}
	return sdk.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
		Name: HandoffTool,
		Description: sdk.String("Hand the conversation to a human support agent. Call it when you cannot help, " +
			"when the customer asks for a person, or when they are upset."),
		Parameters: shared.FunctionParameters{
			"type":                 "object",
			"properties":           props,
			"required":             []string{"reason"},
			"additionalProperties": false,
		},
	})
}

// handoffArgs are handoff_to_human's arguments.
type handoffArgs struct {
	Reason string `json:"reason"`
	Team   string `json:"team"`
}

// interpret turns a completion into the desk's response, or into the calls
// of host tools to run before asking again. Model-level outcomes that leave
// nothing to send (refusal, content filter, empty answer, an unknown
// function) are hand-offs with a reason, not errors: the API worked. Usage
// is left to the caller, which sums it over the turn.
func (a *Agent) interpret(c *sdk.ChatCompletion) (livedesk.AIResponse, []toolCall) {
	var resp livedesk.AIResponse
	if len(c.Choices) == 0 {
		return handoff(resp, "the model returned no answer"), nil
	}
	choice := c.Choices[0]
	msg := choice.Message
	text := strings.TrimSpace(msg.Content)
	if choice.FinishReason == "length" {
		text = cutIncomplete(text)
	}
	text = fit(whatsAppText(stripMarker(text)), channel.MaxTextLength)

	if len(msg.ToolCalls) > 0 {
		var calls []toolCall
		for _, call := range msg.ToolCalls {
			if call.Type == "function" && call.Function.Name == HandoffTool {
				resp.Text = text // a last word, when the model wrote one
				reason, target := handoffReason(call.Function.Arguments, a.cfg.Teams)
				resp.Target = target
				return handoff(resp, reason), nil
			}
		}
		for _, call := range msg.ToolCalls {
			tool := a.byName[call.Function.Name]
			if call.Type != "function" || tool == nil {
				// Any text ("Let me check your order.") announced a call
				// that will not happen: it is not sent.
				name := call.Function.Name + call.Custom.Name
				return handoff(resp, fmt.Sprintf("the model called an unknown function %q instead of answering", clip(name, 64))), nil
			}
			calls = append(calls, toolCall{id: call.ID, name: tool.Name, arguments: call.Function.Arguments, tool: tool})
		}
		return resp, calls
	}
	switch {
	case msg.Refusal != "":
		return handoff(resp, "the model refused to answer: "+clip(msg.Refusal, maxReason)), nil
	case choice.FinishReason == "content_filter":
		return handoff(resp, "OpenAI's content filter withheld the answer"), nil
	case text == "" && choice.FinishReason == "length":
		return handoff(resp, "the answer reached the output token limit (Config.MaxOutputTokens or the model's) before its first sentence ended"), nil
	case text == "":
		return handoff(resp, "the model gave an empty answer (finish_reason "+clip(choice.FinishReason, 32)+")"), nil
	}
	resp.Text = text
	return resp, nil
}

// addUsage adds a completion's token counts to the turn's.
func addUsage(u *livedesk.AIUsage, c sdk.CompletionUsage) {
	u.PromptTokens += int(c.PromptTokens)
	u.CompletionTokens += int(c.CompletionTokens)
	u.TotalTokens += int(c.TotalTokens)
}

// handoffReason reads handoff_to_human's arguments. A team outside Teams
// is ignored (the channel's pool takes the conversation) and said in the
// reason.
func handoffReason(arguments string, teams []string) (reason string, target routing.Target) {
	var args handoffArgs
	if err := json.Unmarshal([]byte(arguments), &args); err != nil {
		return "the AI agent asked for a person (its reason could not be read)", routing.Target{}
	}
	reason = clip(strings.TrimSpace(args.Reason), maxReason)
	if reason == "" {
		reason = "the AI agent asked for a person without giving a reason"
	}
	team := strings.TrimSpace(args.Team)
	if team == "" {
		return reason, routing.Target{}
	}
	for _, t := range teams {
		if strings.EqualFold(t, team) {
			return reason, routing.Target{Team: t}
		}
	}
	return reason + fmt.Sprintf(" (unknown team %q ignored)", clip(team, 64)), routing.Target{}
}

func handoff(resp livedesk.AIResponse, reason string) livedesk.AIResponse {
	resp.Handoff, resp.Reason = true, reason
	return resp
}

// clip cuts s to n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
