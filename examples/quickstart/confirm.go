package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/twilio"
)

// twilioAccounts is what the demo's fake Twilio knows, as a real Twilio
// account would: two accounts, the first with its own WhatsApp sender, the
// second on the shared sandbox.
func twilioAccounts(api *livedesktest.TwilioAPI) {
	api.SetAuthToken(supportTwilio.AccountSID, supportTwilio.AuthToken)
	api.AddWhatsAppSender(supportTwilio.AccountSID, supportTwilio.PhoneNumber)
	api.SetAuthToken(salesTwilio.AccountSID, salesTwilio.AuthToken)
}

// The credentials an admin types in.
var (
	supportTwilio = channel.Twilio{
		AccountSID:  "AC00000000000000000000000000000000",
		AuthToken:   "00000000000000000000000000000000",
		PhoneNumber: "+14155550199",
	}
	salesTwilio = channel.Twilio{
		AccountSID:  "AC00000000000000000000000000000001",
		AuthToken:   "00000000000000000000000000000001",
		PhoneNumber: twilio.SandboxNumber,
	}
)

// confirm is the product's "Confirm" button: the desk checks the
// credentials with Twilio and stores the channel, then points Twilio at its
// webhook URL (a dry run first, then for real), or says where to paste it
// when Twilio's API cannot set it (the sandbox).
func confirm(ctx context.Context, desk *livedesk.Desk, tr *transcript, ch channel.Channel) (channel.Channel, error) {
	tr.say("\nConfirm channel %q (Account SID %s, WhatsApp number %s):", ch.Name, ch.Twilio.AccountSID, ch.Twilio.PhoneNumber)
	created, err := desk.CreateChannel(ctx, ch)
	if err != nil {
		return created, err
	}
	tr.say("  desk: credentials checked with Twilio; channel stored")
	dry, err := desk.ConfigureWebhook(ctx, created.ID, livedesk.WebhookOptions{DryRun: true})
	if errors.Is(err, twilio.ErrSandbox) {
		tr.say("  desk: the sandbox's webhook is set in the Twilio console (Messaging > Try it out > WhatsApp sandbox settings)")
		tr.say("  channel %q: webhook URL (paste into Twilio): %s", ch.Name, desk.WebhookURL(created.ID))
		return created, nil
	}
	if err != nil {
		return created, err
	}
	tr.say("  desk: %s", dry)
	done, err := desk.ConfigureWebhook(ctx, created.ID, livedesk.WebhookOptions{})
	if err != nil {
		return created, err
	}
	tr.say("  desk: %s (applied: %v)", done, done.Applied)
	senders, err := desk.SenderStatus(ctx, created.ID)
	if err != nil {
		return created, err
	}
	for _, s := range senders {
		tr.say("  desk: sender %s is %s, quality %s", s.Address, s.Status, s.QualityRating)
	}
	return created, nil
}

// refusedFirst shows the check refusing a mistyped Auth Token: nothing is
// stored.
func refusedFirst(ctx context.Context, desk *livedesk.Desk, tr *transcript, ch channel.Channel) error {
	ch.Twilio.AuthToken = "0000000000000000000000000000000O" // a typo: O for 0
	tr.say("\nConfirm channel %q with a mistyped Auth Token:", ch.Name)
	_, err := desk.CreateChannel(ctx, ch)
	if !errors.Is(err, channel.ErrInvalid) {
		return fmt.Errorf("a wrong Auth Token was not refused: %v", err)
	}
	tr.say("  desk: refused, nothing stored: %v", err)
	return nil
}
