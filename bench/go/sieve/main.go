// sieve: the classic concurrent prime sieve (a generator goroutine and one filter goroutine per
// prime found, chained by unbuffered channels), bounded: every prime below -n is found, then
// the generator closes its channel and the closes ripple down the chain.
package main

import (
	"flag"
	"time"

	"anchors/internal/bench"
)

func generate(limit int, ch chan<- int) {
	for i := 2; i < limit; i++ {
		ch <- i
	}
	close(ch)
}

func filter(in <-chan int, out chan<- int, prime int) {
	for i := range in {
		if i%prime != 0 {
			out <- i
		}
	}
	close(out)
}

func primesBelow(limit int) int {
	comp := make([]bool, limit+1)
	n := 0
	for i := 2; i < limit; i++ {
		if !comp[i] {
			n++
			for j := i * i; j < limit; j += i {
				comp[j] = true
			}
		}
	}
	return n
}

func main() {
	n := flag.Int("n", 10_000, "find every prime below n")
	flag.Set("reps", "3")
	flag.Parse()
	bench.Header("sieve")
	want := primesBelow(*n)
	res := bench.Measure(1, func(rep int) []float64 {
		t0 := time.Now()
		ch := make(chan int)
		go generate(*n, ch)
		count := 0
		for {
			p, ok := <-ch
			if !ok {
				break
			}
			count++
			ch1 := make(chan int)
			go filter(ch, ch1, p)
			ch = ch1
		}
		d := time.Since(t0)
		if count != want {
			bench.Fail("primes %d want %d", count, want)
		}
		return []float64{float64(d.Nanoseconds()) / 1e6}
	})
	bench.Report("sieve.total", "ms", res[0])
}
