package livedesk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// ErrOutsideWindow is returned when a free-form message would be sent
// outside WhatsApp's 24-hour customer-service window (counted from the
// customer's last message) and no approved template was given to send
// instead. Queued automatic messages that hit it fail with this reason.
var ErrOutsideWindow = errors.New("livedesk: outside WhatsApp's 24-hour window: only an approved template (ContentSID) can be sent until the customer writes again")

// ErrBadMessage is matched by errors about an outgoing message's content.
var ErrBadMessage = errors.New("livedesk: bad message")

// Outgoing is a message an agent (or the host application) sends to a
// conversation's customer.
type Outgoing struct {
	// AgentID is who writes; recorded as the message's author.
	AgentID string
	// Text and/or MediaURLs make a free-form message, only deliverable
	// inside the 24-hour window.
	Text      string
	MediaURLs []string
	// ContentSID (HX…) sends a Content template instead, with
	// ContentVariables ({"1": "Ana"}).
	ContentSID       string
	ContentVariables map[string]string
	// TemplateSID is an approved template sent instead of Text when the
	// window is closed (with ContentVariables).
	TemplateSID string
	// Key makes the send idempotent: a second Send with the same Key
	// returns the first message. Empty: a new key.
	Key string
}

// Reply queues a text message from an agent to the conversation's customer.
// Outside the 24-hour window it returns ErrOutsideWindow and queues nothing;
// use Send with a TemplateSID there.
func (d *Desk) Reply(ctx context.Context, conversationID, agentID, text string) (store.Message, error) {
	return d.Send(ctx, conversationID, Outgoing{AgentID: agentID, Text: text})
}

// Send queues a message to a conversation's customer; Run delivers it. The
// message is checked first (ErrBadMessage) and so is the 24-hour window
// (ErrOutsideWindow for free-form text with no TemplateSID). A TemplateSID
// (and a ContentSID outside the window) must be an approved WhatsApp
// template of the channel's account (ErrTemplateNotApproved; see
// Templates).
func (d *Desk) Send(ctx context.Context, conversationID string, out Outgoing) (store.Message, error) {
	if err := out.validate(); err != nil {
		return store.Message{}, err
	}
	conv, err := d.store.Conversation(ctx, conversationID)
	if err != nil {
		return store.Message{}, fmt.Errorf("livedesk: send to conversation %q: %w", conversationID, err)
	}
	contact, err := d.store.Contact(ctx, conv.ContactID)
	if err != nil {
		return store.Message{}, fmt.Errorf("livedesk: send to conversation %q: %w", conversationID, err)
	}
	now := d.clock.Now()
	open := contact.WindowOpen(now, d.windowMargin)
	if out.ContentSID == "" && out.TemplateSID == "" && !open {
		return store.Message{}, fmt.Errorf("%w (last customer message %s)", ErrOutsideWindow, contact.LastInboundAt.Format("2006-01-02 15:04 MST"))
	}
	if err := d.checkTemplates(ctx, conv.ChannelID, out, open); err != nil {
		return store.Message{}, err
	}
	key := out.Key
	if key == "" {
		key = "reply:" + uuid.NewString()
	}
	msg, created, err := d.store.Enqueue(ctx, store.Message{
		ChannelID: conv.ChannelID, ConversationID: conv.ID, ContactID: conv.ContactID,
		Kind: store.KindReply, Key: key, AuthorID: out.AgentID, Text: out.Text, MediaURLs: out.MediaURLs,
		ContentSID: out.ContentSID, ContentVariables: out.ContentVariables, TemplateSID: out.TemplateSID,
	}, now)
	if err != nil {
		return store.Message{}, fmt.Errorf("livedesk: send to conversation %q: %w", conversationID, err)
	}
	if created {
		d.queued(ctx, []store.Message{msg})
	}
	d.checkRun(ctx)
	return msg, nil
}

func (o Outgoing) validate() error {
	var problems []string
	switch {
	case strings.TrimSpace(o.AgentID) == "":
		problems = append(problems, "AgentID is required")
	}
	if o.ContentSID != "" {
		if o.Text != "" || len(o.MediaURLs) > 0 {
			problems = append(problems, "ContentSID replaces Text and MediaURLs: set one or the other")
		}
		if !validContentSID(o.ContentSID) {
			problems = append(problems, fmt.Sprintf("ContentSID %q is not HX followed by 32 hex digits", o.ContentSID))
		}
	} else if strings.TrimSpace(o.Text) == "" && len(o.MediaURLs) == 0 {
		problems = append(problems, "Text, MediaURLs or ContentSID is required")
	}
	if o.TemplateSID != "" && !validContentSID(o.TemplateSID) {
		problems = append(problems, fmt.Sprintf("TemplateSID %q is not HX followed by 32 hex digits", o.TemplateSID))
	}
	if utf8.RuneCountInString(o.Text) > channel.MaxTextLength {
		problems = append(problems, fmt.Sprintf("Text is longer than %d characters", channel.MaxTextLength))
	}
	for _, u := range o.MediaURLs {
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			problems = append(problems, fmt.Sprintf("media URL %q must be a public http(s) URL Twilio can fetch", u))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrBadMessage, strings.Join(problems, "; "))
}

func validContentSID(s string) bool {
	if len(s) != 34 || !strings.HasPrefix(s, "HX") {
		return false
	}
	for _, c := range s[2:] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
