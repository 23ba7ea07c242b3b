package livedesk_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/twilio"
)

const (
	ownNumber     = "+14155550199"
	foreignNumber = "+14155550198"
	otherAccount  = "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	serviceSID    = "MG00112233445566778899aabbccddeeff"
	keySID        = "SK00112233445566778899aabbccddeeff"
	keySecret     = "keysecret0123456789abcdef01234567"
)

// setupHarness is a harness whose fake Twilio knows the test account's
// Auth Token (livedesktest.TestChannel's), one WhatsApp sender of its own,
// one of another account, a Messaging Service and an API key.
func setupHarness(t *testing.T, configure ...func(*livedesk.Options)) *livedesktest.Harness {
	t.Helper()
	h, _ := newHarness(t, configure...)
	account := livedesktest.TestChannel().Twilio.AccountSID
	h.Twilio.AddWhatsAppSender(account, ownNumber)
	h.Twilio.SetAuthToken(otherAccount, "fedcba9876543210fedcba9876543210")
	h.Twilio.AddWhatsAppSender(otherAccount, foreignNumber)
	h.Twilio.AddMessagingService(account, serviceSID, ownNumber)
	h.Twilio.AddAPIKey(account, keySID, keySecret)
	return h
}

func withPhone(p string) func(*channel.Channel) {
	return func(c *channel.Channel) { c.Twilio.PhoneNumber = p }
}

func withService(c *channel.Channel) {
	c.Twilio.PhoneNumber, c.Twilio.MessagingServiceSID = "", serviceSID
}

// requireProblem checks err is the validation error with exactly this
// problem.
func requireProblem(t *testing.T, err error, field, message string) {
	t.Helper()
	require.ErrorIs(t, err, channel.ErrInvalid)
	require.NotErrorIs(t, err, livedesk.ErrTwilioUnreachable)
	var ve *channel.ValidationError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ve.Problems, 1, "%v", err)
	require.Equal(t, field, ve.Problems[0].Field)
	require.Equal(t, message, ve.Problems[0].Message)
}

func requireNoChannel(t *testing.T, h *livedesktest.Harness) {
	t.Helper()
	chs, err := h.Channels(t.Context())
	require.NoError(t, err)
	require.Empty(t, chs, "nothing stored")
}

// TestCreateChannelChecksWithTwilio: the Confirm step. A good set-up is
// stored; Twilio's refusals are field errors and store nothing.
func TestCreateChannelChecksWithTwilio(t *testing.T) {
	t.Run("good set-ups are stored", func(t *testing.T) {
		for name, mod := range map[string]func(*channel.Channel){
			"own WhatsApp sender": withPhone(ownNumber),
			"sandbox":             withPhone(twilio.SandboxNumber),
			"Messaging Service":   withService,
			"API key":             func(c *channel.Channel) { c.Twilio.APIKeySID, c.Twilio.APIKeySecret = keySID, keySecret },
		} {
			t.Run(name, func(t *testing.T) {
				h := setupHarness(t)
				ch, err := h.CreateChannel(t.Context(), livedesktest.TestChannel(mod))
				require.NoError(t, err)
				stored, err := h.Channel(t.Context(), ch.ID)
				require.NoError(t, err)
				require.Equal(t, ch.Twilio, stored.Twilio)
				require.NotEmpty(t, h.Twilio.Calls(livedesktest.OpFetchAccount), "the credentials were checked with Twilio")
			})
		}
	})
	t.Run("the token and the API key are both checked", func(t *testing.T) {
		h := setupHarness(t)
		_, err := h.CreateChannel(t.Context(), livedesktest.TestChannel(withPhone(ownNumber), func(c *channel.Channel) {
			c.Twilio.APIKeySID, c.Twilio.APIKeySecret = keySID, keySecret
		}))
		require.NoError(t, err)
		var users []string
		for _, c := range h.Twilio.Calls(livedesktest.OpFetchAccount) {
			users = append(users, c.Username)
		}
		require.Equal(t, []string{livedesktest.TestChannel().Twilio.AccountSID, keySID}, users)
		require.Equal(t, keySID, h.Twilio.Calls(livedesktest.OpListChannelsSender)[0].Username, "senders are read with the sending credentials")
	})
	refusals := []struct {
		name, field, message string
		mod                  func(*channel.Channel)
		prep                 func(*livedesktest.TwilioAPI)
	}{
		{"wrong Auth Token", "Twilio.AuthToken", "Twilio refused these credentials (20003)",
			func(c *channel.Channel) { c.Twilio.AuthToken = "ffffffffffffffffffffffffffffffff" }, nil},
		{"wrong API key secret", "Twilio.APIKeySecret", "Twilio refused these credentials (20003)",
			func(c *channel.Channel) { c.Twilio.APIKeySID, c.Twilio.APIKeySecret = keySID, "wrongsecret" }, nil},
		{"another account's number", "Twilio.PhoneNumber",
			foreignNumber + " is not a WhatsApp sender of this account (Twilio console > Messaging > Senders > WhatsApp senders)",
			withPhone(foreignNumber), nil},
		{"unknown Messaging Service", "Twilio.MessagingServiceSID", "no such Messaging Service in this account (20404)",
			func(c *channel.Channel) {
				c.Twilio.PhoneNumber, c.Twilio.MessagingServiceSID = "", "MGffffffffffffffffffffffffffffffff"
			}, nil},
		{"suspended account", "Twilio.AccountSID", "account is suspended in Twilio: it cannot send or receive",
			withPhone(ownNumber), func(a *livedesktest.TwilioAPI) {
				a.SetAccountStatus(livedesktest.TestChannel().Twilio.AccountSID, "suspended")
			}},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			h := setupHarness(t)
			if tt.prep != nil {
				tt.prep(h.Twilio)
			}
			_, err := h.CreateChannel(t.Context(), livedesktest.TestChannel(tt.mod))
			requireProblem(t, err, tt.field, tt.message)
			requireNoChannel(t, h)
		})
	}
	t.Run("Twilio unavailable: retryable, not a validation error", func(t *testing.T) {
		h := setupHarness(t)
		h.Twilio.FailNextOn(livedesktest.OpFetchAccount, 503, 20503, "Service Unavailable")
		_, err := h.CreateChannel(t.Context(), livedesktest.TestChannel(withPhone(ownNumber)))
		require.ErrorIs(t, err, livedesk.ErrTwilioUnreachable)
		require.NotErrorIs(t, err, channel.ErrInvalid)
		require.True(t, twilio.IsRetryable(err))
		requireNoChannel(t, h)
		_, err = h.CreateChannel(t.Context(), livedesktest.TestChannel(withPhone(ownNumber)))
		require.NoError(t, err, "the same call succeeds once Twilio answers")
	})
	t.Run("timeout: retryable, not a validation error", func(t *testing.T) {
		h := setupHarness(t)
		h.Twilio.HangNextOn(livedesktest.OpListChannelsSender)
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		_, err := h.CreateChannel(ctx, livedesktest.TestChannel(withPhone(ownNumber)))
		require.ErrorIs(t, err, livedesk.ErrTwilioUnreachable)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.NotErrorIs(t, err, channel.ErrInvalid)
		require.True(t, twilio.IsRetryable(err))
		requireNoChannel(t, h)
	})
	t.Run("SkipTwilioChecks: offline set-up, nothing asked", func(t *testing.T) {
		h := setupHarness(t, func(o *livedesk.Options) { o.SkipTwilioChecks = true })
		_, err := h.CreateChannel(t.Context(), livedesktest.TestChannel(func(c *channel.Channel) {
			c.Twilio.AuthToken = "ffffffffffffffffffffffffffffffff"
		}))
		require.NoError(t, err)
		require.Empty(t, h.Twilio.Calls())
	})
	t.Run("a Messenger without the capability is not asked", func(t *testing.T) {
		send := channel.MessengerFunc(func(context.Context, channel.Channel, channel.Envelope) (channel.Receipt, error) {
			return channel.Receipt{SID: "SM1", Status: "queued"}, nil
		})
		h := setupHarness(t, func(o *livedesk.Options) { o.Messenger = send })
		_, err := h.CreateChannel(t.Context(), livedesktest.TestChannel(withPhone(foreignNumber)))
		require.NoError(t, err)
		require.Empty(t, h.Twilio.Calls())
	})
}

// TestUpdateChannelChecksChangedCredentials: only a change of Twilio
// settings is checked; a refused one leaves the stored channel as it was.
func TestUpdateChannelChecksChangedCredentials(t *testing.T) {
	h := setupHarness(t)
	ctx := t.Context()
	ch, err := h.CreateChannel(ctx, livedesktest.TestChannel(withPhone(ownNumber)))
	require.NoError(t, err)
	before := len(h.Twilio.Calls())

	ch.Name = "Support EN"
	_, err = h.UpdateChannel(ctx, ch)
	require.NoError(t, err)
	require.Len(t, h.Twilio.Calls(), before, "a name change asks nothing of Twilio")

	bad := ch
	bad.Twilio.AuthToken = "ffffffffffffffffffffffffffffffff"
	_, err = h.UpdateChannel(ctx, bad)
	requireProblem(t, err, "Twilio.AuthToken", "Twilio refused these credentials (20003)")
	stored, err := h.Channel(ctx, ch.ID)
	require.NoError(t, err)
	require.Equal(t, ch.Twilio, stored.Twilio, "nothing stored")
	require.Equal(t, "Support EN", stored.Name)

	moved := ch
	moved.Twilio.PhoneNumber = foreignNumber
	_, err = h.UpdateChannel(ctx, moved)
	requireProblem(t, err, "Twilio.PhoneNumber", foreignNumber+" is not a WhatsApp sender of this account (Twilio console > Messaging > Senders > WhatsApp senders)")
}

// TestConfigureWebhook: Twilio is pointed at the desk on request, never
// over a different URL without permission, and a dry run changes nothing.
func TestConfigureWebhook(t *testing.T) {
	ctx := context.Background()
	t.Run("classic: the WhatsApp sender's webhook", func(t *testing.T) {
		h := setupHarness(t)
		ch, err := h.CreateChannel(ctx, livedesktest.TestChannel(withPhone(ownNumber)))
		require.NoError(t, err)
		s, _ := h.Twilio.WhatsAppSender(ownNumber)
		s.StatusCallbackURL, s.StatusCallbackMethod = "https://example.com/status", "POST"
		h.Twilio.SetWhatsAppSender(s)

		dry, err := h.ConfigureWebhook(ctx, ch.ID, livedesk.WebhookOptions{DryRun: true})
		require.NoError(t, err)
		require.Equal(t, channel.WebhookSet, dry.Action)
		require.False(t, dry.Applied)
		require.Equal(t, h.WebhookURL(ch.ID), dry.NewURL)
		require.Empty(t, h.Twilio.Calls(livedesktest.OpUpdateChannelsSender), "a dry run changes nothing")
		now, _ := h.Twilio.WhatsAppSender(ownNumber)
		require.Empty(t, now.CallbackURL)

		c, err := h.ConfigureWebhook(ctx, ch.ID, livedesk.WebhookOptions{})
		require.NoError(t, err)
		require.Equal(t, channel.WebhookSet, c.Action)
		require.True(t, c.Applied)
		require.Equal(t, "WhatsApp sender "+s.SID+" (whatsapp:"+ownNumber+")", c.Resource)
		now, _ = h.Twilio.WhatsAppSender(ownNumber)
		require.Equal(t, h.WebhookURL(ch.ID), now.CallbackURL)
		require.Equal(t, "POST", now.CallbackMethod)
		require.Equal(t, "https://example.com/status", now.StatusCallbackURL, "the sender's other webhook settings are kept")

		again, err := h.ConfigureWebhook(ctx, ch.ID, livedesk.WebhookOptions{})
		require.NoError(t, err)
		require.Equal(t, channel.WebhookUnchanged, again.Action)
		require.Len(t, h.Twilio.Calls(livedesktest.OpUpdateChannelsSender), 1, "nothing to change the second time")
	})
	t.Run("a different URL is kept without Overwrite", func(t *testing.T) {
		h := setupHarness(t)
		ch, err := h.CreateChannel(ctx, livedesktest.TestChannel(withPhone(ownNumber)))
		require.NoError(t, err)
		s, _ := h.Twilio.WhatsAppSender(ownNumber)
		s.CallbackURL, s.CallbackMethod = "https://old.example.com/hook", "POST"
		h.Twilio.SetWhatsAppSender(s)

		for _, dryRun := range []bool{true, false} {
			c, err := h.ConfigureWebhook(ctx, ch.ID, livedesk.WebhookOptions{DryRun: dryRun})
			require.ErrorIs(t, err, livedesk.ErrWebhookInUse)
			require.Equal(t, channel.WebhookRefused, c.Action)
			require.Equal(t, "https://old.example.com/hook", c.OldURL)
			require.False(t, c.Applied)
		}
		now, _ := h.Twilio.WhatsAppSender(ownNumber)
		require.Equal(t, "https://old.example.com/hook", now.CallbackURL)
		require.Empty(t, h.Twilio.Calls(livedesktest.OpUpdateChannelsSender))

		dry, err := h.ConfigureWebhook(ctx, ch.ID, livedesk.WebhookOptions{Overwrite: true, DryRun: true})
		require.NoError(t, err)
		require.Equal(t, channel.WebhookReplaced, dry.Action)
		now, _ = h.Twilio.WhatsAppSender(ownNumber)
		require.Equal(t, "https://old.example.com/hook", now.CallbackURL, "a dry run changes nothing")

		c, err := h.ConfigureWebhook(ctx, ch.ID, livedesk.WebhookOptions{Overwrite: true})
		require.NoError(t, err)
		require.Equal(t, channel.WebhookReplaced, c.Action)
		require.True(t, c.Applied)
		now, _ = h.Twilio.WhatsAppSender(ownNumber)
		require.Equal(t, h.WebhookURL(ch.ID), now.CallbackURL)
	})
	t.Run("Messaging Service: the inbound request URL", func(t *testing.T) {
		h := setupHarness(t)
		ch, err := h.CreateChannel(ctx, livedesktest.TestChannel(withService))
		require.NoError(t, err)
		svc, _ := h.Twilio.MessagingService(serviceSID)
		svc.UseInboundWebhookOnNumber = true
		h.Twilio.SetMessagingService(svc)

		c, err := h.ConfigureWebhook(ctx, ch.ID, livedesk.WebhookOptions{})
		require.NoError(t, err)
		require.Equal(t, channel.WebhookSet, c.Action)
		require.Equal(t, "Messaging Service "+serviceSID, c.Resource)
		require.Len(t, c.Notes, 1, "the service defers to its senders' webhooks: say so")
		svc, _ = h.Twilio.MessagingService(serviceSID)
		require.Equal(t, h.WebhookURL(ch.ID), svc.InboundRequestURL)
		require.Equal(t, "POST", svc.InboundMethod)

		svc.InboundRequestURL = "https://old.example.com/hook"
		h.Twilio.SetMessagingService(svc)
		_, err = h.ConfigureWebhook(ctx, ch.ID, livedesk.WebhookOptions{})
		require.ErrorIs(t, err, livedesk.ErrWebhookInUse)
		svc, _ = h.Twilio.MessagingService(serviceSID)
		require.Equal(t, "https://old.example.com/hook", svc.InboundRequestURL)
	})
	t.Run("sandbox: only the console can", func(t *testing.T) {
		h := setupHarness(t)
		ch := h.AddChannel()
		_, err := h.ConfigureWebhook(ctx, ch.ID, livedesk.WebhookOptions{})
		require.ErrorIs(t, err, twilio.ErrSandbox)
	})
	t.Run("a Messenger without the capability", func(t *testing.T) {
		h := setupHarness(t, func(o *livedesk.Options) { o.SkipTwilioChecks = true; o.Messenger = channel.MessengerFunc(nil) })
		ch := h.AddChannel()
		_, err := h.ConfigureWebhook(ctx, ch.ID, livedesk.WebhookOptions{})
		require.ErrorIs(t, err, livedesk.ErrUnsupported)
	})
}

// TestSenderStatus: the senders' status and quality as Twilio reports them.
func TestSenderStatus(t *testing.T) {
	ctx := context.Background()
	h := setupHarness(t)
	account := livedesktest.TestChannel().Twilio.AccountSID
	for i := range 120 { // more than one page of senders
		h.Twilio.AddWhatsAppSender(account, "+1415555"+string(rune('1'+i/100))+twoDigits(i%100)+"0")
	}
	offline := h.Twilio.AddWhatsAppSender(account, "+14155550197")
	offline.Status, offline.QualityRating = "OFFLINE", "LOW"
	offline.OfflineReasons = []livedesktest.OfflineReason{{Code: "63112", Message: "The Meta Business account has been restricted"}}
	h.Twilio.SetWhatsAppSender(offline)
	h.Twilio.AddMessagingService(account, "MG1123456789abcdef0123456789abcdef", ownNumber, "+14155550197")

	classic, err := h.CreateChannel(ctx, livedesktest.TestChannel(withPhone("+14155550197")))
	require.NoError(t, err)
	got, err := h.SenderStatus(ctx, classic.ID)
	require.NoError(t, err)
	require.Equal(t, []channel.SenderStatus{{
		SID: offline.SID, Address: "whatsapp:+14155550197", Status: "OFFLINE", QualityRating: "LOW", MessagingLimit: "TIER_1K",
		OfflineReasons: []string{"63112: The Meta Business account has been restricted"},
	}}, got)
	require.False(t, got[0].Online())
	require.Greater(t, len(h.Twilio.Calls(livedesktest.OpListChannelsSender)), 2, "every page was read")

	service, err := h.CreateChannel(ctx, livedesktest.TestChannel(func(c *channel.Channel) {
		c.Twilio.PhoneNumber, c.Twilio.MessagingServiceSID = "", "MG1123456789abcdef0123456789abcdef"
	}))
	require.NoError(t, err)
	got, err = h.SenderStatus(ctx, service.ID)
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, "whatsapp:"+ownNumber, got[0].Address)
	require.Equal(t, "ONLINE", got[0].Status)
	require.Equal(t, "HIGH", got[0].QualityRating)
	require.True(t, got[0].Online())
	require.Equal(t, "OFFLINE", got[1].Status)
}

func twoDigits(n int) string { return string(rune('0'+n/10)) + string(rune('0'+n%10)) }

// TestTyping: the indicator is posted for the customer's last inbound
// message, only when it is recent, at most every TypingInterval, and a
// failure never stops a reply.
func TestTyping(t *testing.T) {
	h := setupHarness(t)
	ctx := t.Context()
	ch := h.AddChannel()
	first := livedesktest.Message{SID: livedesktest.NewSID(), Body: "hello"}
	last := livedesktest.Message{SID: livedesktest.NewSID(), Body: "anyone?"}
	for _, m := range []livedesktest.Message{first, last} {
		resp, body := h.Post(ch, m)
		livedesktest.RequireStatus(t, resp, body, 200)
	}
	conv := h.RequireConversations(ch.ID, 1)[0]

	shown, err := h.Typing(ctx, conv.ID)
	require.NoError(t, err)
	require.True(t, shown)
	require.Equal(t, []livedesktest.TypingIndicator{{
		AccountSID: ch.Twilio.AccountSID, Username: ch.Twilio.AccountSID, Channel: "whatsapp", MessageID: last.SID,
	}}, h.Twilio.TypingIndicators(), "the last inbound message's SID")

	shown, err = h.Typing(ctx, conv.ID)
	require.NoError(t, err)
	require.False(t, shown, "not again within TypingInterval")
	require.Len(t, h.Twilio.TypingIndicators(), 1)

	h.Clock.Advance(livedesk.TypingInterval)
	h.Twilio.FailNextOn(livedesktest.OpCreateTypingIndicator, 500, 0, "")
	shown, err = h.Typing(ctx, conv.ID)
	require.ErrorIs(t, err, livedesk.ErrTwilioUnreachable)
	require.False(t, shown)
	_, err = h.Reply(ctx, conv.ID, "agent-1", "Hi, I'm here")
	require.NoError(t, err, "a failed indicator does not fail the reply")
	shown, err = h.Typing(ctx, conv.ID)
	require.NoError(t, err)
	require.True(t, shown, "a failed indicator does not use up the interval")

	h.Clock.Advance(24 * time.Hour)
	shown, err = h.Typing(ctx, conv.ID)
	require.NoError(t, err)
	require.False(t, shown, "the customer's message is no longer recent")
	require.Len(t, h.Twilio.TypingIndicators(), 2)
}

// TestTemplates: the account's templates with their WhatsApp approval,
// cached with a refresh; Send refuses an unapproved or unknown TemplateSID
// before queueing anything.
func TestTemplates(t *testing.T) {
	h := setupHarness(t)
	ctx := t.Context()
	ch := h.AddChannel()
	account := ch.Twilio.AccountSID
	approved := h.Twilio.AddTemplate(livedesktest.Template{AccountSID: account, FriendlyName: "order_update", Body: "Your order {{1}} shipped",
		Variables: map[string]string{"1": "#123"}, Status: "approved", Category: "UTILITY"})
	pending := h.Twilio.AddTemplate(livedesktest.Template{AccountSID: account, FriendlyName: "promo", Body: "Sale!", Status: "pending", Category: "MARKETING"})
	rejected := h.Twilio.AddTemplate(livedesktest.Template{AccountSID: account, FriendlyName: "bad", Body: "{{1}}", Status: "rejected", RejectionReason: "INVALID_FORMAT"})
	h.Twilio.AddTemplate(livedesktest.Template{AccountSID: otherAccount, FriendlyName: "theirs", Status: "approved"})

	list, err := h.Templates(ctx, ch.ID, false)
	require.NoError(t, err)
	require.Equal(t, []channel.Template{
		{SID: approved.SID, Name: "order_update", Language: "en", Types: []string{"twilio/text"}, Variables: map[string]string{"1": "#123"},
			WhatsApp: channel.Approval{Name: "order_update", Category: "UTILITY", Status: "approved"}},
		{SID: pending.SID, Name: "promo", Language: "en", Types: []string{"twilio/text"},
			WhatsApp: channel.Approval{Name: "promo", Category: "MARKETING", Status: "pending"}},
		{SID: rejected.SID, Name: "bad", Language: "en", Types: []string{"twilio/text"},
			WhatsApp: channel.Approval{Name: "bad", Status: "rejected", RejectionReason: "INVALID_FORMAT"}},
	}, list)
	require.True(t, list[0].Approved())
	require.False(t, list[1].Approved())

	_, err = h.Templates(ctx, ch.ID, false)
	require.NoError(t, err)
	require.Len(t, h.Twilio.Calls(livedesktest.OpListContentAndApprovals), 1, "cached")
	_, err = h.Templates(ctx, "missing", false)
	require.ErrorIs(t, err, livedesk.ErrNotFound)

	resp, body := h.Post(ch, livedesktest.Message{Body: "hello"})
	livedesktest.RequireStatus(t, resp, body, 200)
	conv := h.RequireConversations(ch.ID, 1)[0]
	h.Clock.Advance(25 * time.Hour) // the window is closed: a template is needed
	for name, sid := range map[string]string{"pending": pending.SID, "rejected": rejected.SID, "unknown": "HXffffffffffffffffffffffffffffffff"} {
		_, err := h.Send(ctx, conv.ID, livedesk.Outgoing{AgentID: "agent-1", Text: "Still there?", TemplateSID: sid})
		require.ErrorIs(t, err, livedesk.ErrTemplateNotApproved, name)
		require.ErrorIs(t, err, livedesk.ErrBadMessage, name)
		require.ErrorContains(t, err, sid, name)
		_, err = h.Send(ctx, conv.ID, livedesk.Outgoing{AgentID: "agent-1", ContentSID: sid})
		require.ErrorIs(t, err, livedesk.ErrTemplateNotApproved, "a ContentSID outside the window too (%s)", name)
	}
	h.RequireQueued(conv.ID, "", 0)

	h.Twilio.SetTemplateStatus(pending.SID, "approved")
	list, err = h.Templates(ctx, ch.ID, true)
	require.NoError(t, err)
	require.True(t, list[1].Approved(), "refresh reads Twilio again")
	for _, sid := range []string{approved.SID, pending.SID} {
		_, err = h.Send(ctx, conv.ID, livedesk.Outgoing{AgentID: "agent-1", Text: "Still there?", TemplateSID: sid,
			ContentVariables: map[string]string{"1": "#123"}})
		require.NoError(t, err)
	}
	h.RequireQueued(conv.ID, "", 2)
}

// TestTemplateCheckFailsOpen: when the list cannot be read, Twilio judges.
func TestTemplateCheckFailsOpen(t *testing.T) {
	h := setupHarness(t)
	ctx := t.Context()
	ch := h.AddChannel()
	resp, body := h.Post(ch, livedesktest.Message{Body: "hello"})
	livedesktest.RequireStatus(t, resp, body, 200)
	conv := h.RequireConversations(ch.ID, 1)[0]
	h.Twilio.FailNextOn(livedesktest.OpListContentAndApprovals, 503, 20503, "")
	_, err := h.Send(ctx, conv.ID, livedesk.Outgoing{AgentID: "agent-1", Text: "hi", TemplateSID: "HXffffffffffffffffffffffffffffffff"})
	require.NoError(t, err)
	h.RequireQueued(conv.ID, "", 1)
	_, err = h.Templates(ctx, ch.ID, false)
	require.NoError(t, err, "the failure was not cached")
}
