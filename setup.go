package livedesk

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/twilio"
)

// ErrTwilioUnreachable is twilio.ErrUnreachable: matched when a set-up call
// (the credential check of CreateChannel and UpdateChannel,
// ConfigureWebhook, SenderStatus, Typing, Templates) could not reach
// Twilio or got no usable answer (timeout, 429, 5xx). Nothing was stored
// or changed; the same call may succeed later.
var ErrTwilioUnreachable = twilio.ErrUnreachable

// ErrWebhookInUse is channel.ErrWebhookInUse: ConfigureWebhook found a
// different URL already set and was not told to overwrite it.
var ErrWebhookInUse = channel.ErrWebhookInUse

// ErrUnsupported is returned by the set-up methods when the desk's
// Messenger does not implement the capability they need (see the
// interfaces in package channel). The default Twilio Messenger implements
// them all.
var ErrUnsupported = errors.New("livedesk: the Messenger does not support this")

// setupState is the desk's state for the set-up features: the template
// cache and the typing indicators' rate limit.
type setupState struct {
	skipChecks  bool
	templateTTL time.Duration

	mu        sync.Mutex
	templates map[string]templateEntry // by account SID
	typing    map[string]time.Time     // conversation ID -> last indicator
}

func newSetupState(opts Options) *setupState {
	return &setupState{
		skipChecks:  opts.SkipTwilioChecks,
		templateTTL: positive(opts.TemplateCacheTTL, 5*time.Minute),
		templates:   map[string]templateEntry{},
		typing:      map[string]time.Time{},
	}
}

// checkChannel asks the Messenger, when it is a channel.Checker, whether
// ch works. A refusal is returned as is (a *channel.ValidationError, like
// Validate's); any other failure is wrapped.
func (d *Desk) checkChannel(ctx context.Context, ch channel.Channel) error {
	c, ok := d.messenger.(channel.Checker)
	if !ok || d.setup.skipChecks {
		return nil
	}
	err := c.CheckChannel(ctx, ch)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, channel.ErrInvalid):
		return err
	}
	return fmt.Errorf("livedesk: checking channel %q with Twilio: %w", ch.ID, err)
}

// WebhookOptions tune ConfigureWebhook.
type WebhookOptions struct {
	// Overwrite allows replacing a different URL already set in Twilio.
	Overwrite bool
	// DryRun reports what would change and changes nothing.
	DryRun bool
}

// ConfigureWebhook points Twilio at the desk for a channel, the API
// equivalent of pasting WebhookURL(channelID) into the Twilio console: the
// Messaging Service's inbound request URL (Messaging Service mode) or the
// WhatsApp sender's webhook (classic mode), with POST. The returned change
// says what was done (or, with DryRun, would be). A different URL already
// set is kept unless opts.Overwrite: the error then matches
// ErrWebhookInUse and the change shows the URL in place. ErrUnsupported
// when the Messenger is not a channel.WebhookConfigurer.
func (d *Desk) ConfigureWebhook(ctx context.Context, channelID string, opts WebhookOptions) (channel.WebhookChange, error) {
	wc, ok := d.messenger.(channel.WebhookConfigurer)
	if !ok {
		return channel.WebhookChange{}, fmt.Errorf("%w: webhook configuration (channel.WebhookConfigurer)", ErrUnsupported)
	}
	ch, err := d.Channel(ctx, channelID)
	if err != nil {
		return channel.WebhookChange{}, err
	}
	c, err := wc.ConfigureWebhook(ctx, ch, channel.WebhookRequest{URL: d.WebhookURL(ch.ID), Overwrite: opts.Overwrite, DryRun: opts.DryRun})
	if err != nil {
		return c, fmt.Errorf("livedesk: configure webhook of channel %q: %w", channelID, err)
	}
	if c.Applied {
		d.log.InfoContext(ctx, "Twilio webhook configured", "channel", channelID, "change", c.String())
	}
	return c, nil
}

// SenderStatus returns the channel's WhatsApp senders as Twilio reports
// them (status, quality rating, messaging limit, offline reasons), for an
// admin page or a health check: a sender whose Online() is false cannot
// send. ErrUnsupported when the Messenger is not a channel.SenderReporter.
func (d *Desk) SenderStatus(ctx context.Context, channelID string) ([]channel.SenderStatus, error) {
	sr, ok := d.messenger.(channel.SenderReporter)
	if !ok {
		return nil, fmt.Errorf("%w: sender status (channel.SenderReporter)", ErrUnsupported)
	}
	ch, err := d.Channel(ctx, channelID)
	if err != nil {
		return nil, err
	}
	st, err := sr.SenderStatus(ctx, ch)
	if err != nil {
		return nil, fmt.Errorf("livedesk: sender status of channel %q: %w", channelID, err)
	}
	return st, nil
}
