// Command argo-peer runs Argo Rollouts' own analysis code beside
// freightdeck and prints TAP (tests/peers/README):
//
//   - replay: the real analysis controller (analysis.NewController, driven
//     through its fake clientsets and a fake clock) measures generated
//     AnalysisRuns against a local Prometheus whose answers follow a script;
//     `freightdeck analyze --replay` of each recorded run must give the same
//     phase and message for every metric and for the run (and the same
//     counters);
//   - prometheus: Argo's metricproviders/prometheus provider and
//     `freightdeck analyze` measure the same canned HTTP answers; phase,
//     value, message and warnings must match.
//
// It is a test oracle only: no upstream source is copied, the upstream
// packages are called.
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	log "github.com/sirupsen/logrus"
	"k8s.io/klog/v2"
)

var (
	fdBin     string
	show      int
	known     = map[string]bool{}
	knownUsed = map[string]bool{}
	allKeys   []string
)

// caseKey names a case in the known-differences file: the check and the
// case's own text, hashed.
func caseKey(check, text string) string {
	h := sha256.Sum256([]byte(check + "\x00" + text))
	return check + " " + hex.EncodeToString(h[:12])
}

type tally struct {
	name                 string
	cases, diffs, listed int
	skipped              int
	shown                int
	crashed              int
	off                  bool // not asked for (-replay 0, -prometheus 0)
}

// difference reports one case that differs; listed ones do not fail.
func (t *tally) difference(key, what, in, ours, theirs string) {
	allKeys = append(allKeys, key)
	if known[key] {
		knownUsed[key] = true
		t.listed++
		return
	}
	t.diffs++
	if t.shown < show {
		t.shown++
		fmt.Printf("# --- difference %s (%s)\n#   in:          %s\n#   freightdeck: %s\n#   argo:        %s\n",
			key, what, oneLine(in), oneLine(ours), oneLine(theirs))
	}
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 2000 {
		s = s[:2000] + "..."
	}
	return s
}

func (t *tally) report(num int) bool {
	if t.off {
		fmt.Printf("ok %d - %s # SKIP not asked for\n", num, t.name)
		return true
	}
	agree := 100.0
	if t.cases > 0 {
		agree = 100 * float64(t.cases-t.diffs-t.listed) / float64(t.cases)
	}
	extra := ""
	if t.listed > 0 {
		extra += fmt.Sprintf(", %d listed in known-differences", t.listed)
	}
	if t.skipped > 0 {
		extra += fmt.Sprintf(", %d not comparable (see the notes)", t.skipped)
	}
	if t.diffs > 0 || t.crashed > 0 || t.cases == 0 {
		fmt.Printf("not ok %d - %s: %d of %d cases differ (agreement %.2f%%)%s, %d crashes of freightdeck\n",
			num, t.name, t.diffs, t.cases, agree, extra, t.crashed)
		return false
	}
	fmt.Printf("ok %d - %s: %d cases (agreement %.2f%%)%s\n", num, t.name, t.cases, agree, extra)
	return true
}

func readKnown(path string) {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "argo-peer:", err)
		os.Exit(2)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		known[line] = true
	}
}

func writeKnown(path string) {
	sort.Strings(allKeys)
	var b strings.Builder
	b.WriteString("# tests/peers/argo-known-differences: cases of the seed-1 argo-peer run (make check)\n")
	b.WriteString("# where freightdeck still differs from Argo Rollouts' own code, by check and key\n")
	b.WriteString("# (sha256 of the case). Rewritten by make argo-known; the reasons are in\n")
	b.WriteString("# doc/upstream.md (\"The analysis peers\").\n")
	for _, k := range allKeys {
		b.WriteString(k + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "argo-peer:", err)
		os.Exit(1)
	}
}

func main() {
	fd := flag.String("fd", "", "the freightdeck program")
	nReplay := flag.Int("replay", 300, "generated AnalysisRuns to replay")
	nProm := flag.Int("prometheus", 600, "generated Prometheus answers")
	seed := flag.Int64("seed", 1, "generator seed")
	flag.IntVar(&show, "show", 10, "differences shown per check")
	knownFile := flag.String("known", "", "file of known differences: only others fail")
	write := flag.String("write-known", "", "write the keys of every difference found to this file")
	keep := flag.String("keep", "", "keep the generated runs and templates in this folder")
	flag.Parse()
	if *fd == "" {
		fmt.Fprintln(os.Stderr, "usage: argo-peer -fd FREIGHTDECK [-replay N] [-prometheus N] [-seed S] [-known FILE]")
		os.Exit(2)
	}
	fdBin = *fd
	if *knownFile != "" {
		readKnown(*knownFile)
	}
	// The controller and the provider log every step; the peer prints TAP.
	log.SetOutput(io.Discard)
	log.SetLevel(log.PanicLevel)
	klog.SetOutput(io.Discard)
	klog.LogToStderr(false)

	dir := *keep
	if dir == "" {
		d, err := os.MkdirTemp("", "argo-peer-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "argo-peer:", err)
			os.Exit(1)
		}
		defer os.RemoveAll(d)
		dir = d
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "argo-peer:", err)
		os.Exit(1)
	}

	fmt.Println("1..2")
	ok := true
	r := replayDiff(dir, *nReplay, *seed)
	ok = r.report(1) && ok
	p := promDiff(dir, *nProm, *seed)
	ok = p.report(2) && ok
	if stale := len(known) - len(knownUsed); stale > 0 {
		fmt.Printf("# %d listed known differences now agree: shrink the list (make argo-known)\n", stale)
	}
	if *write != "" {
		writeKnown(*write)
	}
	if !ok {
		os.Exit(1)
	}
}
