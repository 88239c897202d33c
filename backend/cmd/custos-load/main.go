// Command custos-load runs the mixed workload of make bench-load against a cluster that
// scripts/cluster.sh started (it reads CLUSTER_URL, CLUSTER_REPLICAS and
// CLUSTER_ADMIN_PASSWORD): 80% session lists and reads, 15% API-token reads, 5% writes
// (a user created, audited), at fixed concurrency for a fixed time, first against one
// replica's own port, then against all of them through haproxy. It prints throughput,
// p50/p99 and errors side by side, and exits 1 when any request failed.
//
//	scripts/cluster.sh -n 2 -- custos-load [-clients 8] [-duration 60s] [-users 500]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"custos/bench"
)

func main() {
	clients := flag.Int("clients", 8, "concurrent clients")
	duration := flag.Duration("duration", 60*time.Second, "length of each run")
	users := flag.Int("users", 500, "users created before the runs (through the API)")
	flag.Parse()
	lb, replicas, pw := os.Getenv("CLUSTER_URL"), strings.Split(os.Getenv("CLUSTER_REPLICAS"), ","), os.Getenv("CLUSTER_ADMIN_PASSWORD")
	if lb == "" || replicas[0] == "" || pw == "" {
		fmt.Fprintln(os.Stderr, "custos-load: run it under scripts/cluster.sh (CLUSTER_URL, CLUSTER_REPLICAS, CLUSTER_ADMIN_PASSWORD)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(os.Stderr, "load average %s on %d CPUs; preparing %d users\n", bench.LoadAvg(), runtime.NumCPU(), *users)
	m, err := bench.PrepareMixed(ctx, lb, pw, *users, *clients)
	if err != nil {
		fmt.Fprintln(os.Stderr, "custos-load: prepare:", err)
		os.Exit(1)
	}
	var runs []bench.MixedResult
	for _, t := range []struct{ name, base string }{
		{"1 replica", replicas[0]},
		{fmt.Sprintf("%d replicas + haproxy", len(replicas)), lb},
	} {
		fmt.Fprintf(os.Stderr, "%s: %d clients for %v (load average %s)\n", t.name, *clients, *duration, bench.LoadAvg())
		runs = append(runs, m.Run(ctx, t.name, t.base, *clients, *duration))
	}
	fmt.Printf("\nmixed workload on PostgreSQL (80%% session list/read, 15%% token read, 5%% write with audit); load average %s, %d CPUs\n",
		bench.LoadAvg(), runtime.NumCPU())
	bench.PrintMixed(os.Stdout, runs)
	failed := false
	for _, r := range runs {
		if r.Errors > 0 {
			failed = true
			fmt.Fprintf(os.Stderr, "custos-load: %s: %d failed requests; first: %s\n", r.Name, r.Errors, r.FirstError)
		}
	}
	if failed {
		os.Exit(1)
	}
}
