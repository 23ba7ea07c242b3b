package channel_test

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/csat"
	"github.com/livedesk/livedesk/hours"
)

func valid() channel.Channel {
	return channel.Channel{
		Name: "Support FR",
		Twilio: channel.Twilio{
			AccountSID:  "AC0123456789abcdef0123456789abcdef",
			AuthToken:   "0123456789abcdef0123456789abcdef",
			PhoneNumber: "+33612345678",
		},
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name string
		mod  func(*channel.Channel)
		want []string // every problem, in order; nil = valid
	}{
		{"classic channel", func(*channel.Channel) {}, nil},
		{"messaging service channel", func(c *channel.Channel) {
			c.Twilio.PhoneNumber = ""
			c.Twilio.MessagingServiceSID = "MG0123456789abcdef0123456789abcdef"
		}, nil},
		{"caller-chosen ID", func(c *channel.Channel) { c.ID = "support-fr_1" }, nil},
		{"API key for sending", func(c *channel.Channel) {
			c.Twilio.APIKeySID = "SK0123456789abcdef0123456789abcdef"
			c.Twilio.APIKeySecret = "secret123"
		}, nil},
		{"phone number not E.164", func(c *channel.Channel) { c.Twilio.PhoneNumber = "0612" }, []string{
			`Twilio.PhoneNumber "0612" is not E.164 (+14155238886)`}},
		{"phone number with spaces", func(c *channel.Channel) { c.Twilio.PhoneNumber = "+33 6 12 34 56 78" }, []string{
			`Twilio.PhoneNumber "+33 6 12 34 56 78" is not E.164 (+14155238886)`}},
		{"phone number that does not exist", func(c *channel.Channel) { c.Twilio.PhoneNumber = "+3361234" }, []string{
			`Twilio.PhoneNumber "+3361234" is not E.164 (+14155238886)`}},
		{"whatsapp: prefix is not E.164", func(c *channel.Channel) { c.Twilio.PhoneNumber = "whatsapp:+33612345678" }, []string{
			`Twilio.PhoneNumber "whatsapp:+33612345678" is not E.164 (+14155238886)`}},
		{"both modes", func(c *channel.Channel) { c.Twilio.MessagingServiceSID = "MG0123456789abcdef0123456789abcdef" }, []string{
			"Twilio has both PhoneNumber and MessagingServiceSID: set only one (PhoneNumber for classic mode, MessagingServiceSID for Messaging Service mode)"}},
		{"neither mode", func(c *channel.Channel) { c.Twilio.PhoneNumber = "" }, []string{
			"Twilio needs PhoneNumber (classic mode) or MessagingServiceSID (Messaging Service mode)"}},
		{"bad messaging service SID", func(c *channel.Channel) {
			c.Twilio.PhoneNumber = ""
			c.Twilio.MessagingServiceSID = "MG123"
		}, []string{`Twilio.MessagingServiceSID "MG123" is not MG followed by 32 hex digits (Twilio console > Messaging > Services)`}},
		{"account SID with the wrong prefix", func(c *channel.Channel) { c.Twilio.AccountSID = "SK0123456789abcdef0123456789abcdef" }, []string{
			`Twilio.AccountSID "SK0123456789abcdef0123456789abcdef" is not AC followed by 32 hex digits (AC0123456789abcdef0123456789abcdef, Twilio console > Account info)`}},
		{"account SID with uppercase hex", func(c *channel.Channel) { c.Twilio.AccountSID = "AC0123456789ABCDEF0123456789ABCDEF" }, []string{
			`Twilio.AccountSID "AC0123456789ABCDEF0123456789ABCDEF" is not AC followed by 32 hex digits (AC0123456789abcdef0123456789abcdef, Twilio console > Account info)`}},
		{"missing auth token", func(c *channel.Channel) { c.Twilio.AuthToken = "" }, []string{
			"Twilio.AuthToken is required: Twilio signs webhooks with it (Twilio console > Account info)"}},
		{"auth token with punctuation", func(c *channel.Channel) { c.Twilio.AuthToken = "abc-def" }, []string{
			"Twilio.AuthToken must contain only letters and digits (32 hex characters in the Twilio console)"}},
		{"API key SID without secret", func(c *channel.Channel) { c.Twilio.APIKeySID = "SK0123456789abcdef0123456789abcdef" }, []string{
			"Twilio.APIKeySecret is required when APIKeySID is set"}},
		{"API key secret without SID", func(c *channel.Channel) { c.Twilio.APIKeySecret = "x" }, []string{
			"Twilio.APIKeySID is required when APIKeySecret is set"}},
		{"missing name", func(c *channel.Channel) { c.Name = "  " }, []string{`Name is required (e.g. "Support FR")`}},
		{"bad ID", func(c *channel.Channel) { c.ID = "has/slash" }, []string{
			`ID "has/slash" must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit`}},
		{"greeting enabled without text", func(c *channel.Channel) { c.Settings.Greeting.Enabled = true }, []string{
			"Settings.Greeting.Text is required when the greeting is enabled"}},
		{"greeting too long", func(c *channel.Channel) { c.Settings.Greeting.Text = strings.Repeat("x", 1601) }, []string{
			"Settings.Greeting.Text is longer than 1600 characters"}},
		{"hours enabled without an out-of-office message", func(c *channel.Channel) {
			c.Settings.BusinessHours = hours.BusinessHours{Enabled: true, Week: hours.Week{time.Monday: {"09:00-17:00"}}, OutOfOfficeMessage: " "}
		}, []string{"Settings.BusinessHours.OutOfOfficeMessage is required when business hours are enabled " +
			"(customers who write while you are closed get it; {{next_open}} says when you open)"}},
		{"out-of-office message too long", func(c *channel.Channel) {
			c.Settings.BusinessHours = hours.BusinessHours{OutOfOfficeMessage: strings.Repeat("x", 1601)}
		}, []string{"Settings.BusinessHours.OutOfOfficeMessage is longer than 1600 characters"}},
		{"business hours with a bad zone and an overlap", func(c *channel.Channel) {
			c.Settings.BusinessHours = hours.BusinessHours{Enabled: true, TimeZone: "Mars/Olympus",
				Week: hours.Week{time.Monday: {"09:00-12:00", "11:00-13:00"}}, OutOfOfficeMessage: "Closed."}
		}, []string{
			`Settings.BusinessHours.timezone unknown time zone "Mars/Olympus"; use an IANA name such as "Europe/Paris" (empty means UTC)`,
			`Settings.BusinessHours.week.monday[1] "11:00-13:00" overlaps "09:00-12:00" (week.monday[0]); merge them or move one`,
		}},
		{"csat with a bad template SID", func(c *channel.Channel) {
			c.Settings.CSAT = csat.Config{Enabled: true, TemplateContentSID: "HX1"}
		}, []string{
			`Settings.CSAT TemplateContentSID "HX1" is not a Twilio Content SID: want "HX" followed by 32 hex digits (HX0123456789abcdef0123456789abcdef), as shown in Twilio's Content Template Builder`,
		}},
		{"every problem at once", func(c *channel.Channel) {
			c.Name = ""
			c.Twilio = channel.Twilio{AccountSID: "AC12", PhoneNumber: "0612"}
		}, []string{
			`Name is required (e.g. "Support FR")`,
			`Twilio.AccountSID "AC12" is not AC followed by 32 hex digits (AC0123456789abcdef0123456789abcdef, Twilio console > Account info)`,
			"Twilio.AuthToken is required: Twilio signs webhooks with it (Twilio console > Account info)",
			`Twilio.PhoneNumber "0612" is not E.164 (+14155238886)`,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch := valid()
			c.mod(&ch)
			err := ch.Validate()
			if c.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, channel.ErrInvalid)
			var ve *channel.ValidationError
			require.True(t, errors.As(err, &ve))
			var got []string
			for _, p := range ve.Problems {
				got = append(got, p.Field+" "+p.Message)
			}
			require.Equal(t, c.want, got)
			require.Equal(t, "channel: "+strings.Join(c.want, "; "), err.Error())
			if strings.Contains(c.name, "business hours") {
				require.ErrorIs(t, err, hours.ErrTimeZone, "sub-package errors stay reachable")
				require.ErrorIs(t, err, hours.ErrOverlap)
			}
		})
	}
}

func TestModeAndTokens(t *testing.T) {
	ch := valid()
	require.Equal(t, channel.ModeClassic, ch.Twilio.Mode())
	require.Equal(t, []channel.Secret{"0123456789abcdef0123456789abcdef"}, ch.Twilio.AuthTokens())
	ch.Twilio.PhoneNumber = ""
	ch.Twilio.MessagingServiceSID = "MG0123456789abcdef0123456789abcdef"
	ch.Twilio.SecondaryAuthToken = "fedcba"
	require.Equal(t, channel.ModeMessagingService, ch.Twilio.Mode())
	require.Equal(t, []channel.Secret{"0123456789abcdef0123456789abcdef", "fedcba"}, ch.Twilio.AuthTokens())
}

func TestSecretsNeverPrint(t *testing.T) {
	ch := valid()
	ch.Twilio.APIKeySecret = "apisecret123"
	ch.Twilio.AuthToken = "f00dfeedf00dfeedf00dfeedf00dfeed"
	token := string(ch.Twilio.AuthToken)
	var logs strings.Builder
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("channel", "ch", ch, "twilio", ch.Twilio, "token", ch.Twilio.AuthToken)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("channel", "ch", ch)
	outputs := []string{
		logs.String(),
		fmt.Sprintf("%v %+v %#v %s %q %x", ch, ch, ch, ch.Twilio.AuthToken, ch.Twilio.AuthToken, ch.Twilio.AuthToken),
		fmt.Sprint(ch.Twilio), fmt.Errorf("wrapped: %v", ch).Error(),
	}
	for _, out := range outputs {
		require.NotContains(t, out, token)
		require.NotContains(t, out, "apisecret123")
	}
	require.Contains(t, outputs[1], "[redacted]")
	require.Equal(t, "", channel.Secret("").String())
}

func TestCountry(t *testing.T) {
	require.Equal(t, "FR", channel.Country("+33612345678"))
	require.Equal(t, "US", channel.Country("whatsapp:+14155238886"))
	require.Equal(t, "", channel.Country("0612"))
	require.True(t, channel.IsE164("+14155238886"))
	require.False(t, channel.IsE164("+1 415 523 8886"))
}
