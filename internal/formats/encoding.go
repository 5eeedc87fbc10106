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

// Encodings lists the names an `encoding:` setting accepts, for messages.
const Encodings = "utf-8, utf-16le, utf-16be, latin1 or windows-1252"

// CheckEncoding reports whether name is an encoding Decode can read.
func CheckEncoding(name string) error {
	_, _, err := lookupEncoding(name)
	return err
}

// Repair is one line of an export whose bytes Decoded had to change.
type Repair struct {
	Line    int64 // 1-based, counting LF, CRLF and lone CR as line ends
	NotUTF8 int   // bytes that were not UTF-8, read as Windows-1252
	NUL     int   // NUL bytes, removed
}

// Decoded is an export file as UTF-8 text without a byte-order mark.
//
// The encoding is decided once for the file when it is known: a BOM, a
// declared encoding, or UTF-16 recognised by its zero bytes. Otherwise the
// file is read as UTF-8, and a line that holds bytes that are not UTF-8 is
// repaired on its own: its valid UTF-8 stays as it is and each stray byte
// is read as Windows-1252, the usual encoding of old EndNote and Excel
// exports. So five stray bytes cost five characters, not every accented
// name of the file. NUL bytes, which no export means, are removed. Every
// change is listed by Repairs, line by line, so that the records that hold
// them can be named.
type Decoded struct {
	src          *bufio.Reader
	transformed  string // the encoding decoded by a transform, if any
	line         int64
	lastCR       bool   // the previous chunk ended in CR: an LF next is part of it
	pend         []byte // output not yet handed out (in pendBuf)
	pendBuf      []byte
	scratch      []byte
	repairs      []Repair
	sawMultibyte bool // valid UTF-8 beyond ASCII was read
}

// DecodeExport opens r for reading as UTF-8; declared is the search's
// `encoding:` setting, or "" to detect it.
func DecodeExport(r io.Reader, declared string) (*Decoded, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, _ := br.Peek(sniffSize)
	d := &Decoded{line: 1}
	via := func(enc encoding.Encoding, name string) *Decoded {
		d.src = bufio.NewReaderSize(transform.NewReader(br, enc.NewDecoder()), sniffSize)
		d.transformed = name
		return d
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
		d.src = br
		return d, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return via(unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le"), nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return via(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be"), nil
	}
	if declared != "" {
		enc, name, err := lookupEncoding(declared)
		if err != nil {
			return nil, err
		}
		if enc != nil {
			return via(enc, name), nil
		}
		d.src = br
		return d, nil
	}
	if order := utf16WithoutBOM(head); order != "" {
		endian := unicode.LittleEndian
		if order == "utf-16be" {
			endian = unicode.BigEndian
		}
		return via(unicode.UTF16(endian, unicode.IgnoreBOM), order), nil
	}
	d.src = br
	return d, nil
}

// Decode is DecodeExport for readers that need no repair report. detected
// is the encoding as judged from the start of the file.
func Decode(r io.Reader, declared string) (out io.Reader, detected string, err error) {
	d, err := DecodeExport(r, declared)
	if err != nil {
		return nil, "", err
	}
	if d.transformed != "" {
		return d, d.transformed, nil
	}
	if declared == "" {
		if head, _ := d.src.Peek(sniffSize); !validUTF8Prefix(head) && !hasValidMultibyte(head) {
			return d, "windows-1252", nil
		}
	}
	return d, "utf-8", nil
}

// Encoding names the encoding the file was read in, once it has been read:
// "utf-8"; "windows-1252" when every byte beyond ASCII had to be read so;
// "utf-8+windows-1252" when the file mixes the two; or the encoding of a
// BOM, a declaration or UTF-16 detection.
func (d *Decoded) Encoding() string {
	switch {
	case d.transformed != "":
		return d.transformed
	case !d.repairedUTF8():
		return "utf-8"
	case d.sawMultibyte:
		return "utf-8+windows-1252"
	}
	return "windows-1252"
}

func (d *Decoded) repairedUTF8() bool {
	for _, r := range d.repairs {
		if r.NotUTF8 > 0 {
			return true
		}
	}
	return false
}

// Repairs lists the lines whose bytes were changed, in line order.
func (d *Decoded) Repairs() []Repair { return d.repairs }

func (d *Decoded) Read(p []byte) (int, error) {
	if len(d.pend) > 0 {
		n := copy(p, d.pend)
		d.pend = d.pend[n:]
		return n, nil
	}
	if len(p) == 0 {
		return 0, nil
	}
	// Peek fills up to the size asked for; a small p is served from pend.
	chunk, err := d.src.Peek(min(max(len(p), 64), sniffSize))
	if len(chunk) == 0 {
		if err == nil {
			err = io.EOF
		}
		return 0, err
	}
	if err == nil {
		// More input follows: leave a rune cut at the chunk's end for the
		// next call, so that it is not taken for stray bytes.
		chunk = chunk[:completeRunes(chunk)]
	}
	out := chunk
	if utf8.Valid(chunk) && bytes.IndexByte(chunk, 0) < 0 {
		d.countLines(chunk)
		if !d.sawMultibyte {
			d.sawMultibyte = !isASCII(chunk)
		}
	} else {
		out = d.repair(chunk)
	}
	n := copy(p, out)
	if n < len(out) {
		d.pendBuf = append(d.pendBuf[:0], out[n:]...)
		d.pend = d.pendBuf
	}
	_, _ = d.src.Discard(len(chunk))
	return n, nil
}

// repair copies chunk line by line: a valid line as it is, a line with
// stray bytes or NULs through repairLine.
func (d *Decoded) repair(chunk []byte) []byte {
	out := d.scratch[:0]
	for len(chunk) > 0 {
		end := lineEnd(chunk)
		if end < 0 {
			end = len(chunk)
		} else {
			end++
		}
		seg := chunk[:end]
		if utf8.Valid(seg) && bytes.IndexByte(seg, 0) < 0 {
			out = append(out, seg...)
			if !d.sawMultibyte {
				d.sawMultibyte = !isASCII(seg)
			}
		} else {
			out = d.repairLine(out, seg)
		}
		d.countLines(seg)
		chunk = chunk[end:]
	}
	d.scratch = out
	return out
}

func (d *Decoded) repairLine(out, seg []byte) []byte {
	var fix Repair
	for i := 0; i < len(seg); {
		c := seg[i]
		if c < utf8.RuneSelf {
			if c == 0 {
				fix.NUL++
			} else {
				out = append(out, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(seg[i:])
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, charmap.Windows1252.DecodeByte(c))
			fix.NotUTF8++
			i++
			continue
		}
		d.sawMultibyte = true
		out = append(out, seg[i:i+size]...)
		i += size
	}
	fix.Line = d.line
	if n := len(d.repairs); n > 0 && d.repairs[n-1].Line == fix.Line {
		d.repairs[n-1].NotUTF8 += fix.NotUTF8
		d.repairs[n-1].NUL += fix.NUL
	} else {
		d.repairs = append(d.repairs, fix)
	}
	return out
}

// countLines advances the line count over b: LF, CRLF and a lone CR each
// end a line, as LineReader counts them.
func (d *Decoded) countLines(b []byte) {
	if len(b) == 0 {
		return
	}
	if d.lastCR && b[0] == '\n' {
		b = b[1:] // the CRLF was counted at its CR
	}
	// Every CR and every LF ends a line, except the LF of a CRLF.
	lf := bytes.Count(b, []byte{'\n'})
	d.line += int64(lf)
	if cr := bytes.Count(b, []byte{'\r'}); cr > 0 {
		d.line += int64(cr)
		if lf > 0 {
			d.line -= int64(bytes.Count(b, []byte("\r\n")))
		}
	}
	d.lastCR = len(b) > 0 && b[len(b)-1] == '\r'
}

// completeRunes is the length of b without a UTF-8 sequence cut off at its
// end (one that more bytes could complete).
func completeRunes(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return len(b)
}

// isASCII reports whether b has no byte beyond 0x7F, eight bytes at a time.
func isASCII(b []byte) bool {
	for len(b) >= 8 {
		if (uint64(b[0])|uint64(b[1])|uint64(b[2])|uint64(b[3])|
			uint64(b[4])|uint64(b[5])|uint64(b[6])|uint64(b[7]))&0x80 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasValidMultibyte reports whether b holds a UTF-8 sequence beyond ASCII.
func hasValidMultibyte(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			return true
		}
		i += size
	}
	return false
}

// utf16WithoutBOM recognises UTF-16 text that lacks a byte-order mark by
// its zero bytes: text in a Latin script has a zero in every other byte, at
// odd offsets in little-endian order and at even ones in big-endian.
func utf16WithoutBOM(head []byte) string {
	n := min(len(head), 4096) &^ 1
	if n < 16 {
		return ""
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*10 >= pairs*4 && even*20 <= pairs:
		return "utf-16le"
	case even*10 >= pairs*4 && odd*20 <= pairs:
		return "utf-16be"
	}
	return ""
}

func lookupEncoding(name string) (encoding.Encoding, string, error) {
	switch strings.ToLower(strings.ReplaceAll(strings.TrimSpace(name), "_", "-")) {
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
	return nil, "", fmt.Errorf("unknown encoding %q: use %s", name, Encodings)
}

// validUTF8Prefix is utf8.Valid, forgiving a rune cut off by the sniff window.
func validUTF8Prefix(b []byte) bool {
	if len(b) >= sniffSize {
		b = b[:completeRunes(b)]
	}
	return utf8.Valid(b)
}
