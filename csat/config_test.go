package csat

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const (
	listSID     = "HX0123456789abcdef0123456789abcdef"
	templateSID = "HXFEDCBA9876543210FEDCBA9876543210"
)

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		rule string
		cfg  Config
		want []string // substrings, one per expected problem; nil = valid
	}{
		{"zero value is valid (disabled, defaults)", Config{}, nil},
		{"enabled with defaults", Config{Enabled: true}, nil},
		{"everything set", Config{Enabled: true, SurveyText: "Rate us 1-5", ListContentSID: listSID,
			TemplateContentSID: templateSID, ThankYouText: "Thanks!", CommentRequest: "Anything to add?",
			Lifetime: Duration(48 * time.Hour), Trigger: TriggerAfterReply}, nil},
		{"lifetime lower bound", Config{Lifetime: Duration(time.Minute)}, nil},
		{"lifetime upper bound", Config{Lifetime: Duration(30 * 24 * time.Hour)}, nil},
		{"trigger always", Config{Trigger: TriggerAlways}, nil},
		{"SID too short", Config{ListContentSID: "HX123"},
			[]string{`ListContentSID "HX123" is not a Twilio Content SID: want "HX" followed by 32 hex digits`}},
		{"SID with a message prefix", Config{TemplateContentSID: "SM0123456789abcdef0123456789abcdef"},
			[]string{`TemplateContentSID "SM0123456789abcdef0123456789abcdef"`}},
		{"SID with non-hex", Config{ListContentSID: "HX0123456789abcdef0123456789abcdeg"}, []string{"ListContentSID"}},
		{"SID lower-case prefix", Config{ListContentSID: "hx0123456789abcdef0123456789abcdef"}, []string{"ListContentSID"}},
		{"lifetime too short", Config{Lifetime: Duration(30 * time.Second)},
			[]string{"Lifetime 30s is out of range: want 1m to 720h (30 days), or 0 for the default 24h"}},
		{"lifetime too long", Config{Lifetime: Duration(31 * 24 * time.Hour)}, []string{"Lifetime 744h0m0s is out of range"}},
		{"negative lifetime", Config{Lifetime: Duration(-time.Hour)}, []string{"Lifetime -1h0m0s"}},
		{"unknown trigger", Config{Trigger: "on_resolve"},
			[]string{`Trigger "on_resolve" is unknown: want "always" or "after_reply"`}},
		{"trigger is case-sensitive", Config{Trigger: "Always"}, []string{`Trigger "Always"`}},
		{"blank survey text", Config{SurveyText: "  \n"}, []string{"SurveyText is blank"}},
		{"thank-you text too long", Config{ThankYouText: strings.Repeat("é", 1601)},
			[]string{"ThankYouText is 1601 characters long"}},
		{"comment request invalid UTF-8", Config{CommentRequest: "\xff"}, []string{"CommentRequest is not valid UTF-8"}},
		{"disabled config is still checked", Config{Enabled: false, Trigger: "x"}, []string{`Trigger "x"`}},
		{"all problems at once", Config{Enabled: true, ListContentSID: "HX1", TemplateContentSID: "nope",
			Lifetime: Duration(time.Second), Trigger: "sometimes", SurveyText: " "},
			[]string{"SurveyText", "ListContentSID", "TemplateContentSID", "Lifetime", "Trigger"}},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			err := tc.cfg.Validate()
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			require.ErrorIs(t, err, ErrInvalidConfig)
			lines := strings.Split(err.Error(), "\n")
			require.Len(t, lines, len(tc.want), "one line per problem: %v", err)
			for i, w := range tc.want {
				require.True(t, strings.HasPrefix(lines[i], "csat: invalid config: "), lines[i])
				require.Contains(t, lines[i], w)
			}
		})
	}
}

func TestConfigWithDefaults(t *testing.T) {
	got := Config{Enabled: true}.WithDefaults()
	require.Equal(t, Config{Enabled: true, SurveyText: DefaultSurveyText, ThankYouText: DefaultThankYouText,
		Lifetime: Duration(24 * time.Hour), Trigger: TriggerAlways}, got)
	require.Contains(t, DefaultSurveyText, "1 (very bad)")
	require.Contains(t, DefaultSurveyText, "5 (excellent)")

	set := Config{SurveyText: "a", ThankYouText: "b", CommentRequest: "c", Lifetime: Duration(time.Hour),
		Trigger: TriggerAfterReply, ListContentSID: listSID}
	require.Equal(t, set, set.WithDefaults(), "set fields are kept")
	require.Empty(t, Config{}.WithDefaults().CommentRequest, "no comment request by default")
	require.NoError(t, Config{Enabled: true}.WithDefaults().Validate(), "defaults are valid")
}

func TestConfigJSON(t *testing.T) {
	cfg := Config{Enabled: true, SurveyText: "Rate us", ListContentSID: listSID, TemplateContentSID: templateSID,
		ThankYouText: "Merci !", CommentRequest: "Why?", Lifetime: Duration(36 * time.Hour), Trigger: TriggerAfterReply}
	b, err := json.Marshal(cfg)
	require.NoError(t, err)
	require.JSONEq(t, `{"enabled":true,"survey_text":"Rate us","list_content_sid":"`+listSID+`",
		"template_content_sid":"`+templateSID+`","thank_you_text":"Merci !","comment_request":"Why?",
		"lifetime":"36h0m0s","trigger":"after_reply"}`, string(b))
	var back Config
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, cfg, back)

	b, err = json.Marshal(Config{})
	require.NoError(t, err)
	require.JSONEq(t, `{"enabled":false}`, string(b), "defaults are omitted")

	var hand Config
	require.NoError(t, json.Unmarshal([]byte(`{"enabled":true,"lifetime":"90m","trigger":"always","lifetime_extra":1}`), &hand))
	require.Equal(t, Config{Enabled: true, Lifetime: Duration(90 * time.Minute), Trigger: TriggerAlways}, hand)
	require.NoError(t, json.Unmarshal([]byte(`{"lifetime":null}`), &hand))
	require.Equal(t, Duration(90*time.Minute), hand.Lifetime, "null keeps the value")
}

func TestDurationJSONErrors(t *testing.T) {
	var c Config
	err := json.Unmarshal([]byte(`{"lifetime":86400}`), &c)
	require.ErrorContains(t, err, `csat: lifetime 86400 is not a string: write it as a Go duration string like "24h"`)
	err = json.Unmarshal([]byte(`{"lifetime":"one day"}`), &c)
	require.ErrorContains(t, err, `csat: lifetime "one day" is not a duration`)
	require.Error(t, errors.Unwrap(err), "time.ParseDuration's error is wrapped")
}

func TestConfigShouldSurvey(t *testing.T) {
	cases := []struct {
		rule    string
		cfg     Config
		replied bool
		want    bool
	}{
		{"disabled never surveys", Config{}, true, false},
		{"default trigger surveys without reply", Config{Enabled: true}, false, true},
		{"always surveys without reply", Config{Enabled: true, Trigger: TriggerAlways}, false, true},
		{"after_reply skips unanswered conversations", Config{Enabled: true, Trigger: TriggerAfterReply}, false, false},
		{"after_reply surveys answered conversations", Config{Enabled: true, Trigger: TriggerAfterReply}, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			require.Equal(t, tc.want, tc.cfg.ShouldSurvey(tc.replied))
		})
	}
}

func TestConfigExpiresAt(t *testing.T) {
	sent := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	require.Equal(t, sent.Add(24*time.Hour), Config{}.ExpiresAt(sent), "default lifetime")
	require.Equal(t, sent.Add(2*time.Hour), Config{Lifetime: Duration(2 * time.Hour)}.ExpiresAt(sent))
}

func TestConfigSurvey(t *testing.T) {
	vars := map[string]string{"1": "s1"}
	cases := []struct {
		rule     string
		cfg      Config
		inWindow bool
		want     Survey
		err      error
	}{
		{"text in window", Config{Enabled: true}, true, Survey{Text: DefaultSurveyText}, nil},
		{"custom text in window", Config{SurveyText: "Note 1-5 ?"}, true, Survey{Text: "Note 1-5 ?"}, nil},
		{"list in window", Config{ListContentSID: listSID, TemplateContentSID: templateSID}, true,
			Survey{ContentSID: listSID, Variables: vars}, nil},
		{"template in window when no list", Config{TemplateContentSID: templateSID}, true,
			Survey{ContentSID: templateSID, Variables: vars}, nil},
		{"template outside window", Config{ListContentSID: listSID, TemplateContentSID: templateSID}, false,
			Survey{ContentSID: templateSID, Variables: vars}, nil},
		{"nothing sendable outside window", Config{ListContentSID: listSID}, false, Survey{}, ErrNoTemplate},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			got, err := tc.cfg.Survey("s1", tc.inWindow)
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, tc.want, got)
		})
	}
}
