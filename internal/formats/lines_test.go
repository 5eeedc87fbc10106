package formats

import (
	"io"
	"math/rand"
	"strings"
	"testing"
	"testing/iotest"
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

// TestLineReaderAgainstSplit: on random text with every kind of line end,
// read through readers that hand out a byte or half a buffer at a time
// (so lines and CRLFs straddle the buffer's refills), NextRaw gives the
// lines a plain split gives, with their numbers.
func TestLineReaderAgainstSplit(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	pieces := []string{"a", "TY  - x", "\n", "\r\n", "\r", "\r\r\n", strings.Repeat("long ", 20000), "é"}
	for round := 0; round < 60; round++ {
		var b strings.Builder
		for i := rng.Intn(40); i >= 0; i-- {
			b.WriteString(pieces[rng.Intn(len(pieces))])
		}
		in := b.String()
		want := strings.Split(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(in), "\n")
		if want[len(want)-1] == "" {
			want = want[:len(want)-1]
		}
		for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in)), iotest.HalfReader(strings.NewReader(in))} {
			lr := NewLineReader(r)
			for i := 0; ; i++ {
				l, err := lr.NextRaw()
				if err == io.EOF {
					if i != len(want) {
						t.Fatalf("round %d: %d lines, want %d", round, i, len(want))
					}
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if i >= len(want) || string(l.Text) != want[i] || l.No != int64(i+1) {
					t.Fatalf("round %d: line %d = %q (no %d), want %q", round, i+1, l.Text, l.No, want[min(i, len(want)-1)])
				}
				if i%3 == 0 {
					lr.UnreadRaw(l)
					again, _ := lr.NextRaw()
					if string(again.Text) != want[i] || again.No != l.No {
						t.Fatalf("round %d: line %d given back came back as %q", round, i+1, again.Text)
					}
				}
			}
		}
	}
}
