package pipeline

import (
	"bytes"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// A warning logged while a progress bar is on the terminal must get a line
// of its own. With a plain writer (the control) the log line is written
// after the bar's text on the same line; through LogWriter's terminal it
// clears the bar's line first, and the bar redraws below.
func TestLogLineDuringBarGetsItsOwnLine(t *testing.T) {
	draw := func(logTo func(*terminal) io.Writer) []string {
		var buf bytes.Buffer
		saved := stderr.w
		stderr.w = &buf
		defer func() { stderr.w = saved }()
		log := slog.New(slog.NewTextHandler(logTo(stderr), nil))
		bar := barProgress{}.Start("reading", 100)
		bar.Add(30)
		time.Sleep(120 * time.Millisecond) // past the bar's redraw throttle
		bar.Add(10)
		log.Warn("3 records quarantined")
		time.Sleep(120 * time.Millisecond)
		bar.Add(60)
		bar.Done()
		return replay(buf.String())
	}
	mixed := func(lines []string) bool {
		for _, l := range lines {
			if strings.Contains(l, "level=WARN") && !strings.HasPrefix(l, "time=") {
				return true
			}
		}
		return false
	}
	control := draw(func(t *terminal) io.Writer { return barWriter{t} })
	if !mixed(control) {
		t.Fatalf("control: a plain writer did not mix the log line into the bar, so this test shows nothing:\n%q", control)
	}
	lines := draw(func(t *terminal) io.Writer { return logWriter{t} })
	if mixed(lines) {
		t.Errorf("the log line shares the bar's line:\n%q", lines)
	}
	if !strings.Contains(strings.Join(lines, "\n"), "time=") {
		t.Errorf("the warning was lost:\n%q", lines)
	}
}

// replay draws terminal output: \r returns to the line's start, ESC[K
// erases to its end, other escapes are skipped, \n starts a new line, and
// other text overwrites what is under the cursor.
func replay(s string) []string {
	var lines []string
	var cur []rune
	col := 0
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "\x1b[") {
			j := i + 2
			for j < len(s) && !(s[j] >= '@' && s[j] <= '~') {
				j++
			}
			if j < len(s) && s[j] == 'K' {
				cur = cur[:min(col, len(cur))]
			}
			i = j + 1
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch r {
		case '\r':
			col = 0
		case '\n':
			lines = append(lines, strings.TrimRight(string(cur), " "))
			cur, col = nil, 0
		default:
			if col < len(cur) {
				cur[col] = r
			} else {
				cur = append(cur, r)
			}
			col++
		}
	}
	if len(cur) > 0 {
		lines = append(lines, strings.TrimRight(string(cur), " "))
	}
	return lines
}
