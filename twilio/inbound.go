package twilio

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/livedesk/livedesk/channel"
)

// ErrNotAMessage is returned by ParseInbound when a form lacks what every
// Twilio message webhook carries (MessageSid, AccountSid, From, To).
var ErrNotAMessage = errors.New("twilio: not a message webhook")

// inboundFields are the parameters ParseInbound maps to typed fields; every
// other parameter goes to Inbound.Extra.
var inboundFields = map[string]bool{
	"MessageSid": true, "AccountSid": true, "MessagingServiceSid": true, "From": true, "To": true,
	"WaId": true, "ProfileName": true, "Body": true, "MessageType": true, "NumMedia": true,
	"Latitude": true, "Longitude": true, "Address": true, "Label": true,
	"ButtonText": true, "ButtonPayload": true,
	"OriginalRepliedMessageSid": true, "OriginalRepliedMessageSender": true,
	"Forwarded": true, "FrequentlyForwarded": true, "ExternalUserId": true, "ChannelMetadata": true,
	"ReferralBody": true, "ReferralHeadline": true, "ReferralSourceId": true, "ReferralSourceType": true,
	"ReferralSourceUrl": true, "ReferralMediaId": true, "ReferralMediaContentType": true,
	"ReferralMediaUrl": true, "ReferralNumMedia": true, "ReferralCtwaClid": true,
}

// ParseInbound maps an inbound message webhook's parameters to a typed
// channel.Inbound. Parameters without a field (NumSegments, ApiVersion,
// SmsSid, AddOns, anything Twilio adds later) are kept in Extra; a value
// that cannot be parsed (a non-numeric Latitude, or NaN: not a location)
// is kept there too rather than failing the webhook.
//
// It applies the rule of package channel (see channel.MaxSIDLen), so that
// what it returns passes channel.Inbound.Check and every store can keep
// it: text Twilio may legitimately send is sanitized (a NUL byte or invalid
// UTF-8, in any key or value, becomes U+FFFD); what Twilio never sends is
// refused with a *ParamError wrapping ErrInvalidParam (an identifier such
// as MessageSid that is not 1 to 64 letters and digits, an address such as
// From over 256 bytes or holding control characters). It fails with
// ErrNotAMessage when a parameter every message carries is missing.
func ParseInbound(f Form) (channel.Inbound, error) {
	clean, dirty := f.cleaned()
	if dirty {
		// Identifiers and addresses are judged on the bytes Twilio sent: a
		// NUL in From is refused, not sanitized.
		raw := typedInbound(f)
		if err := checkInbound(&raw, f.Get("OriginalRepliedMessageSid"), f.Get("OriginalRepliedMessageSender")); err != nil {
			return channel.Inbound{}, err
		}
	}
	f = clean
	in := typedInbound(f)
	var missing []string
	for _, p := range [...]struct{ name, v string }{
		{"MessageSid", in.MessageSID}, {"AccountSid", in.AccountSID}, {"From", in.From}, {"To", in.To},
	} {
		if p.v == "" {
			missing = append(missing, p.name)
		}
	}
	if missing != nil {
		return channel.Inbound{}, fmt.Errorf("%w: missing %s", ErrNotAMessage, strings.Join(missing, ", "))
	}
	keep := map[string]bool{} // typed parameters whose value did not parse
	in.Media = parseMedia(f, keep)
	in.Location = parseLocation(f, keep)
	replySID, replySender := f.Get("OriginalRepliedMessageSid"), ""
	if replySID != "" {
		replySender = f.Get("OriginalRepliedMessageSender")
		in.ReplyTo = &channel.ReplyTo{MessageSID: replySID, Sender: replySender}
	}
	if !dirty { // a clean form's values are the bytes Twilio sent
		if err := checkInbound(&in, replySID, replySender); err != nil {
			return channel.Inbound{}, err
		}
	}
	in.Referral = parseReferral(f)
	if in.Type == "" {
		in.Type = inferType(&in)
	}
	for _, p := range f.params {
		if (inboundFields[p.Key] && !keep[p.Key]) || isMediaKey(p.Key, len(in.Media)) {
			continue
		}
		if in.Extra == nil {
			in.Extra = make(map[string]string, f.Len()-len(inboundFields))
		}
		if _, dup := in.Extra[p.Key]; !dup { // first value in signing order
			in.Extra[p.Key] = p.Value
		}
	}
	return in, nil
}

// typedInbound reads the parameters with a field of their own.
func typedInbound(f Form) channel.Inbound {
	return channel.Inbound{
		MessageSID:          f.Get("MessageSid"),
		AccountSID:          f.Get("AccountSid"),
		MessagingServiceSID: f.Get("MessagingServiceSid"),
		From:                f.Get("From"),
		To:                  f.Get("To"),
		WaID:                f.Get("WaId"),
		ProfileName:         f.Get("ProfileName"),
		Body:                f.Get("Body"),
		Type:                channel.MessageType(f.Get("MessageType")),
		ButtonText:          f.Get("ButtonText"),
		ButtonPayload:       f.Get("ButtonPayload"),
		Forwarded:           f.Get("Forwarded") == "true",
		FrequentlyForwarded: f.Get("FrequentlyForwarded") == "true",
		ExternalUserID:      f.Get("ExternalUserId"),
		ChannelMetadata:     f.Get("ChannelMetadata"),
	}
}

func parseMedia(f Form, keep map[string]bool) []channel.Media {
	raw := f.Get("NumMedia")
	if raw == "" || raw == "0" {
		return nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 || n > 10 {
		keep["NumMedia"] = true
		return nil
	}
	media := make([]channel.Media, 0, n)
	for i := range n {
		idx := strconv.Itoa(i)
		url := f.Get("MediaUrl" + idx)
		if url == "" {
			continue
		}
		media = append(media, channel.Media{URL: url, ContentType: f.Get("MediaContentType" + idx)})
	}
	return media
}

// isMediaKey reports whether key is MediaUrlN or MediaContentTypeN for one
// of the n parsed media.
func isMediaKey(key string, n int) bool {
	var idx string
	switch {
	case strings.HasPrefix(key, "MediaUrl"):
		idx = key[len("MediaUrl"):]
	case strings.HasPrefix(key, "MediaContentType"):
		idx = key[len("MediaContentType"):]
	default:
		return false
	}
	i, err := strconv.Atoi(idx)
	return err == nil && i >= 0 && i < n
}

func parseLocation(f Form, keep map[string]bool) *channel.Location {
	lat, lon := f.Get("Latitude"), f.Get("Longitude")
	if lat == "" && lon == "" {
		return nil
	}
	la, err1 := strconv.ParseFloat(lat, 64)
	lo, err2 := strconv.ParseFloat(lon, 64)
	// NaN passes no comparison, so it is tested on its own: it is no place.
	if err1 != nil || err2 != nil || math.IsNaN(la) || math.IsNaN(lo) || la < -90 || la > 90 || lo < -180 || lo > 180 {
		keep["Latitude"], keep["Longitude"], keep["Address"], keep["Label"] = true, true, true, true
		return nil
	}
	return &channel.Location{Latitude: la, Longitude: lo, Address: f.Get("Address"), Label: f.Get("Label")}
}

func parseReferral(f Form) *channel.Referral {
	r := channel.Referral{
		Body: f.Get("ReferralBody"), Headline: f.Get("ReferralHeadline"), SourceID: f.Get("ReferralSourceId"),
		SourceType: f.Get("ReferralSourceType"), SourceURL: f.Get("ReferralSourceUrl"),
		MediaID: f.Get("ReferralMediaId"), MediaContentType: f.Get("ReferralMediaContentType"),
		MediaURL: f.Get("ReferralMediaUrl"), CtwaClid: f.Get("ReferralCtwaClid"),
	}
	if r == (channel.Referral{}) {
		return nil // ReferralNumMedia=0 alone is sent on every message
	}
	r.NumMedia = f.Get("ReferralNumMedia")
	return &r
}

// inferType guesses the message type when Twilio did not send MessageType.
func inferType(in *channel.Inbound) channel.MessageType {
	switch {
	case in.ButtonPayload != "":
		return channel.TypeButton
	case in.Location != nil:
		return channel.TypeLocation
	case len(in.Media) > 0:
		ct := in.Media[0].ContentType
		switch {
		case strings.HasPrefix(ct, "image/webp"):
			return channel.TypeSticker
		case strings.HasPrefix(ct, "image/"):
			return channel.TypeImage
		case strings.HasPrefix(ct, "video/"):
			return channel.TypeVideo
		case strings.HasPrefix(ct, "audio/"):
			return channel.TypeAudio
		}
		return channel.TypeDocument
	}
	return channel.TypeText
}
