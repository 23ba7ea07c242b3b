package openai

import (
	"context"
	"encoding/base64"
	"strings"

	sdk "github.com/openai/openai-go/v3"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/channel"
)

// maxImages caps the images given to the model in one turn.
const maxImages = 4

// notLoaded follows a turn's text when one of its images could not be
// given to the model.
const notLoaded = " [an image could not be opened]"

// visionTypes are the image types the Chat Completions API accepts.
var visionTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/webp": true, "image/gif": true}

// userMessage is a customer's turn: its text, with the images of a pending
// message attached when the model can see them.
func (a *Agent) userMessage(ctx context.Context, req livedesk.AIRequest, t turn, budget *int) sdk.ChatCompletionMessageParamUnion {
	if !a.cfg.Vision || !t.pending || req.FetchMedia == nil || t.msg.Inbound == nil || *budget <= 0 {
		return sdk.UserMessage(t.text)
	}
	var images []sdk.ChatCompletionContentPartUnionParam
	failed := false
	for _, m := range t.msg.Inbound.Media {
		if !isImage(t.msg.Inbound.Type, m) {
			continue
		}
		if *budget <= 0 {
			failed = true
			continue
		}
		*budget--
		url, ok := a.fetchImage(ctx, req, m)
		if !ok {
			failed = true
			continue
		}
		images = append(images, sdk.ImageContentPart(sdk.ChatCompletionContentPartImageImageURLParam{URL: url}))
	}
	text := t.text
	if failed {
		text += notLoaded
	}
	if len(images) == 0 {
		return sdk.UserMessage(text)
	}
	return sdk.UserMessage(append([]sdk.ChatCompletionContentPartUnionParam{sdk.TextContentPart(text)}, images...))
}

// isImage reports whether the webhook said media is an image.
func isImage(t channel.MessageType, m channel.Media) bool {
	if m.ContentType == "" {
		return t == channel.TypeImage
	}
	return strings.HasPrefix(m.ContentType, "image/")
}

// fetchImage downloads an image through the desk and returns it as a data
// URL; ok is false when it cannot be given to the model (fetch error, too
// large, a type the API does not take).
func (a *Agent) fetchImage(ctx context.Context, req livedesk.AIRequest, m channel.Media) (string, bool) {
	ct, data, err := req.FetchMedia(ctx, m.URL, a.cfg.MaxImageBytes)
	if err != nil || len(data) == 0 {
		return "", false
	}
	if !visionTypes[ct] {
		ct = m.ContentType // Twilio's CDN may answer application/octet-stream
	}
	if !visionTypes[ct] {
		return "", false
	}
	return "data:" + ct + ";base64," + base64.StdEncoding.EncodeToString(data), true
}
