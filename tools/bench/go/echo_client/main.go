// Copyright 2026 The mco Authors.
//
// The load client of the mco-vs-Go suite's echo benchmark
// (tools/bench/compare.sh): the same client drives both echo servers.
//
//	echo_client --addr=HOST:PORT [--conns=100] [--rounds=2000] [--size=64]
//
// It opens --conns connections, then (all at once) each does --rounds
// sequential round trips: write --size bytes, read them back, compare. Every
// echo is checked byte for byte (the payload differs per connection and
// round); then each connection half-closes and must see end of stream.
//
// Output: one line on stdout,
//
//	result echo conns=C rounds=R size=S rps=... p50_us=... p99_us=...
//
// (requests/s over the timed part, the latency of one round trip), exit
// status 0; or a line on stderr and exit status 1 on any error or mismatch.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"sync"
	"time"
)

// run does one connection's round trips; its latencies go to lat.
func run(conn net.Conn, id, rounds, size int, start <-chan struct{},
	lat []time.Duration) error {
	out := make([]byte, size)
	in := make([]byte, size)
	<-start
	for r := 0; r < rounds; r++ {
		for j := range out {
			out[j] = byte(id*131 + r*7 + j)
		}
		t0 := time.Now()
		if _, err := conn.Write(out); err != nil {
			return fmt.Errorf("connection %d round %d: write: %v", id, r, err)
		}
		if _, err := io.ReadFull(conn, in); err != nil {
			return fmt.Errorf("connection %d round %d: read: %v", id, r, err)
		}
		lat[r] = time.Since(t0)
		if !bytes.Equal(in, out) {
			return fmt.Errorf("connection %d round %d: wrong echo", id, r)
		}
	}
	if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
		return fmt.Errorf("connection %d: half-close: %v", id, err)
	}
	if n, err := conn.Read(in); n != 0 || err != io.EOF {
		return fmt.Errorf("connection %d: no end of stream after half-close", id)
	}
	return nil
}

func main() {
	addr := flag.String("addr", "", "the echo server's HOST:PORT")
	conns := flag.Int("conns", 100, "connections")
	rounds := flag.Int("rounds", 2000, "sequential round trips per connection")
	size := flag.Int("size", 64, "bytes per round trip")
	timeout := flag.Duration("timeout", 120*time.Second, "give up after this")
	flag.Parse()
	if *addr == "" || *conns < 1 || *rounds < 1 || *size < 1 || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: echo_client --addr=HOST:PORT "+
			"[--conns=100] [--rounds=2000] [--size=64]")
		os.Exit(2)
	}
	deadline := time.Now().Add(*timeout)
	cs := make([]net.Conn, *conns)
	for i := range cs {
		c, err := net.DialTimeout("tcp", *addr, 10*time.Second)
		if err != nil {
			fmt.Fprintf(os.Stderr, "echo_client: FAILED: %v\n", err)
			os.Exit(1)
		}
		c.SetDeadline(deadline)
		cs[i] = c
	}
	lat := make([]time.Duration, *conns**rounds)
	errs := make([]error, *conns)
	start := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(*conns)
	for i, c := range cs {
		go func(i int, c net.Conn) {
			defer wg.Done()
			errs[i] = run(c, i, *rounds, *size, start,
				lat[i**rounds:(i+1)**rounds])
		}(i, c)
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(t0)
	for _, c := range cs {
		c.Close()
	}
	failed := 0
	for _, err := range errs {
		if err != nil {
			if failed < 5 {
				fmt.Fprintf(os.Stderr, "echo_client: FAILED: %v\n", err)
			}
			failed++
		}
	}
	if failed > 0 {
		fmt.Fprintf(os.Stderr, "echo_client: %d of %d connections failed\n",
			failed, *conns)
		os.Exit(1)
	}
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	pct := func(p float64) float64 {
		return float64(lat[int(p*float64(len(lat)-1))].Nanoseconds()) / 1e3
	}
	total := float64(len(lat))
	fmt.Printf("result echo conns=%d rounds=%d size=%d rps=%.0f p50_us=%.1f "+
		"p99_us=%.1f\n", *conns, *rounds, *size, total/elapsed.Seconds(),
		pct(0.50), pct(0.99))
}
