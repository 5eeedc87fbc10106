package testutil

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"strings"
)

// The writers below turn the hard corpus's RIS records into the exports
// the generator does not write, with what makes each format costly to
// read: Scopus's 26 quoted columns, WoS's one-item-per-line lists and cited
// references, EndNote's <style> runs around every value.

// risAuthor splits "Family, Given Names" (or "Family, G.M.") into its parts.
func risAuthor(a string) (family, given string) {
	family, given, _ = strings.Cut(a, ",")
	return strings.TrimSpace(family), strings.TrimSpace(given)
}

// initialsOf is "JA" for "John Adam" or "J.A.".
func initialsOf(given string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(given, func(r rune) bool { return r == ' ' || r == '.' || r == '-' }) {
		for _, r := range w {
			b.WriteRune(r)
			break
		}
	}
	return b.String()
}

func hardCSV(recs []risRecord) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	header := []string{"Authors", "Author full names", "Author(s) ID", "Title", "Year", "Source title", "Volume", "Issue",
		"Art. No.", "Page start", "Page end", "Page count", "Cited by", "DOI", "Link", "Abstract", "Author Keywords",
		"Index Keywords", "ISSN", "PubMed ID", "Language of Original Document", "Abbreviated Source Title",
		"Document Type", "Publication Stage", "Source", "EID"}
	_ = w.Write(header)
	w.Flush()
	head := append([]byte(nil), buf.Bytes()...)
	buf.Reset()
	for i, r := range recs {
		var short, full, ids []string
		for k, a := range r.all("AU", "A1") {
			family, given := risAuthor(a)
			id := fmt.Sprintf("%d", 57190000000+i*41+k)
			short = append(short, family+" "+initialsOf(given)+".")
			full = append(full, a+" ("+id+")")
			ids = append(ids, id)
		}
		eid := fmt.Sprintf("2-s2.0-%011d", 85000000000+i)
		_ = w.Write([]string{strings.Join(short, "; "), strings.Join(full, "; "), strings.Join(ids, "; "),
			r.first("TI", "T1"), r.first("PY", "Y1"), r.first("T2", "JF", "JO"), r.first("VL"), r.first("IS"),
			r.first("C7"), r.first("SP"), r.first("EP"), "", fmt.Sprint(i % 37), r.first("DO", "L3"),
			"https://www.scopus.com/inward/record.uri?eid=" + eid + "&partnerID=40&md5=0123456789abcdef",
			r.first("AB", "N2"), strings.Join(r.all("KW"), "; "), "", r.first("SN"), "", r.first("LA"),
			r.first("J2", "JO"), r.first("M3"), "Final", "Scopus", eid})
	}
	w.Flush()
	return Repeat(head, buf.Bytes(), nil, 16<<20)
}

// wosWrap writes value under tag, cut into lines of about 70 characters
// on spaces, as WoS does for titles and sources.
func wosWrap(b *bytes.Buffer, tag, value string) {
	if value == "" {
		return
	}
	b.WriteString(tag)
	b.WriteByte(' ')
	n := 0
	for i, w := range strings.Fields(value) {
		if i > 0 {
			if n+1+len(w) > 70 {
				b.WriteString("\n   ")
				n = 0
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(w)
		n += len(w)
	}
	b.WriteByte('\n')
}

// wosList writes one item per line under tag.
func wosList(b *bytes.Buffer, tag string, items []string) {
	for i, it := range items {
		if i == 0 {
			b.WriteString(tag + " ")
		} else {
			b.WriteString("   ")
		}
		b.WriteString(it)
		b.WriteByte('\n')
	}
}

func wosLine(b *bytes.Buffer, tag, value string) {
	if value != "" {
		b.WriteString(tag + " " + value + "\n")
	}
}

func hardWoS(recs []risRecord) []byte {
	var b bytes.Buffer
	for i, r := range recs {
		b.WriteString("PT J\n")
		var au, af, c1 []string
		for k, a := range r.all("AU", "A1") {
			family, given := risAuthor(a)
			au = append(au, family+", "+initialsOf(given))
			af = append(af, a)
			if k < 3 {
				c1 = append(c1, "["+a+"] Univ Hlth Sci, Dept Publ Hlth, City "+fmt.Sprint(k+1)+", Country.")
			}
		}
		wosList(&b, "AU", au)
		wosList(&b, "AF", af)
		wosWrap(&b, "TI", r.first("TI", "T1"))
		wosWrap(&b, "SO", strings.ToUpper(r.first("T2", "JF", "JO")))
		wosLine(&b, "LA", "English")
		wosLine(&b, "DT", "Article")
		wosWrap(&b, "DE", strings.Join(r.all("KW"), "; "))
		wosLine(&b, "AB", r.first("AB", "N2"))
		wosList(&b, "C1", c1)
		// Cited references: earlier records of the corpus, 20 per record.
		var cr []string
		for k := 1; k <= 20 && k <= i; k++ {
			c := recs[(i*7+k*13)%i]
			family, given := risAuthor(c.first("AU", "A1"))
			cr = append(cr, fmt.Sprintf("%s %s, %s, %s, V%s, P%s", family, initialsOf(given), c.first("PY", "Y1"),
				strings.ToUpper(c.first("J2", "JO", "T2")), c.first("VL"), c.first("SP")))
		}
		wosList(&b, "CR", cr)
		wosLine(&b, "NR", fmt.Sprint(len(cr)))
		wosLine(&b, "TC", fmt.Sprint(i%23))
		wosLine(&b, "SN", r.first("SN"))
		wosLine(&b, "J9", strings.ToUpper(r.first("J2", "JO")))
		wosLine(&b, "JI", r.first("J2", "JO"))
		wosLine(&b, "PY", r.first("PY", "Y1"))
		wosLine(&b, "VL", r.first("VL"))
		wosLine(&b, "IS", r.first("IS"))
		wosLine(&b, "BP", r.first("SP"))
		wosLine(&b, "EP", r.first("EP"))
		wosLine(&b, "DI", r.first("DO"))
		wosLine(&b, "WC", "Public, Environmental & Occupational Health")
		wosLine(&b, "UT", fmt.Sprintf("WOS:%015d", 440314900007+i))
		b.WriteString("ER\n\n")
	}
	return b.Bytes()
}

// enStyled is EndNote's <style> run around a value.
func enStyled(b *bytes.Buffer, tag, value string) {
	if value == "" {
		return
	}
	b.WriteString("<" + tag + `><style face="normal" font="default" size="100%">`)
	_ = xml.EscapeText(b, []byte(value))
	b.WriteString("</style></" + tag + ">")
}

func enPlain(b *bytes.Buffer, tag, value string) {
	if value == "" {
		return
	}
	b.WriteString("<" + tag + ">")
	_ = xml.EscapeText(b, []byte(value))
	b.WriteString("</" + tag + ">")
}

func hardEndNote(recs []risRecord) []byte {
	var b bytes.Buffer
	for i, r := range recs {
		n := fmt.Sprint(i + 1)
		b.WriteString(`<record><database name="Review.enl" path="C:\Users\reviewer\Documents\Review.enl">Review.enl</database>` +
			`<source-app name="EndNote" version="20.6">EndNote</source-app><rec-number>` + n +
			`</rec-number><foreign-keys><key app="EN" db-id="x9fz2dsv1">` + n + `</key></foreign-keys>` +
			`<ref-type name="Journal Article">17</ref-type><contributors><authors>`)
		for _, a := range r.all("AU", "A1") {
			enStyled(&b, "author", a)
		}
		b.WriteString("</authors></contributors><titles>")
		enStyled(&b, "title", r.first("TI", "T1"))
		enStyled(&b, "secondary-title", r.first("T2", "JF", "JO"))
		b.WriteString("</titles><periodical>")
		enStyled(&b, "full-title", r.first("T2", "JF", "JO"))
		enStyled(&b, "abbr-1", r.first("J2", "JO"))
		b.WriteString("</periodical>")
		pages := r.first("SP")
		if ep := r.first("EP"); ep != "" {
			pages += "-" + ep
		}
		enStyled(&b, "pages", pages)
		enStyled(&b, "volume", r.first("VL"))
		enStyled(&b, "number", r.first("IS"))
		if kw := r.all("KW"); len(kw) > 0 {
			b.WriteString("<keywords>")
			for _, k := range kw {
				enStyled(&b, "keyword", k)
			}
			b.WriteString("</keywords>")
		}
		b.WriteString("<dates>")
		enStyled(&b, "year", r.first("PY", "Y1"))
		b.WriteString("</dates>")
		enStyled(&b, "isbn", r.first("SN"))
		enStyled(&b, "accession-num", r.first("AN"))
		enStyled(&b, "abstract", r.first("AB", "N2"))
		if u := r.first("UR", "L2"); u != "" {
			b.WriteString("<urls><related-urls>")
			enStyled(&b, "url", u)
			b.WriteString("</related-urls></urls>")
		}
		enStyled(&b, "electronic-resource-num", r.first("DO"))
		enPlain(&b, "remote-database-name", "Embase")
		enPlain(&b, "remote-database-provider", "Ovid Technologies")
		enStyled(&b, "language", r.first("LA"))
		b.WriteString("</record>\n")
	}
	return b.Bytes()
}
