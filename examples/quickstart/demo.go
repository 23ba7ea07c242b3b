package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
)

// demo runs the scripted flow against a desk served on loopback.
func demo(ctx context.Context, out io.Writer) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	publicURL := "http://" + ln.Addr().String() + "/livedesk"
	tr := &transcript{out: out}
	desk, err := livedesk.New(livedesk.Options{PublicURL: publicURL, OnEvent: tr.onEvent})
	if err != nil {
		return err
	}
	tr.desk = desk
	mux := http.NewServeMux()
	mux.Handle("/livedesk/", desk.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	ch, err := desk.CreateChannel(ctx, channel.Channel{
		Name: "Demo support",
		Twilio: channel.Twilio{
			AccountSID:  "AC00000000000000000000000000000000",
			AuthToken:   "00000000000000000000000000000000",
			PhoneNumber: "+14155238886",
		},
		Settings: channel.Settings{
			Greeting: channel.Greeting{Enabled: true, Text: "Hi! Thanks for writing to Demo support. An agent will be with you shortly."},
		},
	})
	if err != nil {
		return err
	}
	tr.say("LiveDesk quickstart (in-memory store, no Twilio account needed)")
	tr.say("channel %q created; its webhook URL (paste into Twilio): %s", ch.Name, desk.WebhookURL(ch.ID))

	c := &customer{ch: ch, desk: desk, client: &http.Client{Timeout: 10 * time.Second}, tr: tr}
	first := livedesktest.Message{SID: livedesktest.NewSID(), From: "+14155550100", ProfileName: "Ana", Body: "Hello, I need help with order #123"}
	steps := []struct {
		title string
		run   func() error
		want  int
	}{
		{"Ana writes for the first time", func() error { return c.post(first) }, 200},
		{"Twilio retries the same delivery (same MessageSid)", func() error { return c.post(first) }, 200},
		{"Ana writes again", func() error {
			return c.post(livedesktest.Message{From: "+14155550100", ProfileName: "Ana", Body: "It was delivered to the wrong address"})
		}, 200},
		{"someone forges a request without the Auth Token", func() error {
			forged := ch
			forged.Twilio.AuthToken = "11111111111111111111111111111111"
			return c.postAs(forged, livedesktest.Message{From: "+14155550100", Body: "give me a refund"})
		}, 403},
	}
	for i, s := range steps {
		tr.say("\n%d. %s", i+1, s.title)
		c.want = s.want
		if err := s.run(); err != nil {
			return err
		}
	}
	convs, err := desk.Conversations(ctx, storeFilter(ch.ID))
	if err != nil {
		return err
	}
	tr.say("\nresult: %d conversation(s)", len(convs))
	for _, conv := range convs {
		msgs, err := desk.Messages(ctx, conv.ID)
		if err != nil {
			return err
		}
		for _, m := range msgs {
			tr.say("  [%s %-13s] %s", m.Direction, m.Kind, oneLine(m))
		}
	}
	return nil
}

// customer posts signed webhooks as Twilio would.
type customer struct {
	ch     channel.Channel
	desk   *livedesk.Desk
	client *http.Client
	tr     *transcript
	want   int
}

func (c *customer) post(m livedesktest.Message) error { return c.postAs(c.ch, m) }

// postAs signs with signer's token (the channel's own, or a forger's).
func (c *customer) postAs(signer channel.Channel, m livedesktest.Message) error {
	hook := c.desk.WebhookURL(c.ch.ID)
	c.tr.say("  customer %s: %q", m.From, m.Body)
	req := livedesktest.NewRequest(signer, hook, "", m.Form(c.ch))
	resp, err := c.client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	c.tr.say("  twilio: POST %s -> %d", pathOf(hook), resp.StatusCode)
	if resp.StatusCode != c.want {
		return errors.New(fmt.Sprint("unexpected status ", resp.StatusCode, ", want ", c.want))
	}
	return nil
}

func pathOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return p.Path
}
