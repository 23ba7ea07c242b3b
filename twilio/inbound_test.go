package twilio

import (
	"net/url"
	"testing"

	"github.com/livedesk/livedesk/channel"
	"github.com/stretchr/testify/require"
)

func form(kv ...string) Form {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return FormFromValues(v)
}

var common = []string{
	"MessageSid", "SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "SmsSid", "SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	"AccountSid", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "From", "whatsapp:+14155550100",
	"To", "whatsapp:+14155238886", "ProfileName", "Ana", "WaId", "14155550100",
	"NumSegments", "1", "SmsStatus", "received", "ApiVersion", "2010-04-01", "ReferralNumMedia", "0",
}

func with(kv ...string) Form { return form(append(append([]string{}, common...), kv...)...) }

func TestParseInbound(t *testing.T) {
	cases := []struct {
		name  string
		form  Form
		check func(t *testing.T, in channel.Inbound)
	}{
		{"text", with("Body", "Hello, I need help with order #123", "NumMedia", "0", "MessageType", "text"), func(t *testing.T, in channel.Inbound) {
			require.Equal(t, "SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", in.MessageSID)
			require.Equal(t, "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", in.AccountSID)
			require.Equal(t, "whatsapp:+14155550100", in.From)
			require.Equal(t, "+14155550100", in.Phone())
			require.Equal(t, "14155550100", in.WaID)
			require.Equal(t, "Ana", in.ProfileName)
			require.Equal(t, "Hello, I need help with order #123", in.Text())
			require.Equal(t, channel.TypeText, in.Type)
			require.Nil(t, in.Media)
			require.Nil(t, in.Referral, "ReferralNumMedia=0 alone is not a referral")
			require.Equal(t, map[string]string{
				"SmsSid": "SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "NumSegments": "1", "SmsStatus": "received", "ApiVersion": "2010-04-01",
			}, in.Extra, "unknown parameters are kept")
		}},
		{"image with caption", with("MessageSid", "MMcccccccccccccccccccccccccccccccc", "NumMedia", "1", "MessageType", "image",
			"MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", "MediaContentType0", "image/jpeg", "Body", "my receipt"),
			func(t *testing.T, in channel.Inbound) {
				require.Equal(t, channel.TypeImage, in.Type)
				require.Equal(t, []channel.Media{{URL: "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", ContentType: "image/jpeg"}}, in.Media)
				require.Equal(t, "my receipt", in.Body)
				require.NotContains(t, in.Extra, "MediaUrl0")
			}},
		{"media type inferred without MessageType", with("NumMedia", "1", "MediaUrl0", "https://x/ME1", "MediaContentType0", "audio/ogg"), func(t *testing.T, in channel.Inbound) {
			require.Equal(t, channel.TypeAudio, in.Type)
		}},
		{"quick-reply tap with reply context", with("MessageType", "interactive", "Body", "Konfirmasi", "ButtonText", "Konfirmasi",
			"ButtonPayload", "csat:abc:5", "OriginalRepliedMessageSid", "MM5c", "OriginalRepliedMessageSender", "whatsapp:+14155238886",
			"Forwarded", "false", "FrequentlyForwarded", "false", "ChannelMetadata", `{"type":"whatsapp"}`),
			func(t *testing.T, in channel.Inbound) {
				require.Equal(t, channel.TypeInteractive, in.Type)
				require.True(t, in.Type.IsButton())
				require.Equal(t, "Konfirmasi", in.ButtonText)
				require.Equal(t, "csat:abc:5", in.ButtonPayload)
				require.Equal(t, &channel.ReplyTo{MessageSID: "MM5c", Sender: "whatsapp:+14155238886"}, in.ReplyTo)
				require.False(t, in.Forwarded)
				require.Equal(t, `{"type":"whatsapp"}`, in.ChannelMetadata)
			}},
		{"template button without MessageType", with("ButtonText", "Yes", "ButtonPayload", "yes"), func(t *testing.T, in channel.Inbound) {
			require.Equal(t, channel.TypeButton, in.Type)
			require.Equal(t, "Yes", in.Text(), "the tapped title is the text when Body is empty")
		}},
		{"location", with("MessageType", "location", "Body", "", "Latitude", "-23.55", "Longitude", "-46.63", "Address", "Av. Paulista", "Label", "Office"), func(t *testing.T, in channel.Inbound) {
			require.Equal(t, &channel.Location{Latitude: -23.55, Longitude: -46.63, Address: "Av. Paulista", Label: "Office"}, in.Location)
		}},
		{"unparseable location kept raw", with("Latitude", "north", "Longitude", "1"), func(t *testing.T, in channel.Inbound) {
			require.Nil(t, in.Location)
			require.Equal(t, "north", in.Extra["Latitude"])
			require.Equal(t, "1", in.Extra["Longitude"])
			require.Equal(t, channel.TypeText, in.Type)
		}},
		{"forwarded flags", with("Forwarded", "true", "FrequentlyForwarded", "true"), func(t *testing.T, in channel.Inbound) {
			require.True(t, in.Forwarded)
			require.True(t, in.FrequentlyForwarded)
		}},
		{"click-to-WhatsApp referral", with("ReferralBody", "Summer sale", "ReferralHeadline", "50% off", "ReferralSourceId", "123",
			"ReferralSourceType", "ad", "ReferralSourceUrl", "https://fb.me/x", "ReferralCtwaClid", "clid", "ExternalUserId", "whatsapp:ID.42"),
			func(t *testing.T, in channel.Inbound) {
				require.Equal(t, &channel.Referral{Body: "Summer sale", Headline: "50% off", SourceID: "123", SourceType: "ad",
					SourceURL: "https://fb.me/x", CtwaClid: "clid", NumMedia: "0"}, in.Referral)
				require.Equal(t, "whatsapp:ID.42", in.ExternalUserID)
			}},
		{"messaging service", with("MessagingServiceSid", "MGdddddddddddddddddddddddddddddddd"), func(t *testing.T, in channel.Inbound) {
			require.Equal(t, "MGdddddddddddddddddddddddddddddddd", in.MessagingServiceSID)
		}},
		{"unknown future parameter kept", with("BrandNewParam", "v"), func(t *testing.T, in channel.Inbound) {
			require.Equal(t, "v", in.Extra["BrandNewParam"])
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, err := ParseInbound(c.form)
			require.NoError(t, err)
			c.check(t, in)
		})
	}
}

func TestParseInboundRejectsNonMessages(t *testing.T) {
	for _, missing := range []string{"MessageSid", "AccountSid", "From", "To"} {
		t.Run(missing, func(t *testing.T) {
			v := url.Values{}
			for i := 0; i < len(common); i += 2 {
				if common[i] != missing {
					v.Add(common[i], common[i+1])
				}
			}
			_, err := ParseInbound(FormFromValues(v))
			require.ErrorIs(t, err, ErrNotAMessage)
			require.ErrorContains(t, err, missing)
		})
	}
}

func TestParseForm(t *testing.T) {
	f, err := ParseForm([]byte("b=2&a=1&a=0&c=x+y%21&&d"))
	require.NoError(t, err)
	require.Equal(t, []Param{{"a", "0"}, {"a", "1"}, {"b", "2"}, {"c", "x y!"}, {"d", ""}}, f.Params())
	require.Equal(t, "0", f.Get("a"))
	require.True(t, f.Has("d"))
	require.False(t, f.Has("e"))
	for _, bad := range []string{"a=%zz", "a=1;b=2", "%=1"} {
		_, err := ParseForm([]byte(bad))
		require.ErrorIs(t, err, ErrMalformedForm, bad)
	}
	empty, err := ParseForm(nil)
	require.NoError(t, err)
	require.Zero(t, empty.Len())
}

func TestParseStatus(t *testing.T) {
	s, err := ParseStatus(form("MessageSid", "SM1", "SmsSid", "SM1", "MessageStatus", "undelivered", "SmsStatus", "undelivered",
		"AccountSid", "AC1", "From", "whatsapp:+14155238886", "To", "whatsapp:+14155550100", "ErrorCode", "63016",
		"ErrorMessage", "outside window", "EventType", "UNDELIVERED", "ChannelPrefix", "whatsapp"))
	require.NoError(t, err)
	require.Equal(t, StatusCallback{MessageSID: "SM1", AccountSID: "AC1", From: "whatsapp:+14155238886", To: "whatsapp:+14155550100",
		Status: "undelivered", ErrorCode: 63016, ErrorMessage: "outside window", EventType: "UNDELIVERED",
		ChannelPrefix: "whatsapp", Extra: map[string]string{"SmsSid": "SM1", "SmsStatus": "undelivered"}}, s)
	s, err = ParseStatus(form("SmsSid", "SM2", "SmsStatus", "sent", "ErrorCode", "x"))
	require.NoError(t, err)
	require.Equal(t, "SM2", s.MessageSID)
	require.Equal(t, "sent", s.Status)
	require.Equal(t, -1, s.ErrorCode)
	_, err = ParseStatus(form("MessageSid", "SM3"))
	require.ErrorIs(t, err, ErrNotAStatus)
}
