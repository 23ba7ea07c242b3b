package twilio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"

	"github.com/livedesk/livedesk/channel"
)

// Media is an open download of inbound media. Body must be closed.
type Media struct {
	// ContentType is Twilio's, without parameters ("" when it gave none
	// or an unreadable one).
	ContentType string
	// Size is the length Twilio announced, -1 when unknown.
	Size int64
	// Body streams the bytes; a read past the cap fails with
	// ErrMediaTooLarge.
	Body io.ReadCloser
}

// OpenMedia starts downloading mediaURL with creds, under the same rules
// as FetchMedia (Twilio's media hosts only, the credentials never past a
// redirect to another host), and returns once Twilio answered: the
// caller streams Body. A media Twilio announces larger than maxBytes
// fails at once with ErrMediaTooLarge; one that turns out larger fails on
// the read past maxBytes. ErrMediaNotFound when Twilio answers 404 or 410
// (deleted media).
func (f *MediaFetcher) OpenMedia(ctx context.Context, creds channel.Twilio, mediaURL string, maxBytes int64) (*Media, error) {
	u, err := url.Parse(mediaURL)
	if err != nil || !accountMediaURL(u, creds.AccountSID) {
		return nil, fmt.Errorf("%w: %.200q", ErrMediaURL, mediaURL)
	}
	if maxBytes <= 0 {
		return nil, fmt.Errorf("twilio: media cap %d is not positive", maxBytes)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("twilio: media request: %w", err)
	}
	req.SetBasicAuth(creds.AccountSID, string(creds.AuthToken))
	resp, err := f.client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // url.Error quotes the URL; the reason is enough
		}
		return nil, fmt.Errorf("twilio: fetch media: %w", err)
	}
	fail := func(err error) (*Media, error) {
		resp.Body.Close()
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		return fail(ErrMediaNotFound)
	case resp.StatusCode != http.StatusOK:
		return fail(fmt.Errorf("twilio: fetch media: HTTP %d", resp.StatusCode))
	case resp.ContentLength > maxBytes:
		return fail(fmt.Errorf("%w: %d bytes, the cap is %d", ErrMediaTooLarge, resp.ContentLength, maxBytes))
	}
	ct, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil {
		ct = ""
	}
	return &Media{ContentType: ct, Size: resp.ContentLength, Body: &cappedBody{r: resp.Body, left: maxBytes, max: maxBytes}}, nil
}

// cappedBody reads at most max bytes and fails on more.
type cappedBody struct {
	r         io.ReadCloser
	left, max int64
}

func (c *cappedBody) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// One more byte tells a body of exactly max bytes from a longer one.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, fmt.Errorf("%w: more than %d bytes", ErrMediaTooLarge, c.max)
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

func (c *cappedBody) Close() error { return c.r.Close() }
