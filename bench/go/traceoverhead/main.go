// traceoverhead: what Go's own execution tracer (runtime/trace) costs on the channel patterns
// that goloom's `./goloom run traceoverhead` measures, each run with tracing off and on in
// alternation inside one process; prints the medians and the overhead. docs/DEBUGGING.md
// ("Execution traces") sets the two side by side. Standard library only.
//
//	/usr/lib/go-1.19/bin/go run bench/go/traceoverhead/main.go [-reps 10] [-scale 1.0]
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/trace"
	"sort"
	"sync"
	"time"
)

func pingPong(n int) float64 {
	ping := make(chan int)
	pong := make(chan int)
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	t0 := time.Now()
	for i := 0; i < n; i++ {
		ping <- 42
		<-pong
	}
	d := time.Since(t0)
	close(ping)
	return float64(d.Nanoseconds()) / float64(n)
}

func buffered(n int) float64 {
	c := make(chan int, 128)
	var wg sync.WaitGroup
	wg.Add(1)
	t0 := time.Now()
	go func() {
		defer wg.Done()
		for i := 0; i < n; i++ {
			c <- 1
		}
	}()
	for i := 0; i < n; i++ {
		<-c
	}
	wg.Wait()
	return float64(time.Since(t0).Nanoseconds()) / float64(n)
}

func threadRing(n int) float64 {
	const k = 503
	ring := make([]chan int, k)
	for i := range ring {
		ring[i] = make(chan int)
	}
	done := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < k; i++ {
		in, next := ring[i], ring[(i+1)%k]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range in {
				if v == 0 {
					done <- 0
				} else {
					next <- v - 1
				}
			}
		}()
	}
	t0 := time.Now()
	ring[0] <- n
	<-done
	d := time.Since(t0)
	for _, c := range ring {
		close(c)
	}
	wg.Wait()
	return float64(d.Nanoseconds()) / float64(n)
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func main() {
	reps := flag.Int("reps", 10, "repetitions per side")
	scale := flag.Float64("scale", 1.0, "scale of every case's n")
	flag.Parse()
	cases := []struct {
		name  string
		procs int
		n     int
		body  func(int) float64
	}{
		{"unbuffered ping-pong, GOMAXPROCS=1 [ns/round trip]", 1, 300_000, pingPong},
		{"unbuffered ping-pong, GOMAXPROCS=2 [ns/round trip]", 2, 300_000, pingPong},
		{"buffered cap 128, 1 producer / 1 consumer [ns/item]", 2, 2_000_000, buffered},
		{"thread-ring 503, GOMAXPROCS=1 [ns/hop]", 1, 1_000_000, threadRing},
		{"thread-ring 503, GOMAXPROCS=2 [ns/hop]", 2, 1_000_000, threadRing},
	}
	f, err := os.CreateTemp("", "go-overhead-*.trace")
	if err != nil {
		panic(err)
	}
	defer os.Remove(f.Name())
	f.Close()
	fmt.Printf("%-52s %10s %10s %9s\n", fmt.Sprintf("scenario (median of %d each way)", *reps), "off", "on", "overhead")
	for _, c := range cases {
		runtime.GOMAXPROCS(c.procs)
		n := int(float64(c.n) * *scale)
		if n < 1 {
			n = 1
		}
		c.body(n) // warm-up, untimed
		var off, on []float64
		for rep := 0; rep < 2*(*reps); rep++ {
			traced := rep%2 == 1
			var out *os.File
			if traced {
				out, err = os.Create(f.Name())
				if err != nil {
					panic(err)
				}
				if err := trace.Start(out); err != nil {
					panic(err)
				}
			}
			v := c.body(n)
			if traced {
				trace.Stop()
				out.Close()
				on = append(on, v)
			} else {
				off = append(off, v)
			}
		}
		mOff, mOn := median(off), median(on)
		fmt.Printf("%-52s %10.1f %10.1f %8.1f%%\n", c.name, mOff, mOn, 100*(mOn/mOff-1))
	}
}
