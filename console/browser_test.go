package console_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds a Chromium to drive; "" when there is none.
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser opens a headless Chromium tab for the test, signed in as user
// ("" for nobody). Without Chromium the test is skipped, except under CI
// (CI set), where it fails: CI installs Chromium.
func (e *env) browser(t *testing.T, user string) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no Chromium found (chromium, chromium-browser, google-chrome): CI must install it (apt-get install chromium)")
		}
		t.Skip("browser test skipped: no Chromium found (install it: apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Headless, chromedp.DisableGPU, chromedp.WindowSize(1280, 860), chromedp.Flag("hide-scrollbars", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelA() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 860)); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	if user != "" {
		e.visit(t, ctx, "/login/"+user+"?next=/console/agents", "body")
	}
	return ctx
}

// visit opens a console page and waits for sel.
func (e *env) visit(t *testing.T, ctx context.Context, path, sel string) {
	t.Helper()
	if !strings.HasPrefix(path, "/login/") {
		path = "/console" + path
	}
	e.run(t, ctx, chromedp.Navigate(e.srv.URL+path), chromedp.WaitVisible(sel))
}

// run runs browser steps with a deadline, failing the test on error.
func (e *env) run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := doWithin(ctx, 15*time.Second, steps...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

func doWithin(ctx context.Context, d time.Duration, steps ...chromedp.Action[chromedp.Void]) error {
	tctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return chromedp.Do(tctx, steps...)
}

// value runs an action that returns a value.
func value[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	v, err := chromedp.Run(tctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

// screenshotDir is where tests save screenshots: set
// LIVEDESK_SCREENSHOTS=docs/screenshots (relative to the repository root)
// to refresh the README's images.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("LIVEDESK_SCREENSHOTS")
	if dir == "" {
		return
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join("..", dir)
	}
	png := value(t, ctx, chromedp.CaptureScreenshot())
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
