// Command quickstart runs the whole LiveDesk flow on the embedded in-memory
// store, with no Twilio account: it creates a demo WhatsApp channel, serves
// the desk on loopback, posts signed customer messages to it over real HTTP
// and prints what the desk did.
//
//	go run ./examples/quickstart
//
// With -postgres DSN it keeps everything in PostgreSQL instead (in the
// schema livedesk_quickstart, emptied at start):
//
//	go run ./examples/quickstart -postgres postgres://postgres@127.0.0.1:5432/test
//
// With -listen and Twilio credentials in the environment it serves for real
// instead (see serve.go):
//
//	TWILIO_ACCOUNT_SID=AC... TWILIO_AUTH_TOKEN=... TWILIO_WHATSAPP_FROM=+14155238886 \
//	LIVEDESK_PUBLIC_URL=https://abc.ngrok.app/livedesk go run ./examples/quickstart -listen :8080
package main
