package console

import (
	"errors"
	"net/url"
	"strings"

	"github.com/livedesk/livedesk/channel"
)

// fieldErrors maps a form field's name to the message shown next to it;
// "" holds problems no field of the form shows.
type fieldErrors map[string]string

func (fe fieldErrors) add(field, msg string) {
	if old, ok := fe[field]; ok {
		fe[field] = old + "; " + msg
		return
	}
	fe[field] = msg
}

// fieldNames maps channel.ValidationError field paths to form fields, by
// longest prefix. Paths not listed are shown at the top of the form.
var fieldNames = []struct{ path, field string }{
	{"Name", "name"},
	{"Twilio.AccountSID", "account_sid"},
	{"Twilio.AuthToken", "auth_token"},
	{"Twilio.SecondaryAuthToken", "secondary_auth_token"},
	{"Twilio.PhoneNumber", "phone_number"},
	{"Twilio.MessagingServiceSID", "messaging_service_sid"},
	{"Twilio.APIKeySID", "api_key_sid"},
	{"Twilio.APIKeySecret", "api_key_secret"},
	{"Settings.Greeting.Text", "greeting_text"},
	{"Settings.CSAT", "csat"},
	{"Settings.BusinessHours.OutOfOfficeMessage", "ooo_message"},
	{"Settings.BusinessHours.timezone", "timezone"},
	{"Settings.BusinessHours.exceptions", "holidays"},
	{"Settings.Assignment.Strategy", "strategy"},
	{"Settings.Assignment.Rules", "rules"},
}

// formField returns the form field a problem belongs to. mode picks the
// field for problems about the sender as a whole ("Twilio").
func formField(p channel.Problem, mode channel.Mode) string {
	if p.Field == "Twilio" {
		if mode == channel.ModeMessagingService {
			return "messaging_service_sid"
		}
		return "phone_number"
	}
	if day, ok := strings.CutPrefix(p.Field, "Settings.BusinessHours.week."); ok {
		if i := strings.IndexByte(day, '['); i >= 0 {
			day = day[:i]
		}
		return "day_" + day
	}
	best, field := 0, ""
	for _, f := range fieldNames {
		if strings.HasPrefix(p.Field, f.path) && len(f.path) > best {
			best, field = len(f.path), f.field
		}
	}
	return field
}

// problemsOf turns a validation error into field messages; ok is false for
// other errors.
func problemsOf(err error, mode channel.Mode) (fieldErrors, bool) {
	var ve *channel.ValidationError
	if !errors.As(err, &ve) {
		return nil, false
	}
	fe := fieldErrors{}
	for _, p := range ve.Problems {
		f := formField(p, mode)
		msg := p.Message
		if f == "" || f == "rules" || f == "csat" || f == "holidays" {
			msg = p.Field + " " + msg
		}
		fe.add(f, msg)
	}
	return fe, true
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
