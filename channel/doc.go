// Package channel describes a WhatsApp channel connected through Twilio: its
// credentials, its settings, how they are validated, and the message types
// that flow through it.
//
// # Two modes
//
// A channel is created from Twilio credentials in one of two modes:
//
//   - classic: Account SID + Auth Token + the WhatsApp sender's phone number
//     in E.164 form (+14155238886);
//   - Messaging Service: Account SID + Auth Token + Messaging Service SID
//     (MG + 32 hex digits); Twilio picks the sender from the service's pool.
//
// An optional API key (SK SID + secret) is used for sending instead of the
// Auth Token. The Auth Token is always needed: Twilio signs webhooks with it.
//
// # Secrets
//
// Auth tokens and API key secrets have type [Secret], which encodes as
// "[redacted]" through fmt, log/slog, encoding/json, encoding/xml,
// encoding/gob and every encoder that honours encoding.TextMarshaler, so a
// Channel can be logged, put in an error or served as JSON without leaking
// credentials. Code that needs the value (stores, the signature check,
// REST authentication) reads it with [Secret.Reveal].
//
// # Messages
//
// [Inbound] is a customer's message as Twilio delivered it, parsed into typed
// fields (text, media, location, buttons, reply context, click-to-WhatsApp
// referral) with unknown parameters kept in Extra. [Envelope] is a message to
// send; a [Messenger] sends it.
//
// # Optional capabilities
//
// A Messenger may also implement small interfaces the desk finds by type
// assertion, for a channel's set-up: [Checker] (credentials and sender
// checked before a channel is stored), [WebhookConfigurer] (point the
// provider's inbound webhook at the desk, see [WebhookChange]),
// [SenderReporter] (sender status and quality), [TypingIndicator] (read
// receipt and "typing…") and [TemplateLister] (templates with their
// WhatsApp approval). None is required: a Messenger that only sends simply
// does not offer these features.
package channel
