package formats

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniffSize is how much of a file Decode looks at to guess its encoding.
const sniffSize = 64 << 10

// Decode returns r as UTF-8 without a byte-order mark. A UTF-8 or UTF-16 BOM
// decides the encoding; otherwise a declared encoding ("utf-8", "latin1",
// "windows-1252", "utf-16le", "utf-16be") is used; otherwise the start of the
// file is sniffed and text that is not valid UTF-8 is read as Windows-1252,
// the usual encoding of old EndNote and Excel exports. detected names the
// encoding used, for the manifest and warnings.
func Decode(r io.Reader, declared string) (out io.Reader, detected string, err error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, _ := br.Peek(sniffSize)
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
		return br, "utf-8", nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		name := "utf-16le"
		if head[0] == 0xFE {
			name = "utf-16be"
		}
		return transform.NewReader(br, dec), name, nil
	}
	if declared != "" {
		enc, name, err := lookupEncoding(declared)
		if err != nil {
			return nil, "", err
		}
		if enc == nil {
			return br, name, nil
		}
		return transform.NewReader(br, enc.NewDecoder()), name, nil
	}
	if !validUTF8Prefix(head) {
		return transform.NewReader(br, charmap.Windows1252.NewDecoder()), "windows-1252", nil
	}
	return br, "utf-8", nil
}

func lookupEncoding(name string) (encoding.Encoding, string, error) {
	switch strings.ToLower(strings.ReplaceAll(name, "_", "-")) {
	case "utf-8", "utf8":
		return nil, "utf-8", nil
	case "latin1", "latin-1", "iso-8859-1":
		return charmap.ISO8859_1, "latin1", nil
	case "windows-1252", "cp1252":
		return charmap.Windows1252, "windows-1252", nil
	case "utf-16le":
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", nil
	case "utf-16be":
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", nil
	}
	return nil, "", fmt.Errorf("unknown encoding %q: use utf-8, utf-16le, utf-16be, latin1 or windows-1252", name)
}

// validUTF8Prefix is utf8.Valid, forgiving a rune cut off by the sniff window.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if utf8.Valid(b) {
			return true
		}
		if len(b) < sniffSize {
			return false // the whole file was read: nothing was cut
		}
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}
