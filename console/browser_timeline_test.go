package console_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/livedesk/livedesk/channel"
	"github.com/livedesk/livedesk/livedesktest"
	"github.com/livedesk/livedesk/store"
)

// photo is a 160×100 PNG, as a customer's photo.
func photo(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 160, 100))
	for y := 0; y < 100; y++ {
		for x := 0; x < 160; x++ {
			img.Set(x, y, color.RGBA{R: uint8(60 + x/2), G: uint8(120 + y), B: 200, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestBrowserTimelineMediaNotesAndLabels(t *testing.T) {
	e := newEnv(t)
	url := e.media.Add(e.ch.Twilio.AccountSID, e.ch.Twilio.AuthToken, "image/png", photo(t))
	resp, body := e.h.Post(e.ch, livedesktest.Message{From: "+14155550127", Body: "Here is the broken part",
		Media: []channel.Media{{URL: url, ContentType: "image/png"}}})
	livedesktest.RequireStatus(t, resp, body, 200)
	conv := e.h.RequireConversations(e.ch.ID, 1)[0]
	ctx := e.browser(t, "admin")
	e.visit(t, ctx, "/inbox/"+conv.ID, "#timeline img")
	// The image is fetched from Twilio through the console, signed in.
	e.run(t, ctx, chromedp.Poll[chromedp.Void](`document.querySelector('#timeline img').complete && document.querySelector('#timeline img').naturalWidth === 160`))

	// An internal note shows in the timeline and is never sent.
	e.run(t, ctx, noReload, liveOpen, chromedp.SendKeys("#note-text", "Customer is a VIP, ship today"), chromedp.Click("#add-note"),
		chromedp.WaitVisible(".msg.note"))
	if txt := value(t, ctx, chromedp.Text(".msg.note")); !strings.Contains(txt, "Customer is a VIP") || !strings.Contains(txt, "Alice") {
		t.Errorf("note shows %q", txt)
	}
	notes := 0
	for _, m := range e.h.MustMessages(conv.ID) {
		if m.Direction == store.Internal {
			notes++
		}
	}
	if notes != 1 || len(e.h.Twilio.Sent()) != 0 {
		t.Errorf("%d notes stored, %d messages sent to Twilio; want 1 and 0", notes, len(e.h.Twilio.Sent()))
	}

	// A label is added, shows on the conversation and filters the list.
	e.run(t, ctx, chromedp.SendKeys("#new-label", "VIP\n"), chromedp.WaitVisible("#labels .tag.label"))
	if got, _ := e.h.Desk.Labels(context.Background(), conv.ID); len(got) != 1 || got[0] != "vip" {
		t.Fatalf("labels %v, want [vip]", got)
	}
	screenshot(t, ctx, "conversation")
	e.visit(t, ctx, "/inbox?view=all&label=vip", "#conv-list")
	if n := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#conv-list .conv').length`)); n != 1 {
		t.Errorf("label filter lists %d conversations, want 1", n)
	}
	e.visit(t, ctx, "/inbox?view=all&label=other", "#conv-list")
	if n := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#conv-list .conv').length`)); n != 0 {
		t.Errorf("another label lists %d conversations, want 0", n)
	}
	// Removing it.
	e.visit(t, ctx, "/inbox/"+conv.ID, "#labels")
	e.run(t, ctx, chromedp.Click("#labels .chip-x"), chromedp.WaitNotPresent("#labels .tag.label"))
	if got, _ := e.h.Desk.Labels(context.Background(), conv.ID); len(got) != 0 {
		t.Errorf("labels %v after removing", got)
	}
}
