package twilio

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// A body with no announced length is cut at the cap: exactly the cap
// reads whole, one byte more fails with ErrMediaTooLarge.
func TestCappedBody(t *testing.T) {
	for _, c := range []struct {
		body    string
		tooMany bool
	}{{"12345", false}, {"123456", true}, {"", false}} {
		b := &cappedBody{r: io.NopCloser(strings.NewReader(c.body)), left: 5, max: 5}
		got, err := io.ReadAll(b)
		if errors.Is(err, ErrMediaTooLarge) != c.tooMany {
			t.Fatalf("%q: error %v, want too large %v", c.body, err, c.tooMany)
		}
		if !c.tooMany && (err != nil || string(got) != c.body) {
			t.Fatalf("%q: got %q, %v", c.body, got, err)
		}
	}
}
