package livedesk_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/livedesktest"
)

// mountPublicURL has a two-segment path, so that a proxy can strip part of it.
const mountPublicURL = "https://desk.example.com/api/support"

// TestMounts: the handler serves inbound webhooks and status callbacks
// under each mount the README documents (net/http with and without
// http.StripPrefix, with and without its trailing slash; chi's Mount and
// a chi wildcard route; a proxy stripping part or all of PublicURL's
// path), and still refuses a path whose prefix is not PublicURL's.
func TestMounts(t *testing.T) {
	type mount struct {
		name    string
		handler func(h http.Handler) http.Handler
	}
	stripProxy := func(strip string, backend func(h http.Handler) http.Handler) func(h http.Handler) http.Handler {
		return func(h http.Handler) http.Handler {
			srv := httptest.NewServer(backend(h))
			t.Cleanup(srv.Close)
			target, _ := url.Parse(srv.URL)
			return &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
				r.SetURL(target)
				r.Out.URL.Path = strings.TrimPrefix(r.In.URL.Path, strip)
				r.Out.URL.RawPath = ""
			}}
		}
	}
	mounts := []mount{
		{"net/http", func(h http.Handler) http.Handler {
			mux := http.NewServeMux()
			mux.Handle("/api/support/", h)
			return mux
		}},
		{"StripPrefix with trailing slash", func(h http.Handler) http.Handler {
			mux := http.NewServeMux()
			mux.Handle("/api/support/", http.StripPrefix("/api/support/", h))
			return mux
		}},
		{"StripPrefix without trailing slash", func(h http.Handler) http.Handler {
			mux := http.NewServeMux()
			mux.Handle("/api/support/", http.StripPrefix("/api/support", h))
			return mux
		}},
		{"net/http POST pattern", func(h http.Handler) http.Handler {
			mux := http.NewServeMux()
			mux.Handle("POST /api/support/twilio/", h)
			return mux
		}},
		{"chi Mount", func(h http.Handler) http.Handler {
			r := chi.NewRouter()
			r.Get("/api/support/other", func(http.ResponseWriter, *http.Request) {})
			r.Mount("/api/support", h)
			return r
		}},
		{"chi wildcard route", func(h http.Handler) http.Handler {
			r := chi.NewRouter()
			r.Get("/api/support/other", func(http.ResponseWriter, *http.Request) {})
			r.Post("/api/support/twilio/*", h.ServeHTTP)
			return r
		}},
		{"proxy strips /api", stripProxy("/api", func(h http.Handler) http.Handler {
			mux := http.NewServeMux()
			mux.Handle("/support/", h)
			return mux
		})},
		{"proxy strips /api/support", stripProxy("/api/support", func(h http.Handler) http.Handler { return h })},
	}
	for _, m := range mounts {
		t.Run(m.name, func(t *testing.T) {
			var received atomic.Int32
			d, err := livedesk.New(livedesk.Options{PublicURL: mountPublicURL, SkipTwilioChecks: true,
				Logger: slog.New(slog.DiscardHandler), Clock: livedesktest.NewClock(livedesktest.DefaultTime()),
				OnEvent: func(_ context.Context, e livedesk.Event) {
					if e.Type == livedesk.EventMessageReceived {
						received.Add(1)
					}
				}})
			require.NoError(t, err)
			ch, err := d.CreateChannel(t.Context(), livedesktest.TestChannel())
			require.NoError(t, err)
			srv := httptest.NewServer(m.handler(d.Handler()))
			defer srv.Close()
			post := func(signed, path string) int {
				form := livedesktest.Message{Body: "hi"}.Form(ch)
				req := livedesktest.NewRequest(ch, signed, srv.URL+path, form)
				resp, err := srv.Client().Do(req)
				require.NoError(t, err)
				resp.Body.Close()
				return resp.StatusCode
			}
			u, _ := url.Parse(d.WebhookURL(ch.ID))
			require.Equal(t, http.StatusOK, post(d.WebhookURL(ch.ID), u.Path))
			require.EqualValues(t, 1, received.Load(), "the message was stored")
			s, _ := url.Parse(d.StatusCallbackURL(ch.ID))
			require.Equal(t, http.StatusOK, post(d.StatusCallbackURL(ch.ID), s.Path), "status callback")
			// A prefix that is not PublicURL's is not the desk's route.
			other := strings.Replace(u.Path, "/support/", "/supported/", 1)
			require.NotEqual(t, http.StatusOK, post(d.WebhookURL(ch.ID), other))
			require.EqualValues(t, 1, received.Load())
		})
	}
}
