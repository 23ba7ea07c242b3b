package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"time"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/console"
	"github.com/livedesk/livedesk/livedesktest"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8080", "loopback address to serve on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *listen); err != nil {
		fmt.Fprintln(os.Stderr, "console demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, listen string) error {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-listen %q: the demo has no sign-in, so it serves on loopback only (127.0.0.1:PORT)", listen)
	}
	api := livedesktest.StartTwilioAPI()
	defer api.Close()
	clock := &shiftClock{}
	api.SetClock(clock.Now)
	base := "http://" + listen
	d := &demo{api: api, clock: clock, base: base}
	desk, err := livedesk.New(livedesk.Options{
		PublicURL: base + "/livedesk", Messenger: api.Messenger(), Clock: clock,
		OnEvent: func(_ context.Context, e livedesk.Event) { d.count(e) }, AIAgents: map[string]livedesk.AIAgent{"faq-bot": faqBot()},
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		return err
	}
	d.desk = desk
	go func() { _ = desk.Run(ctx) }()
	if err := d.seed(ctx); err != nil {
		return fmt.Errorf("demo data: %w", err)
	}
	c, err := console.New(console.Options{
		Desk: desk, BasePath: "/console", Now: clock.Now, AIAgents: []string{"faq-bot"},
		Authenticate: demoUser,
	})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/console/", c)
	mux.Handle("/livedesk/", desk.Handler())
	mux.HandleFunc("GET /{$}", d.home)
	mux.HandleFunc("POST /simulate", d.simulate)
	mux.HandleFunc("GET /as/{user}", switchUser)

	go d.deliverLoop(ctx)
	srv := &http.Server{Addr: listen, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	fmt.Printf("LiveDesk console demo: open %s/console/ (customer simulator: %s/)\n", base, base)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// shiftClock is the system clock moved back by an offset while the demo's
// history is written, so the CSAT report has several days of data.
type shiftClock struct{ offset atomic.Int64 }

func (c *shiftClock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

func (c *shiftClock) set(d time.Duration) { c.offset.Store(int64(d)) }

func (c *shiftClock) NewTimer(d time.Duration) livedesk.Timer { return timer{time.NewTimer(d)} }

type timer struct{ t *time.Timer }

func (t timer) C() <-chan time.Time { return t.t.C }
func (t timer) Stop() bool          { return t.t.Stop() }

// demoUser is the demo's sign-in: a cookie set by /as/admin or /as/agent.
func demoUser(r *http.Request) (console.User, error) {
	if ck, err := r.Cookie("demo_user"); err == nil && ck.Value == "agent" {
		return console.User{ID: "paul", Name: "Paul", Role: console.RoleAgent, AgentID: "paul"}, nil
	}
	return console.User{ID: "lea", Name: "Léa", Role: console.RoleAdmin, AgentID: "lea"}, nil
}

func switchUser(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: "demo_user", Value: r.PathValue("user"), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/console/inbox", http.StatusSeeOther)
}
