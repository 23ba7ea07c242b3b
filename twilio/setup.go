package twilio

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/livedesk/livedesk/channel"
	messagingv1 "github.com/twilio/twilio-go/rest/messaging/v1"
	messagingv2 "github.com/twilio/twilio-go/rest/messaging/v2"
)

// SandboxNumber is Twilio's shared WhatsApp sandbox sender. It belongs to
// Twilio, not to the account, so it is not among the account's WhatsApp
// senders: CheckChannel accepts it once the credentials are good, and its
// webhook can only be set in the Twilio console (Messaging > Try it out >
// WhatsApp sandbox settings).
const SandboxNumber = "+14155238886"

// ErrSandbox is matched by ConfigureWebhook's error for a channel on the
// sandbox, whose webhook Twilio's API cannot set.
var ErrSandbox = errors.New("twilio: the WhatsApp sandbox's webhook can only be set in the Twilio console (Messaging > Try it out > WhatsApp sandbox settings)")

// The Messenger's optional capabilities.
var (
	_ channel.Checker           = (*Messenger)(nil)
	_ channel.WebhookConfigurer = (*Messenger)(nil)
	_ channel.SenderReporter    = (*Messenger)(nil)
	_ channel.TypingIndicator   = (*Messenger)(nil)
	_ channel.TemplateLister    = (*Messenger)(nil)
)

// CheckChannel asks Twilio whether ch can work, as an admin's "Confirm"
// button would:
//
//   - the Auth Token authenticates against the account (GET
//     /2010-04-01/Accounts/{AccountSid}.json): webhooks are signed with it,
//     so it is checked even when an API key sends; so is the API key when
//     set; the account must be active;
//   - classic mode: PhoneNumber is one of the account's WhatsApp senders
//     (GET messaging.twilio.com/v2/Channels/Senders), or SandboxNumber;
//   - Messaging Service mode: the service exists in the account (GET
//     messaging.twilio.com/v1/Services/{Sid}).
//
// Refusals come back as one *channel.ValidationError naming the fields
// (Twilio.AuthToken: "Twilio refused these credentials (20003)"). When
// Twilio cannot be reached, times out (ctx or the HTTP client's timeout)
// or answers 429/5xx, the error is a retryable *CallError matching
// ErrUnreachable instead. SecondaryAuthToken is not checked.
func (m *Messenger) CheckChannel(ctx context.Context, ch channel.Channel) error {
	t := ch.Twilio
	if _, _, err := credentials(t); err != nil {
		return err
	}
	var ps []channel.Problem
	add := func(field, format string, args ...any) {
		ps = append(ps, channel.Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	status, err := m.fetchAccount(ctx, t.AccountSID, t.AccountSID, string(t.AuthToken))
	if p, ok := authProblem(err, "Twilio.AuthToken"); ok {
		ps = append(ps, p)
	} else if err != nil {
		return err
	}
	if t.APIKeySID != "" {
		_, err := m.fetchAccount(ctx, t.AccountSID, t.APIKeySID, string(t.APIKeySecret))
		if p, ok := authProblem(err, "Twilio.APIKeySecret"); ok {
			ps = append(ps, p)
		} else if err != nil {
			return err
		}
	}
	if len(ps) > 0 {
		return &channel.ValidationError{Problems: ps}
	}
	if status != "" && status != "active" {
		add("Twilio.AccountSID", "account is %s in Twilio: it cannot send or receive", status)
		return &channel.ValidationError{Problems: ps}
	}
	s, err := m.channelSession(ctx, t)
	if err != nil {
		return err
	}
	switch {
	case t.MessagingServiceSID != "":
		_, err := s.messagingV1().FetchService(t.MessagingServiceSID)
		if err == nil {
			break
		}
		e := s.fail("fetch Messaging Service", err)
		if e.retry {
			return e
		}
		if e.Status == 404 {
			add("Twilio.MessagingServiceSID", "no such Messaging Service in this account%s", codeText(e.Code))
		} else {
			add("Twilio.MessagingServiceSID", "could not be checked: Twilio answered %d%s: %s", e.Status, codeText(e.Code), e.Message)
		}
	case t.PhoneNumber == SandboxNumber:
	default:
		sender, err := findSender(s, t.PhoneNumber)
		switch {
		case err != nil:
			e, ok := refused(err)
			if !ok {
				return err
			}
			add("Twilio.PhoneNumber", "could not be checked against the account's WhatsApp senders: Twilio answered %d%s: %s", e.Status, codeText(e.Code), e.Message)
		case sender == nil:
			add("Twilio.PhoneNumber", "%s is not a WhatsApp sender of this account (Twilio console > Messaging > Senders > WhatsApp senders)", t.PhoneNumber)
		}
	}
	if len(ps) > 0 {
		return &channel.ValidationError{Problems: ps}
	}
	return nil
}

// fetchAccount authenticates as username/password and returns the
// account's status ("active", "suspended", "closed").
func (m *Messenger) fetchAccount(ctx context.Context, account, username, password string) (string, error) {
	s := m.session(ctx, account, username, password)
	a, err := s.api().FetchAccount(account)
	if err != nil {
		return "", s.fail("fetch account", err)
	}
	return deref(a.Status), nil
}

// authProblem turns Twilio's refusal of a credential into a problem on
// field; ok is false for errors that are not refusals.
func authProblem(err error, field string) (channel.Problem, bool) {
	e, ok := refused(err)
	if !ok {
		return channel.Problem{}, false
	}
	p := channel.Problem{Field: field, Err: err}
	switch {
	case e.Status == 401 || e.Code == 20003:
		p.Message = "Twilio refused these credentials" + codeText(orCode(e.Code, 20003))
	case e.Status == 404:
		p.Field = "Twilio.AccountSID"
		p.Message = "Twilio knows no such account for these credentials" + codeText(orCode(e.Code, 20404))
	default:
		p.Message = fmt.Sprintf("Twilio refused them: %d%s: %s", e.Status, codeText(e.Code), e.Message)
	}
	return p, true
}

func orCode(code, def int) int {
	if code == 0 {
		return def
	}
	return code
}

// findSender returns the account's WhatsApp sender for phone (E.164), or
// nil when it has none.
func findSender(s *session, phone string) (*messagingv2.MessagingV2ChannelsSenderResponse, error) {
	senders, err := listSenders(s)
	if err != nil {
		return nil, err
	}
	for i := range senders {
		if senderPhone(senders[i].SenderId) == phone {
			return &senders[i], nil
		}
	}
	return nil, nil
}

func listSenders(s *session) ([]messagingv2.MessagingV2ChannelsSenderResponse, error) {
	senders, err := s.messagingV2().ListChannelsSender((&messagingv2.ListChannelsSenderParams{}).SetChannel("whatsapp").SetPageSize(100))
	if err != nil {
		return nil, s.fail("list WhatsApp senders", err)
	}
	return senders, nil
}

// senderPhone is "+14155238886" for "whatsapp:+14155238886".
func senderPhone(id *string) string { return strings.TrimPrefix(deref(id), "whatsapp:") }

// ConfigureWebhook points the channel's inbound webhook at req.URL with
// POST: the Messaging Service's inbound request URL in Messaging Service
// mode (POST messaging.twilio.com/v1/Services/{Sid}), the WhatsApp
// sender's callback URL in classic mode (POST
// messaging.twilio.com/v2/Channels/Senders/{Sid}, keeping its other webhook
// settings). A different URL already set is replaced only with
// req.Overwrite (channel.ErrWebhookInUse otherwise); req.DryRun changes
// nothing. The sandbox cannot be set through the API (ErrSandbox).
func (m *Messenger) ConfigureWebhook(ctx context.Context, ch channel.Channel, req channel.WebhookRequest) (channel.WebhookChange, error) {
	if req.URL == "" {
		return channel.WebhookChange{}, fmt.Errorf("%w: webhook URL is empty", ErrInvalidChannel)
	}
	t := ch.Twilio
	s, err := m.channelSession(ctx, t)
	if err != nil {
		return channel.WebhookChange{}, err
	}
	if t.MessagingServiceSID != "" {
		return configureService(s, t.MessagingServiceSID, req)
	}
	if t.PhoneNumber == SandboxNumber {
		return channel.WebhookChange{Resource: "WhatsApp sandbox " + SandboxNumber, DryRun: req.DryRun}, ErrSandbox
	}
	return configureSender(s, t.PhoneNumber, req)
}

func configureService(s *session, sid string, req channel.WebhookRequest) (channel.WebhookChange, error) {
	svc, err := s.messagingV1().FetchService(sid)
	if err != nil {
		return channel.WebhookChange{}, s.fail("fetch Messaging Service", err)
	}
	c := plan("Messaging Service "+sid, deref(svc.InboundRequestUrl), deref(svc.InboundMethod), req)
	if svc.UseInboundWebhookOnNumber != nil && *svc.UseInboundWebhookOnNumber {
		c.Notes = append(c.Notes, "the service defers inbound messages to its senders' own webhooks (use_inbound_webhook_on_number): set the senders' webhooks too, or turn that setting off")
	}
	if c.Action == channel.WebhookRefused {
		return c, fmt.Errorf("%w: %s", channel.ErrWebhookInUse, c)
	}
	if !apply(c) {
		return c, nil
	}
	params := (&messagingv1.UpdateServiceParams{}).SetInboundRequestUrl(req.URL).SetInboundMethod("POST")
	if _, err := s.messagingV1().UpdateService(sid, params); err != nil {
		return c, s.fail("update Messaging Service", err)
	}
	c.Applied = true
	return c, nil
}

func configureSender(s *session, phone string, req channel.WebhookRequest) (channel.WebhookChange, error) {
	sender, err := findSender(s, phone)
	if err != nil {
		return channel.WebhookChange{}, err
	}
	if sender == nil {
		return channel.WebhookChange{}, fmt.Errorf("%w: %s is not a WhatsApp sender of this account", ErrInvalidChannel, phone)
	}
	hook := messagingv2.MessagingV2Webhook{}
	if sender.Webhook != nil {
		hook = *sender.Webhook
	}
	sid := deref(sender.Sid)
	c := plan(fmt.Sprintf("WhatsApp sender %s (%s)", sid, deref(sender.SenderId)), deref(hook.CallbackUrl), deref(hook.CallbackMethod), req)
	if c.Action == channel.WebhookRefused {
		return c, fmt.Errorf("%w: %s", channel.ErrWebhookInUse, c)
	}
	if !apply(c) {
		return c, nil
	}
	// The whole webhook object is sent back so that its fallback and
	// status callback settings stay as they are.
	hook.CallbackUrl, hook.CallbackMethod = &req.URL, ptr("POST")
	params := (&messagingv2.UpdateChannelsSenderParams{}).SetMessagingV2Update(messagingv2.MessagingV2Update{Webhook: &hook})
	if _, err := s.messagingV2().UpdateChannelsSender(sid, params); err != nil {
		return c, s.fail("update WhatsApp sender", err)
	}
	c.Applied = true
	return c, nil
}

func ptr[T any](v T) *T { return &v }

// plan decides what setting the webhook from oldURL/oldMethod to req.URL
// with POST does. The same URL with another method is fixed without
// Overwrite: it is the desk's own URL.
func plan(resource, oldURL, oldMethod string, req channel.WebhookRequest) channel.WebhookChange {
	c := channel.WebhookChange{Resource: resource, OldURL: oldURL, OldMethod: strings.ToUpper(oldMethod),
		NewURL: req.URL, NewMethod: "POST", DryRun: req.DryRun}
	if oldURL != "" && c.OldMethod == "" {
		c.OldMethod = "POST" // Twilio's default
	}
	switch {
	case oldURL == req.URL && c.OldMethod == "POST":
		c.Action = channel.WebhookUnchanged
	case oldURL == "":
		c.Action = channel.WebhookSet
	case oldURL == req.URL || req.Overwrite:
		c.Action = channel.WebhookReplaced
	default:
		c.Action = channel.WebhookRefused
		c.NewURL, c.NewMethod = oldURL, c.OldMethod
		c.Notes = append(c.Notes, "refused to replace "+oldURL+" by "+req.URL+": pass Overwrite to replace it")
	}
	return c
}

// apply reports whether the provider must be changed for c.
func apply(c channel.WebhookChange) bool {
	return !c.DryRun && (c.Action == channel.WebhookSet || c.Action == channel.WebhookReplaced)
}

// SenderStatus returns the channel's WhatsApp senders as Twilio reports
// them (messaging.twilio.com/v2/Channels/Senders): status, quality rating,
// messaging limit, offline reasons and webhook. A classic channel has one;
// a Messaging Service channel has the WhatsApp senders of its sender pool
// (v1/Services/{Sid}/ChannelSenders). The sandbox is reported with status
// "SANDBOX".
func (m *Messenger) SenderStatus(ctx context.Context, ch channel.Channel) ([]channel.SenderStatus, error) {
	t := ch.Twilio
	if t.MessagingServiceSID == "" && t.PhoneNumber == SandboxNumber {
		return []channel.SenderStatus{{Address: "whatsapp:" + SandboxNumber, Status: "SANDBOX"}}, nil
	}
	s, err := m.channelSession(ctx, t)
	if err != nil {
		return nil, err
	}
	want := []string{t.PhoneNumber}
	if t.MessagingServiceSID != "" {
		pool, err := s.messagingV1().ListChannelSender(t.MessagingServiceSID, (&messagingv1.ListChannelSenderParams{}).SetPageSize(100))
		if err != nil {
			return nil, s.fail("list the Messaging Service's senders", err)
		}
		want = want[:0]
		for _, p := range pool {
			if a := deref(p.Sender); strings.HasPrefix(a, "whatsapp:") {
				want = append(want, strings.TrimPrefix(a, "whatsapp:"))
			}
		}
	}
	senders, err := listSenders(s)
	if err != nil {
		return nil, err
	}
	byPhone := map[string]*messagingv2.MessagingV2ChannelsSenderResponse{}
	for i := range senders {
		byPhone[senderPhone(senders[i].SenderId)] = &senders[i]
	}
	out := make([]channel.SenderStatus, 0, len(want))
	for _, phone := range want {
		if r, ok := byPhone[phone]; ok {
			out = append(out, senderStatus(r))
		} else {
			out = append(out, channel.SenderStatus{Address: "whatsapp:" + phone, Status: "NOT_FOUND"})
		}
	}
	return out, nil
}

func senderStatus(r *messagingv2.MessagingV2ChannelsSenderResponse) channel.SenderStatus {
	st := channel.SenderStatus{SID: deref(r.Sid), Address: deref(r.SenderId), Status: deref(r.Status)}
	if p := r.Properties; p != nil {
		st.QualityRating, st.MessagingLimit = deref(p.QualityRating), deref(p.MessagingLimit)
	}
	if w := r.Webhook; w != nil {
		st.WebhookURL, st.WebhookMethod = deref(w.CallbackUrl), deref(w.CallbackMethod)
	}
	if r.OfflineReasons != nil {
		for _, it := range *r.OfflineReasons {
			st.OfflineReasons = append(st.OfflineReasons, strings.TrimPrefix(deref(it.Code)+": "+deref(it.Message), ": "))
		}
	}
	return st
}
