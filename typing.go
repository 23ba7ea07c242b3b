package livedesk

import (
	"context"
	"fmt"
	"time"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// TypingInterval is the least time between two typing indicators of one
// conversation: WhatsApp shows one for up to 25 seconds, and Twilio asks
// not to send them more often.
const TypingInterval = 20 * time.Second

// Typing tells the customer of a conversation that an answer is coming:
// their last message is marked read (blue ticks) and "typing…" shows until
// the reply is delivered or 25 seconds pass. Call it when an agent opens a
// conversation or starts writing.
//
// It follows WhatsApp's rules and is best-effort: it sends nothing, and
// returns false with a nil error, when the customer's last message is not
// recent (the 24-hour window, less Options.WindowMargin, is closed: no
// free-form reply could follow), when an indicator was sent for the
// conversation less than TypingInterval ago, or when the Messenger has no
// typing indicator (channel.TypingIndicator). Replies never depend on it:
// a failure here (an error, e.g. matching ErrTwilioUnreachable) is only
// worth logging.
func (d *Desk) Typing(ctx context.Context, conversationID string) (bool, error) {
	ti, ok := d.messenger.(channel.TypingIndicator)
	if !ok {
		return false, nil
	}
	conv, err := d.store.Conversation(ctx, conversationID)
	if err != nil {
		return false, fmt.Errorf("livedesk: typing in conversation %q: %w", conversationID, err)
	}
	contact, err := d.store.Contact(ctx, conv.ContactID)
	if err != nil {
		return false, fmt.Errorf("livedesk: typing in conversation %q: %w", conversationID, err)
	}
	now := d.clock.Now()
	if !contact.WindowOpen(now, d.windowMargin) {
		return false, nil
	}
	last, err := d.lastInbound(ctx, conversationID)
	if err != nil {
		return false, err
	}
	if last == nil || !now.Before(last.CreatedAt.Add(24*time.Hour-d.windowMargin)) {
		return false, nil
	}
	if !d.setup.typingDue(conversationID, now) {
		return false, nil
	}
	e, err := d.channels.get(ctx, conv.ChannelID)
	if err != nil {
		return false, fmt.Errorf("livedesk: typing in conversation %q: %w", conversationID, err)
	}
	if err := ti.Typing(ctx, e.ch, last.SID); err != nil {
		d.setup.typingFailed(conversationID)
		return false, fmt.Errorf("livedesk: typing in conversation %q: %w", conversationID, err)
	}
	return true, nil
}

// lastInbound returns the conversation's latest inbound message with a
// provider SID, or nil.
func (d *Desk) lastInbound(ctx context.Context, conversationID string) (*store.Message, error) {
	msgs, err := d.store.Messages(ctx, conversationID)
	if err != nil {
		return nil, fmt.Errorf("livedesk: typing in conversation %q: %w", conversationID, err)
	}
	for i := len(msgs) - 1; i >= 0; i-- {
		if m := msgs[i]; m.Direction == store.Inbound && m.SID != "" {
			return &m, nil
		}
	}
	return nil, nil
}

// maxTyping bounds the rate-limit map; past it, entries older than
// TypingInterval are dropped.
const maxTyping = 10000

// typingDue reports whether an indicator may be sent for the conversation
// now, and if so reserves the slot.
func (s *setupState) typingDue(conversationID string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if last, ok := s.typing[conversationID]; ok && now.Sub(last) < TypingInterval {
		return false
	}
	if len(s.typing) >= maxTyping {
		for id, at := range s.typing {
			if now.Sub(at) >= TypingInterval {
				delete(s.typing, id)
			}
		}
	}
	s.typing[conversationID] = now
	return true
}

// typingFailed frees the slot of an indicator that was not shown.
func (s *setupState) typingFailed(conversationID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.typing, conversationID)
}
