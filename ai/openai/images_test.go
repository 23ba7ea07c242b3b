package openai_test

import (
	"context"
	"encoding/base64"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/livedesk/livedesk"
	"github.com/livedesk/livedesk/ai/openai"
	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/store"
)

var photo = []byte("\xff\xd8\xff\xe0 a photo of a damaged cake")

// fetcher is a fake AIRequest.FetchMedia serving media by URL.
type fetcher struct {
	media map[string][]byte
	types map[string]string
	mu    sync.Mutex
	asked []string
	caps  []int64
}

func (f *fetcher) fetch(_ context.Context, url string, maxBytes int64) (string, []byte, error) {
	f.mu.Lock()
	f.asked, f.caps = append(f.asked, url), append(f.caps, maxBytes)
	f.mu.Unlock()
	data, ok := f.media[url]
	if !ok {
		return "", nil, errors.New("twilio: media not found (deleted?)")
	}
	if int64(len(data)) > maxBytes {
		return "", nil, errors.New("twilio: media too large")
	}
	return f.types[url], data, nil
}

// imageTurn is a conversation whose old message has an image, and whose
// unanswered message has one too.
func imageTurn(f *fetcher, media ...channel.Media) livedesk.AIRequest {
	old := store.Message{ID: "m1", Direction: store.Inbound, Text: "my order", Inbound: &channel.Inbound{Type: channel.TypeImage,
		Body: "my order", Media: []channel.Media{{URL: "https://api.twilio.com/old", ContentType: "image/png"}}}}
	reply := store.Message{ID: "a1", Direction: store.Outbound, Kind: store.KindAI, Status: store.DeliveryRead, Key: "ai:m1", Text: "Thanks!"}
	q := store.Message{ID: "m2", Direction: store.Inbound, Text: "is this cake damaged?", Inbound: &channel.Inbound{Type: channel.TypeImage,
		Body: "is this cake damaged?", Media: media}}
	return livedesk.AIRequest{History: []store.Message{old, reply, q}, Message: q, FetchMedia: f.fetch}
}

func TestImages(t *testing.T) {
	cake := channel.Media{URL: "https://api.twilio.com/cake", ContentType: "image/jpeg"}
	dataURL := "data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(photo)
	tests := []struct {
		name    string
		cfg     openai.Config
		media   []channel.Media
		want    any // the last message's content
		fetched []string
	}{
		{
			name:  "with Vision, the unanswered message's image is given to the model",
			cfg:   openai.Config{Vision: true},
			media: []channel.Media{cake},
			want: []any{
				map[string]any{"type": "text", "text": "[image: image/jpeg] is this cake damaged?"},
				map[string]any{"type": "image_url", "image_url": map[string]any{"url": dataURL}},
			},
			fetched: []string{cake.URL}, // not the old image
		},
		{
			name:  "without Vision, images are only described",
			media: []channel.Media{cake},
			want:  "[image: image/jpeg] is this cake damaged?",
		},
		{
			name:    "an image that cannot be fetched is described, and said so",
			cfg:     openai.Config{Vision: true},
			media:   []channel.Media{{URL: "https://api.twilio.com/deleted", ContentType: "image/jpeg"}},
			want:    "[image: image/jpeg] is this cake damaged? [an image could not be opened]",
			fetched: []string{"https://api.twilio.com/deleted"},
		},
		{
			name:    "an image over MaxImageBytes is not given",
			cfg:     openai.Config{Vision: true, MaxImageBytes: 10},
			media:   []channel.Media{cake},
			want:    "[image: image/jpeg] is this cake damaged? [an image could not be opened]",
			fetched: []string{cake.URL},
		},
		{
			name:    "a type the API does not take is not given",
			cfg:     openai.Config{Vision: true},
			media:   []channel.Media{{URL: "https://api.twilio.com/heic", ContentType: "image/heic"}},
			want:    "[image: image/heic] is this cake damaged? [an image could not be opened]",
			fetched: []string{"https://api.twilio.com/heic"},
		},
		{
			name:  "audio is not fetched",
			cfg:   openai.Config{Vision: true},
			media: []channel.Media{{URL: "https://api.twilio.com/voice", ContentType: "audio/ogg"}},
			want:  "[audio: audio/ogg] is this cake damaged?",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fetcher{
				media: map[string][]byte{cake.URL: photo, "https://api.twilio.com/old": photo, "https://api.twilio.com/heic": photo},
				types: map[string]string{cake.URL: "image/jpeg", "https://api.twilio.com/old": "image/png", "https://api.twilio.com/heic": "image/heic"},
			}
			api := newFakeAPI(t, ok(completion(textMessage("It looks fine."), "stop")))
			a := newAgent(t, api, tt.cfg)
			_, err := a.Respond(context.Background(), imageTurn(f, tt.media...))
			require.NoError(t, err)
			msgs := messages2(t, api, 0)
			require.Equal(t, map[string]any{"role": "user", "content": "[image: image/png] my order"}, msgs[1], "the old image stays a label")
			require.Equal(t, map[string]any{"role": "user", "content": tt.want}, msgs[len(msgs)-1])
			require.Equal(t, tt.fetched, f.asked)
			wantCap := tt.cfg.MaxImageBytes
			if wantCap == 0 {
				wantCap = openai.DefaultMaxImageBytes
			}
			for _, c := range f.caps {
				require.Equal(t, wantCap, c)
			}
			if tt.cfg.Vision {
				require.Contains(t, msgs[0]["content"], "attached for you to see")
			}
		})
	}
}

// At most 4 images per turn.
func TestImagesCap(t *testing.T) {
	t.Parallel()
	f := &fetcher{media: map[string][]byte{}, types: map[string]string{}}
	var media []channel.Media
	for _, u := range []string{"a", "b", "c", "d", "e"} {
		url := "https://api.twilio.com/" + u
		f.media[url], f.types[url] = photo, "image/jpeg"
		media = append(media, channel.Media{URL: url, ContentType: "image/jpeg"})
	}
	api := newFakeAPI(t, ok(completion(textMessage("Nice."), "stop")))
	a := newAgent(t, api, openai.Config{Vision: true})
	_, err := a.Respond(context.Background(), imageTurn(f, media...))
	require.NoError(t, err)
	require.Len(t, f.asked, 4)
	msgs := messages2(t, api, 0)
	parts := msgs[len(msgs)-1]["content"].([]any)
	require.Len(t, parts, 5, "the text and 4 images")
	require.Contains(t, parts[0].(map[string]any)["text"], "[an image could not be opened]")
}
