package livedesk

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxClip is how many bytes of a value taken from an unauthenticated
// request (a channel ID, a path, a header) the desk writes into a log line
// or an event.
const maxClip = 64

// maxReason bounds a rejection's Reason (and the error in its log line).
const maxReason = 256

// sanitize makes s safe to write where an unauthenticated sender chose it: at
// most maxClip bytes of it, control characters and invalid UTF-8 replaced
// with '?', and how long it really was when cut.
func sanitize(s string) string { return sanitizeN(s, maxClip) }

// sanitizeN is sanitize with a limit of n bytes of the original (plus the note
// saying how long it was).
func sanitizeN(s string, n int) string {
	if len(s) <= n && printable(s) {
		return s
	}
	var b strings.Builder
	b.Grow(min(len(s), n) + 24)
	for i, r := range s {
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			size = 1 // an invalid byte, or U+FFFD itself: either way one '?' at most 3 bytes
		}
		if i+size > n {
			b.WriteString("…(")
			b.WriteString(strconv.Itoa(len(s)))
			b.WriteString(" bytes)")
			break
		}
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func printable(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// Rejection log limits: a burst of rejectBurst lines, then one per
// rejectEvery; the lines left out are counted and summarised at most once
// per rejectSummaryEvery.
const (
	rejectBurst        = 20
	rejectEvery        = time.Second
	rejectSummaryEvery = time.Minute
)

// rejectLog is a token bucket, on the desk's clock, for the log lines of
// rejected webhooks: a flood of forged requests costs a few lines and a
// summary ("N more rejected"), not a line each. Its zero value is ready:
// it starts full.
type rejectLog struct {
	mu       sync.Mutex
	started  bool
	tokens   float64
	last     time.Time // last refill
	missed   int       // lines left out since the last summary
	reported time.Time // last summary (or first line left out)
}

// allow reports whether a rejection may be logged now, and how many were
// left out since the last summary when that summary is due (it is due at
// the next allowed line, or rejectSummaryEvery after the first line left
// out); the caller logs the summary first. Counted summaries are reset.
func (l *rejectLog) allow(now time.Time) (ok bool, missed int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.started {
		l.started, l.tokens, l.last = true, rejectBurst, now
	}
	if dt := now.Sub(l.last); dt > 0 {
		l.tokens = min(rejectBurst, l.tokens+float64(dt)/float64(rejectEvery))
		l.last = now
	}
	if l.tokens >= 1 {
		l.tokens--
		missed, l.missed = l.missed, 0
		return true, missed
	}
	if l.missed == 0 {
		l.reported = now
	}
	l.missed++
	return false, l.due(now)
}

// flush returns the count of lines left out when a summary is due.
func (l *rejectLog) flush(now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.due(now)
}

func (l *rejectLog) due(now time.Time) int {
	if l.missed == 0 || now.Sub(l.reported) < rejectSummaryEvery {
		return 0
	}
	missed := l.missed
	l.missed, l.reported = 0, now
	return missed
}

// flushRejectLogs writes the summaries of rejection lines left out that
// are due, so a flood that stopped is still reported. Run calls it.
func (d *Desk) flushRejectLogs(ctx context.Context, now time.Time) {
	if n := d.warnLog.flush(now); n > 0 {
		d.log.Log(ctx, slog.LevelWarn, "webhook rejections not logged (rate limit)", "count", n)
	}
	if n := d.errorLog.flush(now); n > 0 {
		d.log.Log(ctx, slog.LevelError, "webhook rejections not logged (rate limit)", "count", n)
	}
}
