package linalg

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// maxThreads bounds SetThreads.
const maxThreads = 64

var threads atomic.Int32

func init() {
	threads.Store(int32(min(runtime.GOMAXPROCS(0), maxThreads)))
}

// SetThreads sets how many goroutines one large Gemm may use, and returns
// the previous setting. n ≤ 0 restores the default, runtime.GOMAXPROCS(0).
// Products too small to gain from it always run on the calling goroutine.
func SetThreads(n int) int {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	n = min(n, maxThreads)
	return int(threads.Swap(int32(n)))
}

// Threads returns the current SetThreads setting.
func Threads() int { return int(threads.Load()) }

// parMinVolume is the smallest m·n·k split across goroutines: below it the
// hand-off costs more than the second core gains. Waking a blocked worker
// takes about 10 µs (BenchmarkPoolHandoff); 4M multiply-adds take about
// 190 µs on one core. Workers block rather than spin: spinning halved the
// hand-off on an idle machine but made it 75 µs on a loaded one. (A variable
// for tests.)
var parMinVolume = 1 << 22

// job is one goroutine's share of a parallel Gemm: a sub-product on a
// disjoint block of C.
type job[T Float] struct {
	kern          kernel[T]
	tA, tB        bool
	m, n, k       int
	alpha, beta   T
	a, b, c       []T
	lda, ldb, ldc int
	pre           *PackedB[T]
	col0          int
	done          chan struct{}
}

func (j *job[T]) run(ws *workspace[T]) {
	if j.m == 0 || j.n == 0 {
		return // nothing to do (the pool benchmark sends such jobs)
	}
	gemmBlocked(ws, j.kern, j.tA, j.tB, j.m, j.n, j.k, j.alpha, j.a, j.lda, j.b, j.ldb, j.beta, j.c, j.ldc, j.pre, j.col0)
}

// workerSpaces are a pool worker's workspaces, one per element type,
// made on first use.
type workerSpaces struct {
	w64 *workspace[float64]
	w32 *workspace[float32]
}

// task is a job of either element type, as the workers receive it.
type task interface {
	runOn(w *workerSpaces)
	finished() chan struct{}
}

func (j *job[T]) runOn(w *workerSpaces) {
	if is32[T]() {
		if w.w32 == nil {
			w.w32 = newWorkspace[float32]()
		}
		j.run(any(w.w32).(*workspace[T]))
		return
	}
	if w.w64 == nil {
		w.w64 = newWorkspace[float64]()
	}
	j.run(any(w.w64).(*workspace[T]))
}

func (j *job[T]) finished() chan struct{} { return j.done }

// The worker pool: persistent goroutines, each with its own workspaces,
// fed through jobs. Workers are started on demand and never exit.
var (
	poolMu  sync.Mutex
	workers int
	jobs    = make(chan task, maxThreads)
)

func ensureWorkers(n int) {
	poolMu.Lock()
	for workers < n {
		workers++
		go func() {
			var ws workerSpaces
			for j := range jobs {
				j.runOn(&ws)
				j.finished() <- struct{}{}
			}
		}()
	}
	poolMu.Unlock()
}

// freeList holds free workspaces of one element type for calling goroutines.
type freeList[T Float] struct {
	mu   sync.Mutex
	free []*workspace[T]
}

var (
	free64 freeList[float64]
	free32 freeList[float32]
)

func freeFor[T Float]() *freeList[T] {
	if is32[T]() {
		return any(&free32).(*freeList[T])
	}
	return any(&free64).(*freeList[T])
}

func getWorkspace[T Float]() *workspace[T] {
	f := freeFor[T]()
	f.mu.Lock()
	defer f.mu.Unlock()
	if n := len(f.free); n > 0 {
		ws := f.free[n-1]
		f.free = f.free[:n-1]
		return ws
	}
	return newWorkspace[T]()
}

func putWorkspace[T Float](ws *workspace[T]) {
	f := freeFor[T]()
	f.mu.Lock()
	f.free = append(f.free, ws)
	f.mu.Unlock()
}

// gemmFast runs the packed kernel, split over up to threads goroutines
// along the longer of m and n when the product is large enough.
// A non-nil pre replaces b, ldb and tB, as in gemmBlocked.
func gemmFast[T Float](threads int, kern kernel[T], tA, tB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, pre *PackedB[T]) {
	ws := getWorkspace[T]()
	defer putWorkspace(ws)
	p := threads
	if m*n*k < parMinVolume {
		p = 1
	}
	// Split into parts of whole tiles.
	byCols := n >= m
	tiles := (m + mr - 1) / mr
	step := mr
	if byCols {
		nr := nrOf[T]()
		tiles = (n + nr - 1) / nr
		step = nr
	}
	p = min(p, tiles)
	if p <= 1 {
		gemmBlocked(ws, kern, tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pre, 0)
		return
	}
	ensureWorkers(p - 1)
	if cap(ws.jobs) < p {
		ws.jobs = make([]job[T], p)
	}
	parts := ws.jobs[:p]
	done := ws.done
	lo := 0
	for i := range parts {
		hi := (tiles * (i + 1) / p) * step
		if i == p-1 {
			hi = m
			if byCols {
				hi = n
			}
		}
		j := &parts[i]
		*j = job[T]{kern: kern, tA: tA, tB: tB, m: m, n: n, k: k, alpha: alpha, beta: beta,
			a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, pre: pre, done: done}
		if byCols {
			j.n = hi - lo
			j.c = c[lo:]
			if pre != nil {
				j.col0 = lo
			} else if tB {
				j.b = b[lo*ldb:]
			} else {
				j.b = b[lo:]
			}
		} else {
			j.m = hi - lo
			j.c = c[lo*ldc:]
			if tA {
				j.a = a[lo:]
			} else {
				j.a = a[lo*lda:]
			}
		}
		lo = hi
	}
	for i := 1; i < p; i++ {
		jobs <- &parts[i]
	}
	parts[0].run(ws)
	for i := 1; i < p; i++ {
		<-done
	}
	// Drop the references to the caller's matrices.
	for i := range parts {
		parts[i] = job[T]{}
	}
}
