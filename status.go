package livedesk

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/twilio"
)

// errWindowClosed is Twilio's code for a free-form message sent outside the
// 24-hour window.
const errWindowClosed = 63016

// serveStatus handles a delivery status callback. It is verified like an
// inbound webhook; after that everything is answered 200 (unknown statuses,
// unknown messages, duplicates), because a 4xx only fills Twilio's debugger.
// Only a value Twilio never sends (twilio.ErrInvalidParam, a malformed o=)
// gets 400, and a store failure 500. A failure's text is Twilio's
// ErrorMessage with WhatsApp's ChannelStatusMessage (cb.ErrorText).
func (d *Desk) serveStatus(r *http.Request, channelID string) error {
	ctx := r.Context()
	e, form, err := d.verified(r, channelID, true)
	if err != nil {
		return err
	}
	cb, err := twilio.ParseStatus(form)
	if errors.Is(err, twilio.ErrInvalidParam) {
		return fmt.Errorf("%w: %w", errMalformed, err) // a value Twilio never sends: 400
	}
	if err != nil {
		d.log.WarnContext(ctx, "status callback ignored", "channel", channelID, "err", err)
		return nil
	}
	// o is the message ID the desk put in the callback URL (outbox.go).
	messageID := r.URL.Query().Get("o")
	if messageID != "" && !channel.ValidID(messageID) {
		return fmt.Errorf("%w: o=%s is not a message ID", errMalformed, channel.Excerpt(messageID))
	}
	if cb.AccountSID != "" && cb.AccountSID != e.ch.Twilio.AccountSID {
		return fmt.Errorf("%w: AccountSid %s is not the channel's account", errForeign, cb.AccountSID)
	}
	status, ok := mapStatus(cb.Status)
	if !ok {
		d.log.InfoContext(ctx, "status callback with a status that says nothing about delivery", "channel", channelID, "sid", cb.MessageSID, "status", cb.Status)
		return nil
	}
	sctx, end := d.span(ctx, SpanStore, SpanAttrs{StoreOp: "ApplyStatus", ChannelID: channelID, MessageSID: cb.MessageSID})
	m, changed, err := d.store.ApplyStatus(sctx, store.StatusUpdate{
		ChannelID: channelID, MessageID: messageID, SID: cb.MessageSID, Status: status,
		ErrorCode: cb.ErrorCode, ErrorMessage: cb.ErrorText(), CloseWindow: cb.ErrorCode == errWindowClosed,
		At: d.clock.Now(),
	})
	end.End(SpanAttrs{StoreOp: "ApplyStatus", ChannelID: channelID, MessageSID: cb.MessageSID, MessageID: m.ID}, err)
	if errors.Is(err, store.ErrNotFound) {
		d.log.InfoContext(ctx, "status callback for a message this desk did not send", "channel", channelID, "sid", cb.MessageSID, "status", cb.Status)
		return nil
	}
	if err != nil {
		return fmt.Errorf("%w: status of %s: %w", errStore, cb.MessageSID, err)
	}
	if changed && (m.Status == store.DeliveryFailed || m.Status == store.DeliveryUndelivered) {
		d.log.ErrorContext(ctx, "Twilio reports a message not delivered", append(failureAttrs(m, cb.ErrorCode),
			"status", cb.Status, "err", sanitizeN(cb.ErrorText(), maxReason))...)
	}
	if changed {
		d.emit(ctx, Event{Type: EventDeliveryStatus, ChannelID: channelID, ConversationID: m.ConversationID,
			ContactID: m.ContactID, MessageID: m.ID, Kind: string(m.Kind), Status: string(m.Status),
			ErrorCode: cb.ErrorCode, Reason: cb.ErrorText()})
	}
	return nil
}

// providerStatus maps Twilio's MessageStatus to a DeliveryStatus, "" for
// statuses that say nothing about an outbound message.
func providerStatus(s string) store.DeliveryStatus {
	st, _ := mapStatus(s)
	return st
}

// mapStatus maps Twilio's MessageStatus to a DeliveryStatus; ok is false
// for a status Twilio does not document.
func mapStatus(s string) (store.DeliveryStatus, bool) {
	switch s {
	case "accepted":
		return store.DeliveryAccepted, true
	case "scheduled":
		return store.DeliveryScheduled, true
	case "queued":
		return store.DeliveryQueued, true
	case "sending":
		return store.DeliveryTwilioSend, true
	case "sent":
		return store.DeliverySent, true
	case "delivered":
		return store.DeliveryDelivered, true
	case "read":
		return store.DeliveryRead, true
	case "undelivered":
		return store.DeliveryUndelivered, true
	case "failed":
		return store.DeliveryFailed, true
	case "canceled":
		return store.DeliveryCanceled, true
	}
	return "", false
}
