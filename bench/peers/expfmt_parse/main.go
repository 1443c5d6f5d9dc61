// A peer for bench/parser_bench: the text-format parser of prometheus/common
// (expfmt.TextParser, what client_golang and promtool use), from Debian's
// golang-github-prometheus-common-dev, timed on the same page in the same run.
// Usage: expfmt_parse FILE  -> median, min and max MiB/s of 5 repetitions,
// per second of process CPU time (as Google Benchmark's rates in parser_bench),
// so that a busy shared machine skews neither side; Go's GC threads count.
package main

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"syscall"
	"time"

	"github.com/prometheus/common/expfmt"
)

func cpuSeconds() float64 {
	var usage syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &usage)
	return float64(usage.Utime.Nano()+usage.Stime.Nano()) / 1e9
}

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	const minDuration = time.Second
	var rates []float64
	samples := 0
	for rep := 0; rep < 5; rep++ {
		start := time.Now()
		cpuStart := cpuSeconds()
		parsed := 0
		for time.Since(start) < minDuration {
			var parser expfmt.TextParser
			families, err := parser.TextToMetricFamilies(bytes.NewReader(data))
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			if samples == 0 {
				for _, family := range families {
					samples += len(family.Metric)
				}
			}
			parsed++
		}
		seconds := cpuSeconds() - cpuStart
		rates = append(rates, float64(len(data)*parsed)/seconds/(1<<20))
	}
	sort.Float64s(rates)
	fmt.Printf("expfmt.TextParser %s: median %.0f MiB/s (min %.0f, max %.0f), %d metrics per parse\n",
		os.Args[1], rates[2], rates[0], rates[4], samples)
}
