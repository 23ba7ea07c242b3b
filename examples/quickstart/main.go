package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	listen := flag.String("listen", "", "serve for real on this address (needs TWILIO_* and LIVEDESK_PUBLIC_URL)")
	postgres := flag.String("postgres", "", "keep everything in this PostgreSQL database (DSN) instead of memory")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	st, err := openStore(ctx, *postgres)
	if err == nil {
		if *listen != "" {
			err = serve(ctx, *listen, st)
		} else {
			err = demo(ctx, os.Stdout, st)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}
