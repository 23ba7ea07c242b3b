package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
)

// customer posts signed webhooks as Twilio would: customers' messages and
// the status callbacks of what the desk sent.
type customer struct {
	ch     channel.Channel
	desk   *livedesk.Desk
	client *http.Client
	tr     *transcript
	api    *livedesktest.TwilioAPI
}

func customerOn(desk *livedesk.Desk, ch channel.Channel, tr *transcript, api *livedesktest.TwilioAPI) *customer {
	return &customer{ch: ch, desk: desk, client: &http.Client{Timeout: 10 * time.Second}, tr: tr, api: api}
}

func (c *customer) post(m livedesktest.Message, want int) error { return c.postAs(c.ch, m, want) }

// postAs signs with signer's token (the channel's own, or a forger's).
func (c *customer) postAs(signer channel.Channel, m livedesktest.Message, want int) error {
	hook := c.desk.WebhookURL(c.ch.ID)
	c.tr.say("  customer %s: %q", m.From, m.Body)
	return c.do(livedesktest.NewRequest(signer, hook, "", m.Form(c.ch)), want)
}

// statuses posts Twilio's status callbacks for a sent message.
func (c *customer) statuses(m livedesktest.SentMessage, statuses ...string) error {
	for _, st := range statuses {
		if err := c.do(c.api.StatusCallback(m, st, 0, c.ch.Twilio.AuthToken), 200); err != nil {
			return err
		}
	}
	return nil
}

func (c *customer) do(req *http.Request, want int) error {
	resp, err := c.client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	c.tr.say("  twilio: POST %s -> %d", pathOf(req.URL), resp.StatusCode)
	if resp.StatusCode != want {
		return fmt.Errorf("unexpected status %d, want %d", resp.StatusCode, want)
	}
	return nil
}

func pathOf(u *url.URL) string {
	if u.RawQuery != "" {
		return u.Path + "?" + u.RawQuery
	}
	return u.Path
}
