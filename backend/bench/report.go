package bench

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

// Result is one line of the report.
type Result struct {
	Scenario string
	DB       string
	Rows     string
	N        int
	P50, P99 string
	Target   string
	Verdict  string // PASS, MISS or "-" (for information only)
	Load     string // 1-minute load average when the measurement ended
	Peer     string // the peers' figure from SPEC §9, where one is given
}

// LoadAvg returns the 1-, 5- and 15-minute load averages from /proc/loadavg ("?" when
// unreadable). The machine is shared: the load says how much the figures are disturbed.
func LoadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

// load1 is the 1-minute load average.
func load1() string { return strings.Fields(LoadAvg() + " ")[0] }

// Latency makes a result judged on p99 < target (target 0 = for information).
func Latency(scenario, dbName string, rows int, st Stats, target time.Duration) Result {
	r := Result{Scenario: scenario, DB: dbName, Rows: Count(rows), N: st.N, P50: Ms(st.P50), P99: Ms(st.P99), Verdict: "-",
		Load: load1()}
	if st.Capped {
		r.Scenario += " (time cap)"
	}
	if target > 0 {
		r.Target = "p99 < " + Ms(target)
		r.Verdict = verdict(st.P99 < target)
	}
	return r
}

// Single makes a result of one measured value judged against target (0 = information).
func Single(scenario, dbName string, rows int, v time.Duration, target time.Duration) Result {
	r := Result{Scenario: scenario, DB: dbName, Rows: Count(rows), N: 1, P50: Ms(v), P99: "", Verdict: "-", Load: load1()}
	if target > 0 {
		r.Target = "< " + Ms(target)
		r.Verdict = verdict(v < target)
	}
	return r
}

// Memory makes the idle RSS result.
func Memory(scenario, dbName string, rows int, bytes, target int64) Result {
	return Result{Scenario: scenario, DB: dbName, Rows: Count(rows), N: 1, P50: MB(bytes),
		Target: "< " + MB(target), Verdict: verdict(bytes < target), Load: load1()}
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "MISS"
}

// Ms formats a duration in milliseconds (microseconds below 0.1 ms).
func Ms(d time.Duration) string {
	switch {
	case d < 100*time.Microsecond:
		return fmt.Sprintf("%.3f µs", float64(d.Nanoseconds())/1e3)
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1e3)
	default:
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1e3)
	}
}

// MB formats bytes in MiB.
func MB(b int64) string { return fmt.Sprintf("%.1f MB", float64(b)/(1<<20)) }

// Count formats a row count with thousands separators (empty for 0).
func Count(n int) string {
	if n == 0 {
		return ""
	}
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Print writes the table.
func Print(w io.Writer, results []Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "scenario\tdatabase\trows\tn\tp50\tp99\ttarget\tresult\tload\tpeers (SPEC §9)")
	fmt.Fprintln(tw, "--------\t--------\t----\t-\t---\t---\t------\t------\t----\t---------------")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Scenario, r.DB, r.Rows, r.N, r.P50, r.P99, r.Target,
			r.Verdict, r.Load, r.Peer)
	}
	_ = tw.Flush()
}
