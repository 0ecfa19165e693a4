package plots

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Distribution draws, for each model, the distribution of a per-series
// metric as a box: the box spans the 25th to the 75th percentile, the bar
// inside is the median, the whiskers reach the 5th and 95th percentiles,
// dots are the series beyond them and a diamond marks the mean (the figure
// a table of means reports). models[i] names values[i], one value per
// series; the models keep their order along the x axis and their colour
// (ModelColor; a name whose hashed colour collides with an earlier one's
// in the same picture takes an unused colour instead).
//
// The y axis is logarithmic when every value is at least 0 and the largest
// is over 20 times the smallest positive one (zeros are then drawn at a
// floor one decade below, marked in the legend). When metric names a
// scaled error — it starts with MASE, MSIS or RMSSE, case-insensitive — a
// dashed line at 1 marks the error of the in-sample seasonal naive
// forecast that scales it. An empty title means "Distribution of <metric>
// per series"; an empty metric means "error".
//
// It returns an error for no models, an empty model name, a model without
// values, a NaN or infinite value, or len(values) != len(models).
func Distribution(title, metric string, models []string, values [][]float64) (*plot.Plot, error) {
	ch, err := distributionChart(title, metric, models, values)
	if err != nil {
		return nil, wrap("distribution", err)
	}
	return ch.finish(), nil
}

// Whisker percentiles of Distribution.
const (
	whiskerLo = 0.05
	whiskerHi = 0.95
)

func distributionChart(title, metric string, models []string, values [][]float64) (*chart, error) {
	if len(models) == 0 {
		return nil, fmt.Errorf("models: %w", ErrNoData)
	}
	if len(values) != len(models) {
		return nil, fmt.Errorf("%d models but %d value lists", len(models), len(values))
	}
	for i, m := range models {
		if m == "" {
			return nil, fmt.Errorf("models[%d]: empty model name", i)
		}
		if len(values[i]) == 0 {
			return nil, fmt.Errorf("%s values: %w", m, ErrNoData)
		}
		if err := checkValues(m+" values", values[i]); err != nil {
			return nil, err
		}
	}
	metric = cmp.Or(metric, "error")
	lo, hi := minOf(values...), maxOf(values...)
	floor := logFloor(0, values...)
	logY := lo >= 0 && hi > 0 && hi/math.Max(floor*10, lo) > 20
	clamped := 0
	tr := func(v []float64) []float64 { // to axis coordinates
		if !logY {
			return slices.Clone(v)
		}
		out, n := clampFloor(v, floor)
		clamped += n
		return log10s(out)
	}
	ylabel := metric + " per series"
	if logY {
		ylabel += " (log scale)"
	}
	ch := newChart(cmp.Or(title, "Distribution of "+metric+" per series"),
		"box: 25–75 %, bar: median, whiskers: 5–95 %, dots: beyond, diamond: mean", ylabel)
	g := plotter.NewGrid() // horizontal lines only: vertical ones would cross the boxes
	g.Vertical.Color = nil
	g.Horizontal.Color = gridColor
	g.Horizontal.Width = vg.Points(0.5)
	ch.p.Add(g)
	labels := make([]string, len(models))
	colors := distinctColors(models)
	for i, m := range models {
		v := tr(values[i])
		slices.Sort(v)
		mean := 0.0
		for _, x := range values[i] {
			mean += x
		}
		mean /= float64(len(values[i]))
		b := &box{
			x:     float64(i),
			q:     [5]float64{quantile(v, whiskerLo), quantile(v, 0.25), quantile(v, 0.5), quantile(v, 0.75), quantile(v, whiskerHi)},
			mean:  tr([]float64{mean})[0],
			color: colors[i],
		}
		for _, y := range v {
			if y < b.q[0] || y > b.q[4] {
				b.out = append(b.out, y)
			}
		}
		ch.add(b.points(), b)
		labels[i] = m + "\nmedian " + formatG(quantile(sortedCopy(values[i]), 0.5))
	}
	ch.p.NominalX(labels...)
	ch.p.X.Tick.Length = 0
	ch.p.X.Min, ch.p.X.Max = -0.6, float64(len(models))-0.4
	if longest := slices.MaxFunc(models, func(a, b string) int { return cmp.Compare(len(a), len(b)) }); float64(len([]rune(longest)))*charWidthPt > dataWidthPt/float64(len(models))-8 {
		// Long names would overlap: slant them.
		ch.p.X.Tick.Label.Rotation = math.Pi / 6
		ch.p.X.Tick.Label.XAlign = draw.XRight
		ch.p.X.Tick.Label.YAlign = draw.YTop
	}
	if scaledMetric(metric) {
		y := 1.0
		if logY {
			y = 0
		}
		ref := hline{y: y, style: lineStyle(actualColor, thinWidth, dashPattern)}
		ch.addHLine(ref)
		ch.legend("1 = in-sample seasonal naive", ref)
	}
	if logY && clamped > 0 {
		f := hline{y: math.Log10(floor), style: lineStyle(grey, thinWidth, dotPattern)}
		ch.addHLine(f)
		ch.legend(floorLabel(floor), f)
	}
	if logY {
		ymin := floor
		if clamped == 0 {
			ymin = lo
		}
		ymax := hi
		if scaledMetric(metric) {
			ymin, ymax = math.Min(ymin, 1), math.Max(ymax, 1)
		}
		setLogY(ch.p, ymin, ymax)
	}
	return ch, nil
}

// distinctColors returns ModelColor of each model, except that a model
// whose hashed colour an earlier model of the same picture already has
// takes the first extra colour nobody in the picture uses (names with a
// fixed colour keep it).
func distinctColors(models []string) []color.RGBA {
	out := make([]color.RGBA, len(models))
	used := map[color.RGBA]bool{}
	for i, m := range models {
		out[i] = ModelColor(m)
	}
	for _, c := range out {
		used[c] = true
	}
	seen := map[color.RGBA]bool{}
	for i, m := range models {
		_, fixed := modelColors[strings.ToLower(strings.TrimSpace(m))]
		if seen[out[i]] && !fixed {
			for _, c := range extraColors {
				if !used[c] {
					out[i] = c
					used[c] = true
					break
				}
			}
		}
		seen[out[i]] = true
	}
	return out
}

// scaledMetric reports whether metric is an error scaled so that 1 is the
// in-sample seasonal naive forecast's.
func scaledMetric(metric string) bool {
	m := strings.ToUpper(strings.TrimSpace(metric))
	for _, p := range []string{"MASE", "MSIS", "RMSSE"} {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}

func sortedCopy(v []float64) []float64 {
	out := slices.Clone(v)
	slices.Sort(out)
	return out
}

// quantile returns the q-quantile of sorted v, interpolating linearly
// between order statistics (R's type 7, NumPy's default).
func quantile(v []float64, q float64) float64 {
	pos := q * float64(len(v)-1)
	i := int(math.Floor(pos))
	if i >= len(v)-1 {
		return v[len(v)-1]
	}
	f := pos - float64(i)
	return v[i] + f*(v[i+1]-v[i])
}

// box is one model's box at x, in axis coordinates: q holds the lower
// whisker, lower quartile, median, upper quartile and upper whisker.
type box struct {
	x     float64
	q     [5]float64
	mean  float64
	out   []float64
	color color.RGBA
}

// Box geometry in x units (one unit per model) and points.
const (
	boxHalf     = 0.28
	capHalf     = 0.12
	outlierSize = 1.3 // points
	diamondSize = 4.0 // points, centre to corner
)

// points returns the drawn extremes, for legend placement.
func (b *box) points() []plotter.XY {
	pts := []plotter.XY{{X: b.x - boxHalf, Y: b.q[0]}, {X: b.x + boxHalf, Y: b.q[4]}, {X: b.x, Y: b.q[2]}, {X: b.x - boxHalf, Y: b.q[1]}, {X: b.x + boxHalf, Y: b.q[3]}}
	for _, y := range b.out {
		pts = append(pts, plotter.XY{X: b.x, Y: y})
	}
	return pts
}

// Plot implements plot.Plotter.
func (b *box) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	x0, x1, xm := tx(b.x-boxHalf), tx(b.x+boxHalf), tx(b.x)
	c0, c1 := tx(b.x-capHalf), tx(b.x+capHalf)
	line := lineStyle(b.color, thinWidth, nil)
	// Whiskers with caps.
	c.StrokeLine2(line, xm, ty(b.q[0]), xm, ty(b.q[1]))
	c.StrokeLine2(line, xm, ty(b.q[3]), xm, ty(b.q[4]))
	c.StrokeLine2(line, c0, ty(b.q[0]), c1, ty(b.q[0]))
	c.StrokeLine2(line, c0, ty(b.q[4]), c1, ty(b.q[4]))
	// The box, translucent, outlined.
	r := vg.Rectangle{Min: vg.Point{X: x0, Y: ty(b.q[1])}, Max: vg.Point{X: x1, Y: ty(b.q[3])}}
	corners := []vg.Point{r.Min, {X: r.Min.X, Y: r.Max.Y}, r.Max, {X: r.Max.X, Y: r.Min.Y}}
	c.FillPolygon(withAlpha(b.color, 0.3), c.ClipPolygonXY(corners))
	c.StrokeLines(line, c.ClipLinesXY(append(corners, r.Min))...)
	// The median bar.
	c.StrokeLine2(lineStyle(b.color, 2*lineWidth, nil), x0, ty(b.q[2]), x1, ty(b.q[2]))
	// Series beyond the whiskers.
	dot := draw.GlyphStyle{Color: withAlpha(b.color, 0.45), Radius: vg.Points(outlierSize), Shape: draw.CircleGlyph{}}
	for _, y := range b.out {
		pt := vg.Point{X: xm, Y: ty(y)}
		if c.Contains(pt) {
			c.DrawGlyph(dot, pt)
		}
	}
	// The mean: a white diamond outlined in black.
	d := vg.Points(diamondSize)
	ym := ty(b.mean)
	if c.Contains(vg.Point{X: xm, Y: ym}) {
		poly := []vg.Point{{X: xm, Y: ym + d}, {X: xm + d, Y: ym}, {X: xm, Y: ym - d}, {X: xm - d, Y: ym}}
		c.FillPolygon(color.White, poly)
		c.StrokeLines(lineStyle(actualColor, thinWidth, nil), append(poly, poly[0]))
	}
}

// DataRange implements plot.DataRanger.
func (b *box) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = b.q[0], b.q[4]
	for _, y := range append(b.out, b.mean) {
		ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
	}
	return b.x - boxHalf, b.x + boxHalf, ymin, ymax
}
