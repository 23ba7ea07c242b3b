package channel_test

import (
	"errors"
	"fmt"

	"github.com/livedesk/livedesk/channel"
)

// Validate reports every problem at once, each naming its field, ready to
// show next to the form field an admin typed it in.
func ExampleChannel_Validate() {
	ch := channel.Channel{
		Name: " ",
		Twilio: channel.Twilio{
			AccountSID:  "AC123",
			AuthToken:   "secret",
			PhoneNumber: "0612345678",
		},
		Settings: channel.Settings{Greeting: channel.Greeting{Enabled: true}},
	}
	err := ch.Validate()
	fmt.Println(errors.Is(err, channel.ErrInvalid))
	var invalid *channel.ValidationError
	if errors.As(err, &invalid) {
		for _, p := range invalid.Problems {
			fmt.Printf("%s: %s\n", p.Field, p.Message)
		}
	}
	// Output:
	// true
	// Name: is required (e.g. "Support FR")
	// Twilio.AccountSID: "AC123" is not AC followed by 32 hex digits (AC0123456789abcdef0123456789abcdef, Twilio console > Account info)
	// Twilio.PhoneNumber: "0612345678" is not E.164 (+14155238886)
	// Settings.Greeting.Text: is required when the greeting is enabled
}
