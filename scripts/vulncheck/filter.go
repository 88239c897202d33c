// Command filter reads `govulncheck -format json` on stdin and fails when a vulnerability
// is reachable (its trace reaches a symbol) and not listed in the allow file. Standard
// library only, run with `go run` from scripts/vulncheck.sh outside any module.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type frame struct {
	Module   string `json:"module"`
	Version  string `json:"version"`
	Package  string `json:"package"`
	Function string `json:"function"`
	Receiver string `json:"receiver"`
	Position *struct {
		Filename string `json:"filename"`
		Line     int    `json:"line"`
	} `json:"position"`
}

type message struct {
	Config *struct {
		GoVersion string `json:"go_version"`
		DB        string `json:"db"`
		ScanLevel string `json:"scan_level"`
	} `json:"config"`
	OSV *struct {
		ID      string `json:"id"`
		Summary string `json:"summary"`
	} `json:"osv"`
	Finding *struct {
		OSV          string  `json:"osv"`
		FixedVersion string  `json:"fixed_version"`
		Trace        []frame `json:"trace"`
	} `json:"finding"`
}

type vuln struct {
	id, summary, module, version, fixed string
	reachable                           bool
	example                             []frame
}

func main() {
	allowPath := flag.String("allow", "", "allow file: `ID reason` per line, # comments")
	flag.Parse()
	allow, err := readAllow(*allowPath)
	if err == nil {
		err = run(os.Stdin, os.Stdout, allow)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulncheck:", err)
		os.Exit(1)
	}
}

func readAllow(path string) (map[string]string, error) {
	allow := map[string]string{}
	if path == "" {
		return allow, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, reason, _ := strings.Cut(line, " ")
		if !strings.HasPrefix(id, "GO-") || strings.TrimSpace(reason) == "" {
			return nil, fmt.Errorf("%s:%d: want `GO-YYYY-NNNN  one-line reason`, got %q", path, n, line)
		}
		allow[id] = strings.TrimSpace(reason)
	}
	return allow, sc.Err()
}

func run(in io.Reader, out io.Writer, allow map[string]string) error {
	vulns, goVersion, err := decode(in)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "govulncheck scanned with %s\n", goVersion)
	var ids []string
	for id := range vulns {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var failed, imported int
	for _, id := range ids {
		v := vulns[id]
		if !v.reachable {
			imported++
			fmt.Fprintf(out, "  not reached  %s  %s@%s (%s): %s\n", id, v.module, v.version, fixedIn(v.fixed), v.summary)
			continue
		}
		if reason, ok := allow[id]; ok {
			fmt.Fprintf(out, "  allowed      %s  %s@%s: %s\n               reason: %s\n", id, v.module, v.version, v.summary, reason)
			continue
		}
		failed++
		fmt.Fprintf(out, "  REACHABLE    %s  %s@%s (%s): %s\n", id, v.module, v.version, fixedIn(v.fixed), v.summary)
		fmt.Fprintf(out, "               e.g. %s\n", chain(v.example))
	}
	for id := range allow {
		if v, ok := vulns[id]; !ok || !v.reachable {
			fmt.Fprintf(out, "  note: allow entry %s no longer matches a reachable vulnerability: remove it\n", id)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d reachable vulnerabilities: upgrade (see \"fixed in\"), or list them with a reason in the allow file", failed)
	}
	fmt.Fprintf(out, "no reachable vulnerability outside the allow file (%d in required modules, not called)\n", imported)
	return nil
}

// decode reads the stream of JSON messages. A finding is reachable when its first
// frame names a function: govulncheck's symbol level.
func decode(in io.Reader) (map[string]*vuln, string, error) {
	dec := json.NewDecoder(in)
	vulns, summaries := map[string]*vuln{}, map[string]string{}
	goVersion := ""
	for {
		var m message
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, "", fmt.Errorf("read govulncheck output: %w", err)
		}
		switch {
		case m.Config != nil:
			if m.Config.ScanLevel != "symbol" {
				return nil, "", fmt.Errorf("scan level %q: the gate needs govulncheck's default symbol level", m.Config.ScanLevel)
			}
			goVersion = m.Config.GoVersion
		case m.OSV != nil:
			summaries[m.OSV.ID] = m.OSV.Summary
		case m.Finding != nil && len(m.Finding.Trace) > 0:
			f := m.Finding
			v := vulns[f.OSV]
			if v == nil {
				v = &vuln{id: f.OSV, module: f.Trace[0].Module, version: f.Trace[0].Version, fixed: f.FixedVersion}
				vulns[f.OSV] = v
			}
			if f.Trace[0].Function != "" && !v.reachable {
				v.reachable, v.example = true, f.Trace
			}
		}
	}
	if goVersion == "" {
		return nil, "", errors.New("no govulncheck config message: did the scan run?")
	}
	for id, v := range vulns {
		v.summary = summaries[id]
	}
	return vulns, goVersion, nil
}

// chain prints a trace from the caller in our code down to the vulnerable symbol.
func chain(tr []frame) string {
	parts := make([]string, 0, len(tr))
	for i := len(tr) - 1; i >= 0; i-- {
		f := tr[i]
		name := f.Package + "." + f.Function
		if f.Receiver != "" {
			name = f.Package + "." + strings.TrimPrefix(f.Receiver, "*") + "." + f.Function
		}
		if i == len(tr)-1 && f.Position != nil {
			name += fmt.Sprintf(" (%s:%d)", f.Position.Filename, f.Position.Line)
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, " → ")
}

func fixedIn(v string) string {
	if v == "" {
		return "no fixed version"
	}
	return "fixed in " + v
}
