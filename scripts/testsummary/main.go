// Command testsummary reads `go test -json` and prints what `go test`
// prints (package results, the output of failing tests), then lists every
// skipped test with its reason, loudly: a clone without the shared
// reference data beside it passes, and must say which checks did not run.
//
//	go test -json ./... | go run ./scripts/testsummary
//
// It exits 1 when a test, a package or a build failed.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// event is one line of test2json output.
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

type skip struct{ pkg, test, why string }

func main() {
	failed, skips, err := summarise(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(1)
	}
	printSkips(os.Stdout, skips)
	if failed {
		os.Exit(1)
	}
}

func summarise(r io.Reader, w io.Writer) (failed bool, skips []skip, err error) {
	output := map[[2]string][]string{} // (package, test) → its output so far
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// Not JSON: the go command itself failed (a bad flag, no module).
			fmt.Fprintln(w, sc.Text())
			failed = true
			continue
		}
		key := [2]string{e.Package, e.Test}
		switch e.Action {
		case "output", "build-output":
			if e.Test == "" {
				if !isChatter(e.Output) {
					fmt.Fprint(w, e.Output)
				}
				continue
			}
			output[key] = append(output[key], e.Output)
		case "fail", "build-fail":
			failed = true
			if e.Test != "" {
				fmt.Fprint(w, strings.Join(output[key], ""))
			}
			delete(output, key)
		case "skip":
			if e.Test != "" {
				skips = append(skips, skip{e.Package, e.Test, reason(output[key])})
			}
			delete(output, key)
		case "pass":
			delete(output, key)
		}
	}
	return failed, skips, sc.Err()
}

// isChatter is package-level output that go test does not print without -v.
func isChatter(s string) bool {
	t := strings.TrimSpace(s)
	return t == "PASS" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- PASS") || strings.HasPrefix(t, "--- SKIP")
}

// reason is what a skipped test said (its t.Skip message), without the
// RUN/SKIP lines around it.
func reason(lines []string) string {
	var said []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		said = append(said, t)
	}
	if len(said) == 0 {
		return "(no reason given)"
	}
	return strings.Join(said, " ")
}

func printSkips(w io.Writer, skips []skip) {
	if len(skips) == 0 {
		return
	}
	sort.Slice(skips, func(i, j int) bool {
		if skips[i].pkg != skips[j].pkg {
			return skips[i].pkg < skips[j].pkg
		}
		return skips[i].test < skips[j].test
	})
	bar := strings.Repeat("*", 78)
	fmt.Fprintf(w, "\n%s\n*** %d test(s) SKIPPED: these checks did not run here\n%s\n", bar, len(skips), bar)
	for _, s := range skips {
		fmt.Fprintf(w, "  %s %s\n      %s\n", s.pkg, s.test, s.why)
	}
	fmt.Fprintln(w, bar)
}
