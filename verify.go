package livedesk

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/livedesk/livedesk/twilio"
)

// The webhook's trust boundary: read the capped form, verify Twilio's
// signature over the channel's URL, and check the signed request is about
// this channel. Nothing before verified's return is trusted.

// readForm reads the capped body and parses it as a form. The body is only
// parsed, never rebuilt: the signature is checked over exactly what Twilio
// sent.
func (d *Desk) readForm(r *http.Request) (twilio.Form, error) {
	if r.Method != http.MethodPost {
		return twilio.Form{}, fmt.Errorf("%w, not %s", errMethod, sanitize(r.Method))
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, _ := strings.Cut(ct, ";")
		if !strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded") {
			return twilio.Form{}, fmt.Errorf("%w: Content-Type %q, want application/x-www-form-urlencoded", errMalformed, sanitize(ct))
		}
	}
	if r.ContentLength > d.maxBody {
		return twilio.Form{}, fmt.Errorf("%w: %d bytes, limit %d", errTooLarge, r.ContentLength, d.maxBody)
	}
	buf, _ := d.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer func() {
		buf.Reset()
		d.bufs.Put(buf)
	}()
	if _, err := buf.ReadFrom(http.MaxBytesReader(nil, r.Body, d.maxBody)); err != nil {
		var big *http.MaxBytesError
		if errors.As(err, &big) {
			return twilio.Form{}, fmt.Errorf("%w: limit %d bytes", errTooLarge, d.maxBody)
		}
		return twilio.Form{}, fmt.Errorf("%w: reading body: %v", errMalformed, err)
	}
	form, err := twilio.ParseForm(buf.Bytes())
	if err != nil {
		return twilio.Form{}, fmt.Errorf("%w: %w", errMalformed, err)
	}
	return form, nil
}

// verified finds the channel, reads the capped form and verifies its
// signature over the channel's inbound or status webhook URL: the common
// start of both webhooks, before which nothing is trusted.
func (d *Desk) verified(r *http.Request, channelID string, status bool) (*channelEntry, twilio.Form, error) {
	e, err := d.channels.get(r.Context(), channelID)
	if err != nil {
		return nil, twilio.Form{}, err
	}
	form, err := d.readForm(r)
	if err != nil {
		return nil, twilio.Form{}, err
	}
	signed := e.inboundURL
	if status {
		signed = e.statusURL
	}
	sig := r.Header.Get(twilio.SignatureHeader)
	if err := e.verify(signed, r.URL.RawQuery, form, sig); err != nil {
		return nil, twilio.Form{}, &sigError{msg: err.Error(), e: e, signed: withQuery(signed, r.URL.RawQuery), query: r.URL.RawQuery, form: form, sig: sig}
	}
	return e, form, nil
}

// verify checks the request's signature over the channel's webhook URL
// (plus the query string the request came with) with each accepted token.
func (e *channelEntry) verify(base, rawQuery string, form twilio.Form, sig string) error {
	if sig == "" {
		return fmt.Errorf("%w: header missing", errSignature)
	}
	u := base
	if rawQuery != "" {
		u = base + "?" + rawQuery
	}
	for _, v := range e.verifiers {
		if v.Verify(u, form, sig) {
			return nil
		}
	}
	return fmt.Errorf("%w for %s", errSignature, sanitizeN(u, maxReason/2))
}

// owns checks that a signed request is about this channel: same account,
// and the channel's own number (classic) or Messaging Service. The
// signature alone only proves the request came from the account, which may
// have other senders pointed at the wrong URL.
func (e *channelEntry) owns(accountSID, to, serviceSID string) error {
	tw := &e.ch.Twilio
	switch {
	case accountSID != tw.AccountSID:
		return fmt.Errorf("%w: AccountSid %s is not the channel's account", errForeign, sanitize(accountSID))
	case e.to != "" && to != e.to:
		return fmt.Errorf("%w: To %s is not the channel's number", errForeign, sanitize(to))
	case tw.MessagingServiceSID != "" && serviceSID == "":
		// Twilio always names the service on a message that came through
		// one; a message without it came to a number of the account that
		// is not in the service.
		return fmt.Errorf("%w: no MessagingServiceSid, the channel is service %s", errForeign, tw.MessagingServiceSID)
	case tw.MessagingServiceSID != "" && serviceSID != tw.MessagingServiceSID:
		return fmt.Errorf("%w: MessagingServiceSid %s is not the channel's service", errForeign, sanitize(serviceSID))
	}
	return nil
}
