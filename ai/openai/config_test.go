package openai_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/ai/openai"
)

func TestNewAgentConfig(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name    string
		cfg     openai.Config
		wantErr string // empty: valid
	}{
		{name: "an API key is enough", cfg: openai.Config{APIKey: testKey}},
		{name: "no API key", cfg: openai.Config{}, wantErr: "APIKey is empty: set Config.APIKey to an OpenAI API key (usually the OPENAI_API_KEY environment variable)"},
		{name: "a blank API key", cfg: openai.Config{APIKey: "  "}, wantErr: "OPENAI_API_KEY"},
		{name: "temperature 0", cfg: openai.Config{APIKey: testKey, Temperature: f(0)}},
		{name: "temperature 2", cfg: openai.Config{APIKey: testKey, Temperature: f(2)}},
		{name: "temperature below 0", cfg: openai.Config{APIKey: testKey, Temperature: f(-0.1)}, wantErr: "Temperature -0.1 is out of range: use 0 to 2"},
		{name: "temperature above 2", cfg: openai.Config{APIKey: testKey, Temperature: f(2.5)}, wantErr: "Temperature 2.5 is out of range"},
		{name: "temperature NaN", cfg: openai.Config{APIKey: testKey, Temperature: f(math.NaN())}, wantErr: "out of range"},
		{name: "MaxHistory negative", cfg: openai.Config{APIKey: testKey, MaxHistory: -1}, wantErr: "MaxHistory -1 is negative"},
		{name: "MaxHistory 1", cfg: openai.Config{APIKey: testKey, MaxHistory: 1}},
		{name: "RequestTimeout negative", cfg: openai.Config{APIKey: testKey, RequestTimeout: -time.Second}, wantErr: "RequestTimeout -1s is negative"},
		{name: "BaseURL not absolute", cfg: openai.Config{APIKey: testKey, BaseURL: "api.openai.com/v1"}, wantErr: "BaseURL is not an absolute http(s) URL"},
		{name: "BaseURL not http", cfg: openai.Config{APIKey: testKey, BaseURL: "ftp://example.com/v1"}, wantErr: "BaseURL is not an absolute http(s) URL"},
		{name: "BaseURL for Azure", cfg: openai.Config{APIKey: testKey, BaseURL: "https://my-resource.openai.azure.com/openai/v1"}},
		{name: "a blank team", cfg: openai.Config{APIKey: testKey, Teams: []string{"billing", " "}}, wantErr: "Teams has an empty name"},
		{name: "a team twice", cfg: openai.Config{APIKey: testKey, Teams: []string{"billing", "Billing"}}, wantErr: `Teams lists "Billing" twice`},
		{name: "MaxOutputTokens negative", cfg: openai.Config{APIKey: testKey, MaxOutputTokens: -1}, wantErr: "MaxOutputTokens -1 is negative"},
		{name: "MaxToolRounds negative", cfg: openai.Config{APIKey: testKey, MaxToolRounds: -1}, wantErr: "MaxToolRounds -1 is negative"},
		{name: "ToolTimeout negative", cfg: openai.Config{APIKey: testKey, ToolTimeout: -time.Second}, wantErr: "ToolTimeout -1s is negative"},
		{name: "MaxImageBytes negative", cfg: openai.Config{APIKey: testKey, MaxImageBytes: -1}, wantErr: "MaxImageBytes -1 is negative"},
		{name: "a tool", cfg: openai.Config{APIKey: testKey, Tools: []openai.Tool{tool("lookup_order")}}},
		{name: "a tool without parameters", cfg: openai.Config{APIKey: testKey, Tools: []openai.Tool{{Name: "opening_hours", Handler: tool("x").Handler}}}},
		{name: "a tool without a name", cfg: openai.Config{APIKey: testKey, Tools: []openai.Tool{tool("")}}, wantErr: `Tools[0].Name "" must be 1 to 64 letters, digits, _ or -`},
		{name: "a tool name with a space", cfg: openai.Config{APIKey: testKey, Tools: []openai.Tool{tool("lookup order")}}, wantErr: `Tools[0].Name "lookup order"`},
		{name: "a tool named handoff_to_human", cfg: openai.Config{APIKey: testKey, Tools: []openai.Tool{tool("handoff_to_human")}}, wantErr: "the Agent's own hand-off function"},
		{name: "a tool twice", cfg: openai.Config{APIKey: testKey, Tools: []openai.Tool{tool("a"), tool("a")}}, wantErr: `Tools lists "a" twice`},
		{name: "a tool without a handler", cfg: openai.Config{APIKey: testKey, Tools: []openai.Tool{{Name: "a"}}}, wantErr: `Tools[0] ("a") has no Handler`},
		{name: "a tool whose parameters are not an object", cfg: openai.Config{APIKey: testKey, Tools: []openai.Tool{{Name: "a", Handler: tool("a").Handler,
			Parameters: map[string]any{"type": "string"}}}}, wantErr: `Parameters must be a JSON schema of "type": "object"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := openai.NewAgent(tt.cfg)
			if tt.wantErr == "" {
				require.NoError(t, err)
				require.NotNil(t, a)
				return
			}
			require.ErrorIs(t, err, openai.ErrBadConfig)
			require.ErrorContains(t, err, tt.wantErr)
			require.Nil(t, a)
		})
	}
}

// tool is a valid tool named name.
func tool(name string) openai.Tool {
	t := lookupOrder(nil)
	t.Name = name
	return t
}

// A bad BaseURL may carry credentials: the error does not quote it.
func TestNewAgentBaseURLErrorHidesURL(t *testing.T) {
	_, err := openai.NewAgent(openai.Config{APIKey: testKey, BaseURL: "gopher://user:hunter2@example.com"})
	require.ErrorIs(t, err, openai.ErrBadConfig)
	require.NotContains(t, err.Error(), "hunter2")
}
