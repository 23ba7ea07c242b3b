package livedesktest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/twilio"
)

// Message describes an inbound WhatsApp message as a customer would send
// it. Zero fields get realistic defaults when turned into a Twilio form.
type Message struct {
	// SID is the MessageSid; empty: a new unique SM… SID.
	SID string
	// From is the customer's E.164 number; empty: +14155550100.
	From string
	// To is the channel number written to (E.164); empty: the channel's
	// PhoneNumber, or +14155238886 for a Messaging Service channel.
	To          string
	ProfileName string
	Body        string
	// Type is Twilio's MessageType; empty: "text", or "image" with media.
	Type          channel.MessageType
	ButtonText    string
	ButtonPayload string
	Media         []channel.Media
	// AccountSID overrides the channel's account (to forge a request).
	AccountSID string
	// Extra parameters are added as they are.
	Extra map[string]string
}

// WithAccount returns m posted as if from another Twilio account.
func (m Message) WithAccount(accountSID string) Message {
	m.AccountSID = accountSID
	return m
}

var sidCounter atomic.Uint64

// NewSID returns a unique, well-formed message SID (SM + 32 hex digits).
func NewSID() string { return fmt.Sprintf("SM%032x", sidCounter.Add(1)) }

// Form returns the parameters Twilio would post for m on channel ch.
func (m Message) Form(ch channel.Channel) url.Values {
	from := or(m.From, "+14155550100")
	to := m.To
	if to == "" {
		to = or(ch.Twilio.PhoneNumber, "+14155238886")
	}
	sid := m.SID
	if sid == "" {
		sid = NewSID()
	}
	typ := m.Type
	if typ == "" {
		typ = channel.TypeText
		if len(m.Media) > 0 {
			typ = channel.TypeImage
		}
	}
	v := url.Values{
		"MessageSid": {sid}, "SmsMessageSid": {sid}, "SmsSid": {sid},
		"AccountSid": {or(m.AccountSID, ch.Twilio.AccountSID)},
		"From":       {"whatsapp:" + from}, "To": {"whatsapp:" + to},
		"Body": {m.Body}, "NumMedia": {strconv.Itoa(len(m.Media))}, "NumSegments": {"1"},
		"ProfileName": {m.ProfileName}, "WaId": {strings.TrimPrefix(from, "+")},
		"MessageType": {string(typ)}, "SmsStatus": {"received"}, "ApiVersion": {"2010-04-01"},
		"ReferralNumMedia": {"0"},
	}
	if ch.Twilio.MessagingServiceSID != "" {
		v.Set("MessagingServiceSid", ch.Twilio.MessagingServiceSID)
	}
	if m.ButtonText != "" || m.ButtonPayload != "" {
		v.Set("ButtonText", m.ButtonText)
		v.Set("ButtonPayload", m.ButtonPayload)
	}
	for i, md := range m.Media {
		v.Set("MediaUrl"+strconv.Itoa(i), md.URL)
		v.Set("MediaContentType"+strconv.Itoa(i), md.ContentType)
	}
	for k, x := range m.Extra {
		v.Set(k, x)
	}
	return v
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Sign returns the X-Twilio-Signature Twilio would send for a POST of form
// to signedURL, using Twilio's real algorithm with token.
func Sign(token channel.Secret, signedURL string, form url.Values) string {
	return twilio.NewVerifier(string(token)).Sign(signedURL, twilio.FormFromValues(form))
}

// NewRequest builds a webhook request as Twilio sends it: form-encoded POST
// signed with ch's Auth Token over signedURL (the URL configured in
// Twilio), addressed to target (where the handler actually listens, e.g. an
// httptest server; empty: signedURL itself).
func NewRequest(ch channel.Channel, signedURL, target string, form url.Values) *http.Request {
	if target == "" {
		target = signedURL
	}
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		panic(fmt.Sprintf("livedesktest: bad target URL %q: %v", target, err))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(twilio.SignatureHeader, Sign(ch.Twilio.AuthToken, signedURL, form))
	req.Header.Set("I-Twilio-Idempotency-Token", "livedesktest-"+form.Get("MessageSid"))
	return req
}
