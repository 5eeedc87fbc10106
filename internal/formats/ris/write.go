package ris

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/realsynth/realsynth/internal/tables"
)

// Write writes recs as RIS that EndNote, Zotero, Rayyan and Covidence
// import: CRLF line ends, one tag per line (AU, KW, SN, UR, N1, DO repeated
// per value), every value on one line (line breaks inside an abstract
// become spaces, as importers do not agree on continuation lines), and
// ID = rec.RecordID so that decisions made in the tool can be joined back.
//
// Written tags: TY, ID, TI, AU, PY, DA, T2, J2, VL, IS, SP, EP, C7, DO, AN,
// SN, AB, KW, UR, N1, LA, M3, ER. PMID and PMCID have no RIS tag that the
// four importers agree on and are not written.
func Write(w io.Writer, recs []tables.Record) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	put := func(tag, value string) {
		value = strings.TrimSpace(value)
		if value == "" {
			return
		}
		bw.WriteString(tag)
		bw.WriteString("  - ")
		writeOneLine(bw, value)
		bw.WriteString("\r\n")
	}
	var num [20]byte
	for i := range recs {
		r := &recs[i]
		bw.WriteString("TY  - ")
		bw.WriteString(TypeCode(r))
		bw.WriteString("\r\n")
		put("ID", r.RecordID)
		put("TI", r.Title)
		for _, a := range r.Authors {
			put("AU", a)
		}
		if r.Year != nil {
			bw.WriteString("PY  - ")
			bw.Write(strconv.AppendInt(num[:0], int64(*r.Year), 10))
			bw.WriteString("\r\n")
		}
		put("DA", r.Date)
		put("T2", r.Journal)
		put("J2", r.JournalAbbrev)
		put("VL", r.Volume)
		put("IS", r.Issue)
		start, end := r.PageStart, r.PageEnd
		if start == "" {
			start = r.Pages
		}
		put("SP", start)
		put("EP", end)
		put("C7", r.ArticleNumber)
		dois := r.DOIs
		if len(dois) == 0 && r.DOI != "" {
			dois = []string{r.DOI}
		}
		for _, d := range dois {
			put("DO", d)
		}
		put("AN", r.AccessionNumber)
		for _, s := range r.ISSN {
			put("SN", s)
		}
		for _, s := range r.ISBN {
			put("SN", s)
		}
		put("AB", r.Abstract)
		for _, k := range r.Keywords {
			put("KW", k)
		}
		for _, u := range r.URLs {
			put("UR", u)
		}
		for _, n := range r.Notes {
			put("N1", n)
		}
		put("LA", r.Language)
		for _, t := range r.PublicationType {
			put("M3", t)
		}
		bw.WriteString("ER  - \r\n\r\n")
	}
	return bw.Flush()
}

// writeOneLine writes v, trimmed, on one line: a value with line breaks
// (a structured abstract) has its words joined with single spaces, as
// strings.Join(strings.Fields(v), " ") would, without the copy.
func writeOneLine(bw *bufio.Writer, v string) {
	if !strings.ContainsAny(v, "\r\n") {
		bw.WriteString(v)
		return
	}
	sep := false
	for word := range strings.FieldsSeq(v) {
		if sep {
			bw.WriteByte(' ')
		}
		bw.WriteString(word)
		sep = true
	}
}

// typeCodes maps the type names other formats use to RIS reference types.
var typeCodes = map[string]string{
	"journal article": "JOUR", "article": "JOUR", "j": "JOUR", "journal": "JOUR",
	"book": "BOOK", "b": "BOOK", "edited book": "EDBOOK",
	"book section": "CHAP", "incollection": "CHAP", "inbook": "CHAP", "chapter": "CHAP",
	"conference paper": "CPAPER", "conference proceedings": "CONF", "inproceedings": "CPAPER", "conference": "CPAPER", "p": "CPAPER", "s": "SER",
	"thesis": "THES", "phdthesis": "THES", "mastersthesis": "THES", "report": "RPRT", "techreport": "RPRT",
	"electronic article": "EJOUR", "web page": "ELEC", "misc": "GEN", "generic": "GEN", "preprint": "JOUR",
}

// TypeCode is the RIS TY code for r: its own Type when it came from RIS,
// else the mapped type name, else JOUR when it has a journal and GEN when not.
func TypeCode(r *tables.Record) string {
	t := strings.TrimSpace(r.Type)
	if r.Format == "ris" && t != "" && len(t) <= 6 && strings.ToUpper(t) == t && !strings.ContainsAny(t, " -") {
		return t
	}
	if code, ok := typeCodes[strings.ToLower(t)]; ok {
		return code
	}
	if r.Journal != "" {
		return "JOUR"
	}
	return "GEN"
}
