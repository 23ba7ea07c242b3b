package livedesktest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"time"
)

// The handlers of the set-up endpoints (see twilioapi_routes.go).

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
