package livedesk

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/twilio"
)

// errWindowClosed is Twilio's code for a free-form message sent outside the
// 24-hour window.
const errWindowClosed = 63016

// serveStatus handles a delivery status callback. It is verified like an
// inbound webhook; after that everything is answered 200 (unknown statuses,
// unknown messages, duplicates), because a 4xx only fills Twilio's debugger.
// Only a store failure gets 500.
func (d *Desk) serveStatus(r *http.Request, channelID string) error {
	ctx := r.Context()
	e, form, err := d.verified(r, channelID, true)
	if err != nil {
		return err
	}
	cb, err := twilio.ParseStatus(form)
	if err != nil {
		d.log.WarnContext(ctx, "status callback ignored", "channel", channelID, "err", err)
		return nil
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
		ChannelID: channelID, MessageID: r.URL.Query().Get("o"), SID: cb.MessageSID, Status: status,
		ErrorCode: cb.ErrorCode, ErrorMessage: cb.ErrorMessage, CloseWindow: cb.ErrorCode == errWindowClosed,
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
			"status", cb.Status, "err", sanitizeN(cb.ErrorMessage, maxReason))...)
	}
	if changed {
		d.emit(ctx, Event{Type: EventDeliveryStatus, ChannelID: channelID, ConversationID: m.ConversationID,
			ContactID: m.ContactID, MessageID: m.ID, Kind: string(m.Kind), Status: string(m.Status),
			ErrorCode: cb.ErrorCode, Reason: cb.ErrorMessage})
	}
	return nil
}
