package csat_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/livedesk/livedesk/csat"
)

// A channel's CSAT setting as stored in JSON, checked, then used to pick the
// survey message.
func ExampleConfig() {
	var cfg csat.Config
	err := json.Unmarshal([]byte(`{
		"enabled": true,
		"list_content_sid": "HX0123456789abcdef0123456789abcdef",
		"comment_request": "Thanks! Anything we could do better?",
		"lifetime": "48h",
		"trigger": "after_reply"
	}`), &cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := cfg.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("survey a conversation nobody answered:", cfg.ShouldSurvey(false))

	in, _ := cfg.Survey("conv_42", true)
	fmt.Println("inside the 24-hour window:", in.ContentSID, in.Variables)
	_, err = cfg.Survey("conv_42", false)
	fmt.Println("outside:", err)
	// Output:
	// survey a conversation nobody answered: false
	// inside the 24-hour window: HX0123456789abcdef0123456789abcdef map[1:conv_42]
	// outside: csat: the customer is outside the WhatsApp 24-hour window and no TemplateContentSID is configured; set an approved template to survey them
}

// Validate reports every problem at once.
func ExampleConfig_Validate() {
	cfg := csat.Config{
		Enabled:        true,
		ListContentSID: "HX123",
		Lifetime:       csat.Duration(30 * time.Second),
		Trigger:        "sometimes",
	}
	fmt.Println(cfg.Validate())
	// Output:
	// csat: invalid config: ListContentSID "HX123" is not a Twilio Content SID: want "HX" followed by 32 hex digits (HX0123456789abcdef0123456789abcdef), as shown in Twilio's Content Template Builder
	// csat: invalid config: Lifetime 30s is out of range: want 1m to 720h (30 days), or 0 for the default 24h
	// csat: invalid config: Trigger "sometimes" is unknown: want "always" or "after_reply" (empty means "always")
}
