// Copyright 2026 The mco Authors.
//
// The Go twin of samples/http_server's hello route for the mco-vs-Go suite
// (tools/bench/compare.sh): Go's net/http answering GET / with
// "Hello, World!\n" (text/plain).
//
//	http_server [HOST:PORT]     (default 127.0.0.1:8080; port 0 picks one)
//
// Same start and stop contract as the sample: the first line on stdout is
// `listening on 127.0.0.1:PORT`; SIGINT or SIGTERM prints `shutting down`
// and exits 0. Other paths get 404.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

func hello(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "Hello, World!\n")
}

func main() {
	addr := "127.0.0.1:8080"
	if len(os.Args) > 2 {
		fmt.Fprintln(os.Stderr, "http_server: usage: http_server [HOST:PORT]")
		os.Exit(2)
	}
	if len(os.Args) == 2 {
		addr = os.Args[1]
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "http_server: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	go http.Serve(ln, http.HandlerFunc(hello))
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	<-signals
	fmt.Println("shutting down")
	ln.Close()
}
