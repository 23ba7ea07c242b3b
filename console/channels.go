package console

import (
	"errors"
	"net/http"
	"strings"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
)

func (c *Console) channelRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /channels", c.admin(c.channelList))
	m.HandleFunc("GET /channels/new", c.admin(c.channelNew))
	m.HandleFunc("POST /channels", c.admin(c.channelCreate))
	m.HandleFunc("GET /channels/{id}/created", c.admin(c.channelCreated))
}

// channelRow is one line of the channel list.
type channelRow struct {
	channel.Channel
	Webhook string
	Sender  string
	Members int
}

func (c *Console) channelList(w http.ResponseWriter, r *http.Request) {
	chs, err := c.opts.Desk.Channels(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	rows := make([]channelRow, len(chs))
	for i, ch := range chs {
		rows[i] = channelRow{Channel: ch, Webhook: c.opts.Desk.WebhookURL(ch.ID), Sender: sender(ch),
			Members: len(ch.Settings.Assignment.Agents)}
	}
	c.render(w, r, "channels", http.StatusOK, page{Title: "Channels", Nav: "channels", Data: rows})
}

func sender(ch channel.Channel) string {
	if ch.Twilio.Mode() == channel.ModeMessagingService {
		return ch.Twilio.MessagingServiceSID
	}
	return ch.Twilio.PhoneNumber
}

// newChannelForm is the "Add WhatsApp channel" form as typed. The
// credentials are never sent back to the browser.
type newChannelForm struct {
	Name                string
	AccountSID          string
	PhoneNumber         string
	MessagingService    bool
	MessagingServiceSID string
}

func (c *Console) channelNew(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, "channel_new", http.StatusOK, page{Title: "Add WhatsApp channel", Nav: "channels", Data: newChannelForm{}})
}

func (c *Console) channelCreate(w http.ResponseWriter, r *http.Request) {
	f := newChannelForm{
		Name:                strings.TrimSpace(r.PostFormValue("name")),
		AccountSID:          strings.TrimSpace(r.PostFormValue("account_sid")),
		PhoneNumber:         strings.TrimSpace(r.PostFormValue("phone_number")),
		MessagingService:    r.PostFormValue("messaging_service") == "on",
		MessagingServiceSID: strings.TrimSpace(r.PostFormValue("messaging_service_sid")),
	}
	ch := channel.Channel{Name: f.Name, Twilio: channel.Twilio{
		AccountSID: f.AccountSID,
		AuthToken:  channel.Secret(strings.TrimSpace(r.PostFormValue("auth_token"))),
	}}
	mode := channel.ModeClassic
	if f.MessagingService {
		mode = channel.ModeMessagingService
		ch.Twilio.MessagingServiceSID = f.MessagingServiceSID
	} else {
		ch.Twilio.PhoneNumber = f.PhoneNumber
	}
	created, err := c.opts.Desk.CreateChannel(r.Context(), ch)
	if err != nil {
		p := page{Title: "Add WhatsApp channel", Nav: "channels", Data: f}
		status := http.StatusUnprocessableEntity
		fe, ok := problemsOf(err, mode)
		switch {
		case ok:
			p.errors, p.Error = fe, "Please fix the fields marked below."+prefixed(fe[""])
		case errors.Is(err, livedesk.ErrExists):
			p.Error = "A channel with this ID already exists."
		case errors.Is(err, livedesk.ErrTwilioUnreachable):
			// Nothing was stored; the same form may simply be sent again.
			c.log.Warn("console: Twilio unreachable while checking a new channel", "err", err)
			status, p.Error = http.StatusServiceUnavailable, "Could not reach Twilio to check these credentials, try again. Nothing was saved."
		default:
			c.fail(w, r, err)
			return
		}
		c.render(w, r, "channel_new", status, p)
		return
	}
	c.back(w, r, "/channels/"+created.ID+"/created", "")
}

func prefixed(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

// createdPage is the confirmation: what to paste where in Twilio.
type createdPage struct {
	Channel channel.Channel
	Webhook string
	Classic bool
}

func (c *Console) channelCreated(w http.ResponseWriter, r *http.Request) {
	ch, err := c.opts.Desk.Channel(r.Context(), r.PathValue("id"))
	if errors.Is(err, livedesk.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, r, "channel_created", http.StatusOK, page{Title: "Channel added", Nav: "channels", Data: createdPage{
		Channel: ch, Webhook: c.opts.Desk.WebhookURL(ch.ID), Classic: ch.Twilio.Mode() == channel.ModeClassic}})
}
