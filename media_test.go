package livedesk_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/twilio"
)

// mediaDesk is a desk whose media fetcher reaches a fake of Twilio's
// media URLs, with a media server mounted at /media/ behind nothing (a
// host puts its auth there), capped at maxBytes.
func mediaDesk(t *testing.T, maxBytes int64) (*livedesktest.Harness, *livedesktest.TwilioMedia, channel.Channel, string) {
	t.Helper()
	fake := livedesktest.NewTwilioMedia(t)
	h, _ := newHarness(t, func(o *livedesk.Options) {
		o.MediaFetcher = twilio.NewMediaFetcher(twilio.MediaOptions{HTTPClient: fake.Client()})
	})
	ch := h.AddChannel()
	mux := http.NewServeMux()
	mux.Handle("/media/", http.StripPrefix("/media", h.MediaHandler(maxBytes)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return h, fake, ch, srv.URL + "/media/"
}

// postMedia posts an inbound message carrying the given media URLs and
// returns its message ID.
func postMedia(t *testing.T, h *livedesktest.Harness, ch channel.Channel, urls ...string) string {
	t.Helper()
	var media []channel.Media
	for _, u := range urls {
		media = append(media, channel.Media{URL: u, ContentType: "image/jpeg"})
	}
	resp, body := h.Post(ch, livedesktest.Message{Media: media})
	livedesktest.RequireStatus(t, resp, body, http.StatusOK)
	conv := h.RequireConversations(ch.ID, 1)[0]
	msgs := h.Messages(conv.ID)
	return msgs[len(msgs)-1].ID
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

// The media streams through the desk with Twilio's content type, fetched
// with the channel's credentials from api.twilio.com and, without them,
// from the CDN Twilio redirects to.
func TestMediaStreamsThroughTheDesk(t *testing.T) {
	h, fake, ch, base := mediaDesk(t, 0)
	jpeg := bytes.Repeat([]byte{0xff, 0xd8, 0xff, 0xe0}, 1000)
	pdf := []byte("%PDF-1.4 invoice")
	msg := postMedia(t, h, ch,
		fake.Add(ch.Twilio.AccountSID, ch.Twilio.AuthToken, "image/jpeg", jpeg),
		fake.Add(ch.Twilio.AccountSID, ch.Twilio.AuthToken, "application/pdf; charset=binary", pdf))

	resp, body := get(t, base+msg+"/0")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, jpeg, body)
	require.Equal(t, "image/jpeg", resp.Header.Get("Content-Type"))
	require.Equal(t, "4000", resp.Header.Get("Content-Length"))
	require.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
	require.Empty(t, resp.Header.Get("Content-Disposition"), "an image is shown inline")

	resp, body = get(t, base+msg+"/1")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, pdf, body)
	require.Equal(t, "application/pdf", resp.Header.Get("Content-Type"))
	require.Equal(t, "attachment", resp.Header.Get("Content-Disposition"), "a document is downloaded")

	var hosts []string
	for _, r := range fake.Requests() {
		hosts = append(hosts, r.Host)
		require.Equal(t, r.Host == "api.twilio.com", r.Auth, "credentials go to the API only")
	}
	require.Equal(t, []string{"api.twilio.com", "mms.twiliocdn.com", "api.twilio.com", "mms.twiliocdn.com"}, hosts)

	m, err := h.Media(t.Context(), msg, 0, 0)
	require.NoError(t, err)
	got, err := io.ReadAll(m.Body)
	require.NoError(t, err)
	require.NoError(t, m.Body.Close())
	require.Equal(t, jpeg, got)
	require.Equal(t, int64(len(jpeg)), m.Size)
}

// Deleted media is 410 Gone and ErrMediaGone; media over the cap is
// refused before any byte is sent; unknown messages and indexes are 404.
func TestMediaErrors(t *testing.T) {
	h, fake, ch, base := mediaDesk(t, 100)
	small := fake.Add(ch.Twilio.AccountSID, ch.Twilio.AuthToken, "image/png", []byte("png"))
	big := fake.Add(ch.Twilio.AccountSID, ch.Twilio.AuthToken, "video/mp4", make([]byte, 101))
	msg := postMedia(t, h, ch, small, big)

	fake.Remove(small)
	resp, _ := get(t, base+msg+"/0")
	require.Equal(t, http.StatusGone, resp.StatusCode, "deleted media")
	_, err := h.Media(t.Context(), msg, 0, 0)
	require.ErrorIs(t, err, livedesk.ErrMediaGone)

	resp, body := get(t, base+msg+"/1")
	require.Equal(t, http.StatusBadGateway, resp.StatusCode, "over the cap")
	require.NotContains(t, string(body), "\x00")
	_, err = h.Media(t.Context(), msg, 1, 100)
	require.ErrorIs(t, err, livedesk.ErrMediaTooLarge)
	m, err := h.Media(t.Context(), msg, 1, 101)
	require.NoError(t, err, "exactly at the cap")
	m.Body.Close()

	for _, path := range []string{msg + "/2", msg + "/-1", msg + "/x", "nope/0", msg, ""} {
		resp, _ := get(t, base+path)
		require.Equal(t, http.StatusNotFound, resp.StatusCode, path)
	}
	_, err = h.Media(t.Context(), "nope", 0, 0)
	require.ErrorIs(t, err, livedesk.ErrNotFound)
	req, err := http.NewRequest(http.MethodPost, base+msg+"/0", nil)
	require.NoError(t, err)
	presp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	presp.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, presp.StatusCode)
}

// The desk requests nothing but Twilio's media hosts: a MediaUrl on
// another host or of another account, or a redirect away from Twilio, is
// refused without a request to it.
func TestMediaOnlyFromTwilio(t *testing.T) {
	h, fake, ch, base := mediaDesk(t, 0)
	other := "AC" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	msg := postMedia(t, h, ch,
		"https://evil.example.com/2010-04-01/Accounts/"+ch.Twilio.AccountSID+"/Messages/MM1/Media/ME1",
		fake.Add(other, "0123456789abcdef0123456789abcdef", "image/png", []byte("png")),
		"http://api.twilio.com/2010-04-01/Accounts/"+ch.Twilio.AccountSID+"/Messages/MM1/Media/ME1",
		fake.AddRedirect(ch.Twilio.AccountSID, ch.Twilio.AuthToken, "https://evil.example.com/steal"))
	before := len(fake.Requests())
	for i := range 3 {
		_, err := h.Media(t.Context(), msg, i, 0)
		require.True(t, errors.Is(err, twilio.ErrMediaURL), "media %d: %v", i, err)
		resp, _ := get(t, base+msg+"/"+[]string{"0", "1", "2"}[i])
		require.Equal(t, http.StatusBadGateway, resp.StatusCode)
	}
	require.Len(t, fake.Requests(), before, "no request for a URL that is not the channel's on Twilio")
	_, err := h.Media(t.Context(), msg, 3, 0)
	require.ErrorIs(t, err, twilio.ErrMediaURL, "redirect away from Twilio")
	for _, r := range fake.Requests() {
		require.Equal(t, "api.twilio.com", r.Host)
	}
}
