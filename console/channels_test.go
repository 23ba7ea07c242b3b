package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
)

// newChannelForm is the "Add WhatsApp channel" form for the credentials
// the tests register with the fake Twilio API.
func newChannelForm(tok, token, phone string) url.Values {
	return url.Values{"csrf_token": {tok}, "name": {"Sales"}, "account_sid": {formAccountSID},
		"auth_token": {token}, "phone_number": {phone}}
}

// Twilio's refusals are shown next to the field they concern, and nothing
// is stored.
func TestCreateChannelShowsTwilioRefusals(t *testing.T) {
	e := newEnv(t)
	e.h.Twilio.Register(channel.Channel{Twilio: channel.Twilio{AccountSID: formAccountSID, AuthToken: formAuthToken, PhoneNumber: formPhone}})
	c := e.client()
	tok := e.token(c, "admin")
	before, _ := e.h.Desk.Channels(context.Background())
	for _, tc := range []struct {
		name, token, phone, field, want string
	}{
		{"wrong token", "00000000000000000000000000000000", formPhone, "auth_token", "Twilio refused these credentials (20003)"},
		{"foreign number", string(formAuthToken), "+14155550999", "phone_number", "not a WhatsApp sender of this account"},
	} {
		code, body := e.post(c, "admin", "/channels", newChannelForm(tok, tc.token, tc.phone))
		if code != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", tc.name, code)
		}
		if !strings.Contains(body, `id="`+tc.field+`-error">`) || !strings.Contains(body, tc.want) {
			t.Errorf("%s: the page does not show %q next to %s", tc.name, tc.want, tc.field)
		}
		if strings.Contains(body, tc.token) {
			t.Errorf("%s: the Auth Token was rendered back", tc.name)
		}
	}
	after, _ := e.h.Desk.Channels(context.Background())
	if len(after) != len(before) {
		t.Error("a channel Twilio refused was stored")
	}
}

// When Twilio cannot be reached the form says so, keeps what was typed
// (but the token) and stores nothing; sent again, it goes through.
func TestCreateChannelTwilioUnreachable(t *testing.T) {
	e := newEnv(t)
	e.h.Twilio.Register(channel.Channel{Twilio: channel.Twilio{AccountSID: formAccountSID, AuthToken: formAuthToken, PhoneNumber: formPhone}})
	c := e.client()
	tok := e.token(c, "admin")
	before, _ := e.h.Desk.Channels(context.Background())
	e.h.Twilio.FailNextOn(livedesktest.OpFetchAccount, http.StatusServiceUnavailable, 20503, "Service Unavailable")
	code, body := e.post(c, "admin", "/channels", newChannelForm(tok, string(formAuthToken), formPhone))
	if code != http.StatusServiceUnavailable {
		t.Errorf("unreachable: %d, want 503", code)
	}
	if !strings.Contains(body, `id="form-error">Could not reach Twilio to check these credentials, try again.`) {
		t.Errorf("the page does not say Twilio could not be reached:\n%s", body)
	}
	// html/template writes the number's "+" as &#43; in the attribute.
	if !strings.Contains(body, `value="&#43;`+formPhone[1:]+`"`) || strings.Contains(body, string(formAuthToken)) {
		t.Error("the form should keep the number typed and never render the Auth Token back")
	}
	if after, _ := e.h.Desk.Channels(context.Background()); len(after) != len(before) {
		t.Error("a channel was stored though Twilio could not check it")
	}
	if code, loc := e.post(c, "admin", "/channels", newChannelForm(tok, string(formAuthToken), formPhone)); code != http.StatusSeeOther || !strings.HasSuffix(loc, "/created") {
		t.Errorf("sent again: %d %s, want the confirmation", code, loc)
	}
}

// Without any approved template, or when the templates cannot be listed,
// the reply box says so instead of offering one.
func TestTemplatePickerNotes(t *testing.T) {
	e := newEnv(t)
	conv := e.customerWrites(t, "+14155550171", "hello")
	e.h.Clock.Advance(25 * time.Hour)
	c := e.client()
	e.h.Twilio.FailNextOn(livedesktest.OpListContentAndApprovals, http.StatusServiceUnavailable, 20503, "Service Unavailable")
	_, body := e.get(c, "admin", "/inbox/"+conv.ID+"?view=all")
	if !strings.Contains(body, `id="templates-note">Could not reach Twilio`) || strings.Contains(body, `id="template-form"`) {
		t.Errorf("unreachable: the reply box does not say the templates could not be listed")
	}
	e.h.Twilio.SetTemplateStatus(followUpSID, "paused")
	_, body = e.get(c, "admin", "/inbox/"+conv.ID+"?view=all")
	if !strings.Contains(body, `id="templates-note">This channel's Twilio account has no WhatsApp-approved template.`) {
		t.Errorf("no approved template: the reply box does not say so")
	}
}
