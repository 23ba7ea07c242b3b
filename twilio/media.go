package twilio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/livedesk/livedesk/channel"
)

// DefaultMediaTimeout bounds one media download when MediaOptions.HTTPClient
// is nil.
const DefaultMediaTimeout = 30 * time.Second

// maxMediaRedirects bounds the redirects followed from a media URL (Twilio
// answers with one, to a short-lived CDN URL).
const maxMediaRedirects = 3

// Errors FetchMedia wraps.
var (
	// ErrMediaURL: the URL is not a media URL of the channel's account on
	// Twilio (or redirects somewhere else than Twilio's media hosts); no
	// request was made to it.
	ErrMediaURL = errors.New("twilio: not a Twilio media URL of this account")
	// ErrMediaTooLarge: the media is larger than the caller's cap.
	ErrMediaTooLarge = errors.New("twilio: media too large")
	// ErrMediaNotFound: Twilio answered 404 or 410, usually because the
	// media was deleted.
	ErrMediaNotFound = errors.New("twilio: media not found (deleted?)")
)

// MediaOptions configure a MediaFetcher.
type MediaOptions struct {
	// HTTPClient carries the requests. Nil: a client with
	// DefaultMediaTimeout. Its CheckRedirect is replaced by the fetcher's
	// own (only Twilio's media hosts); its Transport is used as is, which is
	// how tests send the requests to a local server.
	HTTPClient *http.Client
}

// MediaFetcher downloads the media of inbound WhatsApp messages: a GET of
// the MediaUrl Twilio posted (https://api.twilio.com/2010-04-01/Accounts/
// {AccountSid}/Messages/{MessageSid}/Media/{MediaSid}) with HTTP Basic auth
// of the channel's Account SID and Auth Token (required when the account
// enforces HTTP auth on media URLs), following Twilio's redirect to its
// CDN. It implements livedesk.MediaFetcher and is safe for concurrent use.
//
// Only Twilio's hosts are contacted: the URL must be on api.twilio.com (or
// a regional api.*.twilio.com) under the channel's own account, and a
// redirect may only lead to those hosts, *.twiliocdn.com or Twilio's S3
// bucket (s3-external-1.amazonaws.com/media.twiliocdn.com/...), all over
// HTTPS. The credentials are not sent past a redirect to another host.
type MediaFetcher struct {
	client *http.Client
}

// NewMediaFetcher returns a MediaFetcher.
func NewMediaFetcher(opts MediaOptions) *MediaFetcher {
	c := http.Client{Timeout: DefaultMediaTimeout}
	if opts.HTTPClient != nil {
		c = *opts.HTTPClient
	}
	c.CheckRedirect = checkMediaRedirect
	return &MediaFetcher{client: &c}
}

// FetchMedia downloads mediaURL with creds and returns its content type (as
// Twilio gives it, without parameters) and bytes. It reads at most maxBytes
// (ErrMediaTooLarge past them) and honours ctx.
func (f *MediaFetcher) FetchMedia(ctx context.Context, creds channel.Twilio, mediaURL string, maxBytes int64) (string, []byte, error) {
	m, err := f.OpenMedia(ctx, creds, mediaURL, maxBytes)
	if err != nil {
		return "", nil, err
	}
	defer m.Body.Close()
	data, err := io.ReadAll(m.Body)
	if errors.Is(err, ErrMediaTooLarge) {
		return "", nil, err
	}
	if err != nil {
		return "", nil, fmt.Errorf("twilio: read media: %w", err)
	}
	return m.ContentType, data, nil
}

// accountMediaURL reports whether u is a media URL of the account on
// Twilio's API.
func accountMediaURL(u *url.URL, accountSID string) bool {
	if u.Scheme != "https" || u.User != nil || !apiHost(u.Hostname()) || u.Port() != "" || accountSID == "" {
		return false
	}
	rest, ok := strings.CutPrefix(u.EscapedPath(), "/2010-04-01/Accounts/"+accountSID+"/")
	return ok && strings.Contains(rest, "/Media/") && !strings.Contains(rest, "..")
}

// apiHost: api.twilio.com or a regional api.<edge>.<region>.twilio.com.
func apiHost(h string) bool {
	return h == "api.twilio.com" || strings.HasPrefix(h, "api.") && strings.HasSuffix(h, ".twilio.com")
}

// checkMediaRedirect follows a redirect only to Twilio's media hosts.
func checkMediaRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > maxMediaRedirects {
		return fmt.Errorf("%w: more than %d redirects", ErrMediaURL, maxMediaRedirects)
	}
	u := req.URL
	h := u.Hostname()
	ok := u.Scheme == "https" && u.Port() == "" && u.User == nil &&
		(apiHost(h) || strings.HasSuffix(h, ".twiliocdn.com") ||
			h == "s3-external-1.amazonaws.com" && strings.HasPrefix(u.Path, "/media.twiliocdn.com/"))
	if !ok {
		return fmt.Errorf("%w: redirected to %s", ErrMediaURL, h)
	}
	return nil
}
