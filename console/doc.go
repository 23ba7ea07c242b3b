// Package console is an embeddable web console for a livedesk.Desk: the
// screens people work in. Admins add WhatsApp channels and get the webhook
// URL back, and set each channel's greeting, CSAT survey, assignment and
// business hours; agents answer customers in a live inbox; managers read the
// CSAT report.
//
// # Mounting
//
// The host creates the console next to its desk and mounts it on its own
// HTTP server, behind its own sign-in:
//
//	desk, _ := livedesk.New(livedesk.Options{PublicURL: pub})
//	c, _ := console.New(console.Options{
//		Desk:     desk,
//		BasePath: "/console",
//		Authenticate: func(r *http.Request) (console.User, error) {
//			u := currentUser(r) // the host's session
//			return console.User{ID: u.ID, Name: u.Name, Role: console.RoleAgent, AgentID: u.ID}, nil
//		},
//	})
//	mux.Handle("/console/", c)
//
// # Safety
//
// Access is denied unless Authenticate returns a user. RoleAdmin opens every
// screen; RoleAgent opens the inbox and the agents list (and may change only
// its own status). A user acts as one desk agent (User.AgentID): the "mine"
// view, replies and assignments are that agent's.
//
// Every state-changing request (POST) must carry the CSRF token the console
// put in its forms; the token is bound to a random cookie (SameSite=Strict,
// HttpOnly) by an HMAC, and a request from another origin is refused. Pages
// are sent with a strict Content-Security-Policy: no inline script or style,
// scripts and styles only from the console's own embedded assets. Channel
// credentials are write-only: forms never render them back.
//
// # Twilio checks
//
// The "Add WhatsApp channel" form goes through Desk.CreateChannel, which (with
// the default Twilio Messenger) checks the credentials and the sender or
// Messaging Service with Twilio: a refusal is shown next to its field
// (Auth Token: "Twilio refused these credentials (20003)"), an unreachable
// Twilio as "could not reach Twilio, try again"; nothing is stored either
// way. Outside the 24-hour window the reply box offers the channel's
// WhatsApp-approved templates (Desk.Templates); Options.Templates is used
// only with a Messenger that cannot list them.
//
// # Live updates
//
// The inbox keeps an EventSource open on the console's /events: the desk's
// durable event feed as Server-Sent Events (livedesk.Desk.EventStream), so
// changes made by any process sharing the store reach every open page, and
// a page that reconnects resumes where it stopped (Last-Event-ID). Each
// event names a conversation; the page fetches that conversation's fresh
// fragments, so new messages, notes, labels, delivery statuses and
// assignments appear without a reload.
//
// # Assets
//
// Templates (html/template), the stylesheet and the small script are embedded
// with go:embed: there is no front-end build step.
package console
