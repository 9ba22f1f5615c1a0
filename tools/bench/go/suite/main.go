// Copyright 2026 The mco Authors.
//
// The Go side of the mco-vs-Go benchmark suite (tools/bench/compare.sh).
// Each subcommand is the twin of the subcommand of the same name in
// tools/bench/suite/mco_suite.cc: the same algorithm, the same counts, the
// same verification. Keep the two files in step.
//
//	suite BENCHMARK [--n=N] [--workers=N]
//
// --workers=N sets GOMAXPROCS (0, the default: one per hardware thread);
// yield always runs with GOMAXPROCS=1. Output: exactly one line on stdout,
//
//	result BENCHMARK workers=W n=N KEY=VALUE...
//
// and exit status 0, or a line on stderr and exit status 1 if the result
// failed its check. See mco_suite.cc for what each benchmark does.
//
// Build (no module, no network): GO111MODULE=off go build -o suite .
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// statusKB returns a field of /proc/self/status in KiB ("VmRSS", "VmHWM"),
// or -1.
func statusKB(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if strings.HasPrefix(line, field+":") {
			fields := strings.Fields(line[len(field)+1:])
			if len(fields) == 0 {
				return -1
			}
			v, err := strconv.ParseInt(fields[0], 10, 64)
			if err != nil {
				return -1
			}
			return v
		}
	}
	return -1
}

func fail(bench, what string) int {
	fmt.Fprintf(os.Stderr, "go suite %s: FAILED: %s\n", bench, what)
	return 1
}

// report prints the result line: "result BENCH workers=W n=N " + fields.
func report(bench string, n int64, fields string) {
	fmt.Printf("result %s workers=%d n=%d %s\n", bench, runtime.GOMAXPROCS(0),
		n, fields)
}

// spawn: n goroutines that each only signal a WaitGroup; ns per goroutine
// and the process's peak RSS.
func spawn(n int64) int {
	var wg sync.WaitGroup
	wg.Add(int(n))
	t0 := time.Now()
	for i := int64(0); i < n; i++ {
		go func() { wg.Done() }()
	}
	wg.Wait()
	ns := float64(time.Since(t0).Nanoseconds())
	hwm := statusKB("VmHWM")
	if hwm <= 0 {
		return fail("spawn", "no VmHWM in /proc/self/status")
	}
	report("spawn", n, fmt.Sprintf("ns_per_op=%.1f peak_rss_mb=%.1f",
		ns/float64(n), float64(hwm)/1024))
	return 0
}

// yield: two goroutines on one P each yield n times.
func yield(n int64) int {
	var total int64
	var wg sync.WaitGroup
	wg.Add(2)
	body := func() {
		var count int64
		for i := int64(0); i < n; i++ {
			runtime.Gosched()
			count++
		}
		atomic.AddInt64(&total, count)
		wg.Done()
	}
	t0 := time.Now()
	go body()
	go body()
	wg.Wait()
	ns := float64(time.Since(t0).Nanoseconds())
	if atomic.LoadInt64(&total) != 2*n {
		return fail("yield", "wrong yield count")
	}
	report("yield", n, fmt.Sprintf("ns_per_op=%.1f", ns/(2*float64(n))))
	return 0
}

// chanPingpong: main sends i on an unbuffered channel, an echo goroutine
// sends it back on another; n round trips, each answer checked.
func chanPingpong(n int64) int {
	ping := make(chan int64)
	pong := make(chan int64)
	var wg sync.WaitGroup
	wg.Add(1)
	t0 := time.Now()
	go func() {
		for v := range ping {
			pong <- v
		}
		wg.Done()
	}()
	for i := int64(0); i < n; i++ {
		ping <- i
		r, ok := <-pong
		if !ok || r != i {
			return fail("chan_pingpong", "wrong value back")
		}
	}
	close(ping)
	wg.Wait()
	ns := float64(time.Since(t0).Nanoseconds())
	report("chan_pingpong", n, fmt.Sprintf("ns_per_op=%.1f", ns/float64(n)))
	return 0
}

// chanMpmc: 4 producers send the ints 0..n-1 (a quarter each) into one
// channel of capacity 1024; 4 consumers sum what they receive until it is
// closed. The count and the sum are checked.
func chanMpmc(n int64) int {
	const producers = 4
	const consumers = 4
	if n%producers != 0 {
		return fail("chan_mpmc", "n must divide by 4")
	}
	per := n / producers
	ch := make(chan int64, 1024)
	var pwg, cwg sync.WaitGroup
	var sum, count int64
	pwg.Add(producers)
	cwg.Add(consumers)
	t0 := time.Now()
	for c := 0; c < consumers; c++ {
		go func() {
			var s, k int64
			for v := range ch {
				s += v
				k++
			}
			atomic.AddInt64(&sum, s)
			atomic.AddInt64(&count, k)
			cwg.Done()
		}()
	}
	for p := int64(0); p < producers; p++ {
		go func(p int64) {
			base := p * per
			for i := int64(0); i < per; i++ {
				ch <- base + i
			}
			pwg.Done()
		}(p)
	}
	pwg.Wait()
	close(ch)
	cwg.Wait()
	ns := float64(time.Since(t0).Nanoseconds())
	if atomic.LoadInt64(&count) != n {
		return fail("chan_mpmc", "wrong item count")
	}
	if atomic.LoadInt64(&sum) != n*(n-1)/2 {
		return fail("chan_mpmc", "wrong sum")
	}
	report("chan_mpmc", n, fmt.Sprintf("mitems_per_s=%.2f", float64(n)/ns*1e3))
	return 0
}

// mutex: 1000 goroutines each lock one mutex, increment a shared counter and
// unlock, n times; the counter is checked.
func mutex(n int64) int {
	const goroutines = 1000
	var mu sync.Mutex
	var counter int64
	var wg sync.WaitGroup
	wg.Add(goroutines)
	t0 := time.Now()
	for c := 0; c < goroutines; c++ {
		go func() {
			for i := int64(0); i < n; i++ {
				mu.Lock()
				counter++
				mu.Unlock()
			}
			wg.Done()
		}()
	}
	wg.Wait()
	ns := float64(time.Since(t0).Nanoseconds())
	mu.Lock()
	final := counter
	mu.Unlock()
	if final != goroutines*n {
		return fail("mutex", "wrong count")
	}
	report("mutex", n, fmt.Sprintf("ns_per_op=%.1f", ns/(goroutines*float64(n))))
	return 0
}

// timers: n goroutines each sleep 10 ms ten times in a row; wall time of the
// whole (ideal: 100 ms). Checks every sleep happened and no goroutine took
// less than 100 ms.
func timers(n int64) int {
	const sleeps = 10
	const sleep = 10 * time.Millisecond
	var wg sync.WaitGroup
	var total, tooShort int64
	wg.Add(int(n))
	t0 := time.Now()
	for i := int64(0); i < n; i++ {
		go func() {
			start := time.Now()
			var k int64
			for s := 0; s < sleeps; s++ {
				time.Sleep(sleep)
				k++
			}
			if time.Since(start) < sleeps*sleep {
				atomic.AddInt64(&tooShort, 1)
			}
			atomic.AddInt64(&total, k)
			wg.Done()
		}()
	}
	wg.Wait()
	ns := float64(time.Since(t0).Nanoseconds())
	if atomic.LoadInt64(&total) != n*sleeps {
		return fail("timers", "lost sleeps")
	}
	if atomic.LoadInt64(&tooShort) != 0 {
		return fail("timers", "a sleep ended early")
	}
	report("timers", n, fmt.Sprintf("wall_ms=%.1f", ns/1e6))
	return 0
}

// idleMem: n goroutines park receiving on one unbuffered channel; RSS delta
// per parked goroutine. Then the channel is closed and every goroutine must
// wake and see it closed.
func idleMem(n int64) int {
	ch := make(chan int)
	var wg sync.WaitGroup
	var started, woke int64
	wg.Add(int(n))
	before := statusKB("VmRSS")
	t0 := time.Now()
	for i := int64(0); i < n; i++ {
		go func() {
			atomic.AddInt64(&started, 1)
			if _, ok := <-ch; !ok {
				atomic.AddInt64(&woke, 1)
			}
			wg.Done()
		}()
	}
	for atomic.LoadInt64(&started) < n {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // the last ones reach the receive
	during := statusKB("VmRSS")
	parkNs := float64(time.Since(t0).Nanoseconds())
	t1 := time.Now()
	close(ch)
	wg.Wait()
	wakeNs := float64(time.Since(t1).Nanoseconds())
	if atomic.LoadInt64(&woke) != n {
		return fail("idle_mem", "not every goroutine woke")
	}
	if before <= 0 || during <= before {
		return fail("idle_mem", "bad VmRSS")
	}
	report("idle_mem", n, fmt.Sprintf(
		"kb_per_op=%.3f rss_delta_mb=%.1f park_ms=%.0f wake_ms=%.0f",
		float64(during-before)/float64(n), float64(during-before)/1024,
		parkNs/1e6, wakeNs/1e6))
	return 0
}

type bench struct {
	defaultN int64
	fn       func(int64) int
}

var benches = map[string]bench{
	"spawn":         {1000000, spawn},
	"yield":         {5000000, yield},
	"chan_pingpong": {1000000, chanPingpong},
	"chan_mpmc":     {10000000, chanMpmc},
	"mutex":         {10000, mutex},
	"timers":        {100000, timers},
	"idle_mem":      {1000000, idleMem},
}

func usage() {
	names := make([]string, 0, len(benches))
	for name := range benches {
		names = append(names, name)
	}
	fmt.Fprintf(os.Stderr, "usage: suite BENCHMARK [--n=N] [--workers=N]\n"+
		"benchmarks: %s\n", strings.Join(names, " "))
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	name := os.Args[1]
	b, ok := benches[name]
	if !ok {
		usage()
	}
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	n := fs.Int64("n", b.defaultN, "the count (see mco_suite.cc)")
	workers := fs.Int("workers", 0, "GOMAXPROCS; 0 for one per hardware thread")
	fs.Parse(os.Args[2:])
	if *n < 1 || *workers < 0 || fs.NArg() != 0 {
		usage()
	}
	if name == "yield" {
		*workers = 1
	}
	if *workers > 0 {
		runtime.GOMAXPROCS(*workers)
	}
	os.Exit(b.fn(*n))
}
