// rwmutex: -g goroutines, each -n operations on one sync.RWMutex: every 100th a write lock
// around an increment of the shared value, the others a read lock around reading it.
package main

import (
	"flag"
	"sync"
	"sync/atomic"
	"time"

	"anchors/internal/bench"
)

func main() {
	workers := flag.Int("g", 4, "goroutines")
	per := flag.Int("n", 2_500_000, "operations per goroutine")
	flag.Parse()
	bench.Header("rwmutex")
	res := bench.Measure(1, func(rep int) []float64 {
		var mu sync.RWMutex
		var shared, sink int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w := 0; w < *workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				var s int64
				for i := 0; i < *per; i++ {
					if i%100 == 0 {
						mu.Lock()
						shared++
						mu.Unlock()
					} else {
						mu.RLock()
						s += shared
						mu.RUnlock()
					}
				}
				atomic.AddInt64(&sink, s)
			}()
		}
		t0 := time.Now()
		close(start)
		wg.Wait()
		d := time.Since(t0)
		if shared != int64(*workers*((*per+99)/100)) {
			bench.Fail("writes %d", shared)
		}
		return []float64{float64(d.Nanoseconds()) / float64(*workers**per)}
	})
	bench.Report("rwmutex.op", "ns/op", res[0])
}
