// wgfanout: wg.Add(n), n goroutines each calling wg.Done(), wg.Wait(); ns per goroutine.
package main

import (
	"flag"
	"sync"
	"time"

	"anchors/internal/bench"
)

func main() {
	n := flag.Int("n", 100_000, "goroutines")
	flag.Parse()
	bench.Header("wgfanout")
	N := *n
	res := bench.Measure(1, func(rep int) []float64 {
		var wg sync.WaitGroup
		t0 := time.Now()
		wg.Add(N)
		for i := 0; i < N; i++ {
			go wg.Done()
		}
		wg.Wait()
		return []float64{float64(time.Since(t0).Nanoseconds()) / float64(N)}
	})
	bench.Report("waitgroup.fanout", "ns/goroutine", res[0])
}
