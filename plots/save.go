package plots

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/tsf-go/tsf/internal/atomicfile"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// PNGDPI is the resolution of PNG output, in dots per inch: sharp on
// high-density screens and in READMEs.
const PNGDPI = 144

// Save writes p to path in the format named by its extension (.png, .svg or
// .pdf, any case), width × height in size; a zero width or height means
// DefaultWidth or DefaultHeight. It writes a temporary file in the same
// directory and renames it into place, so path is either the complete new
// picture or left as it was: an unknown extension, an unwritable directory or
// a failed render never leaves a partial file.
func Save(p *plot.Plot, path string, width, height vg.Length) (err error) {
	if p == nil {
		return fmt.Errorf("plots: save %s: nil plot", path)
	}
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".png", ".svg", ".pdf":
	default:
		return fmt.Errorf("plots: save %s: unknown image format %q (want .png, .svg or .pdf)", path, filepath.Ext(path))
	}
	if width == 0 {
		width = DefaultWidth
	}
	if height == 0 {
		height = DefaultHeight
	}
	if width < 0 || height < 0 {
		return fmt.Errorf("plots: save %s: negative size %v × %v", path, width, height)
	}
	w, err := renderTo(p, width, height, ext[1:])
	if err != nil {
		return fmt.Errorf("plots: save %s: %w", path, err)
	}
	if err := atomicfile.Write(path, func(f io.Writer) error {
		_, err := w.WriteTo(f)
		return err
	}); err != nil {
		return fmt.Errorf("plots: save %s: %w", path, err)
	}
	return nil
}

// renderTo draws p onto a canvas of the given format, turning a panic inside
// gonum/plot's drawing code into an error.
func renderTo(p *plot.Plot, width, height vg.Length, format string) (w io.WriterTo, err error) {
	defer func() {
		if r := recover(); r != nil {
			w, err = nil, fmt.Errorf("rendering failed: %v", r)
		}
	}()
	if format == "png" {
		c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(PNGDPI))}
		p.Draw(draw.New(c))
		return c, nil
	}
	return p.WriterTo(width, height, format)
}
