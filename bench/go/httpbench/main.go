// httpbench: goroutine-per-request HTTP. A net/http server on 127.0.0.1 (a random port) answers
// "hello, world\n"; 16 keep-alive raw-socket clients send -n GET requests in all (each stops
// early after 30 s). Reports requests per second.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"anchors/internal/bench"
)

const conns = 16

var body = []byte("hello, world\n")

func client(addr string, per int, deadline time.Time, done *int64) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	r := bufio.NewReader(c)
	req := []byte("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	for i := 0; i < per && time.Now().Before(deadline); i++ {
		if _, err := c.Write(req); err != nil {
			return err
		}
		length := -1
		status := true
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return err
			}
			line = strings.TrimSpace(line)
			if status {
				if !strings.HasPrefix(line, "HTTP/1.1 200") {
					return fmt.Errorf("bad status %q", line)
				}
				status = false
				continue
			}
			if line == "" {
				break
			}
			if strings.HasPrefix(strings.ToLower(line), "content-length:") {
				length, _ = strconv.Atoi(strings.TrimSpace(line[15:]))
			}
		}
		if length < 0 {
			return fmt.Errorf("no content-length")
		}
		if _, err := io.CopyN(io.Discard, r, int64(length)); err != nil {
			return err
		}
		atomic.AddInt64(done, 1)
	}
	return nil
}

func main() {
	n := flag.Int("n", 200_000, "requests in all")
	flag.Set("reps", "3")
	flag.Parse()
	bench.Header("httpbench")
	res := bench.Measure(1, func(rep int) []float64 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			bench.Fail("listen: %v", err)
		}
		mux := http.NewServeMux()
		mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write(body)
		})
		srv := &http.Server{Handler: mux}
		go srv.Serve(ln)
		defer srv.Close()
		per := *n / conns
		var done int64
		var wg sync.WaitGroup
		var firstErr error
		var mu sync.Mutex
		t0 := time.Now()
		deadline := t0.Add(30 * time.Second)
		for i := 0; i < conns; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := client(ln.Addr().String(), per, deadline, &done); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		d := time.Since(t0)
		if firstErr != nil {
			bench.Fail("client: %v", firstErr)
		}
		return []float64{float64(done) / d.Seconds()}
	})
	bench.Report("http.rps", "req/s", res[0])
}
