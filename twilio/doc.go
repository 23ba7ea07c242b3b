// Package twilio speaks Twilio's side of WhatsApp: it verifies webhook
// signatures, parses webhook forms into typed messages and statuses, and
// (see Messenger) sends messages through Twilio's REST API with twilio-go.
//
// # Signatures
//
// [Verifier] implements Twilio's X-Twilio-Signature algorithm and accepts
// what Twilio's official helper libraries accept (port variants, WHATWG URL
// normalisation, UTF-16 key order, repeated pairs once; see Verifier). It is
// verified against Twilio's published test vectors, twilio-go's
// client.RequestValidator and the SDKs' documented behaviour in the tests.
// Verify the URL Twilio was configured
// with (the desk uses the webhook URL it gave you, plus the request's query
// string), never one rebuilt from the request's Host header: behind a proxy
// that terminates TLS the rebuilt URL would say http:// and every signature
// would fail.
//
// # Forms
//
// [ParseForm] decodes a form body into a sorted [Form], the order Twilio signs
// parameters in, keeping repeated keys. [ParseInbound] maps an inbound message
// webhook to channel.Inbound, keeping unknown parameters in Extra;
// [ParseStatus] does the same for status callbacks. Both apply package
// channel's text rule so that every store can keep what they return: a NUL
// byte or invalid UTF-8 becomes U+FFFD, and an identifier or address Twilio
// never sends (over-long, control characters) is a [ParamError] wrapping
// [ErrInvalidParam], which the desk answers with 400.
//
// # Sending
//
// [Messenger] sends through twilio-go's CreateMessage: from the channel's
// number (classic) or its Messaging Service, with the Auth Token or the
// channel's API key, honouring ctx. Failures are [SendError]s that say
// whether a retry is safe ([SendError.Retryable]: 429, 5xx, connection
// failures before the request went out) and whether Twilio may have the
// message anyway ([SendError.Ambiguous]: sent but no answer).
//
// # Media
//
// [MediaFetcher] downloads an inbound message's media (MediaUrl0) with the
// channel's Account SID and Auth Token, only from Twilio's own hosts (the
// API under the channel's account, then the CDN it redirects to), never
// sending the credentials past that redirect, and capped in size. The desk
// uses it to give AI agents the images customers send.
//
// # Set-up
//
// The Messenger also implements the channel package's optional
// capabilities with twilio-go: [Messenger.CheckChannel] (Accounts API,
// messaging v2 Channels Senders, messaging v1 Services),
// [Messenger.ConfigureWebhook] (the Messaging Service's inbound request URL
// or the WhatsApp sender's webhook), [Messenger.SenderStatus],
// [Messenger.Typing] (messaging v2 typing indicator) and
// [Messenger.Templates] (content v1 ContentAndApprovals). Their failures
// are [CallError]s; those that say nothing about the channel (no answer,
// 429, 5xx) are retryable and match [ErrUnreachable]. [SandboxNumber] is
// Twilio's shared sandbox, which belongs to no account.
package twilio
