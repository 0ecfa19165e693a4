package neural

import "github.com/tsf-go/tsf/forecast/internal/stat"

// The loss of ESRNN over a batch of series chunks, and its gradient: into
// the network's parameters (Backward) and, through the network's input
// gradient, the normalised targets and the smoothing recursion, into each
// series' raw smoothing parameters.

// esRow is one batch row: positions [p0, p1) of one series, placed at
// batch steps off … off+p1−p0−1 (the steps before off are padding: zero
// input, no loss, and the network's state is reset at off).
type esRow struct {
	series  int       // the series' index (training)
	y, logy []float64 // the series' values (targets may use all of them) and their logs
	p0, p1  int
	off     int
	raw     []float64 // the series' raw smoothing parameters
	graw    []float64 // where dL/draw is added
	es      esBuf
}

// esWork holds the network input and output gradient of a batch, and
// the interval heads' output gradient when they are detached.
type esWork struct {
	x, dOut, dInt []float64
}

// esFirst returns the first position of a series of n values whose
// window is full, or the last position that still has a target (or 0)
// when the series is shorter than Window+1.
func esFirst(n, window int) int { return max(0, min(window-1, n-2)) }

// esQuant maps the network's raw outputs r of one step to monotone
// quantiles: q[2] = r[2]; q[3] = q[2] + softplus(r[3]), q[4] = q[3] +
// softplus(r[4]); q[1] = q[2] − softplus(r[1]), q[0] = q[1] − softplus(r[0]).
func esQuant(r []float64, q *[esQ]float64) {
	q[2] = r[2]
	q[3] = q[2] + softplus(r[3])
	q[4] = q[3] + softplus(r[4])
	q[1] = q[2] - softplus(r[1])
	q[0] = q[1] - softplus(r[0])
}

// esQuantBack writes into d the gradient with respect to the raw outputs
// r of the gradient g with respect to the quantiles of esQuant.
func esQuantBack(r []float64, g *[esQ]float64, d []float64) {
	d[2] = g[0] + g[1] + g[2] + g[3] + g[4]
	d[3] = (g[3] + g[4]) * stat.Sigmoid(r[3])
	d[4] = g[4] * stat.Sigmoid(r[4])
	d[1] = -(g[0] + g[1]) * stat.Sigmoid(r[1])
	d[0] = -g[0] * stat.Sigmoid(r[0])
}

// fill runs the smoothing of every row up to its last position and writes
// the network input x (T, B, inputs()): at position t, value k of the
// window is log(y_i / (l_t · s_i)) for i = t−Window+1+k, 0 before the
// series; with Drift, value Window is the drift (ESConfig.Drift). Padded
// steps are 0.
func (c *ESConfig) fill(rows []esRow, T int, x []float64) {
	B, W, m, I := len(rows), c.Window, c.Season, c.inputs()
	for b := range rows {
		r := &rows[b]
		esForward(r.y, r.p1, m, r.raw, &r.es)
		var d esDrift
		for s := range T {
			xs := x[(s*B+b)*I : (s*B+b+1)*I]
			if s < r.off {
				clear(xs)
				continue
			}
			t := r.p0 + s - r.off
			ll := r.es.logl[t]
			for k := range W {
				if i := t - W + 1 + k; i >= 0 {
					xs[k] = r.logy[i] - r.es.logs[i] - ll
				} else {
					xs[k] = 0
				}
			}
			if I > W {
				if s == r.off {
					for i := range t {
						d.add(i, r.logy[i])
					}
				}
				d.add(t, r.logy[t])
				xs[W] = d.slope() * float64(c.Horizon)
			}
		}
	}
}

// esDrift accumulates the sums of a least-squares line through (i, v_i).
type esDrift struct{ n, st, sv, stt, stv float64 }

func (d *esDrift) add(i int, v float64) {
	t := float64(i)
	d.n++
	d.st += t
	d.sv += v
	d.stt += t * t
	d.stv += t * v
}

// slope returns the line's slope, 0 for fewer than 2 points.
func (d *esDrift) slope() float64 {
	den := d.n*d.stt - d.st*d.st
	if d.n < 2 || den == 0 {
		return 0
	}
	return (d.n*d.stv - d.st*d.sv) / den
}

// eval runs the network over rows (T steps, B = len(rows)) and returns the
// loss: the mean weighted pinball loss over every (row, position, step)
// whose target exists, plus the mean over the rows of the level penalty.
// With grad it adds the loss's gradient to the network's Param.G and to
// every row's graw. net's resets are replaced.
func (c *ESConfig) eval(net esNet, rows []esRow, T int, w *esWork, grad bool) float64 {
	B, W, H, m, I := len(rows), c.Window, c.Horizon, c.Season, c.inputs()
	HQ := H * esQ
	w.x = growF(w.x, T*B*I)
	x := w.x
	c.fill(rows, T, x)
	net.ClearResets()
	for b, r := range rows {
		if r.off > 0 {
			net.ResetAt(r.off, b)
		}
	}
	out := net.Forward(x, T, B)
	count := 0
	for _, r := range rows {
		for t := r.p0; t < r.p1; t++ {
			count += max(0, min(H, len(r.y)-1-t))
		}
	}
	inv := 0.0
	if count > 0 {
		inv = 1 / float64(count)
	}
	w.dOut = growF(w.dOut, T*B*HQ)
	dOut := w.dOut
	clear(dOut)
	f := min(max(c.IntervalGrad, 0), 1)
	if grad && f < 1 {
		w.dInt = growF(w.dInt, T*B*HQ)
		clear(w.dInt)
	}
	qw := max(c.QWeight, 0)
	var taus, wts [esQ]float64
	for qi := range esQ {
		taus[qi], wts[qi] = esQuantiles[qi], qw
	}
	taus[2], wts[2] = c.Tau, 1
	var loss float64
	var q, g [esQ]float64
	for b := range rows {
		r := &rows[b]
		for s := r.off; s < T; s++ {
			t := r.p0 + s - r.off
			o := out[(s*B+b)*HQ : (s*B+b+1)*HQ]
			d := dOut[(s*B+b)*HQ : (s*B+b+1)*HQ]
			for j := 1; j <= H && t+j < len(r.y); j++ {
				ro := o[(j-1)*esQ : j*esQ]
				esQuant(ro, &q)
				si := t + 1 + (j-1)%m
				z := r.logy[t+j] - r.es.logs[si] - r.es.logl[t]
				var dz float64
				for qi := range esQ {
					diff := z - q[qi]
					if diff >= 0 {
						loss += wts[qi] * taus[qi] * diff
						g[qi] = -wts[qi] * taus[qi] * inv
					} else {
						loss += wts[qi] * (taus[qi] - 1) * diff
						g[qi] = wts[qi] * (1 - taus[qi]) * inv
					}
					if qi == 2 {
						dz -= g[qi]
					} else {
						dz -= f * g[qi]
					}
				}
				if !grad {
					continue
				}
				dj := d[(j-1)*esQ : j*esQ]
				esQuantBack(ro, &g, dj)
				if f < 1 {
					// The interval heads' gradient reaches the network's
					// trunk and the smoothing scaled by f; their head rows
					// get the rest of it (w.dInt).
					di := w.dInt[(s*B+b)*HQ+(j-1)*esQ : (s*B+b)*HQ+j*esQ]
					for k := range esQ {
						v := dj[k]
						if k == 2 {
							v -= g[2]
						}
						dj[k] -= (1 - f) * v
						di[k] = (1 - f) * v
					}
					di[2] = 0
				}
				r.es.gs[si] -= dz
				r.es.gl[t] -= dz
			}
		}
	}
	loss *= inv
	lambda := max(c.Penalty, 0)
	for b := range rows {
		r := &rows[b]
		loss += esLevelPenalty(r.es.logl, r.es.gl, r.p1, lambda, 1/float64(B)) / float64(B)
	}
	if !grad {
		return loss
	}
	net.Backward(dOut[:T*B*HQ])
	if f < 1 {
		c.headGrad(net, w.dInt[:T*B*HQ])
	}
	dx := net.InputGrad()
	for b := range rows {
		r := &rows[b]
		for s := r.off; s < T; s++ {
			t := r.p0 + s - r.off
			xs := dx[(s*B+b)*I : (s*B+b)*I+W]
			for k, gx := range xs {
				if i := t - W + 1 + k; i >= 0 {
					r.es.gs[i] -= gx
					r.es.gl[t] -= gx
				}
			}
		}
		esBackward(r.y, r.p1, m, r.raw, &r.es, r.graw)
	}
	return loss
}

// headGrad adds to the head's weight and bias gradients those of the
// output gradient dInt (T·B rows, Horizon·esQ columns) given the top
// layer's hidden states of the last Forward: the gradient of the interval
// heads, which the network's Backward did not see.
func (c *ESConfig) headGrad(net esNet, dInt []float64) {
	var hw, hb []float64
	for _, p := range net.Params() {
		switch p.Name {
		case "head.weight":
			hw = p.G
		case "head.bias":
			hb = p.G
		}
	}
	h := net.Outputs()
	Hd, O := c.Hidden, c.Horizon*esQ
	rows := len(dInt) / O
	for r := range rows {
		d := dInt[r*O : (r+1)*O]
		hr := h[r*Hd : (r+1)*Hd]
		for o, v := range d {
			if v == 0 {
				continue
			}
			hb[o] += v
			row := hw[o*Hd : (o+1)*Hd]
			for k, x := range hr {
				row[k] += v * x
			}
		}
	}
}
