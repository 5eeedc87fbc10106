package formats

import (
	"io"
	"strings"
	"testing"
)

func readLines(t *testing.T, lr *LineReader) []Line {
	t.Helper()
	var out []Line
	for {
		l, err := lr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
}

func TestLineReaderEndsAndBOM(t *testing.T) {
	// LF, CRLF, a lone CR and no final newline, with a BOM on line 1.
	in := "\ufeffTY  - JOUR\nTI  - a\r\nAU  - b\rER  - "
	got := readLines(t, NewLineReader(strings.NewReader(in)))
	want := []string{"TY  - JOUR", "TI  - a", "AU  - b", "ER  - "}
	if len(got) != len(want) {
		t.Fatalf("got %d lines %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		if got[i].Text != w || got[i].No != int64(i+1) {
			t.Errorf("line %d: %q (no %d), want %q (no %d)", i, got[i].Text, got[i].No, w, i+1)
		}
	}
}

func TestLineReaderUnread(t *testing.T) {
	lr := NewLineReader(strings.NewReader("a\nb\n"))
	a, _ := lr.Next()
	b, _ := lr.Next()
	lr.Unread(b)
	again, _ := lr.Next()
	if a.Text != "a" || again.Text != "b" || again.No != 2 {
		t.Fatalf("after Unread got %+v", again)
	}
	if _, err := lr.Next(); err != io.EOF {
		t.Fatalf("want EOF after the given-back line, got %v", err)
	}
}

func TestLineReaderBoundsAndBadBytes(t *testing.T) {
	long := strings.Repeat("x", MaxLineBytes+10)
	in := long + "\nok\n" + "caf\xe9\n"
	got := readLines(t, NewLineReader(strings.NewReader(in)))
	if len(got) != 3 {
		t.Fatalf("got %d lines", len(got))
	}
	if !got[0].TooLong || len(got[0].Text) != MaxLineBytes {
		t.Errorf("long line: TooLong %v, kept %d bytes; want true, %d", got[0].TooLong, len(got[0].Text), MaxLineBytes)
	}
	if got[1].Text != "ok" || got[1].TooLong || got[1].No != 2 {
		t.Errorf("line after the long one: %+v", got[1])
	}
	if !got[2].BadUTF8 || got[2].Text != "caf\uFFFD" {
		t.Errorf("bad byte line: %+v", got[2])
	}
}
