package livedesk

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/livedesk/livedesk/channel"
)

// CreateChannel validates ch, assigns it a UUID when ch.ID is empty, checks
// it with Twilio, stores it and returns it. Then point Twilio at
// WebhookURL(ch.ID): ConfigureWebhook does it, or paste it into the Twilio
// console. Invalid configuration returns a *channel.ValidationError listing
// every problem (errors.Is(err, channel.ErrInvalid)); nothing is stored
// then.
//
// The check (when the Messenger is a channel.Checker, as the default
// Twilio Messenger is, and Options.SkipTwilioChecks is off) asks Twilio
// whether the credentials authenticate and the sender or Messaging Service
// belongs to the account; a refusal is a *channel.ValidationError naming
// the field (Twilio.AuthToken: "Twilio refused these credentials
// (20003)"). When Twilio cannot be reached the error matches
// ErrTwilioUnreachable instead, and nothing is stored either.
func (d *Desk) CreateChannel(ctx context.Context, ch channel.Channel) (channel.Channel, error) {
	if ch.ID == "" {
		ch.ID = uuid.NewString()
	}
	if err := ch.Validate(); err != nil {
		return channel.Channel{}, err
	}
	if err := d.checkChannel(ctx, ch); err != nil {
		return channel.Channel{}, err
	}
	now := d.clock.Now()
	ch.CreatedAt, ch.UpdatedAt = now, now
	if err := d.store.CreateChannel(ctx, ch); err != nil {
		return channel.Channel{}, fmt.Errorf("livedesk: create channel %q: %w", ch.ID, err)
	}
	d.channels.put(ch)
	return ch, nil
}

// UpdateChannel validates and replaces a channel (credentials, settings,
// name). CreatedAt is kept. Changed Twilio credentials or sender are
// checked with Twilio first, as in CreateChannel. ErrNotFound if it does not exist. Other
// processes sharing the store see the change within
// Options.ChannelCacheTTL.
func (d *Desk) UpdateChannel(ctx context.Context, ch channel.Channel) (channel.Channel, error) {
	if ch.ID == "" {
		return channel.Channel{}, fmt.Errorf("livedesk: update channel: ID is required")
	}
	if err := ch.Validate(); err != nil {
		return channel.Channel{}, err
	}
	old, err := d.store.Channel(ctx, ch.ID)
	if err != nil {
		return channel.Channel{}, fmt.Errorf("livedesk: update channel %q: %w", ch.ID, err)
	}
	if ch.Twilio != old.Twilio {
		if err := d.checkChannel(ctx, ch); err != nil {
			return channel.Channel{}, err
		}
	}
	ch.CreatedAt, ch.UpdatedAt = old.CreatedAt, d.clock.Now()
	if err := d.store.UpdateChannel(ctx, ch); err != nil {
		return channel.Channel{}, fmt.Errorf("livedesk: update channel %q: %w", ch.ID, err)
	}
	d.channels.put(ch)
	return ch, nil
}

// Channel returns a channel, or an error matching ErrNotFound.
func (d *Desk) Channel(ctx context.Context, id string) (channel.Channel, error) {
	ch, err := d.store.Channel(ctx, id)
	if err != nil {
		return channel.Channel{}, fmt.Errorf("livedesk: channel %q: %w", id, err)
	}
	return ch, nil
}

// Channels returns every channel, oldest first.
func (d *Desk) Channels(ctx context.Context) ([]channel.Channel, error) {
	chs, err := d.store.ListChannels(ctx)
	if err != nil {
		return nil, fmt.Errorf("livedesk: list channels: %w", err)
	}
	return chs, nil
}

// DeleteChannel removes a channel; its webhooks answer 404 from then on.
// Conversations and messages are kept. ErrNotFound if it does not exist.
func (d *Desk) DeleteChannel(ctx context.Context, id string) error {
	if err := d.store.DeleteChannel(ctx, id); err != nil {
		return fmt.Errorf("livedesk: delete channel %q: %w", id, err)
	}
	d.channels.invalidate(id)
	return nil
}
