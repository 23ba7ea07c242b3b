package twilio

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk/channel"
)

// TestParseInboundHostile is the parsing rule for values Twilio may send
// (sanitized) and values it never sends (ErrInvalidParam): whatever parses
// passes channel.Inbound.Check, so every store can keep it.
func TestParseInboundHostile(t *testing.T) {
	big := strings.Repeat("9", 5000)
	cases := []struct {
		name   string
		kv     []string
		param  string // "" = accepted
		check  func(t *testing.T, in channel.Inbound)
		noEcho string // a value the error must not contain whole
	}{
		{"NUL in Body becomes U+FFFD", []string{"Body", "a\x00b"}, "", func(t *testing.T, in channel.Inbound) {
			require.Equal(t, "a\uFFFDb", in.Body)
		}, ""},
		{"lone surrogate in ProfileName", []string{"ProfileName", "x\xed\xa0\x80y"}, "", func(t *testing.T, in channel.Inbound) {
			require.Equal(t, "x\uFFFD\uFFFD\uFFFDy", in.ProfileName)
		}, ""},
		{"invalid UTF-8 in ChannelMetadata and referral", []string{"ChannelMetadata", "{\"a\":\"\xff\"}", "ReferralBody", "ad\x00"}, "", func(t *testing.T, in channel.Inbound) {
			require.Equal(t, "{\"a\":\"\uFFFD\"}", in.ChannelMetadata)
			require.Equal(t, "ad\uFFFD", in.Referral.Body)
		}, ""},
		{"NUL in an extra key and value", []string{"X\x00Y", "v\x00", "AddOns", "\xc3"}, "", func(t *testing.T, in channel.Inbound) {
			require.Equal(t, "v\uFFFD", in.Extra["X\uFFFDY"])
			require.Equal(t, "\uFFFD", in.Extra["AddOns"])
		}, ""},
		{"valid unicode is untouched", []string{"Body", "olá 😍 مرحبا \u2028 \uFFFE"}, "", func(t *testing.T, in channel.Inbound) {
			require.Equal(t, "olá 😍 مرحبا \u2028 \uFFFE", in.Body)
		}, ""},
		{"NaN latitude is not a location", []string{"Latitude", "NaN", "Longitude", "1"}, "", func(t *testing.T, in channel.Inbound) {
			require.Nil(t, in.Location)
			require.Equal(t, "NaN", in.Extra["Latitude"])
			require.Equal(t, channel.TypeText, in.Type)
		}, ""},
		{"NaN longitude is not a location", []string{"Latitude", "1", "Longitude", "nan"}, "", func(t *testing.T, in channel.Inbound) {
			require.Nil(t, in.Location)
		}, ""},
		{"infinite latitude is not a location", []string{"Latitude", "+Inf", "Longitude", "-Infinity"}, "", func(t *testing.T, in channel.Inbound) {
			require.Nil(t, in.Location)
		}, ""},
		{"a long body is kept", []string{"Body", big}, "", func(t *testing.T, in channel.Inbound) {
			require.Equal(t, big, in.Body)
		}, ""},
		{"5 KB MessageSid", []string{"MessageSid", "SM" + big}, "MessageSid", nil, big},
		{"5 KB From", []string{"From", "whatsapp:+" + big}, "From", nil, big},
		{"5 KB To", []string{"To", "whatsapp:+" + big}, "To", nil, big},
		{"5 KB WaId", []string{"WaId", big}, "WaId", nil, big},
		{"5 KB AccountSid", []string{"AccountSid", "AC" + big}, "AccountSid", nil, big},
		{"NUL in MessageSid", []string{"MessageSid", "SM\x00"}, "MessageSid", nil, ""},
		{"invalid UTF-8 in From", []string{"From", "whatsapp:+1\xff"}, "From", nil, ""},
		{"control character in From", []string{"From", "whatsapp:+1\n2"}, "From", nil, ""},
		{"MessageSid with punctuation", []string{"MessageSid", "SM1'; DROP TABLE messages;--"}, "MessageSid", nil, ""},
		{"5 KB MessagingServiceSid", []string{"MessagingServiceSid", "MG" + big}, "MessagingServiceSid", nil, big},
		{"5 KB OriginalRepliedMessageSid", []string{"OriginalRepliedMessageSid", "SM" + big}, "OriginalRepliedMessageSid", nil, big},
		{"5 KB OriginalRepliedMessageSender", []string{"OriginalRepliedMessageSid", "SM1", "OriginalRepliedMessageSender", big}, "OriginalRepliedMessageSender", nil, big},
		{"5 KB ExternalUserId", []string{"ExternalUserId", big}, "ExternalUserId", nil, big},
		{"longest accepted identifier and address", []string{"MessageSid", "SM" + strings.Repeat("a", channel.MaxSIDLen-2),
			"From", "whatsapp:+" + strings.Repeat("1", channel.MaxAddressLen-10)}, "", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, err := ParseInbound(form(override(common, c.kv)...))
			if c.param == "" {
				require.NoError(t, err)
				require.NoError(t, in.Check(), "what ParseInbound returns passes the store rule")
				if c.check != nil {
					c.check(t, in)
				}
				return
			}
			require.ErrorIs(t, err, ErrInvalidParam)
			var pe *ParamError
			require.True(t, errors.As(err, &pe))
			require.Equal(t, c.param, pe.Param)
			require.Less(t, len(err.Error()), 300, "the error is short: %s", err)
			if c.noEcho != "" {
				require.NotContains(t, err.Error(), c.noEcho[:100])
			}
		})
	}
}

// TestParseStatusHostile: the same rule for status callbacks.
func TestParseStatusHostile(t *testing.T) {
	big := strings.Repeat("a", 5000)
	base := []string{"MessageSid", "SM1", "MessageStatus", "failed", "AccountSid", "AC1"}
	cases := []struct {
		name  string
		kv    []string
		param string
		check func(t *testing.T, s StatusCallback)
	}{
		{"5 KB MessageSid", []string{"MessageSid", "SM" + big}, "MessageSid", nil},
		{"NUL in MessageSid", []string{"MessageSid", "SM\x00"}, "MessageSid", nil},
		{"0xff in MessageSid", []string{"MessageSid", "SM\xff"}, "MessageSid", nil},
		{"5 KB SmsSid", []string{"SmsSid", "SM" + big}, "SmsSid", nil},
		{"5 KB MessageStatus", []string{"MessageStatus", big}, "MessageStatus", nil},
		{"5 KB From", []string{"From", big}, "From", nil},
		{"NUL in ErrorMessage becomes U+FFFD", []string{"ErrorMessage", "bad\x00"}, "", func(t *testing.T, s StatusCallback) {
			require.Equal(t, "bad\uFFFD", s.ErrorMessage)
		}},
		{"invalid UTF-8 in ChannelStatusMessage and extras", []string{"ChannelStatusMessage", "\xed\xa0\x80", "Foo\xff", "\x00"}, "", func(t *testing.T, s StatusCallback) {
			require.Equal(t, "\uFFFD\uFFFD\uFFFD", s.ChannelStatusMessage)
			require.Equal(t, "\uFFFD", s.Extra["Foo\uFFFD"])
		}},
		{"an unknown status word is kept", []string{"MessageStatus", "partially_delivered"}, "", func(t *testing.T, s StatusCallback) {
			require.Equal(t, "partially_delivered", s.Status)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseStatus(form(override(base, c.kv)...))
			if c.param == "" {
				require.NoError(t, err)
				c.check(t, s)
				return
			}
			var pe *ParamError
			require.ErrorAs(t, err, &pe)
			require.ErrorIs(t, err, ErrInvalidParam)
			require.Equal(t, c.param, pe.Param)
			require.Less(t, len(err.Error()), 300)
		})
	}
}

// TestParseStatusKeepsParameters: WhatsApp's extras and any unknown
// parameter survive parsing (issue 13, defect 9).
func TestParseStatusKeepsParameters(t *testing.T) {
	s, err := ParseStatus(form("MessageSid", "SM1", "MessageStatus", "failed", "AccountSid", "AC1",
		"ErrorCode", "63024", "ErrorMessage", "Invalid message recipient",
		"ChannelStatusMessage", "(#131026) Message undeliverable", "ChannelInstallSid", "XE0123",
		"ChannelPrefix", "whatsapp", "StructuredMessage", "true", "ChannelToAddress", "+1415555XXXX",
		"ApiVersion", "2010-04-01", "SomethingNew", "42"))
	require.NoError(t, err)
	require.Equal(t, "(#131026) Message undeliverable", s.ChannelStatusMessage)
	require.Equal(t, "XE0123", s.ChannelInstallSID)
	require.Equal(t, "whatsapp", s.ChannelPrefix)
	require.True(t, s.StructuredMessage)
	require.Equal(t, map[string]string{"ChannelToAddress": "+1415555XXXX", "ApiVersion": "2010-04-01", "SomethingNew": "42"}, s.Extra)
	require.Equal(t, "Invalid message recipient (WhatsApp: (#131026) Message undeliverable)", s.ErrorText())

	s, err = ParseStatus(form("MessageSid", "SM1", "MessageStatus", "sent", "StructuredMessage", "maybe"))
	require.NoError(t, err)
	require.False(t, s.StructuredMessage)
	require.Equal(t, "maybe", s.Extra["StructuredMessage"], "a value that is not a boolean is kept as sent")
	require.Equal(t, "", s.ErrorText())
	require.Equal(t, "WhatsApp: x", StatusCallback{ChannelStatusMessage: "x"}.ErrorText())
	require.Equal(t, "x", StatusCallback{ErrorMessage: "x", ChannelStatusMessage: "x"}.ErrorText())
}

// override returns base with the pairs of kv set, replacing base's values
// for the same keys.
func override(base, kv []string) []string {
	set := map[string]bool{}
	for i := 0; i < len(kv); i += 2 {
		set[kv[i]] = true
	}
	var out []string
	for i := 0; i < len(base); i += 2 {
		if !set[base[i]] {
			out = append(out, base[i], base[i+1])
		}
	}
	return append(out, kv...)
}
