package plots

import (
	"math"
)

// logFloor returns the floor for a log axis over the given slices: floor if
// it is positive, else one decade below the smallest positive value, rounded
// down to a power of ten (1e-30 when nothing is positive).
func logFloor(floor float64, vs ...[]float64) float64 {
	if floor > 0 {
		return floor
	}
	minPos := math.Inf(1)
	for _, v := range vs {
		for _, x := range v {
			if x > 0 && x < minPos {
				minPos = x
			}
		}
	}
	if math.IsInf(minPos, 1) {
		return 1e-30
	}
	return math.Pow(10, math.Floor(math.Log10(minPos))-1)
}

// clampFloor returns a copy of v with every value below floor raised to
// floor, and how many were raised.
func clampFloor(v []float64, floor float64) ([]float64, int) {
	if v == nil {
		return nil, 0
	}
	out := make([]float64, len(v))
	n := 0
	for i, x := range v {
		if x < floor {
			x = floor
			n++
		}
		out[i] = x
	}
	return out, n
}

// maxOf returns the largest value in the slices (-Inf if all are empty).
func maxOf(vs ...[]float64) float64 {
	m := math.Inf(-1)
	for _, v := range vs {
		for _, x := range v {
			m = math.Max(m, x)
		}
	}
	return m
}

// minOf returns the smallest value in the slices (+Inf if all are empty).
func minOf(vs ...[]float64) float64 {
	m := math.Inf(1)
	for _, v := range vs {
		for _, x := range v {
			m = math.Min(m, x)
		}
	}
	return m
}

// floorLabel is the legend text of the floor line on a clamped log axis.
func floorLabel(floor float64) string {
	return "0 and < " + shortFloat(floor) + " drawn here"
}

// shortFloat formats a positive number compactly: 1e-31, 0.001, 2.5e-07.
func shortFloat(x float64) string {
	e := math.Floor(math.Log10(x))
	if x == math.Pow(10, e) {
		return decadeLabel(int(e))
	}
	return formatG(x)
}
