package openai

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/openai/openai-go/v3/option"
)

// Defaults applied by NewAgent to zero Config fields.
const (
	DefaultModel          = "gpt-4o-mini"
	DefaultMaxHistory     = 30
	DefaultRequestTimeout = 20 * time.Second
	DefaultMaxRetries     = 2
)

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
	// RequestTimeout bounds one Respond call, retries and their waits
	// included, so a slow API ends in an error (a hand-off) before the
	// desk's own AITimeout. Zero: 20 seconds.
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
