package ris

import (
	"bytes"
	"io"
	"testing"
	"unicode/utf16"

	"github.com/realsynth/realsynth/internal/formats"
)

// TestEncodings: the same record in UTF-8 with a BOM, UTF-16 (both byte
// orders, with BOM), and Windows-1252 / Latin-1 (detected, or declared) reads
// as the same text after formats.Decode.
func TestEncodings(t *testing.T) {
	const text = "TY  - JOUR\r\nTI  - Müller’s café\r\nER  - \r\n"
	utf16le := func(bigEndian bool) []byte {
		var b bytes.Buffer
		for _, u := range utf16.Encode([]rune("\ufeff" + text)) {
			if bigEndian {
				b.Write([]byte{byte(u >> 8), byte(u)})
			} else {
				b.Write([]byte{byte(u), byte(u >> 8)})
			}
		}
		return b.Bytes()
	}
	// Windows-1252: ü = 0xFC, é = 0xE9, ’ = 0x92.
	cp1252 := []byte("TY  - JOUR\r\nTI  - M\xfcller\x92s caf\xe9\r\nER  - \r\n")
	cases := []struct {
		name, declared, want string
		in                   []byte
	}{
		{"utf-8 with BOM", "", "Müller’s café", append([]byte("\ufeff"), text...)},
		{"utf-16le BOM", "", "Müller’s café", utf16le(false)},
		{"utf-16be BOM", "", "Müller’s café", utf16le(true)},
		{"windows-1252 sniffed", "", "Müller’s café", cp1252},
		{"windows-1252 declared", "windows-1252", "Müller’s café", cp1252},
		// In Latin-1, 0x92 is a C1 control, not a quote: declaring the wrong
		// encoding gives that, as it should.
		{"latin1 declared", "latin1", "Müller\u0092s café", cp1252},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dec, _, err := formats.Decode(bytes.NewReader(c.in), c.declared)
			if err != nil {
				t.Fatal(err)
			}
			rec, err := NewReader(dec).Next()
			if err != nil {
				t.Fatal(err)
			}
			if rec.Title != c.want {
				t.Errorf("Title = %q, want %q", rec.Title, c.want)
			}
			if _, err := NewReader(dec).Next(); err != io.EOF {
				t.Errorf("after the record: %v", err)
			}
		})
	}
}
