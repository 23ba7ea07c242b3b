package livedesk

import (
	"context"
	"fmt"
	"net/http"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/twilio"
)

// serveInbound handles an inbound message webhook, in the order that keeps
// it safe: find the channel, read and parse the capped body, verify the
// signature, check the message is for this channel, record it atomically,
// then process it. Nothing is written before the signature is verified, and
// the answer is 200 only once the message is stored.
func (d *Desk) serveInbound(r *http.Request, channelID string) error {
	ctx := r.Context()
	e, form, err := d.verified(r, channelID, false)
	if err != nil {
		return err
	}
	in, err := twilio.ParseInbound(form)
	if err != nil {
		return fmt.Errorf("%w: %w", errMalformed, err)
	}
	if err := e.owns(in.AccountSID, in.To, in.MessagingServiceSID); err != nil {
		return err
	}
	// A header is not signed and may carry invalid UTF-8: the same rule as the form.
	in.IdempotencyToken = channel.CleanText(r.Header.Get("I-Twilio-Idempotency-Token"))
	rec := store.InboundRecord{ChannelID: channelID, Message: in, ReceivedAt: d.clock.Now()}
	if e.ch.Settings.CSAT.Enabled {
		rec.Answer = surveyAnswer(&in)
	}
	res, err := d.recordInbound(ctx, rec)
	if err != nil {
		return fmt.Errorf("%w: record inbound %s: %w", errStore, in.MessageSID, err)
	}
	ctx = detached(ctx)
	if res.Duplicate {
		d.emit(ctx, Event{Type: EventDuplicateIgnored, ChannelID: channelID, ConversationID: res.Conversation.ID, MessageID: res.Message.ID})
		if res.Message.Processed {
			return nil
		}
		// Recorded by an earlier delivery that did not get to process it
		// (or is processing it right now: processing is idempotent).
		return d.processStored(ctx, e, res.Message)
	}
	d.emitReceived(ctx, res, in.Type)
	_ = d.processSpan(ctx, e, res) // on failure the sweep retries; the message is safe
	d.checkRun(ctx)
	return nil
}

// recordInbound is store.RecordInbound in a store span when telemetry is
// configured.
func (d *Desk) recordInbound(ctx context.Context, rec store.InboundRecord) (store.InboundResult, error) {
	if d.tel == nil {
		return d.store.RecordInbound(ctx, rec)
	}
	sctx, end := d.tel.Start(ctx, SpanStore, SpanAttrs{StoreOp: "RecordInbound", ChannelID: rec.ChannelID, MessageSID: rec.Message.MessageSID})
	res, err := d.store.RecordInbound(sctx, rec)
	end.End(SpanAttrs{StoreOp: "RecordInbound", ChannelID: rec.ChannelID, MessageSID: rec.Message.MessageSID,
		ConversationID: res.Conversation.ID, MessageID: res.Message.ID}, err)
	return res, err
}

// processSpan is process in a processing span when telemetry is
// configured.
func (d *Desk) processSpan(ctx context.Context, e *channelEntry, res store.InboundResult) error {
	if d.tel == nil {
		return d.process(ctx, e, res)
	}
	a := SpanAttrs{ChannelID: e.ch.ID, ConversationID: res.Conversation.ID, MessageID: res.Message.ID,
		MessageSID: res.Message.SID, Kind: string(res.Message.Kind)}
	ctx, end := d.tel.Start(ctx, SpanProcess, a)
	err := d.process(ctx, e, res)
	end.End(a, err)
	return err
}

func (d *Desk) emitReceived(ctx context.Context, res store.InboundResult, typ channel.MessageType) {
	if d.onEvent == nil && d.tel == nil {
		d.feedChanged() // the store wrote these events itself
		return
	}
	if res.NewConversation {
		d.emit(ctx, Event{Type: EventConversationOpened, ChannelID: res.Conversation.ChannelID,
			ConversationID: res.Conversation.ID, ContactID: res.Contact.ID})
	}
	d.emit(ctx, Event{Type: EventMessageReceived, ChannelID: res.Message.ChannelID, ConversationID: res.Message.ConversationID,
		ContactID: res.Message.ContactID, MessageID: res.Message.ID, Kind: string(res.Message.Kind), MessageType: string(typ)})
}

// processStored processes a recorded message found later (a retried
// delivery or the sweep). It reads the facts RecordInbound recorded with
// the message (new contact, opened conversation, survey outcome), so the
// decision is the one processing it at once would have made; the contact
// and the conversation are read as they are now.
func (d *Desk) processStored(ctx context.Context, e *channelEntry, m store.Message) error {
	conv, err := d.store.Conversation(ctx, m.ConversationID)
	if err != nil {
		return err
	}
	contact, err := d.store.Contact(ctx, m.ContactID)
	if err != nil {
		return err
	}
	res := store.InboundResult{Message: m, Contact: contact, Conversation: conv,
		NewContact: m.NewContact, NewConversation: m.Opened, SurveyOutcome: m.SurveyOutcome}
	if m.SurveyID != "" {
		s, err := d.store.Survey(ctx, m.SurveyID)
		if err != nil {
			return err
		}
		res.Survey = &s
	}
	return d.processSpan(ctx, e, res)
}
