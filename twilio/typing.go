package twilio

import (
	"context"
	"fmt"
	"regexp"

	"github.com/livedesk/livedesk/channel"
	messagingv2 "github.com/twilio/twilio-go/rest/messaging/v2"
)

// inboundSID is the shape of an inbound message SID (SM… or MM…).
var inboundSID = regexp.MustCompile(`^(SM|MM)[0-9a-f]{32}$`)

// Typing marks the inbound WhatsApp message inboundSID read and shows
// "typing…" to the customer until the reply is delivered or 25 seconds
// pass, through Twilio's typing indicator (POST
// messaging.twilio.com/v2/Indicators/Typing.json, channel=whatsapp,
// messageId=inboundSID; a public beta). WhatsApp's rules apply: send it
// only when a reply will follow, for a recent inbound message; the desk's
// Typing checks both before calling it.
func (m *Messenger) Typing(ctx context.Context, ch channel.Channel, sid string) error {
	if !inboundSID.MatchString(sid) {
		return fmt.Errorf("%w: %q is not an inbound message SID (SM or MM followed by 32 hex digits)", ErrInvalidEnvelope, sid)
	}
	s, err := m.channelSession(ctx, ch.Twilio)
	if err != nil {
		return err
	}
	resp, err := s.messagingV2().CreateTypingIndicator((&messagingv2.CreateTypingIndicatorParams{}).SetChannel("whatsapp").SetMessageId(sid))
	if err != nil {
		return s.fail("typing indicator", err)
	}
	if !resp.Success {
		return &CallError{Op: "typing indicator", Status: s.call.status, Message: "Twilio answered success=false"}
	}
	return nil
}
