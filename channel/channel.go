package channel

import (
	"log/slog"
	"time"

	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/hours"
)

// Channel is one WhatsApp sender (or Messaging Service) connected through
// Twilio, with the desk settings that apply to its conversations.
type Channel struct {
	// ID identifies the channel in the webhook URL. The desk assigns a UUID
	// when it is empty; a caller-chosen ID must match [ValidID].
	ID string `json:"id"`
	// Name is shown to agents ("Support FR"). Required.
	Name string `json:"name"`
	// Twilio holds the credentials and the sender.
	Twilio Twilio `json:"twilio"`
	// Settings are the desk behaviours of the channel; all off by default.
	Settings Settings `json:"settings"`
	// Version is the stored version of the channel's name, credentials and
	// settings, set by the store: 1 when created, incremented by every
	// update. UpdateChannel refuses a channel whose Version is not the
	// stored one (read, change, update; on a conflict read again).
	Version int64 `json:"version"`
	// CreatedAt and UpdatedAt are set by the desk.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Mode says how a channel sends: from one phone number or through a Twilio
// Messaging Service.
type Mode string

// The two channel modes.
const (
	ModeClassic          Mode = "classic"
	ModeMessagingService Mode = "messaging_service"
)

// Twilio holds a channel's Twilio credentials. Exactly one of PhoneNumber
// (classic mode) and MessagingServiceSID (Messaging Service mode) is set.
type Twilio struct {
	// AccountSID is the account (or subaccount) that owns the sender:
	// AC followed by 32 hex digits.
	AccountSID string `json:"account_sid"`
	// AuthToken is the account's Auth Token. Twilio signs every webhook with
	// it, so it is required even when an API key is used for sending.
	AuthToken Secret `json:"auth_token"`
	// SecondaryAuthToken is accepted for webhook signatures too, so the
	// primary token can be rotated in the Twilio console without downtime.
	SecondaryAuthToken Secret `json:"secondary_auth_token,omitempty"`
	// PhoneNumber is the WhatsApp sender in E.164 form (+14155238886), for
	// classic mode.
	PhoneNumber string `json:"phone_number,omitempty"`
	// MessagingServiceSID is MG followed by 32 hex digits, for Messaging
	// Service mode.
	MessagingServiceSID string `json:"messaging_service_sid,omitempty"`
	// APIKeySID (SK followed by 32 hex digits) and APIKeySecret, when set,
	// authenticate sending instead of the Auth Token.
	APIKeySID    string `json:"api_key_sid,omitempty"`
	APIKeySecret Secret `json:"api_key_secret,omitempty"`
}

// Mode reports the channel's mode: Messaging Service when
// MessagingServiceSID is set, classic otherwise.
func (t Twilio) Mode() Mode {
	if t.MessagingServiceSID != "" {
		return ModeMessagingService
	}
	return ModeClassic
}

// AuthTokens returns the tokens accepted for webhook signatures, primary
// first.
func (t Twilio) AuthTokens() []Secret {
	if t.SecondaryAuthToken == "" {
		return []Secret{t.AuthToken}
	}
	return []Secret{t.AuthToken, t.SecondaryAuthToken}
}

// LogValue implements slog.LogValuer: the account, mode and sender, never a
// credential.
func (t Twilio) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("account_sid", t.AccountSID),
		slog.String("mode", string(t.Mode())),
		slog.String("phone_number", t.PhoneNumber),
		slog.String("messaging_service_sid", t.MessagingServiceSID),
	)
}

// LogValue implements slog.LogValuer: the channel's identity, never its
// credentials.
func (c Channel) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", c.ID),
		slog.String("name", c.Name),
		slog.Any("twilio", c.Twilio),
	)
}

// Settings are a channel's desk behaviours. The zero value turns everything
// off.
type Settings struct {
	// Greeting is sent automatically when a customer starts a conversation.
	Greeting Greeting `json:"greeting"`
	// BusinessHours, when enabled, sends its out-of-office message to
	// customers who write while the team is closed: once per conversation
	// per closed period, after the greeting, and not when an agent replied
	// in the last 5 minutes (a live chat is not interrupted at closing
	// time). The text may contain {{next_open}} (see package hours).
	BusinessHours hours.BusinessHours `json:"business_hours"`
	// CSAT sends a satisfaction survey when a conversation is resolved.
	CSAT csat.Config `json:"csat"`
	// Assignment decides who owns new conversations: routing rules, then an
	// AI agent, then human agents.
	Assignment Assignment `json:"assignment"`
}

// Greeting is the message sent when a customer opens a new conversation.
type Greeting struct {
	Enabled bool   `json:"enabled"`
	Text    string `json:"text,omitempty"`
}
