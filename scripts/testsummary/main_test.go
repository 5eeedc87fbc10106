package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestSkipsAreListed: skipped tests come out with their reason, failing
// tests with their output, passing ones quietly, as go test prints them.
func TestSkipsAreListed(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p/ris","Test":"TestSharedExports"}`,
		`{"Action":"output","Package":"p/ris","Test":"TestSharedExports","Output":"=== RUN   TestSharedExports\n"}`,
		`{"Action":"output","Package":"p/ris","Test":"TestSharedExports","Output":"    shared_test.go:53: shared reference data absent; set REALSYNTH_SHARED\n"}`,
		`{"Action":"output","Package":"p/ris","Test":"TestSharedExports","Output":"--- SKIP: TestSharedExports (0.00s)\n"}`,
		`{"Action":"skip","Package":"p/ris","Test":"TestSharedExports"}`,
		`{"Action":"output","Package":"p/ris","Test":"TestGood","Output":"=== RUN   TestGood\n"}`,
		`{"Action":"pass","Package":"p/ris","Test":"TestGood"}`,
		`{"Action":"output","Package":"p/ris","Output":"PASS\n"}`,
		`{"Action":"output","Package":"p/ris","Output":"ok  \tp/ris\t0.1s\n"}`,
		`{"Action":"pass","Package":"p/ris"}`,
	}, "\n")
	var out bytes.Buffer
	failed, skips, err := summarise(strings.NewReader(in), &out)
	if err != nil || failed {
		t.Fatalf("failed %v, err %v", failed, err)
	}
	if out.String() != "ok  \tp/ris\t0.1s\n" {
		t.Errorf("output %q, want only the package line", out.String())
	}
	printSkips(&out, skips)
	for _, want := range []string{"*** 1 test(s) SKIPPED", "p/ris TestSharedExports", "shared_test.go:53: shared reference data absent; set REALSYNTH_SHARED"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary does not say %q:\n%s", want, out.String())
		}
	}
	// A failing test shows its output and fails the run; so does a line
	// that is not JSON (the go command itself failed).
	for _, c := range []struct{ in, want string }{
		{`{"Action":"output","Package":"p","Test":"TestA","Output":"    a_test.go:3: boom\n"}` + "\n" + `{"Action":"fail","Package":"p","Test":"TestA"}`, "a_test.go:3: boom"},
		{"go: cannot find main module", "go: cannot find main module"},
	} {
		out.Reset()
		failed, _, _ := summarise(strings.NewReader(c.in), &out)
		if !failed || !strings.Contains(out.String(), c.want) {
			t.Errorf("%q: failed %v, output %q", c.in, failed, out.String())
		}
	}
}
