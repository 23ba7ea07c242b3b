// Package livedesk is an embeddable customer-support desk on WhatsApp
// through Twilio.
//
// Create a [Desk], create a channel from Twilio credentials (checked with
// Twilio), point Twilio at the webhook URL it gives ([Desk.ConfigureWebhook],
// or paste it into the Twilio console), mount [Desk.Handler] in your HTTP
// server and run [Desk.Run]:
//
//	desk, err := livedesk.New(livedesk.Options{PublicURL: "https://support.example.com/livedesk"})
//	ch, err := desk.CreateChannel(ctx, channel.Channel{Name: "Support", Twilio: channel.Twilio{
//		AccountSID: "AC...", AuthToken: "...", PhoneNumber: "+14155550123",
//	}})
//	change, err := desk.ConfigureWebhook(ctx, ch.ID, livedesk.WebhookOptions{})
//	mux.Handle("/livedesk/", desk.Handler())
//	mux.Handle("/healthz/livedesk", desk.HealthHandler())
//	go desk.Run(ctx)
//
// # Channel set-up
//
// Like a "Confirm" button, [Desk.CreateChannel] (and [Desk.UpdateChannel]
// when the Twilio settings change) asks Twilio whether the credentials
// authenticate and the sender or Messaging Service belongs to the account:
// a refusal is a *channel.ValidationError naming the field and nothing is
// stored; an unreachable Twilio is [ErrTwilioUnreachable], retryable.
// [Desk.ConfigureWebhook] sets Twilio's inbound webhook (never over a
// different URL unless told, with a dry run), [Desk.SenderStatus] reads the
// sender's status and quality, [Desk.Typing] shows "typing…" and marks the
// customer's last message read, and [Desk.Templates] lists the account's
// templates with their WhatsApp approval; [Desk.Send] refuses an unapproved
// TemplateSID before queueing ([ErrTemplateNotApproved]).
// Each relies on an optional capability of the Messenger (see package channel); the default
// Twilio Messenger has them all. Options.SkipTwilioChecks turns the checks
// off for offline set-ups.
// [Desk.EnsureChannel] is get-or-create for hosts that configure channels
// with fixed IDs from code at start-up.
//
// # Inbound messages
//
// Every webhook is signature-checked against the configured PublicURL before
// anything else happens; a bad signature gets 403 and changes nothing. Signed
// values Twilio never sends (an over-long MessageSid or From) get 400; NUL
// bytes and invalid UTF-8 are stored as U+FFFD; the answer is the same on
// every store. A message is answered 200 only once it is stored, and a MessageSid Twilio
// delivers twice is stored once. The desk then acts on it (greeting...) and
// marks it processed; a message stored but not processed because the process
// stopped is picked up by Run's sweep. Every automatic message carries an
// idempotency key, so nothing is queued twice.
//
// # Events
//
// Options.OnEvent receives an [Event] after each change is stored, on the
// goroutine that made it. What an unauthenticated request can make the desk
// write is bounded: a rejected webhook's event names no channel but a known
// one, its reason is clipped, and its log lines are rate-limited with a
// periodic count of those left out. Events are also kept in the store's durable,
// ordered feed: read them from any replica with [Desk.Events],
// [Desk.WaitEvents] and [Desk.Subscribe] (resuming from a [Position]),
// stream them to browsers with [Desk.EventStream] (Server-Sent Events), or
// have Run POST chosen types to the host's endpoints (Options.Webhooks,
// signed; receivers check with [VerifyWebhook]).
//
// # Inbox data
//
// [Desk.QueryConversations] and [Desk.QueryMessages] page through
// conversations (filters on channel, status, owner, team, queue, phone,
// label, text, update time) and a conversation's timeline with opaque
// keyset cursors. [Desk.AddNote] writes an internal note that is never
// sent; [Desk.AddLabel] and [Desk.RemoveLabel] tag conversations.
// [Desk.MediaHandler] streams customers' media from Twilio's media hosts
// with the channel's credentials, behind the host's own authentication.
//
// # Console
//
// Package console is the web console people work in (channels, settings,
// inbox, agents, CSAT report), an http.Handler the host mounts behind its
// own sign-in; examples/console serves it with demo data.
//
// # Operability
//
// A nil Options.Logger is slog.Default(); lines carry the request's or
// Run's context, and failed sends name the channel, conversation, message,
// Twilio code and its more_info page ([MoreInfoURL]). A failed signature's
// log line says whether PublicURL differs from the URL Twilio signed or the
// Auth Token is wrong. [Desk.Health] and [Desk.HealthHandler] report the
// backlog and Run's heartbeat from the store; the desk warns when work
// waits and no Run makes progress. Options.Telemetry takes spans and
// metrics (package ldotel: OpenTelemetry); nil costs nothing.
//
// # Time
//
// The desk reads time from Options.Clock only; livedesktest provides a fake
// clock for tests.
package livedesk
