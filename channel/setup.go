package channel

import (
	"context"
	"errors"
	"strings"
)

// The interfaces below are optional capabilities of a Messenger. The desk
// finds them by type assertion: a Messenger that lacks one does not offer
// the feature (no credential check, no webhook set-up...), so custom
// Messengers and test doubles only implement Send. twilio.Messenger
// implements them all.

// Checker verifies a channel with its provider before the desk stores it.
type Checker interface {
	// CheckChannel returns nil when the provider accepts ch: its
	// credentials authenticate against the account and its sender (or
	// Messaging Service) belongs to that account.
	//
	// A refusal is a *ValidationError whose problems name the fields
	// (Twilio.AuthToken, Twilio.PhoneNumber...). When the provider cannot
	// be reached or does not answer usably, the error must not be a
	// *ValidationError and must have a Retryable() bool method returning
	// true: the configuration may well be right.
	CheckChannel(ctx context.Context, ch Channel) error
}

// WebhookConfigurer points the provider's inbound-message webhook of a
// channel (the Messaging Service's, or the WhatsApp sender's) at a URL.
type WebhookConfigurer interface {
	// ConfigureWebhook sets the webhook to req.URL with POST, unless it is
	// already so. A different URL already set is replaced only when
	// req.Overwrite is true; otherwise nothing changes and the error
	// matches ErrWebhookInUse. With req.DryRun nothing changes either way.
	// The WebhookChange reports what was (or would be) done in every case,
	// including with ErrWebhookInUse.
	ConfigureWebhook(ctx context.Context, ch Channel, req WebhookRequest) (WebhookChange, error)
}

// ErrWebhookInUse is matched by ConfigureWebhook's error when the webhook
// already points at a different URL and Overwrite was not set.
var ErrWebhookInUse = errors.New("channel: the webhook already points at a different URL")

// WebhookRequest asks for a channel's inbound webhook to be set.
type WebhookRequest struct {
	// URL is the desk's webhook URL for the channel.
	URL string
	// Overwrite allows replacing a different URL already set.
	Overwrite bool
	// DryRun reports what would change without changing anything.
	DryRun bool
}

// WebhookAction says what ConfigureWebhook did or would do.
type WebhookAction string

// The webhook actions.
const (
	// WebhookUnchanged: the webhook already was URL with POST.
	WebhookUnchanged WebhookAction = "unchanged"
	// WebhookSet: no URL was set; URL is set (or would be).
	WebhookSet WebhookAction = "set"
	// WebhookReplaced: a different URL (or method) was set and is replaced
	// (or would be): Overwrite was given, or only the method differed.
	WebhookReplaced WebhookAction = "replaced"
	// WebhookRefused: a different URL is set and Overwrite was not given.
	WebhookRefused WebhookAction = "refused"
)

// WebhookChange reports one webhook set-up.
type WebhookChange struct {
	// Resource names what holds the webhook: "Messaging Service MG…" or
	// "WhatsApp sender XE… (whatsapp:+14155238886)".
	Resource string
	// OldURL and OldMethod are what was set before (empty: nothing).
	OldURL, OldMethod string
	// NewURL and NewMethod are what is set after, or would be.
	NewURL, NewMethod string
	// Action is what was done, or would be with DryRun.
	Action WebhookAction
	// Applied is true when the provider was actually changed (never with
	// DryRun, WebhookUnchanged or WebhookRefused).
	Applied bool
	// DryRun echoes the request.
	DryRun bool
	// Notes are warnings worth showing an admin (e.g. a Messaging Service
	// that defers inbound messages to its senders' own webhooks).
	Notes []string
}

// String is a one-line summary for logs and admin pages.
func (c WebhookChange) String() string {
	var b strings.Builder
	if c.DryRun {
		b.WriteString("dry run: ")
	}
	b.WriteString(c.Resource)
	b.WriteString(": ")
	switch c.Action {
	case WebhookUnchanged:
		b.WriteString("already " + c.NewMethod + " " + c.NewURL)
	case WebhookSet:
		b.WriteString("set to " + c.NewMethod + " " + c.NewURL)
	case WebhookReplaced:
		b.WriteString(c.OldMethod + " " + c.OldURL + " replaced by " + c.NewMethod + " " + c.NewURL)
	case WebhookRefused:
		b.WriteString("left at " + c.OldMethod + " " + c.OldURL + ": a different URL is set, pass Overwrite to replace it")
	default:
		b.WriteString(string(c.Action))
	}
	return b.String()
}

// SenderReporter reads the status of a channel's WhatsApp senders.
type SenderReporter interface {
	// SenderStatus returns the channel's senders as the provider reports
	// them: the one sender of a classic channel, every WhatsApp sender of
	// a Messaging Service.
	SenderStatus(ctx context.Context, ch Channel) ([]SenderStatus, error)
}

// SenderStatus is a WhatsApp sender as the provider reports it.
type SenderStatus struct {
	// SID is the sender's SID (XE…); empty for Twilio's sandbox.
	SID string
	// Address is the sender, "whatsapp:+14155238886".
	Address string
	// Status is the provider's status, as given: for Twilio "ONLINE",
	// "OFFLINE", "CREATING", "PENDING_VERIFICATION", "VERIFYING",
	// "TWILIO_REVIEW", "DRAFT", "STUBBED"...; "SANDBOX" for the sandbox.
	Status string
	// QualityRating is WhatsApp's quality rating: "HIGH", "MEDIUM",
	// "LOW" or "UNKNOWN" (empty when not reported).
	QualityRating string
	// MessagingLimit is WhatsApp's daily conversation limit tier, as given.
	MessagingLimit string
	// OfflineReasons explain an offline sender ("code: message").
	OfflineReasons []string
	// WebhookURL and WebhookMethod are the sender's own inbound webhook.
	WebhookURL, WebhookMethod string
}

// Online reports whether the sender can send and receive.
func (s SenderStatus) Online() bool {
	return strings.HasPrefix(s.Status, "ONLINE") || s.Status == "SANDBOX"
}

// TypingIndicator shows a customer that an answer is being written, and
// marks their message read.
type TypingIndicator interface {
	// Typing marks the inbound message with provider SID inboundSID read
	// and shows "typing…" to its sender until a reply arrives or a
	// provider-defined time passes (25 s on WhatsApp).
	Typing(ctx context.Context, ch Channel, inboundSID string) error
}

// TemplateLister lists the message templates a channel's account has.
type TemplateLister interface {
	// Templates returns every template of ch's account with its WhatsApp
	// approval.
	Templates(ctx context.Context, ch Channel) ([]Template, error)
}

// Template is a Content template (HX…) with its WhatsApp approval.
type Template struct {
	SID      string
	Name     string
	Language string
	// Types are the content types it has ("twilio/text",
	// "twilio/quick-reply"...), sorted.
	Types []string
	// Variables are its placeholders with their sample values.
	Variables map[string]string
	// WhatsApp is its WhatsApp approval; Status is empty when it was never
	// submitted.
	WhatsApp Approval
}

// Approval is a template's approval by WhatsApp.
type Approval struct {
	// Name and Category ("UTILITY", "MARKETING", "AUTHENTICATION") are what
	// was submitted.
	Name, Category string
	// Status is as the provider gives it: "approved", "pending",
	// "rejected", "paused", "disabled", "unsubmitted"...
	Status string
	// RejectionReason explains a rejection.
	RejectionReason string
}

// Approved reports whether WhatsApp approved the template, so it may be
// sent outside the 24-hour window.
func (t Template) Approved() bool { return strings.EqualFold(t.WhatsApp.Status, "approved") }
