package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

// serve runs a real desk on addr for the Twilio account in the environment.
func serve(ctx context.Context, addr string, st store.Store) error {
	env := map[string]string{}
	var missing []string
	for _, k := range []string{"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM", "LIVEDESK_PUBLIC_URL"} {
		env[k] = os.Getenv(k)
		if env[k] == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("-listen needs %s in the environment", strings.Join(missing, ", "))
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	tr := newTranscript(os.Stdout)
	desk, err := livedesk.New(livedesk.Options{PublicURL: env["LIVEDESK_PUBLIC_URL"], Logger: logger, OnEvent: tr.onEvent, Store: st})
	if err != nil {
		return err
	}
	tr.desk = desk
	ch, err := desk.CreateChannel(ctx, channel.Channel{
		ID:   "quickstart",
		Name: "Quickstart",
		Twilio: channel.Twilio{
			AccountSID:  env["TWILIO_ACCOUNT_SID"],
			AuthToken:   channel.Secret(env["TWILIO_AUTH_TOKEN"]),
			PhoneNumber: strings.TrimPrefix(env["TWILIO_WHATSAPP_FROM"], "whatsapp:"),
		},
		Settings: channel.Settings{Greeting: channel.Greeting{Enabled: true, Text: "Hi! An agent will be with you shortly."}},
	})
	if err != nil {
		return err
	}
	pub, _ := url.Parse(env["LIVEDESK_PUBLIC_URL"])
	mount := strings.TrimRight(pub.Path, "/") + "/"
	mux := http.NewServeMux()
	mux.Handle(mount, desk.Handler())
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	// The credentials were checked with Twilio by CreateChannel. Pointing
	// Twilio at the desk is left to you: a dry run shows what
	// ConfigureWebhook would change.
	if change, err := desk.ConfigureWebhook(ctx, ch.ID, livedesk.WebhookOptions{DryRun: true}); err == nil {
		fmt.Printf("Twilio's webhook (%s)\n", change)
	}
	fmt.Printf("Paste this URL into Twilio (WhatsApp sender > 'A message comes in', POST), or call desk.ConfigureWebhook:\n  %s\n", desk.WebhookURL(ch.ID))
	fmt.Printf("Serving %s on %s; Ctrl-C to stop.\n", mount, addr)
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	go func() { _ = desk.Run(ctx) }()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
