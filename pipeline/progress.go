package pipeline

import (
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Progress reports how far one piece of long work has got.
type Progress interface {
	Add(n int64)
	Done()
}

// ProgressFactory starts progress reports; the CLI picks a bar on a terminal
// and periodic log lines otherwise, so cron logs stay readable.
type ProgressFactory interface {
	Start(what string, total int64) Progress
}

// NewProgressFactory returns a bar factory when stderr is a terminal and a
// log-line factory otherwise.
func NewProgressFactory(log *slog.Logger) ProgressFactory {
	if StderrIsTerminal() {
		return barProgress{}
	}
	return logProgress{log: log}
}

// StderrIsTerminal reports whether stderr is a terminal (then progress is a bar).
func StderrIsTerminal() bool { return term.IsTerminal(int(os.Stderr.Fd())) }

// stderr serialises what the bar and the log write to the terminal. A bar
// frame rewrites the current line; a log line first clears that line, so
// the two never share a line and the bar redraws below at its next update.
var stderr = &terminal{w: os.Stderr}

type terminal struct {
	mu sync.Mutex
	w  io.Writer
}

// clearLine is carriage return and "erase to end of line".
const clearLine = "\r\x1b[K"

type barWriter struct{ t *terminal }

func (b barWriter) Write(p []byte) (int, error) {
	b.t.mu.Lock()
	defer b.t.mu.Unlock()
	return b.t.w.Write(p)
}

type logWriter struct{ t *terminal }

func (l logWriter) Write(p []byte) (int, error) {
	l.t.mu.Lock()
	defer l.t.mu.Unlock()
	if _, err := io.WriteString(l.t.w, clearLine); err != nil {
		return 0, err
	}
	return l.t.w.Write(p)
}

// LogWriter is where the CLI's log lines go: stderr, sharing the terminal
// with the progress bar without mixing into its line.
func LogWriter() io.Writer {
	if StderrIsTerminal() {
		return logWriter{stderr}
	}
	return os.Stderr
}

type quietProgress struct{}

func (quietProgress) Start(string, int64) Progress { return quietProgress{} }
func (quietProgress) Add(int64)                    {}
func (quietProgress) Done()                        {}

type barProgress struct{}

func (barProgress) Start(what string, total int64) Progress {
	return &bar{progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(barWriter{stderr}),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

type bar struct{ b *progressbar.ProgressBar }

func (b *bar) Add(n int64) { _ = b.b.Add64(n) }
func (b *bar) Done()       { _ = b.b.Finish() }

type logProgress struct{ log *slog.Logger }

func (l logProgress) Start(what string, total int64) Progress {
	return &logLine{log: l.log, what: what, total: total, start: time.Now(), last: time.Now()}
}

// logLine logs at most every few seconds so a long run shows it is alive
// without flooding a log file.
type logLine struct {
	mu          sync.Mutex // stages may report from several goroutines
	log         *slog.Logger
	what        string
	total, n    int64
	start, last time.Time
}

func (l *logLine) Add(n int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n += n
	if time.Since(l.last) >= 5*time.Second {
		l.last = time.Now()
		l.log.Info("progress", "what", l.what, "done", l.n, "total", l.total)
	}
}

func (l *logLine) Done() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.log.Info("done", "what", l.what, "count", l.n, "seconds", time.Since(l.start).Round(time.Millisecond).Seconds())
}
