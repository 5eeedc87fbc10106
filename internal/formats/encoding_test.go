package formats

import (
	"bytes"
	"io"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf16"
	"unicode/utf8"
)

func decodeAll(t *testing.T, in []byte, declared string) (string, *Decoded) {
	t.Helper()
	d, err := DecodeExport(bytes.NewReader(in), declared)
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(d)
	if err != nil {
		t.Fatal(err)
	}
	return string(out), d
}

// TestStrayBytesRepairedPerLine: five stray bytes in a UTF-8 file cost five
// characters, not every accented name in the file (as when the whole file
// was read as Windows-1252 because its start was not valid UTF-8).
func TestStrayBytesRepairedPerLine(t *testing.T) {
	in := "TY  - JOUR\nAU  - Müller, Anna\nTI  - Caf\xe9 culture \x96 a review\nAU  - Ødegård, K.\n" +
		"N1  - it\x92s\x00 ok\nAB  - \x93quoted\x94 and Zürich\nER  - \n"
	want := "TY  - JOUR\nAU  - Müller, Anna\nTI  - Café culture – a review\nAU  - Ødegård, K.\n" +
		"N1  - it’s ok\nAB  - “quoted” and Zürich\nER  - \n"
	got, d := decodeAll(t, []byte(in), "")
	if got != want {
		t.Errorf("decoded:\n%q\nwant\n%q", got, want)
	}
	wantRepairs := []Repair{{Line: 3, NotUTF8: 2}, {Line: 5, NotUTF8: 1, NUL: 1}, {Line: 6, NotUTF8: 2}}
	if !reflect.DeepEqual(d.Repairs(), wantRepairs) {
		t.Errorf("repairs %+v, want %+v", d.Repairs(), wantRepairs)
	}
	if d.Encoding() != "utf-8+windows-1252" {
		t.Errorf("encoding %q", d.Encoding())
	}
}

func TestWholeFileWindows1252(t *testing.T) {
	got, d := decodeAll(t, []byte("TI  - M\xfcller\x92s caf\xe9\r\nER  - \r\n"), "")
	if got != "TI  - Müller’s café\r\nER  - \r\n" || d.Encoding() != "windows-1252" {
		t.Errorf("got %q as %s", got, d.Encoding())
	}
	if r := d.Repairs(); len(r) != 1 || r[0] != (Repair{Line: 1, NotUTF8: 3}) {
		t.Errorf("repairs %+v", r)
	}
	// Valid UTF-8 is left alone, and reported as such.
	got, d = decodeAll(t, []byte("TI  - Müller\n"), "")
	if got != "TI  - Müller\n" || d.Encoding() != "utf-8" || len(d.Repairs()) != 0 {
		t.Errorf("got %q as %s, repairs %v", got, d.Encoding(), d.Repairs())
	}
}

// TestRepairLineNumbers counts lines as LineReader does: LF, CRLF, lone CR.
func TestRepairLineNumbers(t *testing.T) {
	_, d := decodeAll(t, []byte("a\r\nb\xe9\rc\xe9\nd\r\n\r\ne\x00"), "")
	want := []Repair{{Line: 2, NotUTF8: 1}, {Line: 3, NotUTF8: 1}, {Line: 6, NUL: 1}}
	if !reflect.DeepEqual(d.Repairs(), want) {
		t.Errorf("repairs %+v, want %+v", d.Repairs(), want)
	}
}

// TestRepairAcrossChunks: runes and CRLFs cut by buffer boundaries, read
// through tiny reads on both sides, give the same text and line numbers.
func TestRepairAcrossChunks(t *testing.T) {
	var in, want strings.Builder
	var wantRepairs []Repair
	line := int64(1)
	for in.Len() < 300<<10 {
		switch line % 7 {
		case 3:
			in.WriteString("TI  - caf\xe9 \xe2\x80\x94 Zürich\r\n")
			want.WriteString("TI  - café — Zürich\r\n")
			wantRepairs = append(wantRepairs, Repair{Line: line, NotUTF8: 1})
		default:
			in.WriteString("AB  - 日本語のテキスト ø\r\n")
			want.WriteString("AB  - 日本語のテキスト ø\r\n")
		}
		line++
	}
	for name, src := range map[string]func(io.Reader) io.Reader{
		"whole": func(r io.Reader) io.Reader { return r },
		"half":  iotest.HalfReader,
		"bytes": iotest.OneByteReader,
	} {
		t.Run(name, func(t *testing.T) {
			d, err := DecodeExport(src(strings.NewReader(in.String())), "")
			if err != nil {
				t.Fatal(err)
			}
			out, err := io.ReadAll(iotest.OneByteReader(d))
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != want.String() {
				t.Fatalf("decoded text differs (%d bytes, want %d)", len(out), want.Len())
			}
			if !reflect.DeepEqual(d.Repairs(), wantRepairs) {
				t.Errorf("%d repairs, want %d; first %+v", len(d.Repairs()), len(wantRepairs), d.Repairs()[:min(3, len(d.Repairs()))])
			}
		})
	}
}

func TestUTF16WithoutBOM(t *testing.T) {
	const text = "TY  - JOUR\r\nTI  - Müller’s café\r\nER  - \r\n"
	for _, big := range []bool{false, true} {
		var b bytes.Buffer
		for _, u := range utf16.Encode([]rune(text)) {
			if big {
				b.Write([]byte{byte(u >> 8), byte(u)})
			} else {
				b.Write([]byte{byte(u), byte(u >> 8)})
			}
		}
		got, d := decodeAll(t, b.Bytes(), "")
		want := map[bool]string{false: "utf-16le", true: "utf-16be"}[big]
		if got != text || d.Encoding() != want {
			t.Errorf("got %q as %s, want %s", got, d.Encoding(), want)
		}
	}
}

func TestUnknownEncoding(t *testing.T) {
	_, err := DecodeExport(strings.NewReader("x"), "klingon")
	if err == nil || !strings.Contains(err.Error(), `"klingon"`) || !strings.Contains(err.Error(), "windows-1252") {
		t.Fatalf("err = %v", err)
	}
}

// FuzzDecode: whatever the bytes, the text is valid UTF-8 without NULs;
// valid UTF-8 without NULs (and no BOM or UTF-16 look) comes out unchanged;
// and the repaired lines are in order.
func FuzzDecode(f *testing.F) {
	f.Add([]byte("TY  - JOUR\nAU  - Müller\nTI  - Caf\xe9\r\nN1  - a\x00b\rER  - \n"))
	f.Add([]byte("\xff\xfeT\x00Y\x00"))
	f.Add([]byte("日本\xe6\x97"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := DecodeExport(bytes.NewReader(data), "")
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(iotest.HalfReader(d))
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(out) || bytes.IndexByte(out, 0) >= 0 {
			t.Fatalf("output %q is not clean UTF-8", out)
		}
		if d.transformed == "" && utf8.Valid(data) && bytes.IndexByte(data, 0) < 0 && !bytes.HasPrefix(data, []byte("\ufeff")) && !bytes.Equal(out, data) {
			t.Fatalf("valid input changed: %q -> %q", data, out)
		}
		for i := 1; i < len(d.Repairs()); i++ {
			if d.Repairs()[i].Line <= d.Repairs()[i-1].Line {
				t.Fatalf("repairs out of order: %+v", d.Repairs())
			}
		}
	})
}

// BenchmarkDecode: the decoder sits in front of every reader, so valid
// UTF-8 must pass at memory speed; a Windows-1252 file goes line by line.
func BenchmarkDecode(b *testing.B) {
	for _, c := range []struct{ name, line string }{
		{"utf8", "AB  - Peer workers in Zürich and Ødegård’s outreach: a realist review of trust and engagement.\n"},
		{"windows1252", "AB  - Peer workers in Z\xfcrich and \xd8deg\xe5rd\x92s outreach: a realist review of trust and engagement.\n"},
	} {
		input := bytes.Repeat([]byte(c.line), (16<<20)/len(c.line))
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(input)))
			buf := make([]byte, 32<<10)
			for range b.N {
				d, err := DecodeExport(bytes.NewReader(input), "")
				if err != nil {
					b.Fatal(err)
				}
				for {
					if _, err := d.Read(buf); err == io.EOF {
						break
					}
				}
			}
		})
	}
}

// TestCountLinesAnyChunks: however the text is cut into chunks, CR, LF and
// CRLF each end one line (a CRLF cut between its two bytes too).
func TestCountLinesAnyChunks(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for round := 0; round < 500; round++ {
		b := make([]byte, rng.Intn(60))
		for i := range b {
			b[i] = "\r\nx"[rng.Intn(3)]
		}
		want := int64(strings.Count(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(string(b)), "\n"))
		d := &Decoded{}
		for rest := b; len(rest) > 0; {
			n := 1 + rng.Intn(len(rest))
			d.countLines(rest[:n])
			rest = rest[n:]
		}
		if d.line != want {
			t.Fatalf("%q: %d line ends counted, want %d", b, d.line, want)
		}
	}
}
