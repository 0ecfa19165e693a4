package plots

import (
	"hash/fnv"
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Default picture size used by Save when width or height is zero.
const (
	DefaultWidth  = 20 * vg.Centimeter
	DefaultHeight = 12 * vg.Centimeter
)

// actualColor is the colour of observed data (history and held-out actuals).
var actualColor color.Color = color.RGBA{A: 255}

// modelColors maps the model names tsf knows to fixed colours. The first seven
// are the Okabe-Ito colour-blind-safe palette (yellow left out: it is unreadable
// on white); the rest come from Paul Tol's colour-blind-safe sets.
var modelColors = map[string]color.RGBA{
	"lstm":   {0x00, 0x72, 0xB2, 0xFF}, // blue
	"gru":    {0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	"rnn":    {0x00, 0x9E, 0x73, 0xFF}, // bluish green
	"mlp":    {0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	"naive":  {0xE6, 0x9F, 0x00, 0xFF}, // orange
	"snaive": {0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	"drift":  {0x99, 0x99, 0x33, 0xFF}, // olive
	"mean":   {0x77, 0x77, 0x77, 0xFF}, // grey
	"ma":     {0x66, 0x11, 0x00, 0xFF}, // brown
	"ets":    {0x88, 0x22, 0x55, 0xFF}, // wine
}

// extraColors are handed out to unknown model names by hash.
var extraColors = []color.RGBA{
	{0x44, 0xAA, 0x99, 0xFF}, // teal
	{0x11, 0x77, 0x33, 0xFF}, // green
	{0xCC, 0x66, 0x77, 0xFF}, // rose
	{0xAA, 0x44, 0x99, 0xFF}, // purple
	{0x33, 0x22, 0x88, 0xFF}, // indigo
	{0x66, 0x99, 0xCC, 0xFF}, // steel blue
	{0xB8, 0x86, 0x0B, 0xFF}, // dark gold
	{0x88, 0xCC, 0xEE, 0xFF}, // cyan
}

// ModelColor returns the colour of a model, the same in every tsf plot. The
// names lstm, gru, rnn, mlp, naive, snaive, drift, mean, ma and ets (matched
// case-insensitively, surrounding spaces ignored) have fixed colour-blind-safe
// colours; any other name gets a colour chosen by an FNV-1a hash of its
// lower-cased name, so it too is stable across runs and plots.
func ModelColor(model string) color.RGBA {
	key := strings.ToLower(strings.TrimSpace(model))
	if c, ok := modelColors[key]; ok {
		return c
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	return extraColors[h.Sum32()%uint32(len(extraColors))]
}

// withAlpha returns c with alpha a (0..1), premultiplied as image/color wants.
func withAlpha(c color.RGBA, a float64) color.NRGBA {
	return color.NRGBA{R: c.R, G: c.G, B: c.B, A: uint8(a*255 + 0.5)}
}

// Font sizes shared by every plot.
var (
	sansFont     = font.Font{Typeface: "Liberation", Variant: "Sans"}
	titleSize    = font.Length(13)
	labelSize    = font.Length(11)
	tickSize     = font.Length(9.5)
	legendSize   = font.Length(9.5)
	lineWidth    = vg.Points(1.6)
	thinWidth    = vg.Points(1)
	dashPattern  = []vg.Length{vg.Points(5), vg.Points(3)}
	dotPattern   = []vg.Length{vg.Points(1.5), vg.Points(2.5)}
	gridColor    = color.Gray{Y: 225}
	markerRadius = vg.Points(2.2)
)

// newPlot returns a plot with tsf's fonts, title and axis labels.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sansFont, titleSize)
	p.Title.Padding = vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sansFont, labelSize)
		a.Tick.Label.Font = font.From(sansFont, tickSize)
		a.Padding = vg.Points(4)
	}
	p.Y.Tick.Marker = niceTicks{}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Legend.TextStyle.Font = font.From(sansFont, legendSize)
	p.Legend.ThumbnailWidth = vg.Points(22)
	p.Legend.Padding = vg.Points(1)
	return p
}

// lineStyle returns a solid line of the model's colour.
func lineStyle(c color.Color, width vg.Length, dashes []vg.Length) draw.LineStyle {
	return draw.LineStyle{Color: c, Width: width, Dashes: dashes}
}

// grey draws legend keys that explain line styles rather than models.
var (
	greyRGBA             = color.RGBA{110, 110, 110, 255}
	grey     color.Color = greyRGBA
)
