package openai

import (
	"context"
	"fmt"
	"slices"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/livedesk/livedesk"
)

// Agent is a livedesk.AIAgent backed by OpenAI's Chat Completions API. It
// holds no per-conversation state (the desk passes the history on every
// turn) and is safe for concurrent use.
type Agent struct {
	cfg         Config
	completions sdk.ChatCompletionService
	tools       []sdk.ChatCompletionToolUnionParam // handoff_to_human, then the host's
	byName      map[string]*Tool
}

var _ livedesk.AIAgent = (*Agent)(nil)

// NewAgent validates cfg and returns an Agent. It makes no request.
func NewAgent(cfg Config) (*Agent, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	// The service is built from explicit options rather than
	// openai.NewClient, which would also read OPENAI_BASE_URL,
	// OPENAI_ORG_ID, OPENAI_CUSTOM_HEADERS... from the host's environment:
	// a library's behaviour should not change with ambient variables.
	opts := []option.RequestOption{
		option.WithEnvironmentProduction(),
		option.WithAPIKey(cfg.APIKey),
		option.WithMaxRetries(cfg.MaxRetries),
		// A server asking to wait longer than the whole turn may last gets
		// its error back at once instead of a timeout after waiting.
		option.WithMaxRetryDelay(cfg.RequestTimeout),
	}
	if cfg.BaseURL != "" {
		opts = append(opts, option.WithBaseURL(cfg.BaseURL))
	}
	if cfg.HTTPClient != nil {
		opts = append(opts, option.WithHTTPClient(cfg.HTTPClient))
	}
	opts = append(opts, cfg.RequestOptions...)
	cfg.Tools = slices.Clone(cfg.Tools) // the host's slice may change later
	a := &Agent{
		cfg:         cfg,
		completions: sdk.NewChatCompletionService(opts...),
		tools:       append([]sdk.ChatCompletionToolUnionParam{handoffTool(cfg.Teams)}, toolParams(cfg.Tools)...),
		byName:      make(map[string]*Tool, len(cfg.Tools)),
	}
	for i := range a.cfg.Tools {
		a.byName[a.cfg.Tools[i].Name] = &a.cfg.Tools[i]
	}
	return a, nil
}

// Respond asks the model to answer the customer's unanswered messages,
// given the conversation so far. It returns:
//   - the model's answer as WhatsApp text (see the package doc for the
//     formatting and the 1600-character limit), after running the host
//     functions (Config.Tools) the model called, listed in ToolCalls;
//   - a hand-off (Handoff, Reason, Target{Team: name}) when the model
//     calls handoff_to_human, with any text it wrote as a last word;
//   - a hand-off with no error and a Reason when the model refuses, is
//     stopped by the content filter, answers nothing, calls an unknown
//     function, or when a host function fails, panics or takes longer than
//     Config.ToolTimeout, or the calls go past Config.MaxToolRounds;
//   - an error, wrapping ErrTimeout or the SDK's *openai.Error, when no
//     answer came (API error after the retries, transport failure,
//     RequestTimeout), or when Config.Context failed: the desk hands off
//     with the error's text.
//
// Usage (summed over the turn's requests) and ToolCalls are filled
// whenever there are some, errors included.
func (a *Agent) Respond(ctx context.Context, req livedesk.AIRequest) (livedesk.AIResponse, error) {
	tctx, cancel := context.WithTimeout(ctx, a.cfg.RequestTimeout)
	defer cancel()
	var turn livedesk.AIResponse
	p, err := a.params(tctx, req)
	if err != nil {
		return turn, err
	}
	for round := 0; ; round++ {
		completion, err := a.completions.New(tctx, p)
		if err != nil {
			return turn, a.requestError(ctx, tctx, err)
		}
		addUsage(&turn.Usage, completion.Usage)
		resp, calls := a.interpret(completion)
		if len(calls) == 0 {
			resp.Usage, resp.ToolCalls = turn.Usage, turn.ToolCalls
			return resp, nil
		}
		if round == a.cfg.MaxToolRounds {
			return handoff(turn, fmt.Sprintf("the model was still calling functions after %d rounds (Config.MaxToolRounds)", round)), nil
		}
		r := a.runTools(ctx, tctx, req, calls)
		turn.ToolCalls = append(turn.ToolCalls, r.records...)
		switch {
		case r.err != nil:
			return turn, r.err
		case r.handoff != "":
			return handoff(turn, r.handoff), nil
		}
		p.Messages = append(p.Messages, callsMessage(completion.Choices[0].Message))
		p.Messages = append(p.Messages, r.messages...)
	}
}

// params builds the Chat Completions request for one turn: the system
// message with the request's context, then the conversation.
func (a *Agent) params(ctx context.Context, req livedesk.AIRequest) (sdk.ChatCompletionNewParams, error) {
	extra, err := a.requestContext(ctx, req)
	if err != nil {
		return sdk.ChatCompletionNewParams{}, err
	}
	turns := transcript(req, a.cfg.MaxHistory)
	msgs := make([]sdk.ChatCompletionMessageParamUnion, 0, len(turns)+1)
	msgs = append(msgs, sdk.SystemMessage(systemMessage(a.cfg.SystemPrompt, a.cfg.Vision, extra)))
	images := maxImages
	for _, t := range turns {
		if t.customer {
			msgs = append(msgs, a.userMessage(ctx, req, t, &images))
		} else {
			msgs = append(msgs, sdk.AssistantMessage(t.text))
		}
	}
	p := sdk.ChatCompletionNewParams{
		Model:      a.cfg.Model,
		Messages:   msgs,
		Tools:      a.tools,
		ToolChoice: sdk.ChatCompletionToolChoiceOptionUnionParam{OfAuto: sdk.String(string(sdk.ChatCompletionToolChoiceOptionAutoAuto))},
	}
	if a.cfg.Temperature != nil {
		p.Temperature = sdk.Float(*a.cfg.Temperature)
	}
	if a.cfg.MaxOutputTokens > 0 {
		p.MaxCompletionTokens = sdk.Int(int64(a.cfg.MaxOutputTokens))
	}
	return p, nil
}
