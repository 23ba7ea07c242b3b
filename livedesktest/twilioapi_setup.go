package livedesktest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"time"

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

func notFound(w http.ResponseWriter, r *apiRequest) {
	writeError(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
}

// fetchAccount serves GET /2010-04-01/Accounts/{Sid}.json.
func (a *TwilioAPI) fetchAccount(w http.ResponseWriter, r *apiRequest) {
	if r.match[1] != r.account {
		notFound(w, r)
		return
	}
	a.mu.Lock()
	status := a.accountStatus[r.account]
	created := a.now().UTC().Format(time.RFC1123Z)
	a.mu.Unlock()
	if status == "" {
		status = "active"
	}
	base := "/2010-04-01/Accounts/" + r.account
	writeJSON(w, http.StatusOK, map[string]any{
		"sid": r.account, "friendly_name": "My first Twilio account", "status": status, "type": "Full",
		"owner_account_sid": r.account, "date_created": created, "date_updated": created,
		"uri": base + ".json", "subresource_uris": map[string]string{"messages": base + "/Messages.json"},
	})
}

func (s *WhatsAppSender) json() map[string]any {
	hook := map[string]any{
		"callback_url": nullable(s.CallbackURL), "callback_method": nullable(s.CallbackMethod),
		"fallback_url": nullable(s.FallbackURL), "fallback_method": nullable(s.FallbackMethod),
		"status_callback_url": nullable(s.StatusCallbackURL), "status_callback_method": nullable(s.StatusCallbackMethod),
	}
	var reasons any
	if len(s.OfflineReasons) > 0 {
		rs := []map[string]any{}
		for _, r := range s.OfflineReasons {
			rs = append(rs, map[string]any{"code": r.Code, "message": r.Message, "more_info": "https://www.twilio.com/docs/errors/" + r.Code})
		}
		reasons = rs
	}
	return map[string]any{
		"sid": s.SID, "status": s.Status, "sender_id": "whatsapp:" + s.Phone,
		"configuration":   map[string]any{"waba_id": "1234567890", "verification_method": "sms"},
		"webhook":         hook,
		"profile":         map[string]any{"name": "Support"},
		"properties":      map[string]any{"quality_rating": nullable(s.QualityRating), "messaging_limit": nullable(s.MessagingLimit)},
		"offline_reasons": reasons,
		"url":             "https://messaging.twilio.com/v2/Channels/Senders/" + s.SID,
	}
}

// listSenders serves GET /v2/Channels/Senders?Channel=whatsapp.
func (a *TwilioAPI) listSenders(w http.ResponseWriter, r *apiRequest) {
	if ch := r.URL.Query().Get("Channel"); ch != "whatsapp" {
		writeError(w, http.StatusBadRequest, 20001, "Invalid Channel: "+ch)
		return
	}
	a.mu.Lock()
	var all []map[string]any
	for _, s := range a.senders {
		if s.AccountSID == r.account {
			all = append(all, s.json())
		}
	}
	a.mu.Unlock()
	items, meta := page(r, all, "senders")
	writeJSON(w, http.StatusOK, map[string]any{"senders": nonNil(items), "meta": meta})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// sender returns the account's sender with sid; the caller holds a.mu.
func (a *TwilioAPI) sender(account, sid string) *WhatsAppSender {
	for _, s := range a.senders {
		if s.SID == sid && s.AccountSID == account {
			return s
		}
	}
	return nil
}

// fetchSender serves GET /v2/Channels/Senders/{Sid}.
func (a *TwilioAPI) fetchSender(w http.ResponseWriter, r *apiRequest) {
	a.mu.Lock()
	s := a.sender(r.account, r.match[1])
	var body map[string]any
	if s != nil {
		body = s.json()
	}
	a.mu.Unlock()
	if s == nil {
		notFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

var httpMethod = regexp.MustCompile(`^(GET|POST)$`)

// updateSender serves POST /v2/Channels/Senders/{Sid} with a JSON body
// (MessagingV2Update); only its webhook is applied, field by field.
func (a *TwilioAPI) updateSender(w http.ResponseWriter, r *apiRequest) {
	var req struct {
		Webhook *struct {
			CallbackURL          *string `json:"callback_url"`
			CallbackMethod       *string `json:"callback_method"`
			FallbackURL          *string `json:"fallback_url"`
			FallbackMethod       *string `json:"fallback_method"`
			StatusCallbackURL    *string `json:"status_callback_url"`
			StatusCallbackMethod *string `json:"status_callback_method"`
		} `json:"webhook"`
	}
	if err := json.Unmarshal(r.body, &req); err != nil {
		writeError(w, http.StatusBadRequest, 20001, "Invalid JSON body")
		return
	}
	if h := req.Webhook; h != nil {
		for _, u := range []*string{h.CallbackURL, h.FallbackURL, h.StatusCallbackURL} {
			if u != nil && *u != "" && !absoluteURL(*u) {
				writeError(w, http.StatusBadRequest, 20001, "Invalid webhook URL: "+*u)
				return
			}
		}
		for _, m := range []*string{h.CallbackMethod, h.FallbackMethod, h.StatusCallbackMethod} {
			if m != nil && !httpMethod.MatchString(*m) {
				writeError(w, http.StatusBadRequest, 20001, "Invalid webhook method: "+*m)
				return
			}
		}
	}
	a.mu.Lock()
	s := a.sender(r.account, r.match[1])
	var body map[string]any
	if s != nil {
		if h := req.Webhook; h != nil {
			set := func(dst *string, v *string) {
				if v != nil {
					*dst = *v
				}
			}
			set(&s.CallbackURL, h.CallbackURL)
			set(&s.CallbackMethod, h.CallbackMethod)
			set(&s.FallbackURL, h.FallbackURL)
			set(&s.FallbackMethod, h.FallbackMethod)
			set(&s.StatusCallbackURL, h.StatusCallbackURL)
			set(&s.StatusCallbackMethod, h.StatusCallbackMethod)
		}
		body = s.json()
	}
	a.mu.Unlock()
	if s == nil {
		notFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *MessagingService) json() map[string]any {
	return map[string]any{
		"sid": s.SID, "account_sid": s.AccountSID, "friendly_name": s.FriendlyName,
		"date_created": "2026-01-05T10:00:00Z", "date_updated": "2026-01-05T10:00:00Z",
		"inbound_request_url": nullable(s.InboundRequestURL), "inbound_method": nullable(s.InboundMethod),
		"fallback_url": nil, "fallback_method": "POST", "status_callback": nil,
		"sticky_sender": true, "use_inbound_webhook_on_number": s.UseInboundWebhookOnNumber,
		"validity_period": 14400,
		"url":             "https://messaging.twilio.com/v1/Services/" + s.SID,
		"links":           map[string]string{"channel_senders": "https://messaging.twilio.com/v1/Services/" + s.SID + "/ChannelSenders"},
	}
}

// service returns the account's service with sid; the caller holds a.mu.
func (a *TwilioAPI) service(account, sid string) *MessagingService {
	if s, ok := a.services[sid]; ok && s.AccountSID == account {
		return s
	}
	return nil
}

// fetchService serves GET /v1/Services/{Sid}.
func (a *TwilioAPI) fetchService(w http.ResponseWriter, r *apiRequest) {
	a.mu.Lock()
	s := a.service(r.account, r.match[1])
	var body map[string]any
	if s != nil {
		body = s.json()
	}
	a.mu.Unlock()
	if s == nil {
		notFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// updateService serves POST /v1/Services/{Sid} (InboundRequestUrl,
// InboundMethod, UseInboundWebhookOnNumber, FriendlyName).
func (a *TwilioAPI) updateService(w http.ResponseWriter, r *apiRequest) {
	f := r.form
	if f.Has("InboundRequestUrl") && f.Get("InboundRequestUrl") != "" && !absoluteURL(f.Get("InboundRequestUrl")) {
		writeError(w, http.StatusBadRequest, 21609, "Invalid InboundRequestUrl: "+f.Get("InboundRequestUrl"))
		return
	}
	if f.Has("InboundMethod") && !httpMethod.MatchString(f.Get("InboundMethod")) {
		writeError(w, http.StatusBadRequest, 20001, "Invalid InboundMethod: "+f.Get("InboundMethod"))
		return
	}
	a.mu.Lock()
	s := a.service(r.account, r.match[1])
	var body map[string]any
	if s != nil {
		if f.Has("InboundRequestUrl") {
			s.InboundRequestURL = f.Get("InboundRequestUrl")
		}
		if f.Has("InboundMethod") {
			s.InboundMethod = f.Get("InboundMethod")
		}
		if f.Has("FriendlyName") {
			s.FriendlyName = f.Get("FriendlyName")
		}
		if f.Has("UseInboundWebhookOnNumber") {
			s.UseInboundWebhookOnNumber = f.Get("UseInboundWebhookOnNumber") == "true"
		}
		body = s.json()
	}
	a.mu.Unlock()
	if s == nil {
		notFound(w, r)
		return
	}
	writeJSON(w, http.StatusOK, body)
}

// listServiceSenders serves GET /v1/Services/{Sid}/ChannelSenders.
func (a *TwilioAPI) listServiceSenders(w http.ResponseWriter, r *apiRequest) {
	a.mu.Lock()
	s := a.service(r.account, r.match[1])
	var all []map[string]any
	if s != nil {
		for _, phone := range s.Senders {
			sid := "XE00000000000000000000000000000000" // a number that is no registered sender
			for _, ws := range a.senders {
				if ws.Phone == phone {
					sid = ws.SID
				}
			}
			all = append(all, map[string]any{
				"account_sid": s.AccountSID, "messaging_service_sid": s.SID, "sid": sid,
				"sender": "whatsapp:" + phone, "sender_type": "WhatsApp", "country_code": "US",
				"date_created": "2026-01-05T10:00:00Z", "date_updated": "2026-01-05T10:00:00Z",
				"url": "https://messaging.twilio.com/v1/Services/" + s.SID + "/ChannelSenders/" + sid,
			})
		}
	}
	a.mu.Unlock()
	if s == nil {
		notFound(w, r)
		return
	}
	items, meta := page(r, all, "senders")
	writeJSON(w, http.StatusOK, map[string]any{"senders": nonNil(items), "meta": meta})
}

var inboundMessageSID = regexp.MustCompile(`^(SM|MM)[0-9a-f]{32}$`)

// createTyping serves POST /v2/Indicators/Typing.json (channel,
// messageId).
func (a *TwilioAPI) createTyping(w http.ResponseWriter, r *apiRequest) {
	ch, id := r.form.Get("channel"), r.form.Get("messageId")
	switch {
	case ch != "whatsapp":
		writeError(w, http.StatusBadRequest, 20001, "Invalid channel: "+ch)
		return
	case !inboundMessageSID.MatchString(id):
		writeError(w, http.StatusBadRequest, 20001, "Invalid messageId: "+id)
		return
	}
	a.mu.Lock()
	a.typing = append(a.typing, TypingIndicator{AccountSID: r.account, Username: r.user, Channel: ch, MessageID: id})
	a.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"success": true})
}

// listTemplates serves GET /v1/ContentAndApprovals. approval_requests
// carries the WhatsApp approval's fields, as in twilio-go's and
// twilio-python's generated fixtures.
func (a *TwilioAPI) listTemplates(w http.ResponseWriter, r *apiRequest) {
	a.mu.Lock()
	var all []map[string]any
	for _, t := range a.templates {
		if t.AccountSID != r.account {
			continue
		}
		vars := map[string]string{}
		for k, v := range t.Variables {
			vars[k] = v
		}
		status := t.Status
		if status == "" {
			status = "unsubmitted"
		}
		all = append(all, map[string]any{
			"date_created": "2026-01-05T10:00:00Z", "date_updated": "2026-01-05T10:00:00Z",
			"sid": t.SID, "account_sid": t.AccountSID, "friendly_name": t.FriendlyName, "language": t.Language,
			"variables": vars, "types": map[string]any{"twilio/text": map[string]string{"body": t.Body}},
			"approval_requests": map[string]any{
				"name": t.FriendlyName, "category": t.Category, "content_type": "twilio/text",
				"status": status, "rejection_reason": t.RejectionReason, "allow_category_change": true,
			},
		})
	}
	a.mu.Unlock()
	items, meta := page(r, all, "contents")
	writeJSON(w, http.StatusOK, map[string]any{"contents": nonNil(items), "meta": meta})
}
