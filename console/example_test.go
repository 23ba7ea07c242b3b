package console_test

import (
	"errors"
	"log"
	"net/http"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/console"
)

// The host mounts the console behind its own sign-in: Authenticate maps a
// request to a user (or refuses it), and each user acts as a desk agent.
func Example() {
	desk, err := livedesk.New(livedesk.Options{PublicURL: "https://support.example.com/livedesk"})
	if err != nil {
		log.Fatal(err)
	}
	c, err := console.New(console.Options{
		Desk:     desk,
		BasePath: "/console",
		Authenticate: func(r *http.Request) (console.User, error) {
			// Your session lookup; here a header set by an auth proxy.
			switch r.Header.Get("X-Auth-User") {
			case "lea":
				return console.User{ID: "lea", Name: "Léa", Role: console.RoleAdmin, AgentID: "lea"}, nil
			case "paul":
				return console.User{ID: "paul", Name: "Paul", Role: console.RoleAgent, AgentID: "paul"}, nil
			}
			return console.User{}, errors.New("not signed in")
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/livedesk/", desk.Handler()) // Twilio's webhooks
	mux.Handle("/console/", c)               // people
	_ = mux
}
