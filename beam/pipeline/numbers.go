package pipeline

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/tsf-go/tsf/dataset"
)

// numberScan finds the columns of a file that hold a number in some row.
// When no target is named, those are the targets of every series of the
// file, as the core loader decides them over a whole file (a column
// without a single number is a per-series attribute, like M3's category):
// so a series whose own rows have no number in one of them fails as `tsf`
// fails it (missing values, say), instead of loading without that column.
// The id, time and covariate columns the options name are not scanned.
// A nil *numberScan scans nothing.
type numberScan struct {
	want  []bool // want[j]: column j is scanned and holds no number yet
	left  int
	names []string
	found []string
}

// start prepares the scan of a file with header under o.
func (n *numberScan) start(header []string, o dataset.Options) {
	if n == nil {
		return
	}
	n.names = header
	n.want = make([]bool, len(header))
	for j, h := range header {
		if h == o.IDColumn || h == o.TimeColumn || slices.Contains(o.Covariates, h) {
			continue
		}
		n.want[j] = true
		n.left++
	}
}

// line scans a line without quotes that has the header's number of
// fields, separated by sep.
func (n *numberScan) line(body, sep []byte) {
	if n == nil || n.left == 0 {
		return
	}
	for j := range n.want {
		field, rest, _ := bytes.Cut(body, sep)
		if n.want[j] && isNumber(field) {
			n.mark(j)
		}
		body = rest
	}
}

// record scans a record that has the header's number of fields.
func (n *numberScan) record(rec []string) {
	if n == nil || n.left == 0 {
		return
	}
	for j, v := range rec {
		if n.want[j] && isNumber(v) {
			n.mark(j)
		}
	}
}

func (n *numberScan) mark(j int) {
	n.want[j] = false
	n.left--
	n.found = append(n.found, n.names[j])
}

// isNumber reports whether a cell holds a number as the core loader reads
// one: strconv.ParseFloat of the cell without its surrounding white space
// succeeds and gives a finite number (so neither the missing-value tokens,
// NaN and nan among them, nor Inf). TestIsNumberIsTheLoaders holds it to
// the loader's decision. A look at the ASCII characters first turns most
// text, times and dates away without ParseFloat's allocated error.
func isNumber[T string | []byte](v T) bool {
	if !maybeNumber(v) {
		return false
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(string(v)), 64)
	return err == nil && !math.IsInf(x, 0) && !math.IsNaN(x)
}

// maybeNumber is false for a cell ParseFloat cannot take whatever its
// surrounding white space: an ASCII character no finite number has (the
// letters of inf and nan included), or a sign that neither leads the
// number nor its exponent. A cell with a non-ASCII byte (a Unicode space,
// say) is left to ParseFloat.
func maybeNumber[T string | []byte](v T) bool {
	prev := byte(' ')
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 0x80:
			return true
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F',
			c == 'x', c == 'X', c == 'p', c == 'P', c == '.', c == '_':
		case c == '+' || c == '-':
			if strings.IndexByte(" \t\n\v\f\reEpP", prev) < 0 {
				return false
			}
		case strings.IndexByte(" \t\n\v\f\r", c) >= 0:
		default:
			return false
		}
		prev = c
	}
	return true
}
