package stat

import "math"

// NelderMead is the Nelder-Mead simplex method with the standard
// coefficients (reflection 1, expansion 2, contraction ½, shrink ½), its
// buffers sized once. gonum's optimize.NelderMead runs each evaluation
// through a goroutine hand-off, which cost ETS a third of its time on
// objectives of a few microseconds.
type NelderMead struct {
	d                    int
	pts                  []float64 // (d+1)×d vertices
	f                    []float64 // d+1 values
	cen, xr, xe, xc, tmp []float64
}

// NewNelderMead returns a minimiser in d dimensions.
func NewNelderMead(d int) *NelderMead {
	return &NelderMead{d: d, pts: make([]float64, (d+1)*d), f: make([]float64, d+1),
		cen: make([]float64, d), xr: make([]float64, d), xe: make([]float64, d), xc: make([]float64, d), tmp: make([]float64, d)}
}

// Minimise runs from x0 with an initial simplex of the given size until the
// values of the simplex agree to rel (relative) or maxEvals evaluations, and
// returns the best vertex (a view of the buffers) and its value.
func (nm *NelderMead) Minimise(obj func([]float64) float64, x0 []float64, size float64, maxEvals int, rel float64) ([]float64, float64) {
	d := nm.d
	v := func(i int) []float64 { return nm.pts[i*d : (i+1)*d] }
	for i := 0; i <= d; i++ {
		copy(v(i), x0)
		if i > 0 {
			v(i)[i-1] += size
		}
		nm.f[i] = obj(v(i))
	}
	evals := d + 1
	order := func() (best, worst, second int) {
		for i := 1; i <= d; i++ {
			if nm.f[i] < nm.f[best] {
				best = i
			}
			if nm.f[i] > nm.f[worst] {
				worst = i
			}
		}
		second = best
		for i := 0; i <= d; i++ {
			if i != worst && nm.f[i] > nm.f[second] {
				second = i
			}
		}
		return
	}
	point := func(dst []float64, from []float64, t float64) { // cen + t·(cen − from)
		for j := range dst {
			dst[j] = nm.cen[j] + t*(nm.cen[j]-from[j])
		}
	}
	for evals < maxEvals {
		best, worst, second := order()
		fb, fw := nm.f[best], nm.f[worst]
		if !math.IsInf(fw, 1) && math.Abs(fw-fb) <= rel*math.Abs(fb)+1e-300 {
			break
		}
		clear(nm.cen)
		for i := 0; i <= d; i++ {
			if i != worst {
				for j, x := range v(i) {
					nm.cen[j] += x / float64(d)
				}
			}
		}
		xw := v(worst)
		point(nm.xr, xw, 1)
		fr := obj(nm.xr)
		evals++
		switch {
		case fr < fb:
			point(nm.xe, xw, 2)
			fe := obj(nm.xe)
			evals++
			if fe < fr {
				copy(xw, nm.xe)
				nm.f[worst] = fe
			} else {
				copy(xw, nm.xr)
				nm.f[worst] = fr
			}
		case fr < nm.f[second]:
			copy(xw, nm.xr)
			nm.f[worst] = fr
		default:
			// Contract towards the better of the worst and its reflection.
			if fr < fw {
				point(nm.xc, xw, 0.5)
			} else {
				point(nm.xc, xw, -0.5)
			}
			fc := obj(nm.xc)
			evals++
			if fc < math.Min(fr, fw) {
				copy(xw, nm.xc)
				nm.f[worst] = fc
				break
			}
			// Shrink towards the best vertex.
			copy(nm.tmp, v(best))
			for i := 0; i <= d; i++ {
				if i == best {
					continue
				}
				for j := range v(i) {
					v(i)[j] = nm.tmp[j] + 0.5*(v(i)[j]-nm.tmp[j])
				}
				nm.f[i] = obj(v(i))
				evals++
			}
		}
	}
	best, _, _ := order()
	return v(best), nm.f[best]
}
