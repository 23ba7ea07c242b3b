package livedesk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
	"github.com/livedesk/livedesk/twilio"
)

// DefaultMaxMediaBytes is the media size cap when none is given: 16 MiB,
// WhatsApp's limit for audio and video.
const DefaultMaxMediaBytes = 16 << 20

// ErrMediaGone is matched by Media's error when Twilio no longer has the
// media (deleted by the account, or past Twilio's retention).
var ErrMediaGone = twilio.ErrMediaNotFound

// ErrMediaTooLarge is matched by Media's error (or a read of its Body)
// when the media is larger than the cap.
var ErrMediaTooLarge = twilio.ErrMediaTooLarge

// MediaOpener is an optional capability of a MediaFetcher: it streams the
// media instead of returning it whole. twilio.MediaFetcher has it; with a
// MediaFetcher that lacks it, Media reads the whole media first.
type MediaOpener interface {
	OpenMedia(ctx context.Context, creds channel.Twilio, mediaURL string, maxBytes int64) (*twilio.Media, error)
}

// MediaContent is inbound media being streamed from Twilio. Body must be
// closed; a read past the cap fails with ErrMediaTooLarge.
type MediaContent struct {
	// ContentType is Twilio's ("" when it gave none).
	ContentType string
	// Size is the length in bytes, -1 when Twilio did not say.
	Size int64
	Body io.ReadCloser
}

// Media opens the index-th media (0 for MediaUrl0) of an inbound message,
// downloaded from Twilio with the credentials of the channel the message
// came in on: only Twilio's media hosts are contacted (see
// twilio.MediaFetcher), whatever the stored URL says. maxBytes caps the
// size (0: DefaultMaxMediaBytes). Errors: ErrNotFound for an unknown
// message, a message that is not inbound or has no such media;
// ErrMediaGone when Twilio deleted it; ErrMediaTooLarge.
func (d *Desk) Media(ctx context.Context, messageID string, index int, maxBytes int64) (MediaContent, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxMediaBytes
	}
	m, err := d.store.Message(ctx, messageID)
	if err != nil {
		return MediaContent{}, fmt.Errorf("livedesk: media of message %q: %w", messageID, err)
	}
	if m.Direction != store.Inbound || m.Inbound == nil || index < 0 || index >= len(m.Inbound.Media) {
		return MediaContent{}, fmt.Errorf("livedesk: message %q has no inbound media %d: %w", messageID, index, ErrNotFound)
	}
	e, err := d.channels.get(ctx, m.ChannelID)
	if err != nil {
		return MediaContent{}, fmt.Errorf("livedesk: media of message %q: channel %q: %w", messageID, m.ChannelID, err)
	}
	url := m.Inbound.Media[index].URL
	if o, ok := d.media.(MediaOpener); ok {
		md, err := o.OpenMedia(ctx, e.ch.Twilio, url, maxBytes)
		if err != nil {
			return MediaContent{}, fmt.Errorf("livedesk: media %d of message %q: %w", index, messageID, err)
		}
		return MediaContent{ContentType: md.ContentType, Size: md.Size, Body: md.Body}, nil
	}
	ct, data, err := d.media.FetchMedia(ctx, e.ch.Twilio, url, maxBytes)
	if err != nil {
		return MediaContent{}, fmt.Errorf("livedesk: media %d of message %q: %w", index, messageID, err)
	}
	return MediaContent{ContentType: ct, Size: int64(len(data)), Body: io.NopCloser(bytes.NewReader(data))}, nil
}

// MediaHandler serves inbound media at /{messageID}/{index} (mount it with
// http.StripPrefix, behind the host's own authentication: it checks
// none). It streams what Media returns with Twilio's content type, capped
// at maxBytes (0: DefaultMaxMediaBytes). Answers: 404 for an unknown
// message or media, 410 when Twilio deleted it, 502 when Twilio failed or
// the media is over the cap, 405 for anything but GET and HEAD. Media
// is customer content: it is sent with nosniff and a sandboxing
// Content-Security-Policy, and as an attachment unless it is an image,
// audio or video (SVG excepted), so it cannot run script on the host's
// origin.
func (d *Desk) MediaHandler(maxBytes int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		id, idx, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		index, err := strconv.Atoi(idx)
		if !ok || id == "" || err != nil || index < 0 {
			http.Error(w, "not found: the path is /{messageID}/{index}", http.StatusNotFound)
			return
		}
		m, err := d.Media(r.Context(), id, index, maxBytes)
		if err != nil {
			d.log.WarnContext(r.Context(), "media not served", "message", id, "index", index, "error", err)
			status := http.StatusBadGateway
			switch {
			case errors.Is(err, ErrNotFound):
				status = http.StatusNotFound
			case errors.Is(err, ErrMediaGone):
				status = http.StatusGone
			}
			http.Error(w, http.StatusText(status), status)
			return
		}
		defer m.Body.Close()
		h := w.Header()
		ct := m.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		h.Set("Cache-Control", "private, max-age=300")
		if !inlineMedia(ct) {
			h.Set("Content-Disposition", "attachment")
		}
		if m.Size >= 0 {
			h.Set("Content-Length", strconv.FormatInt(m.Size, 10))
		}
		if r.Method == http.MethodHead {
			return
		}
		if _, err := io.Copy(w, m.Body); err != nil {
			// The status is sent: break the connection so the client sees
			// a failed download, not a short file.
			d.log.WarnContext(r.Context(), "media stream broken", "message", id, "index", index, "error", err)
			panic(http.ErrAbortHandler)
		}
	})
}

// inlineMedia reports whether a content type may be shown in the browser:
// images, audio and video, except SVG (which can carry script).
func inlineMedia(ct string) bool {
	t, _, err := mime.ParseMediaType(ct)
	if err != nil || t == "image/svg+xml" {
		return false
	}
	major, _, _ := strings.Cut(t, "/")
	return major == "image" || major == "audio" || major == "video"
}
