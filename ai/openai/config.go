package openai

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/openai/openai-go/v3/option"

	"github.com/livedesk/livedesk"
)

// Defaults applied by NewAgent to zero Config fields.
const (
	DefaultModel          = "gpt-4o-mini"
	DefaultMaxHistory     = 30
	DefaultRequestTimeout = 20 * time.Second
	DefaultMaxRetries     = 2
	DefaultMaxToolRounds  = 4
	DefaultToolTimeout    = 10 * time.Second
	DefaultMaxImageBytes  = 5 << 20
)

// toolName is what the API accepts as a function name.
var toolName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// ErrBadConfig is matched by NewAgent's errors.
var ErrBadConfig = errors.New("openai: bad config")

// Config configures an Agent. Zero values mean the documented defaults; only
// APIKey is required. The Agent reads no environment variable: everything
// comes from Config (the example program reads OPENAI_API_KEY itself).
type Config struct {
	// APIKey authenticates with the API, sent as a bearer token. Required;
	// usually the OPENAI_API_KEY environment variable. It never appears in
	// an error.
	APIKey string
	// Model is the chat model. Empty: "gpt-4o-mini".
	Model string
	// BaseURL is the API's root, for Azure OpenAI's v1 endpoint, an
	// OpenAI-compatible server or a test server
	// ("https://my-resource.openai.azure.com/openai/v1"). Empty: the SDK's,
	// https://api.openai.com/v1 (OPENAI_BASE_URL is not read).
	BaseURL string
	// SystemPrompt is the business's instructions and knowledge: who you
	// are, opening hours, prices, policies. It opens the system message,
	// before the Agent's fixed WhatsApp guidance.
	SystemPrompt string
	// Temperature, when set, is sent as is (0 to 2). Nil: the model's
	// default.
	Temperature *float64
	// MaxHistory caps the conversation messages sent, keeping the latest.
	// Zero: 30. Negative values are rejected.
	MaxHistory int
	// MaxOutputTokens caps the tokens of each answer (sent as
	// max_completion_tokens). An answer the cap stops loses its unfinished
	// last sentence; one without a complete sentence is a hand-off. Zero:
	// the model's own limit. Negative values are rejected.
	MaxOutputTokens int
	// RequestTimeout bounds one Respond call, every request to the API,
	// their retries and waits and the tool calls included, so a slow API
	// ends in an error (a hand-off) before the desk's own AITimeout. Zero:
	// 20 seconds.
	RequestTimeout time.Duration
	// MaxRetries is how many times the SDK retries connection errors, 408,
	// 409, 429 and 5xx answers, honouring Retry-After. Zero: 2; negative:
	// no retry.
	MaxRetries int
	// HTTPClient sends the requests. Nil: the SDK's default
	// (http.DefaultClient).
	HTTPClient *http.Client
	// Teams are the teams the model may hand a conversation to (the
	// handoff_to_human tool's team argument is limited to them, and its
	// hand-off targets Target{Team: name}). Empty: the tool has no team argument
	// and hand-offs go to the channel's pool, so the model cannot invent a
	// team nobody is in.
	Teams []string
	// Context builds the per-request part of the system message, after the
	// SystemPrompt and the Agent's fixed guidance: what the model should
	// know about this channel, customer and moment (a prompt per channel,
	// the customer's orders, whether the team is in). It is called once per
	// turn, before the first request; an error (or a panic) fails the turn,
	// which the desk hands to humans. Nil: DefaultContext. A hook that
	// only adds to it calls DefaultContext(req) itself.
	Context func(ctx context.Context, req livedesk.AIRequest) (string, error)
	// Tools are the host's functions the model may call (look up an order,
	// check stock, book a slot), besides handoff_to_human. See Tool. Empty:
	// only handoff_to_human.
	Tools []Tool
	// MaxToolRounds bounds how many rounds of function calls one turn may
	// make (each round runs the calls of one answer, in parallel, and asks
	// the model again). A model still calling functions after them hands
	// off. Zero: 4. Negative values are rejected.
	MaxToolRounds int
	// ToolTimeout bounds each round of function calls; a handler still
	// running then hands the conversation off (the handler's ctx is
	// cancelled). Zero: 10 seconds.
	ToolTimeout time.Duration
	// Vision says the model accepts images (gpt-4o, gpt-4o-mini, gpt-4.1
	// and later): the images of the customer's unanswered messages are
	// downloaded through the desk (AIRequest.FetchMedia, with the channel's
	// credentials) and given to the model, at most 4 per turn. Off: images
	// are only described ("[image: image/jpeg]").
	Vision bool
	// MaxImageBytes caps each image downloaded for the model; a larger one
	// is only described. Zero: 5 MiB. Negative values are rejected.
	MaxImageBytes int64
	// RequestOptions are extra SDK options applied after the Agent's own,
	// for what Config does not cover (azure.WithAPIKey, option.WithHeader,
	// a middleware...).
	RequestOptions []option.RequestOption
}

// withDefaults validates c and returns it with the defaults filled in.
func (c Config) withDefaults() (Config, error) {
	if strings.TrimSpace(c.APIKey) == "" {
		return c, fmt.Errorf("%w: APIKey is empty: set Config.APIKey to an OpenAI API key (usually the OPENAI_API_KEY environment variable)", ErrBadConfig)
	}
	c.Model = strings.TrimSpace(c.Model)
	if c.Model == "" {
		c.Model = DefaultModel
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			// The URL is not quoted: it may carry credentials.
			return c, fmt.Errorf("%w: BaseURL is not an absolute http(s) URL (https://api.openai.com/v1)", ErrBadConfig)
		}
	}
	if t := c.Temperature; t != nil && (math.IsNaN(*t) || *t < 0 || *t > 2) {
		return c, fmt.Errorf("%w: Temperature %v is out of range: use 0 to 2, or nil for the model's default", ErrBadConfig, *t)
	}
	if c.MaxHistory < 0 {
		return c, fmt.Errorf("%w: MaxHistory %d is negative: use 0 for the default (%d) or a positive count", ErrBadConfig, c.MaxHistory, DefaultMaxHistory)
	}
	if c.MaxHistory == 0 {
		c.MaxHistory = DefaultMaxHistory
	}
	if c.RequestTimeout < 0 {
		return c, fmt.Errorf("%w: RequestTimeout %v is negative: use 0 for the default (%v)", ErrBadConfig, c.RequestTimeout, DefaultRequestTimeout)
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = DefaultRequestTimeout
	}
	if c.MaxOutputTokens < 0 {
		return c, fmt.Errorf("%w: MaxOutputTokens %d is negative: use 0 for the model's limit or a positive count", ErrBadConfig, c.MaxOutputTokens)
	}
	if c.MaxToolRounds < 0 {
		return c, fmt.Errorf("%w: MaxToolRounds %d is negative: use 0 for the default (%d)", ErrBadConfig, c.MaxToolRounds, DefaultMaxToolRounds)
	}
	if c.MaxToolRounds == 0 {
		c.MaxToolRounds = DefaultMaxToolRounds
	}
	if c.ToolTimeout < 0 {
		return c, fmt.Errorf("%w: ToolTimeout %v is negative: use 0 for the default (%v)", ErrBadConfig, c.ToolTimeout, DefaultToolTimeout)
	}
	if c.ToolTimeout == 0 {
		c.ToolTimeout = DefaultToolTimeout
	}
	if c.MaxImageBytes < 0 {
		return c, fmt.Errorf("%w: MaxImageBytes %d is negative: use 0 for the default (%d)", ErrBadConfig, c.MaxImageBytes, DefaultMaxImageBytes)
	}
	if c.MaxImageBytes == 0 {
		c.MaxImageBytes = DefaultMaxImageBytes
	}
	if err := checkTools(c.Tools); err != nil {
		return c, err
	}
	switch {
	case c.MaxRetries == 0:
		c.MaxRetries = DefaultMaxRetries
	case c.MaxRetries < 0:
		c.MaxRetries = 0
	}
	seen := make(map[string]bool, len(c.Teams))
	teams := make([]string, 0, len(c.Teams))
	for _, t := range c.Teams {
		t = strings.TrimSpace(t)
		if t == "" {
			return c, fmt.Errorf("%w: Teams has an empty name", ErrBadConfig)
		}
		if seen[strings.ToLower(t)] {
			return c, fmt.Errorf("%w: Teams lists %q twice", ErrBadConfig, t)
		}
		seen[strings.ToLower(t)] = true
		teams = append(teams, t)
	}
	c.Teams = teams
	return c, nil
}

// checkTools validates the host's tools.
func checkTools(tools []Tool) error {
	seen := make(map[string]bool, len(tools))
	for i, t := range tools {
		switch {
		case !toolName.MatchString(t.Name):
			return fmt.Errorf("%w: Tools[%d].Name %q must be 1 to 64 letters, digits, _ or -", ErrBadConfig, i, t.Name)
		case t.Name == HandoffTool:
			return fmt.Errorf("%w: Tools[%d].Name %q is the Agent's own hand-off function", ErrBadConfig, i, t.Name)
		case seen[t.Name]:
			return fmt.Errorf("%w: Tools lists %q twice", ErrBadConfig, t.Name)
		case t.Handler == nil:
			return fmt.Errorf("%w: Tools[%d] (%q) has no Handler", ErrBadConfig, i, t.Name)
		case t.Parameters != nil && t.Parameters["type"] != "object":
			return fmt.Errorf("%w: Tools[%d] (%q): Parameters must be a JSON schema of \"type\": \"object\"", ErrBadConfig, i, t.Name)
		}
		seen[t.Name] = true
	}
	return nil
}
