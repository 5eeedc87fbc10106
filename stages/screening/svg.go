package screening

import (
	"bytes"
	"fmt"
	"html"
	"strings"
)

// The PRISMA 2020 flow diagram, drawn from the counts: phase bars on the
// left, the main column of boxes joined by arrows, the removed/excluded
// boxes to the right, and for an update the previous-version column.
const (
	svgFont      = 13.0
	svgLineH     = 17.0
	svgPad       = 10.0
	svgCharW     = 6.6 // average glyph width of 13px sans-serif, for wrapping
	svgBoxW      = 300.0
	svgSideW     = 300.0
	svgPrevW     = 220.0
	svgGapX      = 50.0
	svgGapY      = 36.0
	svgBarW      = 32.0
	svgMargin    = 16.0
	svgHeaderH   = 44.0
	colourHeader = "#f6d55c"
	colourPrev   = "#d9d9d9"
	colourPhase  = "#9cc3e6"
)

type svgBox struct {
	x, y, w, h float64
	lines      []string
	fill       string
	bold       bool // first line bold (box titles)
}

// glue keeps "(n = 12)" on one line: wrap splits at spaces only.
const glue = "\x1f"

func wrap(text string, width float64) []string {
	maxChars := int((width - 2*svgPad) / svgCharW)
	var out []string
	defer func() {
		for i := range out {
			out[i] = strings.ReplaceAll(out[i], glue, " ")
		}
	}()
	for _, para := range strings.Split(text, "\n") {
		indent := ""
		for strings.HasPrefix(para, "  ") {
			indent += "  "
			para = para[2:]
		}
		line := indent
		for _, word := range strings.Fields(para) {
			if len([]rune(line))+len([]rune(word))+1 > maxChars && strings.TrimSpace(line) != "" {
				out = append(out, line)
				line = indent + "  "
			}
			if strings.TrimSpace(line) != "" {
				line += " "
			}
			line += word
		}
		out = append(out, line)
	}
	return out
}

func newBox(x, w float64, text, fill string) *svgBox {
	b := &svgBox{x: x, w: w, lines: wrap(text, w), fill: fill}
	b.h = 2*svgPad + float64(len(b.lines))*svgLineH
	return b
}

func (b *svgBox) draw(buf *bytes.Buffer) {
	fmt.Fprintf(buf, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="4" fill="%s" stroke="#333" stroke-width="1.2"/>`+"\n", b.x, b.y, b.w, b.h, b.fill)
	for i, l := range b.lines {
		weight := ""
		if b.bold && i == 0 {
			weight = ` font-weight="bold"`
		}
		fmt.Fprintf(buf, `<text x="%.1f" y="%.1f"%s xml:space="preserve">%s</text>`+"\n", b.x+svgPad, b.y+svgPad+float64(i)*svgLineH+svgFont, weight, html.EscapeString(l))
	}
}

func arrow(buf *bytes.Buffer, x1, y1, x2, y2 float64) {
	fmt.Fprintf(buf, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#333" stroke-width="1.5" marker-end="url(#arrow)"/>`+"\n", x1, y1, x2, y2)
}

func phaseBar(buf *bytes.Buffer, x, y1, y2 float64, label string) {
	fmt.Fprintf(buf, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="6" fill="%s" stroke="#333" stroke-width="1"/>`+"\n", x, y1, svgBarW, y2-y1, colourPhase)
	cx, cy := x+svgBarW/2, (y1+y2)/2
	fmt.Fprintf(buf, `<text x="%.1f" y="%.1f" text-anchor="middle" font-weight="bold" transform="rotate(-90 %.1f %.1f)">%s</text>`+"\n", cx, cy+svgFont/3, cx, cy, html.EscapeString(label))
}

// awaitingDetail splits undecided works into never decided and conflicts.
func awaitingDetail(total, conflicts int64, undecided string) string {
	s := ""
	if total > conflicts {
		s += fmt.Sprintf("\n  %s: %d", undecided, total-conflicts)
	}
	if conflicts > 0 {
		s += fmt.Sprintf("\n  unresolved conflict: %d", conflicts)
	}
	return s
}

func n(x int64) string { return fmt.Sprintf("(n"+glue+"="+glue+"%d)", x) }

// svg draws the flow as a standalone SVG document.
func (f *flow) svg() []byte {
	barX := svgMargin
	prevX := barX + svgBarW + 14
	mainX := prevX
	if f.Update {
		mainX = prevX + svgPrevW + svgGapX
	}
	sideX := mainX + svgBoxW + svgGapX
	width := sideX + svgSideW + svgMargin

	var db strings.Builder
	db.WriteString("Records identified from databases " + n(f.DatabaseResults))
	if len(f.Databases) > 0 {
		db.WriteString(":")
	}
	for _, d := range f.Databases {
		db.WriteString("\n  " + d.Name + " " + n(d.N))
	}
	identified := newBox(mainX, svgBoxW, db.String(), "#fff")
	removedText := "Records removed before screening:\n  Duplicate records " + n(f.Duplicates)
	if f.AlreadyScreened > 0 {
		removedText += fmt.Sprintf("\n    of which already screened in an earlier round: %d", f.AlreadyScreened)
	}
	removedText += "\n  Records marked as ineligible by automation tools " + n(f.ExcludedAutomatic) +
		"\n  Records removed for other reasons " + n(f.ExcludedOther)
	removed := newBox(sideX, svgSideW, removedText, "#fff")

	// Works still undecided get their own side boxes, so that every count
	// down the main column follows from the one above it.
	var awaitingScreening, awaitingFullText *svgBox
	if f.AwaitingScreening > 0 {
		awaitingScreening = newBox(sideX, svgSideW, "Records awaiting screening "+n(f.AwaitingScreening)+
			awaitingDetail(f.AwaitingScreening, f.ScreeningConflicts, "no title/abstract decision yet"), "#fff")
	}
	if f.AwaitingFullText > 0 {
		awaitingFullText = newBox(sideX, svgSideW, "Reports awaiting a full-text decision "+n(f.AwaitingFullText)+
			awaitingDetail(f.AwaitingFullText, f.FullTextConflicts, "not yet assessed"), "#fff")
	}
	screened := newBox(mainX, svgBoxW, "Records screened "+n(f.Screened), "#fff")
	excluded := newBox(sideX, svgSideW, "Records excluded "+n(f.Excluded), "#fff")
	sought := newBox(mainX, svgBoxW, "Reports sought for retrieval "+n(f.Sought), "#fff")
	notRetrieved := newBox(sideX, svgSideW, "Reports not retrieved "+n(f.NotRetrieved), "#fff")
	assessed := newBox(mainX, svgBoxW, "Reports assessed for eligibility "+n(f.Assessed), "#fff")
	var ex strings.Builder
	ex.WriteString("Reports excluded " + n(f.excludedTotal()))
	if len(f.ExcludedReasons) > 0 {
		ex.WriteString(":")
	}
	for _, r := range f.ExcludedReasons {
		ex.WriteString("\n  " + r.Name + " " + n(r.N))
	}
	reportsExcluded := newBox(sideX, svgSideW, ex.String(), "#fff")
	included := newBox(mainX, svgBoxW, "New studies included in review "+n(f.NewStudies)+"\nReports of new included studies "+n(f.NewReports), "#fff")
	if !f.Update {
		included = newBox(mainX, svgBoxW, "Studies included in review "+n(f.NewStudies)+"\nReports of included studies "+n(f.NewReports), "#fff")
	}

	y := svgMargin
	header := newBox(mainX, sideX+svgSideW-mainX, "Identification of new studies via databases and registers", colourHeader)
	header.y, header.h, header.bold = y, svgHeaderH, true
	var prevHeader, prevBox, total *svgBox
	if f.Update {
		prevHeader = newBox(prevX, svgPrevW, "Previous studies", colourPrev)
		prevHeader.y, prevHeader.h, prevHeader.bold = y, svgHeaderH, true
	}
	y += svgHeaderH + svgGapY
	place := func(y, minH float64, boxes ...*svgBox) float64 {
		h := minH
		for _, b := range boxes {
			h = max(h, b.h)
		}
		for _, b := range boxes {
			b.y = y + (h-b.h)/2
		}
		return y + h
	}
	identTop := y
	if f.Update {
		prevBox = newBox(prevX, svgPrevW, "Studies included in previous version of review "+n(f.PreviousStudies)+"\n\nReports of studies included in previous version of review "+n(f.PreviousReports), "#fff")
		y = place(y, 0, identified, removed, prevBox)
	} else {
		y = place(y, 0, identified, removed)
	}
	identBottom := y
	y += svgGapY
	screenTop := y
	if awaitingScreening != nil {
		y = place(y, 0, awaitingScreening) + svgGapY
	}
	y = place(y, 0, screened, excluded) + svgGapY
	y = place(y, 0, sought, notRetrieved) + svgGapY
	if awaitingFullText != nil {
		y = place(y, 0, awaitingFullText) + svgGapY
	}
	y = place(y, 0, assessed, reportsExcluded)
	screenBottom := y
	y += svgGapY
	includedTop := y
	// The Included phase bar must be tall enough for its rotated label.
	minIncluded := float64(len("Included"))*svgCharW*1.2 + 24
	if f.Update {
		minIncluded = 0
	}
	y = place(y, minIncluded, included)
	if f.Update {
		y += svgGapY
		total = newBox(mainX, svgBoxW, "Total studies included in review "+n(f.TotalStudies)+"\nReports of total included studies "+n(f.TotalReports), "#fff")
		y = place(y, 0, total)
	}
	includedBottom := y
	height := y + svgMargin

	var buf bytes.Buffer
	fmt.Fprintf(&buf, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="Helvetica, Arial, sans-serif" font-size="%.0f">`+"\n", width, height, width, height, svgFont)
	title := "PRISMA 2020 flow diagram"
	if f.Scope == "cumulative" {
		title += ", all rounds up to " + f.Round
	} else {
		title += ", round " + f.Round
	}
	fmt.Fprintf(&buf, "<title>%s</title>\n", html.EscapeString(title))
	buf.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>` + "\n")
	fmt.Fprintf(&buf, `<rect width="100%%" height="100%%" fill="#fff"/>`+"\n")
	phaseBar(&buf, barX, identTop, identBottom, "Identification")
	phaseBar(&buf, barX, screenTop, screenBottom, "Screening")
	phaseBar(&buf, barX, includedTop, includedBottom, "Included")
	boxes := []*svgBox{header, identified, removed, screened, excluded, sought, notRetrieved, assessed, reportsExcluded, included}
	if f.Update {
		boxes = append(boxes, prevHeader, prevBox, total)
	}
	for _, b := range []*svgBox{awaitingScreening, awaitingFullText} {
		if b != nil {
			boxes = append(boxes, b)
		}
	}
	for _, b := range boxes {
		b.draw(&buf)
	}
	down := func(a, b *svgBox) { arrow(&buf, a.x+a.w/2, a.y+a.h, b.x+b.w/2, b.y-2) }
	right := func(a, b *svgBox) { arrow(&buf, a.x+a.w, a.y+a.h/2, b.x-2, b.y+b.h/2) }
	down(identified, screened)
	right(identified, removed)
	down(screened, sought)
	right(screened, excluded)
	down(sought, assessed)
	right(sought, notRetrieved)
	down(assessed, included)
	right(assessed, reportsExcluded)
	// an undecided box hangs off the arrow it sits beside
	for _, b := range []*svgBox{awaitingScreening, awaitingFullText} {
		if b != nil {
			arrow(&buf, mainX+svgBoxW/2, b.y+b.h/2, b.x-2, b.y+b.h/2)
		}
	}
	if f.Update {
		down(included, total)
		// previous studies run down their own column and join the total
		px := prevBox.x + prevBox.w/2
		fmt.Fprintf(&buf, `<polyline points="%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="none" stroke="#333" stroke-width="1.5" marker-end="url(#arrow)"/>`+"\n",
			px, prevBox.y+prevBox.h, px, total.y+total.h/2, total.x-2, total.y+total.h/2)
	}
	buf.WriteString("</svg>\n")
	return buf.Bytes()
}
