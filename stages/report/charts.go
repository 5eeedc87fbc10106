package report

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Charts are drawn with gonum.org/v1/plot and its SVG canvas: axes, ticks,
// legends, bar, line, error-bar and heat-map plotters come from a maintained
// library, its SVG has no clock, random ids or map order, and it embeds no
// fonts unless asked. What it lacks for a web page, a <title>, a <desc> and
// role="img", is added around its output by svgOf.

func init() {
	// Liberation Sans has Arial's metrics, so the widths plot computes for
	// labels hold in a browser that falls back to Arial or Helvetica.
	sans := font.Font{Typeface: "Liberation", Variant: "Sans"}
	plot.DefaultFont = sans
	plotter.DefaultFont = sans
}

// Okabe–Ito colours: told apart with every common colour-vision deficiency.
var seriesColours = []color.Color{
	color.RGBA{0, 114, 178, 255}, color.RGBA{230, 159, 0, 255}, color.RGBA{0, 158, 115, 255},
	color.RGBA{204, 121, 167, 255}, color.RGBA{86, 180, 233, 255}, color.RGBA{213, 94, 0, 255},
	color.RGBA{240, 228, 66, 255}, color.RGBA{0, 0, 0, 255},
}

func colourOf(i int) color.Color { return seriesColours[i%len(seriesColours)] }

// chart is an inline SVG with its accessible name and description.
type chart struct {
	ID  string
	SVG template.HTML
}

// svgOf draws p and returns inline SVG: no XML prolog, role="img" with a
// <title> and <desc> (the text alternative), scaled to the page width.
func svgOf(p *plot.Plot, id string, w, h vg.Length, title, desc string) (chart, error) {
	c := vgsvg.NewWith(vgsvg.UseWH(w, h), vgsvg.EmbedFonts(false))
	// A margin inside the canvas: tick labels drawn flush with its edge lose
	// a pixel of their first letter in some browsers.
	const m = 6
	p.Draw(draw.Crop(draw.New(c), m, -m, m, -m))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return chart{}, fmt.Errorf("chart %s: %w", id, err)
	}
	s := b.String()
	start := strings.Index(s, "<svg")
	if start < 0 {
		return chart{}, fmt.Errorf("chart %s: the plot library wrote no <svg>", id)
	}
	s = s[start:]
	end := strings.Index(s, ">")
	open := strings.Replace(s[:end], `width="`, `class="chart" role="img" aria-labelledby="`+id+`-title `+id+`-desc" width="`, 1)
	esc := template.HTMLEscapeString
	s = open + ">\n<title id=\"" + id + "-title\">" + esc(title) + "</title>\n<desc id=\"" + id + "-desc\">" + esc(desc) + "</desc>" + s[end+1:]
	return chart{ID: id, SVG: template.HTML(s)}, nil
}

// labelTicks puts one labelled tick at each integer position 0..n-1.
type labelTicks []string

func (l labelTicks) Ticks(min, max float64) []plot.Tick {
	var t []plot.Tick
	for i, s := range l {
		if float64(i) >= min-0.5 && float64(i) <= max+0.5 {
			t = append(t, plot.Tick{Value: float64(i), Label: s})
		}
	}
	return t
}

// countTicks are plot's default ticks labelled as whole numbers ("50000",
// not "50000.00"): the charts count records, works and studies.
type countTicks struct{}

func (countTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'f', -1, 64)
		}
	}
	return ticks
}

// shorten cuts a tick label so the plot area keeps its room.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(12)
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Legend.Top = true
	return p
}

// groupedBars draws one group of bars per category, one bar per series.
func groupedBars(id, title, xLabel, yLabel string, categories, series []string, values [][]float64, desc string) (chart, error) {
	if len(categories) == 0 || len(series) == 0 {
		return chart{}, nil
	}
	p := newPlot(title, xLabel, yLabel)
	w := vg.Points(min(28, 300/float64(max(1, len(categories)*len(series)))))
	top := 0.0
	for i, s := range series {
		bars, err := plotter.NewBarChart(plotter.Values(values[i]), w)
		if err != nil {
			return chart{}, err
		}
		bars.Color = colourOf(i)
		bars.LineStyle.Width = 0
		bars.Offset = w * vg.Length(float64(i)-float64(len(series)-1)/2)
		p.Add(bars)
		p.Legend.Add("round "+s, bars)
		for _, v := range values[i] {
			top = math.Max(top, v)
		}
	}
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	p.Add(grid)
	p.NominalX(categories...)
	p.X.Min, p.X.Max = -0.6, float64(len(categories))-0.4
	// Head room for the legend above the tallest bar.
	p.Y.Min, p.Y.Max = 0, math.Max(1, top*(1.1+0.08*float64(len(series))))
	p.Y.Tick.Marker = countTicks{}
	return svgOf(p, id, 6.5*vg.Inch, 3*vg.Inch, title, desc)
}

// sequential is a light-to-dark blue scale for counts; a zero or absent cell stays white.
type sequential int

func (n sequential) Colors() []color.Color {
	out := make([]color.Color, int(n))
	for i := range out {
		t := float64(i) / math.Max(1, float64(n-1))
		out[i] = color.RGBA{uint8(222 - t*214), uint8(235 - t*187), uint8(247 - t*140), 255}
	}
	return out
}

// grid is a heat map's cells: Z[row][col], NaN where there is nothing.
type grid struct{ z [][]float64 }

func (g grid) Dims() (c, r int)        { return len(g.z[0]), len(g.z) }
func (g grid) Z(c, r int) float64      { return g.z[r][c] }
func (g grid) X(c int) float64         { return float64(c) }
func (g grid) Y(r int) float64         { return float64(r) }
func (g grid) labelAt(c, r int) string { return fmt.Sprint(g.z[r][c]) }

// heatMap draws a matrix of counts with each count written in its cell.
// Rows are drawn top to bottom in the order given.
func heatMap(id, title, xLabel, yLabel string, cols, rows []string, z [][]float64, w, h vg.Length, desc string) (chart, error) {
	if len(rows) == 0 || len(cols) == 0 {
		return chart{}, nil
	}
	// plot's y axis grows upwards: reverse so the first row is on top.
	flipped := make([][]float64, len(rows))
	ylabels := make([]string, len(rows))
	for i := range rows {
		flipped[len(rows)-1-i] = z[i]
		ylabels[len(rows)-1-i] = shorten(rows[i], 28)
	}
	xlabels := make([]string, len(cols))
	for i, c := range cols {
		xlabels[i] = shorten(c, 18)
	}
	g := grid{flipped}
	hi := 1.0
	for _, row := range z {
		for _, v := range row {
			if !math.IsNaN(v) {
				hi = math.Max(hi, v)
			}
		}
	}
	hm := plotter.NewHeatMap(g, sequential(9))
	hm.Min, hm.Max = 0, hi
	hm.NaN = color.White
	p := newPlot(title, xLabel, yLabel)
	p.Add(hm)
	var xys plotter.XYLabels
	for r := range flipped {
		for c := range flipped[r] {
			if v := flipped[r][c]; !math.IsNaN(v) && v != 0 {
				xys.XYs = append(xys.XYs, plotter.XY{X: float64(c), Y: float64(r)})
				xys.Labels = append(xys.Labels, fmt.Sprint(v))
			}
		}
	}
	if len(xys.XYs) > 0 {
		labels, err := plotter.NewLabels(xys)
		if err != nil {
			return chart{}, err
		}
		for i := range labels.TextStyle {
			labels.TextStyle[i].Font.Size = vg.Points(8)
			labels.TextStyle[i].XAlign = draw.XCenter
			labels.TextStyle[i].YAlign = draw.YCenter
			v := flipped[int(xys.XYs[i].Y)][int(xys.XYs[i].X)]
			if v > hi/2 {
				labels.TextStyle[i].Color = color.White
			}
		}
		p.Add(labels)
	}
	p.X.Tick.Marker = labelTicks(xlabels)
	p.Y.Tick.Marker = labelTicks(ylabels)
	if len(cols) > 6 {
		p.X.Tick.Label.Rotation = math.Pi / 4
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
	p.X.Tick.Label.Font.Size = vg.Points(8)
	p.Y.Tick.Label.Font.Size = vg.Points(8)
	return svgOf(p, id, w, h, title, desc)
}

// forestRow is one estimate with its confidence interval.
type forestRow struct {
	Label          string
	Est, Low, High float64
}

// forest draws estimates as points with their CIs, one row each, top to
// bottom, with a reference line at zero. CIs are clipped to the axis [lo, hi].
func forest(id, title, xLabel string, rows []forestRow, lo, hi float64, desc string) (chart, error) {
	if len(rows) == 0 {
		return chart{}, nil
	}
	n := len(rows)
	pts := make(plotter.XYs, n)
	errs := make(plotter.XErrors, n)
	labels := make([]string, n)
	for i, r := range rows {
		y := float64(n - 1 - i)
		pts[i] = plotter.XY{X: r.Est, Y: y}
		errs[i].Low = r.Est - math.Max(lo, r.Low)
		errs[i].High = math.Min(hi, r.High) - r.Est
		labels[n-1-i] = shorten(r.Label, 40)
	}
	p := newPlot(title, xLabel, "")
	bars, err := plotter.NewXErrorBars(struct {
		plotter.XYs
		plotter.XErrors
	}{pts, errs})
	if err != nil {
		return chart{}, err
	}
	bars.LineStyle.Width = vg.Points(1.5)
	bars.LineStyle.Color = colourOf(0)
	dots, err := plotter.NewScatter(pts)
	if err != nil {
		return chart{}, err
	}
	dots.GlyphStyle.Shape = draw.BoxGlyph{}
	dots.GlyphStyle.Radius = vg.Points(3.5)
	dots.GlyphStyle.Color = colourOf(0)
	zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -0.5}, {X: 0, Y: float64(n) - 0.5}})
	if err != nil {
		return chart{}, err
	}
	zero.LineStyle.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	zero.LineStyle.Color = color.Gray{Y: 120}
	p.Add(plotter.NewGrid(), zero, bars, dots)
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.Y.Tick.Marker = labelTicks(labels)
	p.Y.Tick.Label.Font.Size = vg.Points(8)
	return svgOf(p, id, 6.5*vg.Inch, vg.Length(float64(n)*20+70), title, desc)
}

// lines draws one line with points per series over a shared x.
func lines(id, title, xLabel, yLabel string, series []string, xs []float64, ys [][]float64, desc string) (chart, error) {
	if len(xs) == 0 {
		return chart{}, nil
	}
	p := newPlot(title, xLabel, yLabel)
	// Cumulative lines rise to the right: the bottom right corner is free.
	p.Legend.Top = false
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(8), vg.Points(8)
	for i, s := range series {
		pts := make(plotter.XYs, len(xs))
		for j := range xs {
			pts[j] = plotter.XY{X: xs[j], Y: ys[i][j]}
		}
		l, sc, err := plotter.NewLinePoints(pts)
		if err != nil {
			return chart{}, err
		}
		l.Color = colourOf(i)
		l.Width = vg.Points(1.5)
		sc.Color = colourOf(i)
		sc.Shape = draw.CircleGlyph{}
		p.Add(l, sc)
		p.Legend.Add(s, l, sc)
	}
	p.Add(plotter.NewGrid())
	top := 1.0
	for _, y := range ys {
		for _, v := range y {
			top = math.Max(top, v)
		}
	}
	p.Y.Min, p.Y.Max = 0, top*1.1
	p.X.Min = 0.5
	p.X.Tick.Marker, p.Y.Tick.Marker = countTicks{}, countTicks{}
	return svgOf(p, id, 6.5*vg.Inch, 3*vg.Inch, title, desc)
}
