// timers: n runtime timers two ways, durations 1 + i%10 ms.
//
//	sleep     = n goroutines each time.Sleep(d), until all have woken (WaitGroup); ns per timer
//	afterfunc = n time.AfterFunc(d, f), until every f has run; ns per timer
package main

import (
	"flag"
	"sync"
	"time"

	"anchors/internal/bench"
)

func dur(i int) time.Duration { return time.Duration(1+i%10) * time.Millisecond }

func main() {
	n := flag.Int("n", 1_000_000, "timers")
	flag.Set("reps", "3")
	flag.Parse()
	bench.Header("timers")
	N := *n
	res := bench.Measure(2, func(rep int) []float64 {
		var wg sync.WaitGroup
		wg.Add(N)
		t0 := time.Now()
		for i := 0; i < N; i++ {
			d := dur(i)
			go func() {
				time.Sleep(d)
				wg.Done()
			}()
		}
		wg.Wait()
		sleep := float64(time.Since(t0).Nanoseconds()) / float64(N)

		wg.Add(N)
		t1 := time.Now()
		for i := 0; i < N; i++ {
			time.AfterFunc(dur(i), wg.Done)
		}
		wg.Wait()
		after := float64(time.Since(t1).Nanoseconds()) / float64(N)
		return []float64{sleep, after}
	})
	bench.Report("timers.sleep", "ns/timer", res[0])
	bench.Report("timers.afterfunc", "ns/timer", res[1])
}
