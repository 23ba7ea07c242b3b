package livedesk_test

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// readmeCommands returns the commands of the README's shell blocks marked
// runnable (a "<!-- runnable" line just before the block), comments
// stripped and continuation lines joined. .ci/run runs the same blocks as
// written.
func readmeCommands(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cmds []string
	var marked, in bool
	var pending string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "<!-- runnable"):
			marked = true
		case marked && !in && strings.HasPrefix(line, "```sh"):
			in = true
		case in && strings.HasPrefix(line, "```"):
			in, marked = false, false
		case in:
			if i := strings.Index(line, " #"); i >= 0 {
				line = line[:i]
			}
			line = strings.TrimSpace(line)
			if strings.HasSuffix(line, `\`) {
				pending += strings.TrimSuffix(line, `\`) + " "
				continue
			}
			if line = strings.TrimSpace(pending + line); line != "" {
				cmds = append(cmds, line)
			}
			pending = ""
		case marked && strings.TrimSpace(line) != "":
			t.Fatalf("README: a runnable marker must be followed by a ```sh block, not %q", line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cmds
}

// TestReadmeCommands checks the README's runnable commands: the two a
// newcomer runs first are there, near the top, and they work as written.
// go run commands run here; for go test commands, the packages they name
// are listed (go list: running every test again inside go test would take
// minutes and recurse), and .ci/run runs them in full.
func TestReadmeCommands(t *testing.T) {
	cmds := readmeCommands(t)
	for _, want := range []string{"go run ./examples/quickstart", "go test ./..."} {
		found := false
		for _, c := range cmds {
			found = found || c == want
		}
		if !found {
			t.Errorf("README: no runnable block holds %q (runnable: %q)", want, cmds)
		}
	}
	if testing.Short() || os.Getenv("LIVEDESK_README_TEST") != "" {
		t.Skip("-short (or already inside a README command): the commands are only checked for presence")
	}
	for _, c := range cmds {
		args := strings.Fields(c)
		if len(args) < 2 || args[0] != "go" || (args[1] != "run" && args[1] != "test") {
			t.Errorf("README: runnable command %q is neither go run nor go test; teach TestReadmeCommands to check it", c)
			continue
		}
		if args[1] == "test" {
			args = append([]string{"go", "list"}, args[2:]...)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Env = append(os.Environ(), "LIVEDESK_README_TEST=1")
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Errorf("README: %q (run as %q) failed: %v\n%s", c, strings.Join(args, " "), err, out)
		}
	}
}
