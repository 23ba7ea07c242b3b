package livedesk

import (
	"context"

	"github.com/livedesk/livedesk/channel"
)

// MediaFetcher downloads the media of inbound messages with the Twilio
// credentials of the channel they came in on. The desk uses it to give AI
// agents the images customers send (AIRequest.FetchMedia); the default,
// twilio.MediaFetcher, only fetches from Twilio's media hosts.
//
// FetchMedia returns the media's content type and bytes. It must read at
// most maxBytes and fail (without returning data) when the media is
// larger, honour ctx, and never put the credentials in an error.
type MediaFetcher interface {
	FetchMedia(ctx context.Context, creds channel.Twilio, mediaURL string, maxBytes int64) (contentType string, data []byte, err error)
}

// mediaFor binds the desk's MediaFetcher to a channel's credentials, so an
// AI agent can fetch the conversation's media without seeing them.
func (d *Desk) mediaFor(creds channel.Twilio) func(context.Context, string, int64) (string, []byte, error) {
	return func(ctx context.Context, mediaURL string, maxBytes int64) (string, []byte, error) {
		return d.media.FetchMedia(ctx, creds, mediaURL, maxBytes)
	}
}
