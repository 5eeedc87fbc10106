// Package browser opens the demo review's report.html in headless Chromium
// (Debian's chromium package) and checks what a reader would see: every
// section present, no console errors, no network request of any kind, and
// one screenshot per section plus a PDF print, kept in screenshots/ for a
// person to look at. It is a module of its own so that the main module does
// not depend on chromedp.
package browser

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/stages"
)

// sections are report.html's sections, in order, with their headings.
var sections = []struct{ id, heading string }{
	{"run", "1. Run"},
	{"changes", "2. What changed since the previous run"},
	{"prisma", "3. PRISMA 2020"},
	{"sources", "4. Sources"},
	{"dedupe", "5. De-duplication"},
	{"screening", "6. Screening"},
	{"synthesis", "7. Synthesis"},
}

// screenshotDir holds the artifacts; it is git-ignored and rewritten by every run.
const screenshotDir = "screenshots"

func chromiumPath(t *testing.T) string {
	for _, name := range []string{os.Getenv("REALSYNTH_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "SKIPPED: no headless Chromium on this machine (install Debian's chromium: apt-get install -y chromium); report.html was NOT checked in a browser"
	fmt.Fprintln(os.Stderr, "\n*** "+msg+" ***")
	t.Skip(msg)
	return ""
}

// firstRoundOnly writes the demo config without its second round, its
// paths made absolute so it can live in a temporary folder.
func firstRoundOnly(t *testing.T) string {
	demo, err := os.ReadFile("../../configs/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(demo)
	r2, stagesAt := strings.Index(text, "  - id: r2"), strings.Index(text, "\nstages:")
	if r2 < 0 || stagesAt < r2 {
		t.Fatal("configs/demo.yaml no longer has a round r2 before its stages: update this test")
	}
	text = text[:r2] + text[stagesAt+1:]
	testdata, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	text = strings.ReplaceAll(text, "../testdata", testdata)
	path := filepath.Join(t.TempDir(), "r1.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReportInChromium(t *testing.T) {
	bin := chromiumPath(t)

	// The demo review as after an update search: round r1 alone first, then
	// both rounds over its output, so "What changed" has something to show.
	out := filepath.Join(t.TempDir(), "demo")
	// The first round's coding is not in the demo on its own: no synthesis then.
	for _, run := range []struct {
		config string
		set    []string
	}{{firstRoundOnly(t), []string{"stages.synthesis.enabled=false"}}, {"../../configs/demo.yaml", nil}} {
		plan, err := pipeline.Load(run.config, stages.Pipeline, append(run.set, "output="+out))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pipeline.Execute(context.Background(), plan, pipeline.NewRun(plan.Config, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)); err != nil {
			t.Fatal(err)
		}
	}
	report := filepath.Join(out, "report.html")
	url := "file://" + report

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900), chromedp.Flag("hide-scrollbars", true),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	var mu sync.Mutex
	var problems, requests []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value))
				}
				problems = append(problems, fmt.Sprintf("console.%s: %s", e.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				problems = append(problems, fmt.Sprintf("log %s: %s %s", e.Entry.Level, e.Entry.Text, e.Entry.URL))
			}
		case *network.EventRequestWillBeSent:
			requests = append(requests, e.Request.URL)
		case *fetch.EventRequestPaused:
			// Only http(s) and ws(s) requests are intercepted: fail every one.
			problems = append(problems, "network request: "+e.Request.URL)
			go func() {
				_, _ = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
			}()
		}
	}); err != nil {
		t.Fatal(err)
	}
	for _, enable := range []func() error{
		func() error { _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); return err },
		func() error { _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); return err },
		func() error { _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); return err },
		func() error {
			_, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{
				{URLPattern: "http://*"}, {URLPattern: "https://*"}, {URLPattern: "ws://*"}, {URLPattern: "wss://*"}}})
			return err
		},
	} {
		if err := enable(); err != nil {
			t.Fatal(err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("#synthesis"))); err != nil {
		t.Fatal(err)
	}
	headings, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("main > section > h2")).map(h => h.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.chart").length`))
	if err != nil {
		t.Fatal(err)
	}
	titled, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("svg.chart[role=img] > title + desc").length`))
	if err != nil {
		t.Fatal(err)
	}

	var want []string
	for _, s := range sections {
		want = append(want, s.heading)
	}
	if strings.Join(headings, "\n") != strings.Join(want, "\n") {
		t.Errorf("section headings\n%q\nwant\n%q", headings, want)
	}
	// The demo has five charts: sources, overlap, κ forest, study × theme, saturation.
	if charts != 5 || titled != charts {
		t.Errorf("%d charts, %d with role=img, <title> and <desc>; want 5 and 5", charts, titled)
	}

	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, s := range sections {
		png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.ID(s.id)))
		if err != nil {
			t.Fatalf("screenshot of %s: %v", s.id, err)
		}
		name := filepath.Join(screenshotDir, fmt.Sprintf("%d-%s.png", i+1, s.id))
		if err := os.WriteFile(name, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot %s (%d bytes)", name, len(png))
		// Each chart apart too, at full size, to look at closely.
		figures, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll("#%s figure").length`, s.id)))
		if err != nil {
			t.Fatal(err)
		}
		for j := range figures {
			png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(fmt.Sprintf("#%s figure:nth-of-type(%d)", s.id, j+1))))
			if err != nil {
				t.Fatalf("screenshot of %s figure %d: %v", s.id, j+1, err)
			}
			if err := os.WriteFile(filepath.Join(screenshotDir, fmt.Sprintf("%d-%s-figure-%d.png", i+1, s.id, j+1)), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The page as print media shows it (what the PDF holds), for a person to look at.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	printed, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, "print-media.png"), printed, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Errorf("the print to PDF gave no PDF")
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, "report.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("printed %s (%d bytes)", filepath.Join(screenshotDir, "report.pdf"), len(pdf))

	mu.Lock()
	defer mu.Unlock()
	for _, r := range requests {
		if !strings.HasPrefix(r, "file://") && !strings.HasPrefix(r, "data:") {
			t.Errorf("the page requested %s: report.html must need no network", r)
		}
	}
	if len(requests) == 0 {
		t.Error("no request seen at all: the network listener is not working")
	}
	for _, p := range problems {
		t.Error(p)
	}
}
