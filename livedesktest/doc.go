// Package livedesktest helps test code that embeds a livedesk Desk, without
// Twilio, a database or the network beyond loopback. It uses only the
// standard testing package.
//
//   - [New] starts a desk on an in-memory store with a fake [Clock], served
//     by an httptest server, and records its events.
//   - [Message] builds the parameters Twilio posts for an inbound WhatsApp
//     message; [NewRequest] signs them with Twilio's real algorithm.
//   - Harness.Post sends a signed webhook over HTTP; Outbound, Messages and
//     the Require helpers read what the desk did.
//   - [TwilioAPI] is a fake Twilio REST API on loopback: the harness desk
//     sends through it, it can be told to fail (429, 5xx, Twilio error
//     codes, no answer), and it builds the signed status callbacks Twilio
//     would post back (Harness.StatusCallback delivers them). It also serves
//     a channel's set-up endpoints (account, WhatsApp senders, Messaging
//     Services, typing indicator, Content templates with approvals) with
//     the paths and JSON twilio-go expects; AddChannel and Register make it
//     know a channel as Twilio would, AddWhatsAppSender,
//     AddMessagingService and AddTemplate describe the rest of an account.
//   - [TwilioMedia] is a fake of Twilio's media URLs and CDN on loopback
//     (Basic auth on the API, none on the CDN), for media downloads
//     (twilio.MediaFetcher with TwilioMedia.Client).
//   - Harness.Start runs the desk's Run; WaitEvents waits for what it does,
//     and the fake Clock moves its time (retries, the 24-hour window).
//
// A test of the greeting, for example:
//
//	h := livedesktest.New(t)
//	ch := h.AddChannel(func(c *channel.Channel) {
//		c.Settings.Greeting = channel.Greeting{Enabled: true, Text: "Hi!"}
//	})
//	resp, body := h.Post(ch, livedesktest.Message{Body: "hello"})
//	livedesktest.RequireStatus(t, resp, body, 200)
//	conv := h.RequireConversations(ch.ID, 1)[0]
//	h.RequireQueued(conv.ID, store.KindGreeting, 1)
package livedesktest
