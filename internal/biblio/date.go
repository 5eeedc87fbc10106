package biblio

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/realsynth/realsynth/pipeline/table"
)

// Precision of a parsed publication date: how much of it the export gave.
const (
	PrecisionDay   = "day"
	PrecisionMonth = "month"
	PrecisionYear  = "year"
)

// PublicationDate reads a publication date as databases write it:
// "2019/03/15/", "2019/03//", "2019///" (RIS DA), "2019 Mar 15", "2019
// Mar-Apr", "2019 Spring" (MEDLINE DP), "NOV 9 2019", "SEP-OCT 2019" (WoS),
// "2019-03-15" (ISO, BibTeX date), "15 March 2019". year is used when the
// text has no year of its own. The date is the first day of what is known
// (a month's first day, a year's 1 January) and precision says which part
// is real: day, month or year. A season or a month range gives its year
// (or first month) only; no year at all gives the zero Date and "".
func PublicationDate(raw string, year *int32) (table.Date, string) {
	y, m, d := 0, 0, 0
	pendingDay := 0 // "15 March 2019": a number before the month name
	numericMonth := false
	for tok := range strings.FieldsFuncSeq(raw, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if n, err := atoi(tok); err == nil {
			switch {
			case len(tok) == 4 && n >= 1000 && n < 3000 && y == 0:
				y = n
			case len(tok) > 2:
				// a page, an issue or a second year: not part of the date
			case m == 0 && y != 0 && d == 0 && !numericMonth && pendingDay == 0:
				m, numericMonth = n, true // "2019/03/15", "2019-03"
			case m != 0 && d == 0:
				d = n
			case m == 0 && y == 0 && pendingDay == 0:
				pendingDay = n
			}
			continue
		}
		if month, ok := monthName(tok); ok && m == 0 {
			m = month
			if pendingDay != 0 && d == 0 {
				d = pendingDay
			}
		}
	}
	if y == 0 && year != nil {
		y = int(*year)
	}
	if y == 0 {
		return table.Date{}, ""
	}
	if m < 1 || m > 12 {
		return table.Date{Year: y, Month: time.January, Day: 1}, PrecisionYear
	}
	if d < 1 || time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Day() != d {
		return table.Date{Year: y, Month: time.Month(m), Day: 1}, PrecisionMonth
	}
	return table.Date{Year: y, Month: time.Month(m), Day: d}, PrecisionDay
}

var monthPrefixes = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// monthName reads an English month name or its abbreviation (Jan, Sept, March).
func monthName(tok string) (int, bool) {
	if len(tok) < 3 || !isASCII(tok) {
		// No rune beyond ASCII lower-cases into a month's letters.
		return 0, false
	}
	for i, p := range monthPrefixes {
		if hasPrefixFold(tok, p) && (len(tok) <= 4 || hasPrefixFoldOf(fullMonths[i], tok)) {
			return i + 1, true
		}
	}
	return 0, false
}

// hasPrefixFoldOf reports whether the lower-case word starts with tok in
// any case: strings.HasPrefix(word, strings.ToLower(tok)) for ASCII tok.
func hasPrefixFoldOf(word, tok string) bool {
	return len(tok) <= len(word) && hasPrefixFold(tok, word[:len(tok)])
}

// atoi is strconv.Atoi for the digit runs of a date, without the error
// value it allocates for the words.
func atoi(tok string) (int, error) {
	if !IsDigits(tok) {
		return 0, strconv.ErrSyntax
	}
	return strconv.Atoi(tok)
}

var fullMonths = []string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
