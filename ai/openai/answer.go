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

// interpret turns a completion into the desk's response. Model-level
// outcomes that leave nothing to send (refusal, content filter, empty
// answer) are hand-offs with a reason, not errors: the API worked.
func interpret(c *sdk.ChatCompletion, teams []string) livedesk.AIResponse {
	resp := livedesk.AIResponse{Usage: livedesk.AIUsage{
		PromptTokens:     int(c.Usage.PromptTokens),
		CompletionTokens: int(c.Usage.CompletionTokens),
		TotalTokens:      int(c.Usage.TotalTokens),
	}}
	if len(c.Choices) == 0 {
		return handoff(resp, "the model returned no answer")
	}
	choice := c.Choices[0]
	msg := choice.Message
	text := strings.TrimSpace(msg.Content)
	if choice.FinishReason == "length" {
		text = cutIncomplete(text)
	}
	text = fit(whatsAppText(stripMarker(text)), channel.MaxTextLength)

	var unknownTool string
	for _, call := range msg.ToolCalls {
		if call.Type != "function" || call.Function.Name != HandoffTool {
			unknownTool = call.Function.Name + call.Custom.Name
			continue
		}
		resp.Text = text // a last word, when the model wrote one
		reason, target := handoffReason(call.Function.Arguments, teams)
		resp.Target = target
		return handoff(resp, reason)
	}
	switch {
	case msg.Refusal != "":
		return handoff(resp, "the model refused to answer: "+clip(msg.Refusal, maxReason))
	case choice.FinishReason == "content_filter":
		return handoff(resp, "OpenAI's content filter withheld the answer")
	case text == "" && unknownTool != "":
		return handoff(resp, fmt.Sprintf("the model called an unknown function %q instead of answering", clip(unknownTool, 64)))
	case text == "":
		return handoff(resp, "the model gave an empty answer (finish_reason "+clip(choice.FinishReason, 32)+")")
	}
	resp.Text = text
	return resp
}

// handoffReason reads handoff_to_human's arguments. A team outside Teams
// is ignored (the channel's pool takes the conversation) and said in the
// reason.
func handoffReason(arguments string, teams []string) (reason, target string) {
	var args handoffArgs
	if err := json.Unmarshal([]byte(arguments), &args); err != nil {
		return "the AI agent asked for a person (its reason could not be read)", ""
	}
	reason = clip(strings.TrimSpace(args.Reason), maxReason)
	if reason == "" {
		reason = "the AI agent asked for a person without giving a reason"
	}
	team := strings.TrimSpace(args.Team)
	if team == "" {
		return reason, ""
	}
	for _, t := range teams {
		if strings.EqualFold(t, team) {
			return reason, "team:" + t
		}
	}
	return reason + fmt.Sprintf(" (unknown team %q ignored)", clip(team, 64)), ""
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
