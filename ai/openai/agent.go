package openai

import (
	"context"

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
	tool        sdk.ChatCompletionToolUnionParam
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
	return &Agent{
		cfg:         cfg,
		completions: sdk.NewChatCompletionService(opts...),
		tool:        handoffTool(cfg.Teams),
	}, nil
}

// Respond asks the model to answer req.Message, given the conversation so
// far. It returns:
//   - the model's answer as WhatsApp text (see the package doc for the
//     formatting and the 1600-character limit);
//   - a hand-off (Handoff, Reason, Target{Team: name}) when the model
//     calls handoff_to_human, with any text it wrote as a last word;
//   - a hand-off with no error and a Reason when the model refuses, is
//     stopped by the content filter or answers nothing;
//   - an error, wrapping ErrTimeout or the SDK's *openai.Error, when no
//     answer came (API error after the retries, transport failure,
//     RequestTimeout): the desk hands off with the error's text.
//
// Usage is filled whenever the API answered.
func (a *Agent) Respond(ctx context.Context, req livedesk.AIRequest) (livedesk.AIResponse, error) {
	tctx, cancel := context.WithTimeout(ctx, a.cfg.RequestTimeout)
	defer cancel()
	completion, err := a.completions.New(tctx, a.params(req))
	if err != nil {
		return livedesk.AIResponse{}, a.requestError(ctx, tctx, err)
	}
	return interpret(completion, a.cfg.Teams), nil
}

// params builds the Chat Completions request for one turn.
func (a *Agent) params(req livedesk.AIRequest) sdk.ChatCompletionNewParams {
	msgs := make([]sdk.ChatCompletionMessageParamUnion, 0, a.cfg.MaxHistory+1)
	msgs = append(msgs, sdk.SystemMessage(systemMessage(a.cfg.SystemPrompt, req)))
	for _, t := range transcript(req, a.cfg.MaxHistory) {
		if t.customer {
			msgs = append(msgs, sdk.UserMessage(t.text))
		} else {
			msgs = append(msgs, sdk.AssistantMessage(t.text))
		}
	}
	p := sdk.ChatCompletionNewParams{
		Model:      a.cfg.Model,
		Messages:   msgs,
		Tools:      []sdk.ChatCompletionToolUnionParam{a.tool},
		ToolChoice: sdk.ChatCompletionToolChoiceOptionUnionParam{OfAuto: sdk.String(string(sdk.ChatCompletionToolChoiceOptionAutoAuto))},
	}
	if a.cfg.Temperature != nil {
		p.Temperature = sdk.Float(*a.cfg.Temperature)
	}
	return p
}
