package channel_test

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/livedesk/livedesk/channel"
)

const (
	token     = "5ecre7a0a0a0a0a0a0a0a0a0a0a0a0a1"
	token2    = "5ecre7b0b0b0b0b0b0b0b0b0b0b0b0b2"
	keySecret = "KeySecretKeySecretKeySecret0001"
)

func secretChannel() channel.Channel {
	return channel.Channel{
		ID: "support", Name: "Support",
		Twilio: channel.Twilio{
			AccountSID: "AC0123456789abcdef0123456789abcdef", AuthToken: token, SecondaryAuthToken: token2,
			PhoneNumber: "+14155238886", APIKeySID: "SK0123456789abcdef0123456789abcdef", APIKeySecret: keySecret,
		},
	}
}

// holder is a host's own struct that embeds channels somewhere deep.
type holder struct {
	Name     string
	Channels []channel.Channel
	Primary  *channel.Channel
	Tokens   map[string]channel.Secret
}

func assertRedacted(t *testing.T, encoding, out string) {
	t.Helper()
	for _, s := range []string{token, token2, keySecret} {
		if strings.Contains(out, s) {
			t.Fatalf("%s leaks a secret: %s", encoding, out)
		}
	}
	if !strings.Contains(out, "[redacted]") {
		t.Fatalf("%s shows no redaction marker (did the field vanish?): %s", encoding, out)
	}
}

func TestSecretRedactedInEveryEncoding(t *testing.T) {
	ch := secretChannel()
	h := holder{Name: "host", Channels: []channel.Channel{ch, ch}, Primary: &ch,
		Tokens: map[string]channel.Secret{"a": token}}
	encoders := map[string]func() (string, error){
		"json channel": func() (string, error) { b, err := json.Marshal(ch); return string(b), err },
		"json []channel": func() (string, error) {
			b, err := json.Marshal([]channel.Channel{ch})
			return string(b), err
		},
		"json holder":  func() (string, error) { b, err := json.MarshalIndent(h, "", " "); return string(b), err },
		"json secret":  func() (string, error) { b, err := json.Marshal(ch.Twilio.AuthToken); return string(b), err },
		"xml channel":  func() (string, error) { b, err := xml.Marshal(ch); return string(b), err },
		"xml attr":     func() (string, error) { b, err := xml.Marshal(xmlAttr{S: token}); return string(b), err },
		"gob channel":  func() (string, error) { return gobString(ch) },
		"gob holder":   func() (string, error) { return gobString(h) },
		"fmt %v":       func() (string, error) { return fmt.Sprintf("%v", h), nil },
		"fmt %+v":      func() (string, error) { return fmt.Sprintf("%+v", h), nil },
		"fmt %#v":      func() (string, error) { return fmt.Sprintf("%#v", h), nil },
		"fmt %s":       func() (string, error) { return fmt.Sprintf("%s", ch.Twilio.AuthToken), nil },
		"fmt %q":       func() (string, error) { return fmt.Sprintf("%q", ch.Twilio.AuthToken), nil },
		"fmt %x":       func() (string, error) { return fmt.Sprintf("%x %X", ch.Twilio.AuthToken, ch.Twilio.APIKeySecret), nil },
		"fmt Sprint":   func() (string, error) { return fmt.Sprint(ch.Twilio.AuthTokens()), nil },
		"slog json":    func() (string, error) { return slogString(slog.NewJSONHandler, h), nil },
		"slog text":    func() (string, error) { return slogString(slog.NewTextHandler, h), nil },
		"slog json []": func() (string, error) { return slogString(slog.NewJSONHandler, []channel.Channel{ch}), nil },
		"slog text []": func() (string, error) { return slogString(slog.NewTextHandler, []channel.Channel{ch}), nil },
		"slog json ch": func() (string, error) { return slogString(slog.NewJSONHandler, ch.Twilio.AuthToken), nil },
	}
	for name, enc := range encoders {
		t.Run(name, func(t *testing.T) {
			out, err := enc()
			if err != nil {
				t.Fatal(err)
			}
			assertRedacted(t, name, out)
		})
	}
}

type xmlAttr struct {
	S channel.Secret `xml:"s,attr"`
}

func gobString(v any) (string, error) {
	var b bytes.Buffer
	err := gob.NewEncoder(&b).Encode(v)
	return b.String(), err
}

func slogString[H slog.Handler](newHandler func(w io.Writer, o *slog.HandlerOptions) H, v any) string {
	var b bytes.Buffer
	slog.New(newHandler(&b, nil)).Info("channels", "value", v)
	return b.String()
}

func TestSecretEmptyStaysEmpty(t *testing.T) {
	b, err := json.Marshal(channel.Twilio{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"auth_token":""`) || strings.Contains(string(b), "redacted") {
		t.Fatalf("empty secret should encode as empty: %s", b)
	}
}

func TestSecretRevealAndDecode(t *testing.T) {
	if got := channel.Secret(token).Reveal(); got != token {
		t.Fatalf("Reveal = %q", got)
	}
	// A host loading channels from its own configuration decodes clear values.
	var tw channel.Twilio
	if err := json.Unmarshal([]byte(`{"auth_token":"`+token+`","api_key_secret":"`+keySecret+`"}`), &tw); err != nil {
		t.Fatal(err)
	}
	if tw.AuthToken.Reveal() != token || tw.APIKeySecret.Reveal() != keySecret {
		t.Fatalf("decoded %q %q", tw.AuthToken.Reveal(), tw.APIKeySecret.Reveal())
	}
	// A channel that went through an encoder and back fails loudly instead
	// of carrying the placeholder as its token.
	out, err := json.Marshal(secretChannel())
	if err != nil {
		t.Fatal(err)
	}
	var back channel.Channel
	if err := json.Unmarshal(out, &back); !errors.Is(err, channel.ErrRedactedSecret) {
		t.Fatalf("decoding a redacted channel: err = %v, want ErrRedactedSecret", err)
	}
	if err := xml.Unmarshal([]byte(`<x s="[redacted]"></x>`), &xmlAttr{}); !errors.Is(err, channel.ErrRedactedSecret) {
		t.Fatalf("xml: err = %v, want ErrRedactedSecret", err)
	}
}
