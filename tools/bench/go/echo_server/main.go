// Copyright 2026 The mco Authors.
//
// The Go twin of samples/echo_server for the mco-vs-Go suite
// (tools/bench/compare.sh): every byte a client sends comes back to it.
//
//	echo_server [HOST:PORT]     (default 127.0.0.1:7000; port 0 picks one)
//
// Same contract as the sample: the first line on stdout is
// `listening on 127.0.0.1:PORT`; one goroutine per connection reads what is
// there (into a 16 KiB buffer) and writes it all back; a client's half-close
// gets a half-close back; an error ends only its connection. SIGINT or
// SIGTERM: prints `shutting down`, stops accepting, exits 0.
package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
)

const bufferBytes = 16 * 1024

func echo(conn *net.TCPConn) {
	defer conn.Close()
	buf := make([]byte, bufferBytes)
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			if _, werr := conn.Write(buf[:n]); werr != nil {
				return
			}
		}
		if errors.Is(err, io.EOF) { // the client is done sending: so are we
			conn.CloseWrite()
			return
		}
		if err != nil {
			return
		}
	}
}

func main() {
	addr := "127.0.0.1:7000"
	if len(os.Args) > 2 {
		fmt.Fprintln(os.Stderr, "echo_server: usage: echo_server [HOST:PORT]")
		os.Exit(2)
	}
	if len(os.Args) == 2 {
		addr = os.Args[1]
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "echo_server: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				if errors.Is(err, net.ErrClosed) {
					return
				}
				fmt.Fprintf(os.Stderr, "echo_server: %v\n", err)
				continue
			}
			go echo(conn.(*net.TCPConn))
		}
	}()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	<-signals
	fmt.Println("shutting down")
	ln.Close()
}
