package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// chart wraps a plot while it is built: it remembers the data points (to find
// the emptiest corner for the legend) and the legend texts (to draw a backing
// box behind the legend).
type chart struct {
	p       *plot.Plot
	pts     []plotter.XY
	entries []string
	logY    bool      // y values are log10 of the data (see setLogY)
	hlines  []float64 // y of horizontal lines across the plot
}

// addHLine adds a horizontal line across the plot.
func (c *chart) addHLine(h hline) {
	c.hlines = append(c.hlines, h.y)
	c.p.Add(h)
}

func newChart(title, xlabel, ylabel string) *chart {
	return &chart{p: newPlot(title, xlabel, ylabel)}
}

// add adds plotters to the plot, remembering xy as data for legend placement.
func (c *chart) add(xy []plotter.XY, ps ...plot.Plotter) {
	c.pts = append(c.pts, xy...)
	c.p.Add(ps...)
}

// legend adds a legend entry.
func (c *chart) legend(text string, thumbs ...plot.Thumbnailer) {
	c.entries = append(c.entries, text)
	c.p.Legend.Add(text, thumbs...)
}

// Legend geometry, as a fraction of the data area, estimated before drawing.
const (
	legendEntryPt = 13.0  // height of one legend row, points
	dataHeightPt  = 250.0 // typical data area height, points
	dataWidthPt   = 470.0 // typical data area width, points
	charWidthPt   = 5.2   // mean glyph width at legendSize, points
)

// finish places the legend in the emptiest corner of the data area, adding
// headroom above the data when every corner is occupied, and puts a
// translucent white box behind it so the legend never hides a line
// completely.
func (c *chart) finish() *plot.Plot {
	p := c.p
	if len(c.entries) == 0 {
		return p
	}
	longest := 0
	for _, e := range c.entries {
		longest = max(longest, len([]rune(e)))
	}
	fh := math.Min(0.9, (float64(len(c.entries))*legendEntryPt+6)/dataHeightPt)
	fw := math.Min(0.9, (float64(longest)*charWidthPt+40)/dataWidthPt)

	best, bestN := 0, math.MaxInt
	for i, cor := range corners {
		if n := c.countIn(cor, fw, fh); n < bestN {
			best, bestN = i, n
		}
	}
	if bestN > 0 && fh <= 0.35 {
		// Every corner holds data but the legend is short: make room at the
		// top.
		c.headroom(fh)
		best, bestN = 0, c.countIn(corners[0], fw, fh)
		if n := c.countIn(corners[1], fw, fh); n < bestN {
			best, bestN = 1, n
		}
	}
	if bestN > 0 {
		// No room inside: put the legend in a strip right of the data.
		p.Legend.Top, p.Legend.Left = true, false
		p.Add(&legendReserve{legend: &p.Legend, texts: c.entries})
		return p
	}
	cor := corners[best]
	p.Legend.Top, p.Legend.Left = cor.top, cor.left
	inset := vg.Points(6)
	if cor.left {
		p.Legend.XOffs = inset
	} else {
		p.Legend.XOffs = -inset
	}
	if cor.top {
		p.Legend.YOffs = -inset / 2
	} else {
		p.Legend.YOffs = inset / 2
	}
	p.Add(&legendBacking{legend: &p.Legend, texts: c.entries})
	return p
}

// legendReserve draws nothing; its glyph box makes the plot leave a strip
// right of the data area wide enough for the legend.
type legendReserve struct {
	legend *plot.Legend
	texts  []string
}

// Plot implements plot.Plotter.
func (*legendReserve) Plot(draw.Canvas, *plot.Plot) {}

// GlyphBoxes implements plot.GlyphBoxer.
func (r *legendReserve) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	w, _ := legendSizeOf(r.legend, r.texts)
	return []plot.GlyphBox{{X: 1, Y: 0.5, Rectangle: vg.Rectangle{Max: vg.Point{X: w + vg.Points(12)}}}}
}

// legendSizeOf returns the size of the legend gonum/plot will draw.
func legendSizeOf(l *plot.Legend, texts []string) (w, h vg.Length) {
	sty := l.TextStyle
	em := sty.Rectangle(" ").Max.X
	var rowH vg.Length
	for _, t := range texts {
		r := sty.Rectangle(t)
		w = max(w, r.Max.X)
		rowH = max(rowH, r.Max.Y)
	}
	w += l.ThumbnailWidth + em
	n := vg.Length(len(texts))
	h = n*rowH + (n-1)*l.Padding + sty.FontExtents().Descent
	return w, h
}

type corner struct{ top, left bool }

// corners in order of preference.
var corners = []corner{{top: true}, {top: true, left: true}, {}, {left: true}}

// countIn counts the data points inside a corner box of fractional size fw × fh.
func (c *chart) countIn(cor corner, fw, fh float64) int {
	p := c.p
	n := 0
	for _, xy := range c.pts {
		x, y := p.X.Norm(xy.X), p.Y.Norm(xy.Y)
		inX := x >= 1-fw
		if cor.left {
			inX = x <= fw
		}
		inY := y >= 1-fh
		if !cor.top {
			inY = y <= fh
		}
		if inX && inY {
			n++
		}
	}
	for _, y := range c.hlines {
		y = p.Y.Norm(y)
		if (cor.top && y >= 1-fh) || (!cor.top && y <= fh) {
			n++
		}
	}
	return n
}

// headroom raises the top of the y axis so that the top fraction fh of the
// data area is empty.
func (c *chart) headroom(fh float64) {
	p := c.p
	p.Y.Max += (p.Y.Max - p.Y.Min) * fh / (1 - fh)
	if c.logY { // whole decades
		p.Y.Max = math.Ceil(p.Y.Max)
	}
}

// legendBacking draws a translucent white box where the legend will be drawn.
// It must be the last plotter added (the legend is drawn after all plotters).
type legendBacking struct {
	legend *plot.Legend
	texts  []string
}

// Plot implements plot.Plotter.
func (b *legendBacking) Plot(c draw.Canvas, _ *plot.Plot) {
	l := b.legend
	w, h := legendSizeOf(l, b.texts)
	pad := vg.Points(3)
	var r vg.Rectangle
	if l.Left {
		r.Min.X = c.Min.X + l.XOffs
		r.Max.X = r.Min.X + w
	} else {
		r.Max.X = c.Max.X + l.XOffs
		r.Min.X = r.Max.X - w
	}
	if l.Top {
		r.Max.Y = c.Max.Y + l.YOffs
		r.Min.Y = r.Max.Y - h
	} else {
		r.Min.Y = c.Min.Y + l.YOffs
		r.Max.Y = r.Min.Y + h
	}
	r.Min.X -= pad
	r.Min.Y -= pad
	r.Max.X += pad
	r.Max.Y += pad
	c.SetColor(color.NRGBA{R: 255, G: 255, B: 255, A: 215})
	c.Fill(r.Path())
}

// vline is a vertical line across the whole data area at x.
type vline struct {
	x     float64
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (v vline) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	x := tx(v.x)
	c.StrokeLine2(v.style, x, c.Min.Y, x, c.Max.Y)
}

// Thumbnail implements plot.Thumbnailer.
func (v vline) Thumbnail(c *draw.Canvas) {
	x := (c.Min.X + c.Max.X) / 2
	c.StrokeLine2(v.style, x, c.Min.Y, x, c.Max.Y)
}

// hline is a horizontal line across the whole data area at y.
type hline struct {
	y     float64
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (h hline) Plot(c draw.Canvas, p *plot.Plot) {
	_, ty := p.Transforms(&c)
	y := ty(h.y)
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}

// DataRange implements plot.DataRanger: it widens only the y range.
func (h hline) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Inf(1), math.Inf(-1), h.y, h.y
}

// Thumbnail implements plot.Thumbnailer.
func (h hline) Thumbnail(c *draw.Canvas) {
	y := (c.Min.Y + c.Max.Y) / 2
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}

// band is a filled region between lo and hi over x, with no outline.
type band struct {
	x, lo, hi []float64
	color     color.Color
}

// Plot implements plot.Plotter.
func (b band) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	poly := make([]vg.Point, 0, 2*len(b.x))
	for i := range b.x {
		poly = append(poly, vg.Point{X: tx(b.x[i]), Y: ty(b.lo[i])})
	}
	for i := len(b.x) - 1; i >= 0; i-- {
		poly = append(poly, vg.Point{X: tx(b.x[i]), Y: ty(b.hi[i])})
	}
	c.FillPolygon(b.color, c.ClipPolygonXY(poly))
}

// DataRange implements plot.DataRanger.
func (b band) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = floatRange(b.x)
	ymin, _ = floatRange(b.lo)
	_, ymax = floatRange(b.hi)
	return
}

// Thumbnail implements plot.Thumbnailer.
func (b band) Thumbnail(c *draw.Canvas) {
	r := vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: c.Min.Y + vg.Points(1)}, Max: vg.Point{X: c.Max.X, Y: c.Max.Y - vg.Points(1)}}
	c.FillPolygon(b.color, []vg.Point{r.Min, {X: r.Min.X, Y: r.Max.Y}, r.Max, {X: r.Max.X, Y: r.Min.Y}})
}

func floatRange(v []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}

// xys zips x and y into plotter.XYs.
func xys(x, y []float64) plotter.XYs {
	out := make(plotter.XYs, len(x))
	for i := range x {
		out[i] = plotter.XY{X: x[i], Y: y[i]}
	}
	return out
}

// newLine returns a line plotter for x, y in colour c.
func newLine(x, y []float64, c color.Color, width vg.Length, dashes []vg.Length) (*plotter.Line, plotter.XYs, error) {
	pts := xys(x, y)
	l, err := plotter.NewLine(pts)
	if err != nil {
		return nil, nil, fmt.Errorf("plots: %w", err)
	}
	l.LineStyle = lineStyle(c, width, dashes)
	return l, pts, nil
}

// newPoints returns a scatter plotter with filled circles of colour c.
func newPoints(pts plotter.XYs, c color.Color, shape draw.GlyphDrawer) (*plotter.Scatter, error) {
	s, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	s.GlyphStyle = draw.GlyphStyle{Color: c, Radius: markerRadius, Shape: shape}
	return s, nil
}

// addGrid adds light grid lines behind the data.
func addGrid(p *plot.Plot) {
	g := plotter.NewGrid()
	g.Vertical.Color = gridColor
	g.Horizontal.Color = gridColor
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Width = vg.Points(0.5)
	p.Add(g)
}

// modelThumb is a legend thumbnail: a thick line in the model's colour.
func modelThumb(model string) plot.Thumbnailer {
	return hline{style: lineStyle(ModelColor(model), lineWidth, nil)}
}
