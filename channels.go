package livedesk

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// CreateChannel validates ch, assigns it a UUID when ch.ID is empty, checks
// it with Twilio, stores it at Version 1 and returns it. Then point Twilio
// at WebhookURL(ch.ID): ConfigureWebhook does it, or paste it into the
// Twilio console. ch.Settings.Assignment's Agents and AIAgents, when set,
// become the channel's first members (afterwards AddAgent, RemoveAgent,
// AddAIAgent and EnableAIAgent change them). Invalid configuration,
// including a routing rule or member naming an agent that does not exist
// or an AI agent missing from Options.AIAgents, returns a
// *channel.ValidationError listing every problem (errors.Is(err,
// channel.ErrInvalid)); nothing is stored then. An ID that is taken
// returns an error matching ErrExists.
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
	if err := d.checkReferences(ctx, &ch, true); err != nil {
		return channel.Channel{}, err
	}
	if err := d.checkChannel(ctx, ch); err != nil {
		return channel.Channel{}, err
	}
	now := d.clock.Now()
	ch.CreatedAt, ch.UpdatedAt, ch.Version = now, now, 1
	if err := d.store.CreateChannel(ctx, ch); err != nil {
		return channel.Channel{}, fmt.Errorf("livedesk: create channel %q: %w", ch.ID, err)
	}
	d.channels.put(ch)
	return ch, nil
}

// UpdateChannel validates and replaces a channel's name, credentials and
// settings, and returns it as stored (with its new Version). CreatedAt is
// kept. Changed Twilio credentials or sender are checked with Twilio
// first, as in CreateChannel. Membership is not part of the update: Settings.Assignment.Agents
// and AIAgents are ignored, so a copy read before AddAgent never removes
// that agent.
//
// The update is a compare-and-swap on ch.Version: when the channel changed
// since ch was read, UpdateChannel returns an error matching ErrConflict
// and changes nothing. The pattern is read, modify, update, and on a
// conflict start again from a fresh read:
//
//	for {
//		ch, err := desk.Channel(ctx, id)
//		if err != nil {
//			return err
//		}
//		ch.Settings.Greeting = channel.Greeting{Enabled: true, Text: "Hi!"}
//		if _, err = desk.UpdateChannel(ctx, ch); !errors.Is(err, livedesk.ErrConflict) {
//			return err
//		}
//	}
//
// ErrNotFound if it does not exist. Other processes sharing the store see
// the change within Options.ChannelCacheTTL.
func (d *Desk) UpdateChannel(ctx context.Context, ch channel.Channel) (channel.Channel, error) {
	if ch.ID == "" {
		return channel.Channel{}, fmt.Errorf("livedesk: update channel: ID is required")
	}
	if err := ch.Validate(); err != nil {
		return channel.Channel{}, err
	}
	if err := d.checkReferences(ctx, &ch, false); err != nil {
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
	stored, err := d.store.UpdateChannel(ctx, ch)
	if err != nil {
		return channel.Channel{}, fmt.Errorf("livedesk: update channel %q: %w", ch.ID, err)
	}
	d.channels.put(stored)
	d.wake()
	return stored, nil
}

// checkReferences refuses a channel whose routing rules (and, when members
// is set, whose members) name a human agent that does not exist or an AI
// agent the desk has no implementation for: such a rule would leave its
// conversations waiting forever. Teams are free names: a team nobody is in
// is reported when a conversation is queued for it.
func (d *Desk) checkReferences(ctx context.Context, ch *channel.Channel, members bool) error {
	var ps []channel.Problem
	agent := func(field, id string) error {
		_, err := d.store.Agent(ctx, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			ps = append(ps, channel.Problem{Field: field, Message: fmt.Sprintf("names agent %q, which does not exist: create it with CreateAgent first", id)})
		case err != nil:
			return fmt.Errorf("livedesk: check agent %q: %w", id, err)
		}
		return nil
	}
	ai := func(field, id string) {
		if _, ok := d.aiAgents[id]; !ok {
			ps = append(ps, channel.Problem{Field: field, Message: fmt.Sprintf("names AI agent %q, which is not in Options.AIAgents", id),
				Err: ErrUnknownAIAgent})
		}
	}
	a := &ch.Settings.Assignment
	for i, r := range a.Rules {
		field := fmt.Sprintf("Settings.Assignment.Rules[%d].then", i)
		switch {
		case r.Then.Agent != "":
			if err := agent(field+".agent", r.Then.Agent); err != nil {
				return err
			}
		case r.Then.AIAgent != "":
			ai(field+".ai_agent", r.Then.AIAgent)
		}
	}
	if members {
		for i, id := range a.Agents {
			if err := agent(fmt.Sprintf("Settings.Assignment.Agents[%d]", i), id); err != nil {
				return err
			}
		}
		for i, r := range a.AIAgents {
			ai(fmt.Sprintf("Settings.Assignment.AIAgents[%d]", i), r.ID)
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return &channel.ValidationError{Problems: ps}
}

// Channel returns a channel with its members, or an error matching
// ErrNotFound.
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

// DeleteChannel removes a channel and its members; its webhooks answer 404
// from then on. Conversations and messages are kept. ErrNotFound if it
// does not exist.
func (d *Desk) DeleteChannel(ctx context.Context, id string) error {
	if err := d.store.DeleteChannel(ctx, id); err != nil {
		return fmt.Errorf("livedesk: delete channel %q: %w", id, err)
	}
	d.channels.invalidate(id)
	return nil
}
