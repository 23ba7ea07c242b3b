package livedesktest

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/twilio"
)

// WhatsAppSender is a WhatsApp sender of an account in the fake API
// (messaging v2 Channels Senders).
type WhatsAppSender struct {
	// SID is XE followed by 32 hex digits.
	SID        string
	AccountSID string
	// Phone is the number, E.164 (+14155550123); the API shows
	// "whatsapp:"+Phone as sender_id.
	Phone string
	// Status is Twilio's status: "ONLINE" (default), "OFFLINE",
	// "CREATING"...
	Status string
	// QualityRating ("HIGH" by default) and MessagingLimit ("TIER_1K" by
	// default) are WhatsApp's.
	QualityRating, MessagingLimit string
	// OfflineReasons are codes with messages, shown for OFFLINE senders.
	OfflineReasons []OfflineReason
	// The sender's webhook, as set in the console or through the API.
	CallbackURL, CallbackMethod, FallbackURL, FallbackMethod, StatusCallbackURL, StatusCallbackMethod string
}

// OfflineReason is one entry of a sender's offline_reasons.
type OfflineReason struct{ Code, Message string }

// MessagingService is a Messaging Service of an account in the fake API
// (messaging v1 Services).
type MessagingService struct {
	// SID is MG followed by 32 hex digits.
	SID, AccountSID, FriendlyName string
	// InboundRequestURL and InboundMethod are the service's inbound webhook.
	InboundRequestURL, InboundMethod string
	// UseInboundWebhookOnNumber defers inbound messages to the senders'
	// own webhooks.
	UseInboundWebhookOnNumber bool
	// Senders are the WhatsApp numbers (E.164) in the service's pool.
	Senders []string
}

// Template is a Content template of an account in the fake API, with its
// WhatsApp approval (content v1 ContentAndApprovals).
type Template struct {
	// SID is HX followed by 32 hex digits; AddTemplate makes one when empty.
	SID, AccountSID, FriendlyName, Language string
	// Body is the twilio/text body.
	Body string
	// Variables are the placeholders' sample values.
	Variables map[string]string
	// Status is the WhatsApp approval status: "approved", "pending",
	// "rejected", "unsubmitted"...; Category and RejectionReason go with it.
	Status, Category, RejectionReason string
}

// TypingIndicator is one typing indicator the fake API accepted.
type TypingIndicator struct {
	AccountSID, Username string
	// Channel and MessageID are the posted channel and messageId.
	Channel, MessageID string
}

func newSID(prefix string) string {
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	return prefix + hex.EncodeToString(raw[:])
}

// Register makes the fake know ch as Twilio would: it accepts its Auth
// Token (and API key), and has its WhatsApp sender (unless it is the
// sandbox, twilio.SandboxNumber) or its Messaging Service, when not
// registered yet.
func (a *TwilioAPI) Register(ch channel.Channel) {
	t := ch.Twilio
	a.SetAuthToken(t.AccountSID, t.AuthToken)
	if t.APIKeySID != "" {
		a.AddAPIKey(t.AccountSID, t.APIKeySID, t.APIKeySecret)
	}
	switch {
	case t.MessagingServiceSID != "":
		if _, ok := a.MessagingService(t.MessagingServiceSID); !ok {
			a.AddMessagingService(t.AccountSID, t.MessagingServiceSID)
		}
	case t.PhoneNumber != "" && t.PhoneNumber != twilio.SandboxNumber:
		if _, ok := a.WhatsAppSender(t.PhoneNumber); !ok {
			a.AddWhatsAppSender(t.AccountSID, t.PhoneNumber)
		}
	}
}

// SetAccountStatus sets an account's status ("active" by default,
// "suspended", "closed"), as FetchAccount reports it.
func (a *TwilioAPI) SetAccountStatus(accountSID, status string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.accountStatus[accountSID] = status
}

// AddWhatsAppSender registers phone (E.164) as an ONLINE WhatsApp sender of
// accountSID, without a webhook, and returns it.
func (a *TwilioAPI) AddWhatsAppSender(accountSID, phone string) WhatsAppSender {
	s := &WhatsAppSender{SID: newSID("XE"), AccountSID: accountSID, Phone: phone, Status: "ONLINE", QualityRating: "HIGH", MessagingLimit: "TIER_1K"}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.senders = append(a.senders, s)
	return *s
}

// SetWhatsAppSender replaces the sender with s.SID (its status, webhook...).
func (a *TwilioAPI) SetWhatsAppSender(s WhatsAppSender) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, old := range a.senders {
		if old.SID == s.SID {
			a.senders[i] = &s
			return
		}
	}
	a.fatalf("livedesktest: no WhatsApp sender %s", s.SID)
}

// WhatsAppSender returns the sender for phone, if any account has it.
func (a *TwilioAPI) WhatsAppSender(phone string) (WhatsAppSender, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, s := range a.senders {
		if s.Phone == phone {
			return *s, true
		}
	}
	return WhatsAppSender{}, false
}

// AddMessagingService registers a Messaging Service with sid (MG…) in
// accountSID, without an inbound URL, with senders (E.164) in its pool.
func (a *TwilioAPI) AddMessagingService(accountSID, sid string, senders ...string) MessagingService {
	s := &MessagingService{SID: sid, AccountSID: accountSID, FriendlyName: "Support", Senders: senders}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.services[sid] = s
	return *s
}

// SetMessagingService replaces the service with s.SID.
func (a *TwilioAPI) SetMessagingService(s MessagingService) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.services[s.SID]; !ok {
		a.fatalf("livedesktest: no Messaging Service %s", s.SID)
	}
	a.services[s.SID] = &s
}

// MessagingService returns the service with sid.
func (a *TwilioAPI) MessagingService(sid string) (MessagingService, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	s, ok := a.services[sid]
	if !ok {
		return MessagingService{}, false
	}
	return *s, true
}

// AddTemplate registers a Content template of t.AccountSID and returns it
// with its SID (made when empty) and defaults (Language "en").
func (a *TwilioAPI) AddTemplate(t Template) Template {
	if t.SID == "" {
		t.SID = newSID("HX")
	}
	if t.Language == "" {
		t.Language = "en"
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.templates = append(a.templates, &t)
	return t
}

// SetTemplateStatus changes a template's WhatsApp approval status.
func (a *TwilioAPI) SetTemplateStatus(sid, status string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, t := range a.templates {
		if t.SID == sid {
			t.Status = status
			return
		}
	}
	a.fatalf("livedesktest: no template %s", sid)
}

// TypingIndicators returns the typing indicators accepted, in order.
func (a *TwilioAPI) TypingIndicators() []TypingIndicator {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]TypingIndicator(nil), a.typing...)
}
