package csat_test

import (
	"fmt"

	"github.com/livedesk/livedesk/csat"
)

// Replies a customer may send after the survey, and how they are read.
func ExampleParseRating() {
	for _, reply := range []string{
		"5", "4/5, thanks!", "★★★★☆", "5 étoiles", "😍", "muy bueno", "péssimo",
		"nota 5", "5 👍", "uno",
		"5 minutes late", "not good", "10/10", "Hi 😊", "Merci bien", "5?",
	} {
		r, ok := csat.ParseRating(reply, "")
		if !ok {
			fmt.Printf("%-16q not a rating\n", reply)
			continue
		}
		fmt.Printf("%-16q %d (%s)\n", reply, r.Value, r.Method)
	}
	// Output:
	// "5"              5 (digit)
	// "4/5, thanks!"   4 (fraction)
	// "★★★★☆"          4 (stars)
	// "5 étoiles"      5 (stars)
	// "😍"              5 (emoji)
	// "muy bueno"      5 (word)
	// "péssimo"        1 (word)
	// "nota 5"         5 (digit)
	// "5 👍"            5 (digit)
	// "uno"            1 (word)
	// "5 minutes late" not a rating
	// "not good"       not a rating
	// "10/10"          not a rating
	// "Hi 😊"           not a rating
	// "Merci bien"     not a rating
	// "5?"             not a rating
}

// A tap on a survey list item or button carries its id in ButtonPayload: the
// payload decides, and ParsePayload tells which survey it answers.
func ExampleParseRating_payload() {
	payload := csat.Payload("conv_42", 4) // the id given to the "4 – Good" item
	r, ok := csat.ParseRating("4 – Good", payload)
	survey, _, _ := csat.ParsePayload(payload)
	fmt.Println(payload, r.Value, r.Method, ok, survey)

	// A tap on some other button is not a rating, whatever its title says.
	_, ok = csat.ParseRating("5", "menu:talk_to_agent")
	fmt.Println(ok)
	// Output:
	// csat:conv_42:4 4 payload true conv_42
	// false
}

// Content templates take the survey id as variable {{1}}: build their item or
// button ids with Payload("{{1}}", n).
func ExamplePayload() {
	for n := 5; n >= 1; n-- {
		fmt.Println(csat.Payload("{{1}}", n))
	}
	// Output:
	// csat:{{1}}:5
	// csat:{{1}}:4
	// csat:{{1}}:3
	// csat:{{1}}:2
	// csat:{{1}}:1
}
