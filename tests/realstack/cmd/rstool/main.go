// rstool: the test bed's own small helper (tests/realstack), two subcommands.
//
//	rstool exporter -listen 127.0.0.1:PORT [-rps 100]
//	    serves http_requests_total{service,status} counters for Prometheus to
//	    scrape, as if each service answered rps requests per second of which a
//	    settable fraction failed with 500. The fraction is set per service with
//	    GET /errors?service=NAME&rate=0.12 (GET /errors lists them). Counters
//	    advance with the clock, so rate() over any window sees exactly the
//	    fraction in force during that window.
//	rstool freeports N
//	    prints N TCP ports free on 127.0.0.1 right now, one a line, chosen
//	    outside the kernel's ephemeral range so that no outgoing connection
//	    takes one before its server binds it.
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

type service struct {
	ok, bad float64 // counters at last
	rate    float64 // fraction of requests answered 500
	last    time.Time
}

type exporter struct {
	mu       sync.Mutex
	rps      float64
	services map[string]*service
}

// advance brings every counter up to now at the fraction in force since last.
func (e *exporter) advance(now time.Time) {
	for _, s := range e.services {
		n := now.Sub(s.last).Seconds() * e.rps
		s.bad += n * s.rate
		s.ok += n * (1 - s.rate)
		s.last = now
	}
}

func (e *exporter) names() []string {
	var names []string
	for name := range e.services {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

func (e *exporter) metrics(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.advance(time.Now())
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	fmt.Fprintln(w, "# HELP http_requests_total Requests answered, by service and status.")
	fmt.Fprintln(w, "# TYPE http_requests_total counter")
	for _, name := range e.names() {
		s := e.services[name]
		fmt.Fprintf(w, "http_requests_total{service=%q,status=\"200\"} %g\n", name, s.ok)
		fmt.Fprintf(w, "http_requests_total{service=%q,status=\"500\"} %g\n", name, s.bad)
	}
}

func (e *exporter) errors(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := time.Now()
	e.advance(now)
	name := r.URL.Query().Get("service")
	if v := r.URL.Query().Get("rate"); v != "" || name != "" {
		rate, err := strconv.ParseFloat(v, 64)
		if name == "" || err != nil || rate < 0 || rate > 1 {
			http.Error(w, "want /errors?service=NAME&rate=R with 0 <= R <= 1", http.StatusBadRequest)
			return
		}
		s := e.services[name]
		if s == nil {
			s = &service{last: now}
			e.services[name] = s
		}
		s.rate = rate
	}
	for _, name := range e.names() {
		fmt.Fprintf(w, "%s %g\n", name, e.services[name].rate)
	}
}

func runExporter(args []string) error {
	fs := flag.NewFlagSet("exporter", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on (loopback)")
	rps := fs.Float64("rps", 100, "requests per second each service answers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	e := &exporter{rps: *rps, services: map[string]*service{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", e.metrics)
	mux.HandleFunc("/errors", e.errors)
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	fmt.Printf("exporter listening on %s\n", ln.Addr())
	return http.Serve(ln, mux)
}

// freePorts prints n ports free on 127.0.0.1, chosen outside the kernel's
// ephemeral range (net.ipv4.ip_local_port_range). A port the kernel handed
// out for :0 is free only until the next outgoing connection: the test bed
// starts its servers one after another over many seconds while etcd, the
// API server and kwok open connections, and one of those once took the port
// kept for Prometheus ("bind: address already in use"). The kernel never
// gives an outgoing connection a port outside that range, so a port below it
// stays free until someone binds it on purpose.
func freePorts(args []string) error {
	n := 1
	if len(args) > 0 {
		v, err := strconv.Atoi(args[0])
		if err != nil || v < 1 || v > 64 {
			return fmt.Errorf("freeports: want a count from 1 to 64, got %q", args[0])
		}
		n = v
	}
	lo, hi := ephemeralRange()
	// Candidates: below the ephemeral range from 10000, else above it.
	first, last := 10000, lo-1
	if last-first < 1000 {
		first, last = hi+1, 65535
	}
	if last-first < 1000 {
		return fmt.Errorf("freeports: the ephemeral range %d-%d leaves no room for fixed ports", lo, hi)
	}
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	rng := rand.New(rand.NewSource(time.Now().UnixNano() ^ int64(os.Getpid())<<20))
	for tries := 0; len(lns) < n; tries++ {
		if tries > 1000 {
			return fmt.Errorf("freeports: no %d free ports among %d-%d after %d tries", n, first, last, tries)
		}
		port := first + rng.Intn(last-first+1)
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue // taken: try another
		}
		lns = append(lns, ln)
		fmt.Println(port)
	}
	return nil
}

// ephemeralRange reads the kernel's range of ports for outgoing connections;
// Linux's default when the file cannot be read.
func ephemeralRange() (int, int) {
	lo, hi := 32768, 60999
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return lo, hi
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return lo, hi
	}
	l, err1 := strconv.Atoi(f[0])
	h, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || l < 1 || h > 65535 || l > h {
		return lo, hi
	}
	return l, h
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: rstool exporter [-listen ADDR] [-rps N] | rstool freeports N")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "exporter":
		err = runExporter(os.Args[2:])
	case "freeports":
		err = freePorts(os.Args[2:])
	default:
		fmt.Fprintf(os.Stderr, "rstool: unknown subcommand %q\n", os.Args[1])
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "rstool:", err)
		os.Exit(1)
	}
}
