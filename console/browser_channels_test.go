package console_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/livedesk/livedesk/channel"
)

// The credentials typed in the "Add WhatsApp channel" form.
var (
	formAccountSID = "AC" + strings.Repeat("b", 32)
	formAuthToken  = channel.Secret("fedcba9876543210fedcba9876543210")
	formServiceSID = "MG" + strings.Repeat("c", 32)
	formPhone      = "+14155238887"
)

// addChannel fills the "Add WhatsApp channel" form and returns the
// webhook URL the confirmation page shows, and the created channel.
func addChannel(t *testing.T, e *env, ctx context.Context, name string, service bool) (string, channel.Channel) {
	t.Helper()
	// The host's Twilio account has these credentials and this sender or
	// Messaging Service: the desk checks them with (fake) Twilio on create.
	account := channel.Twilio{AccountSID: formAccountSID, AuthToken: formAuthToken}
	if service {
		account.MessagingServiceSID = formServiceSID
	} else {
		account.PhoneNumber = formPhone
	}
	e.h.Twilio.Register(channel.Channel{Twilio: account})
	e.visit(t, ctx, "/channels", "#add-channel")
	e.run(t, ctx, chromedp.Click("#add-channel"), chromedp.WaitVisible("#channel-form"),
		chromedp.SendKeys("#name", name),
		chromedp.SendKeys("#account_sid", formAccountSID),
		chromedp.SendKeys("#auth_token", string(formAuthToken)))
	if service {
		e.run(t, ctx, chromedp.Click("#messaging_service"), chromedp.WaitVisible("#messaging_service_sid"),
			chromedp.WaitNotVisible("#phone_number"), chromedp.SendKeys("#messaging_service_sid", formServiceSID))
	} else {
		e.run(t, ctx, chromedp.SendKeys("#phone_number", formPhone))
	}
	e.run(t, ctx, chromedp.Click("#create-channel"), chromedp.WaitVisible("#webhook-url"))
	hook := value(t, ctx, chromedp.Value("#webhook-url"))
	loc := value(t, ctx, chromedp.Location())
	id := strings.TrimSuffix(loc[strings.Index(loc, "/channels/")+len("/channels/"):], "/created")
	ch, err := e.h.Desk.Channel(context.Background(), id)
	if err != nil {
		t.Fatalf("the channel of %s is not stored: %v", loc, err)
	}
	return hook, ch
}

func TestBrowserCreateClassicChannel(t *testing.T) {
	e := newEnv(t)
	ctx := e.browser(t, "admin")
	hook, ch := addChannel(t, e, ctx, "Sales", false)
	if want := e.h.Desk.WebhookURL(ch.ID); hook != want {
		t.Errorf("page shows webhook %q, want %q", hook, want)
	}
	if ch.Name != "Sales" || ch.Twilio.PhoneNumber != "+14155238887" || ch.Twilio.MessagingServiceSID != "" ||
		ch.Twilio.AuthToken != "fedcba9876543210fedcba9876543210" {
		t.Errorf("stored channel %+v", ch.Twilio)
	}
	steps := value(t, ctx, chromedp.Text("#steps-classic"))
	if !strings.Contains(steps, "WhatsApp senders") || !strings.Contains(steps, "+14155238887") {
		t.Errorf("classic steps: %q", steps)
	}
	// The copy button copies the URL (the page says so).
	e.run(t, ctx, chromedp.Click("button.copy"), chromedp.Poll[chromedp.Void](`document.querySelector('button.copy').textContent === 'Copied'`))
	screenshot(t, ctx, "channel-created")
	// The list shows it with the same URL.
	e.visit(t, ctx, "/channels", "#add-channel")
	html := value(t, ctx, chromedp.OuterHTML("main"))
	if !strings.Contains(html, hook) {
		t.Error("the channel list does not show the webhook URL")
	}
	screenshot(t, ctx, "channels")
}

func TestBrowserCreateMessagingServiceChannel(t *testing.T) {
	e := newEnv(t)
	ctx := e.browser(t, "admin")
	hook, ch := addChannel(t, e, ctx, "Pool", true)
	if want := e.h.Desk.WebhookURL(ch.ID); hook != want {
		t.Errorf("page shows webhook %q, want %q", hook, want)
	}
	if ch.Twilio.Mode() != channel.ModeMessagingService || ch.Twilio.MessagingServiceSID != "MG"+strings.Repeat("c", 32) || ch.Twilio.PhoneNumber != "" {
		t.Errorf("stored channel %+v", ch.Twilio)
	}
	steps := value(t, ctx, chromedp.Text("#steps-service"))
	if !strings.Contains(steps, "Messaging › Services") || !strings.Contains(steps, "Sender Pool") {
		t.Errorf("Messaging Service steps: %q", steps)
	}
}

func TestBrowserValidationErrorNextToItsField(t *testing.T) {
	e := newEnv(t)
	ctx := e.browser(t, "admin")
	before, _ := e.h.Desk.Channels(context.Background())
	e.visit(t, ctx, "/channels/new", "#channel-form")
	e.run(t, ctx, chromedp.SendKeys("#name", "Broken"), chromedp.SendKeys("#account_sid", "AC123"),
		chromedp.SendKeys("#auth_token", "0123456789abcdef0123456789abcdef"), chromedp.SendKeys("#phone_number", "0612"),
		chromedp.Click("#create-channel"), chromedp.WaitVisible("#account_sid-error"))
	msg := value(t, ctx, chromedp.Text("#account_sid-error"))
	if !strings.Contains(msg, "AC followed by 32 hex digits") {
		t.Errorf("account SID error %q", msg)
	}
	if msg := value(t, ctx, chromedp.Text("#phone_number-error")); !strings.Contains(msg, "E.164") {
		t.Errorf("phone number error %q", msg)
	}
	// Each message sits in its field's box, right under the input.
	next := value(t, ctx, chromedp.Evaluate[bool](`['account_sid','phone_number'].every(f =>
		document.getElementById(f).parentElement === document.getElementById(f+'-error').parentElement &&
		document.getElementById(f).parentElement.classList.contains('invalid'))`))
	if !next {
		t.Error("the errors are not next to their fields")
	}
	if v := value(t, ctx, chromedp.Value("#auth_token")); v != "" {
		t.Errorf("the Auth Token was rendered back: %q", v)
	}
	if v := value(t, ctx, chromedp.Value("#name")); v != "Broken" {
		t.Errorf("the name typed was lost: %q", v)
	}
	screenshot(t, ctx, "channel-errors")
	after, _ := e.h.Desk.Channels(context.Background())
	if len(after) != len(before) {
		t.Error("an invalid channel was stored")
	}
}

// A token Twilio refuses comes back next to the Auth Token field, with
// Twilio's reason, and nothing is stored.
func TestBrowserTwilioRefusalNextToAuthToken(t *testing.T) {
	e := newEnv(t)
	e.h.Twilio.Register(channel.Channel{Twilio: channel.Twilio{AccountSID: formAccountSID, AuthToken: formAuthToken, PhoneNumber: formPhone}})
	ctx := e.browser(t, "admin")
	before, _ := e.h.Desk.Channels(context.Background())
	e.visit(t, ctx, "/channels/new", "#channel-form")
	e.run(t, ctx, chromedp.SendKeys("#name", "Sales"), chromedp.SendKeys("#account_sid", formAccountSID),
		chromedp.SendKeys("#auth_token", "00000000000000000000000000000000"), chromedp.SendKeys("#phone_number", formPhone),
		chromedp.Click("#create-channel"), chromedp.WaitVisible("#auth_token-error"))
	if msg := value(t, ctx, chromedp.Text("#auth_token-error")); !strings.Contains(msg, "Twilio refused these credentials (20003)") {
		t.Errorf("auth token error %q", msg)
	}
	next := value(t, ctx, chromedp.Evaluate[bool](`document.getElementById('auth_token').parentElement ===
		document.getElementById('auth_token-error').parentElement`))
	if !next {
		t.Error("the refusal is not next to the Auth Token field")
	}
	if v := value(t, ctx, chromedp.Value("#auth_token")); v != "" {
		t.Errorf("the Auth Token was rendered back: %q", v)
	}
	after, _ := e.h.Desk.Channels(context.Background())
	if len(after) != len(before) {
		t.Error("a channel Twilio refused was stored")
	}
}

func TestBrowserRefusesWithoutUserOrToken(t *testing.T) {
	e := newEnv(t)
	ctx := e.browser(t, "")
	e.visit(t, ctx, "/inbox", "#refusal")
	if msg := value(t, ctx, chromedp.Text("h1")); msg != "Sign in required" {
		t.Errorf("without a user: %q", msg)
	}
	// Signed in, a form whose token was removed is refused and changes nothing.
	e.visit(t, ctx, "/login/admin?next=/console/agents", "#new-agent")
	screenshot(t, ctx, "agents")
	e.run(t, ctx, chromedp.SendKeys("#agent-id", "mallory"), chromedp.SendKeys("#agent-name", "Mallory"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#new-agent [name=csrf_token]').remove()`),
		chromedp.Submit("#new-agent"), chromedp.WaitVisible("#refusal"))
	if msg := value(t, ctx, chromedp.Text("#refusal")); !strings.Contains(msg, "no CSRF token") {
		t.Errorf("without a token: %q", msg)
	}
	if _, err := e.h.Desk.Agent(context.Background(), "mallory"); err == nil {
		t.Error("a request without a CSRF token created an agent")
	}
}
