// Command console serves the LiveDesk console on loopback with demo data and
// a fake Twilio API, so you can click through every screen without a Twilio
// account:
//
//	go run ./examples/console
//	open http://127.0.0.1:8080/console/
//
// The home page (http://127.0.0.1:8080/) lets you write to the desk as a
// customer (a signed webhook, as Twilio would send it) and switch between
// the admin and agent users. The fake Twilio API knows the demo's accounts,
// senders and approved templates, and one spare account (shown on the home
// page) to try the "Add WhatsApp channel" form with. Everything lives in memory and is gone when
// the process stops.
package main
