package livedesk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/livedesk/livedesk/channel"
)

// ErrTemplateNotApproved is matched (with ErrBadMessage) by Send's error
// when a TemplateSID, or a ContentSID sent outside the 24-hour window, is
// not a WhatsApp-approved template of the channel's account: unknown to
// the account, pending, rejected... Nothing is queued.
var ErrTemplateNotApproved = errors.New("livedesk: not an approved WhatsApp template")

// templateEntry is one account's template list.
type templateEntry struct {
	list    []channel.Template
	fetched time.Time
}

// templateMissRefresh is how old a cached list must be before a template
// it does not know triggers a new listing (one just created in Twilio).
const templateMissRefresh = 30 * time.Second

// Templates returns the Content templates of the channel's Twilio account
// with their WhatsApp approval status, for a template picker: outside the
// 24-hour window only those whose Approved() is true can be sent. The
// list is cached per account for Options.TemplateCacheTTL (5 minutes by
// default); refresh fetches it again. ErrNotFound for an unknown channel;
// ErrUnsupported when the Messenger is not a channel.TemplateLister.
func (d *Desk) Templates(ctx context.Context, channelID string, refresh bool) ([]channel.Template, error) {
	tl, ok := d.messenger.(channel.TemplateLister)
	if !ok {
		return nil, fmt.Errorf("%w: template listing (channel.TemplateLister)", ErrUnsupported)
	}
	ch, err := d.Channel(ctx, channelID)
	if err != nil {
		return nil, err
	}
	maxAge := d.setup.templateTTL
	if refresh {
		maxAge = 0
	}
	list, _, err := d.templates(ctx, tl, ch, maxAge)
	if err != nil {
		return nil, fmt.Errorf("livedesk: templates of channel %q: %w", channelID, err)
	}
	return append([]channel.Template(nil), list...), nil
}

// templates returns the account's list, fetched again when older than
// maxAge, and its age.
func (d *Desk) templates(ctx context.Context, tl channel.TemplateLister, ch channel.Channel, maxAge time.Duration) ([]channel.Template, time.Duration, error) {
	key := ch.Twilio.AccountSID
	now := d.clock.Now()
	d.setup.mu.Lock()
	e, ok := d.setup.templates[key]
	d.setup.mu.Unlock()
	if ok && now.Sub(e.fetched) < maxAge {
		return e.list, now.Sub(e.fetched), nil
	}
	list, err := tl.Templates(ctx, ch)
	if err != nil {
		return nil, 0, err
	}
	d.setup.mu.Lock()
	d.setup.templates[key] = templateEntry{list: list, fetched: now}
	d.setup.mu.Unlock()
	return list, 0, nil
}

// checkTemplates refuses, before anything is queued, a TemplateSID that is
// not an approved WhatsApp template of the channel's account, and a
// ContentSID when the window is closed (only approved templates are
// delivered then). Inside the window a ContentSID may be unapproved rich
// content (a list picker, quick replies), so it is not checked. Without a
// channel.TemplateLister, with Options.SkipTwilioChecks, or when the list
// cannot be fetched (logged), Twilio remains the judge.
func (d *Desk) checkTemplates(ctx context.Context, channelID string, out Outgoing, windowOpen bool) error {
	var sids []string
	if out.TemplateSID != "" {
		sids = append(sids, out.TemplateSID)
	}
	if out.ContentSID != "" && !windowOpen {
		sids = append(sids, out.ContentSID)
	}
	tl, ok := d.messenger.(channel.TemplateLister)
	if len(sids) == 0 || !ok || d.setup.skipChecks {
		return nil
	}
	e, err := d.channels.get(ctx, channelID)
	if err != nil {
		return fmt.Errorf("livedesk: send on channel %q: %w", channelID, err)
	}
	for _, sid := range sids {
		t, found, err := d.findTemplate(ctx, tl, e.ch, sid)
		switch {
		case err != nil:
			d.log.WarnContext(ctx, "templates could not be listed; Twilio will judge the template", "channel", channelID, "template", sid, "err", err)
			return nil
		case !found:
			return fmt.Errorf("%w: %w: %s is not a Content template of this channel's Twilio account", ErrBadMessage, ErrTemplateNotApproved, sid)
		case !t.Approved():
			status := t.WhatsApp.Status
			if status == "" {
				status = "never submitted to WhatsApp"
			}
			return fmt.Errorf("%w: %w: %s (%q) is %s", ErrBadMessage, ErrTemplateNotApproved, sid, t.Name, status)
		}
	}
	return nil
}

// findTemplate looks sid up in the cached list, listing again once when it
// is unknown and the list is older than templateMissRefresh.
func (d *Desk) findTemplate(ctx context.Context, tl channel.TemplateLister, ch channel.Channel, sid string) (channel.Template, bool, error) {
	list, age, err := d.templates(ctx, tl, ch, d.setup.templateTTL)
	if err != nil {
		return channel.Template{}, false, err
	}
	for pass := 0; ; pass++ {
		for _, t := range list {
			if t.SID == sid {
				return t, true, nil
			}
		}
		if pass > 0 || age < templateMissRefresh {
			return channel.Template{}, false, nil
		}
		if list, age, err = d.templates(ctx, tl, ch, 0); err != nil {
			return channel.Template{}, false, err
		}
	}
}
