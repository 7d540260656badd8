// Command difftest feeds the same cases to freightdeck and to the upstream
// peers (tests/peers) and reports every difference in value, type,
// ok/error and, where Argo Rollouts or Kargo show it to users, the error
// message. It prints TAP. See tests/peers/README.
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

func writeJSONString(b *strings.Builder, s string) {
	var t bytes.Buffer
	e := json.NewEncoder(&t)
	e.SetEscapeHTML(false)
	e.Encode(s)
	b.Write(bytes.TrimRight(t.Bytes(), "\n"))
}

func main() {
	fd := flag.String("fd", "", "the freightdeck program")
	peers := flag.String("peers", "", "the folder of the built peers")
	n := flag.Int("n", 20000, "cases per expr version")
	seed := flag.Int64("seed", 1, "generator seed")
	versions := flag.String("versions", "1.17,1.15", "expr versions to compare")
	show := flag.Int("show", 10, "differences shown per check")
	todo := flag.String("todo", "", "mark failures as TAP TODO with this reason (known, open differences)")
	knownFile := flag.String("known", "", "file of known differences (case keys): only others fail")
	writeKnown := flag.String("write-known", "", "write the keys of every difference found to this file")
	flag.DurationVar(&stall, "stall", stall, "how long one case may go unanswered before its program counts as hung")
	extract := flag.String("extract", "", "write the upstream corpus to this file and exit; args: expr-dir argo-dir kargo-dir")
	flag.Parse()
	if *extract != "" {
		if err := extractCorpus(*extract, flag.Args()); err != nil {
			fmt.Fprintln(os.Stderr, "difftest:", err)
			os.Exit(1)
		}
		return
	}
	todoReason = *todo
	if *knownFile != "" {
		readKnown(*knownFile)
	}
	corpus := readCorpus(filepath.Join(*peers, "corpus.jsonl"))
	vs := strings.Split(*versions, ",")
	fmt.Printf("1..%d\n", 2*len(vs))
	failed := false
	num := 0
	for _, v := range vs {
		peer := filepath.Join(*peers, "peer-"+v)
		modes := []string{"expr", "argo", "argo-web", "kargo", "kargo-template"}
		if v == "1.15" {
			modes = modes[:3]
		}
		g := &gen{r: rand.New(rand.NewSource(*seed))}
		var evals, conds []string
		for _, c := range corpus {
			if c.kind == "eval" && contains(modes, c.mode) || c.kind == "condition" {
				if c.kind == "eval" {
					evals = append(evals, c.line)
				} else {
					conds = append(conds, c.line)
				}
			}
		}
		// The corpus takes at most a third of the budget; generated cases fill
		// the rest, one in ten a condition.
		evals = sample(g.r, evals, *n/3)
		conds = sample(g.r, conds, *n/30)
		for len(evals)+len(conds) < *n {
			if g.r.Intn(10) == 0 {
				conds = append(conds, g.conditionCase())
			} else {
				evals = append(evals, g.evalCase(modes))
			}
		}
		if v == "1.17" {
			// Kargo's semver functions, from their own source of randomness
			// so that the cases above stay those of the seed.
			evals = append(evals, semverCases(rand.New(rand.NewSource(*seed+1)), *n/40)...)
			// Kargo's asYAML of nested values of odd strings, likewise.
			evals = append(evals, yamlCases(rand.New(rand.NewSource(*seed+4)), *n/100)...)
		}
		// Sorts of many repeated keys, from a source of their own too.
		evals = append(evals, sortCases(rand.New(rand.NewSource(*seed+2)), *n/40, v == "1.15")...)
		// Env names that are builtins' (in mode expr, the only one whose env
		// is the user's), from a source of their own.
		evals = append(evals, shadowCases(rand.New(rand.NewSource(*seed+3)), *n/100)...)
		// Wall clocks and instants in zones with changing offsets, 1800 to
		// 2300, and number texts as strconv.ParseFloat reads them.
		evals = append(evals, zoneCases(rand.New(rand.NewSource(*seed+5)), *n/100)...)
		evals = append(evals, numberTextCases(rand.New(rand.NewSource(*seed+6)), *n/200)...)
		// Values of odd Go kinds where the checker cannot see them, in
		// mode expr and (v1.17, Kargo's versions) kargo.
		evals = append(evals, kindCases(rand.New(rand.NewSource(*seed+7)), *n/100, false)...)
		if v == "1.17" {
			evals = append(evals, kindCases(rand.New(rand.NewSource(*seed+8)), *n/100, true)...)
		}
		fdArgs := []string{}
		if v != "1.17" {
			fdArgs = []string{"--expr-version", v}
		}
		num++
		if !check(num, "eval", v, *fd, fdArgs, peer, evals, *show, compareEval) {
			failed = true
		}
		num++
		if !check(num, "condition", v, *fd, fdArgs, peer, conds, *show, compareCondition) {
			failed = true
		}
	}
	if *writeKnown != "" {
		sort.Strings(found)
		text := "# tests/peers/known-differences: cases of the seed-1 difftest (make check) where\n" +
			"# freightdeck still differs from the upstream peers (issue 11). One key per line:\n" +
			"# sha256 of version, protocol and case. Rewritten by make difftest-known; a fix\n" +
			"# removes lines, a new difference fails the test.\n" + strings.Join(found, "\n") + "\n"
		if err := os.WriteFile(*writeKnown, []byte(text), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "difftest:", err)
			os.Exit(1)
		}
	}
	if failed && (todoReason == "" || crashed) {
		os.Exit(1)
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

func sample(r *rand.Rand, xs []string, k int) []string {
	if len(xs) <= k {
		return xs
	}
	out := append([]string(nil), xs...)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out[:k]
}

// stall: how long one case may go unanswered before its program counts as
// hung (-stall), killed, and the case answers hungAnswer.
var stall = 2 * time.Minute

// run feeds lines to one program and returns its output lines.
func run(prog string, args []string, input []byte) ([]string, error) {
	cmd := exec.Command(prog, args...)
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	pipe, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		return nil, err
	}
	got := make(chan string)
	go func() {
		r := bufio.NewReaderSize(pipe, 1<<20)
		for {
			line, rerr := r.ReadString('\n')
			if line != "" {
				got <- strings.TrimRight(line, "\n")
			}
			if rerr != nil {
				close(got)
				return
			}
		}
	}()
	var lines []string
	hung := false
	timer := time.NewTimer(stall)
	for done := false; !done; {
		select {
		case line, ok := <-got:
			if !ok {
				done = true
				break
			}
			lines = append(lines, line)
			timer.Reset(stall)
		case <-timer.C:
			hung = true
			cmd.Process.Kill()
			for line := range got { // what it wrote before it was killed
				lines = append(lines, line)
			}
			done = true
		}
	}
	timer.Stop()
	err = cmd.Wait()
	if hung {
		return lines, hungError(fmt.Sprintf("%s %s: no answer in %v, killed (after %d answers)", prog, strings.Join(args, " "), stall, len(lines)))
	}
	if err != nil {
		// condition --jsonl exits 1 when a line is unreadable: the lines
		// still answer.
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			// Each answer is flushed: the case after the last answer is the
			// one that brought the program down.
			return lines, fmt.Errorf("%s %s: %v: %s (after %d answers)", prog, strings.Join(args, " "), err, firstLine(stderr.String()), len(lines))
		}
	}
	return lines, nil
}

// hungError: the program answered nothing for -stall and was killed.
type hungError string

func (e hungError) Error() string { return string(e) }

// The answers runAll gives a case its program died on, or hung on.
const (
	crashAnswer = `{"crash": true}`
	hungAnswer  = `{"hung": true}`
)

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

type comparer func(in, ours, theirs string) string

var todoReason string

// crashed: a program died; never a TODO, whatever -todo says.
var crashed bool

// runAll answers every case: when the program dies, the case it died on
// answers crashAnswer (hungAnswer when it hung) and the program starts again
// after it; crashes holds what happened, by case index.
func runAll(prog string, args []string, cases []string) ([]string, map[int]string, error) {
	var answers []string
	crashes := map[int]string{}
	for start := 0; start < len(cases); {
		input := []byte(strings.Join(cases[start:], "\n") + "\n")
		lines, err := run(prog, args, input)
		answers = append(answers, lines...)
		if err == nil {
			if len(lines) != len(cases)-start {
				return answers, crashes, fmt.Errorf("%s: %d answers to %d cases", prog, len(lines), len(cases)-start)
			}
			break
		}
		at := start + len(lines)
		if at >= len(cases) {
			return answers, crashes, err
		}
		crashes[at] = fmt.Sprintf("%v: %s", err, cases[at])
		if _, isHung := err.(hungError); isHung {
			answers = append(answers, hungAnswer)
		} else {
			answers = append(answers, crashAnswer)
		}
		start = at + 1
	}
	return answers, crashes, nil
}

func check(num int, what, version, fd string, fdArgs []string, peer string, cases []string, show int, cmp comparer) bool {
	var ours, theirs []string
	var oursCrashed, theirsCrashed map[int]string
	var errOurs, errTheirs error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		ours, oursCrashed, errOurs = runAll(fd, append([]string{what, "--jsonl"}, fdArgs...), cases)
	}()
	go func() {
		defer wg.Done()
		theirs, theirsCrashed, errTheirs = runAll(peer, []string{what, "--jsonl"}, cases)
	}()
	wg.Wait()
	name := fmt.Sprintf("%s --jsonl agrees with the upstream peer on expr %s", what, version)
	for _, err := range []error{errOurs, errTheirs} {
		if err != nil {
			fmt.Printf("not ok %d - %s\n# %v\n", num, name, err)
			crashed = true
			return false
		}
	}
	// Both still running after -stall on the same case (v1.15.5 makes a
	// range of literals once, outside its memory budget:
	// map(1..600000, reduce(1..600000, ...)) runs for hours in Go and
	// here alike): nothing to compare, nothing died.
	bothHung := 0
	for i := range cases {
		if ours[i] == hungAnswer && theirs[i] == hungAnswer {
			delete(oursCrashed, i)
			delete(theirsCrashed, i)
			bothHung++
		}
	}
	for _, c := range oursCrashed {
		fmt.Printf("# freightdeck died: %s\n", c)
	}
	for _, c := range theirsCrashed {
		fmt.Printf("# the peer died: %s\n", c)
	}
	diffs, knownDiffs, knownFixed, unordered, addressed := 0, 0, 0, 0, 0
	for i := range cases {
		key := caseKey(version, what, cases[i])
		why := ""
		if ours[i] == hungAnswer && theirs[i] == hungAnswer {
			continue
		} else if ours[i] == crashAnswer || theirs[i] == crashAnswer || ours[i] == hungAnswer || theirs[i] == hungAnswer {
			why = "crash"
		} else {
			why = cmp(cases[i], ours[i], theirs[i])
			if why != "" && orderless.MatchString(cases[i]) {
				match, random := oneOfUpstream(peer, []string{what, "--jsonl"}, cases[i], ours[i], cmp)
				if match {
					why = ""
				} else if random {
					// a map's order in text (keys($env) in a template):
					// no answer is the upstream one, nothing to compare
					why = ""
					unordered++
				}
			}
			if why != "" && printsAddress(theirs[i]) && sameOK(ours[i], theirs[i]) {
				// fmt's %v of a dereferenced *time.Location ends in the
				// address of its zone cache: no program can print it (a
				// value, or an error's text: both must still be values,
				// or both errors)
				why = ""
				addressed++
			}
		}
		if why != "" {
			found = append(found, key)
		}
		if why != "" && known[key] && why != "crash" {
			knownDiffs++
			continue
		}
		if why == "" && known[key] {
			knownFixed++
		}
		if why != "" {
			if diffs < show {
				fmt.Printf("# --- difference (%s)\n#   in:          %s\n#   freightdeck: %s\n#   upstream:    %s\n", why, cases[i], ours[i], theirs[i])
			}
			diffs++
		}
	}
	if addressed > 0 {
		fmt.Printf("# %d cases not compared: the peer's answer prints a memory address (a time.Location's zone cache, a func) or a time.Location's cache\n", addressed)
	}
	if bothHung > 0 {
		fmt.Printf("# %d cases not compared: both programs still ran after %v (-stall), killed\n", bothHung, stall)
	}
	if unordered > 0 {
		fmt.Printf("# %d cases not compared: the peer's answer follows Go's random map order, differently on each run\n", unordered)
	}
	agree := float64(len(cases)-diffs-knownDiffs) / float64(len(cases)) * 100
	if knownFixed > 0 {
		fmt.Printf("# %d listed known differences now agree: shrink the list (make difftest-known)\n", knownFixed)
	}
	if knownDiffs > 0 {
		name += fmt.Sprintf(" (%d known differences listed)", knownDiffs)
	}
	if len(oursCrashed) > 0 || len(theirsCrashed) > 0 {
		crashed = true
		fmt.Printf("not ok %d - %s: %d of %d cases differ (agreement %.2f%%), %d crashes of freightdeck\n", num, name, diffs, len(cases), agree, len(oursCrashed))
		return false
	}
	if diffs > 0 {
		fmt.Printf("not ok %d - %s: %d of %d cases differ (agreement %.2f%%)%s\n", num, name, diffs, len(cases), agree, todoSuffix())
		return false
	}
	fmt.Printf("ok %d - %s: %d cases (agreement %.2f%%)\n", num, name, len(cases), agree)
	return true
}

// goAddress matches what fmt prints of a pointer: the end of %v of a
// time.Location struct whose cacheZone points somewhere ("...
// 9223372036854775807 0x1153f6a05b80}"), or a func in a map (Argo's env:
// "map[asFloat:0xde6920 ...", with %s "asFloat:%!s(func(interface {})
// float64=0xde6920)").
var goAddress = regexp.MustCompile(`-?[0-9]+ 0x[0-9a-f]{6,}\}|:0x[0-9a-f]{5,}[ \]]|=0x[0-9a-f]{5,}\)`)

// base64Value is the value of an answer that is one string of base64
// (toBase64 of a printed value).
var base64Value = regexp.MustCompile(`"value": "([A-Za-z0-9+/=]{16,})"`)

// locationCache: a *time.Location's struct printed with a verb that is not
// %v (fmt's "%!s(...)" of each field): its cacheStart and cacheEnd, the
// zone period around the moment this process loaded it, and its cacheZone
// follow.
var locationCache = regexp.MustCompile(`%!s\(\*time\.zone=&\{`)

// printsAddress: the answer shows a Go address, itself or through toBase64,
// or a time.Location's cache.
func printsAddress(answer string) bool {
	if goAddress.MatchString(answer) || locationCache.MatchString(answer) {
		return true
	}
	if m := base64Value.FindStringSubmatch(answer); m != nil {
		if b, err := base64.StdEncoding.DecodeString(m[1]); err == nil {
			return goAddress.Match(b)
		}
	}
	return false
}

// sameOK: both answers are values, or both are errors.
func sameOK(ours, theirs string) bool {
	a, errA := decode(ours)
	b, errB := decode(theirs)
	return errA == nil && errB == nil && a["ok"] == b["ok"]
}

func decode(s string) (map[string]any, error) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var m map[string]any
	err := d.Decode(&m)
	return m, err
}

var position = regexp.MustCompile(` \(\d+:\d+\)(\n \| .*)*$`)

// goStack: a panic expr's compiler recovers carries Go's stack trace after
// its message (compiler.Compile: fmt.Errorf("%v\n%s", r, debug.Stack())),
// which names goroutines and addresses: the message before it is compared.
var goStack = regexp.MustCompile(`(?s)\ngoroutine \d+ \[running\]:\n.*$`)

// userMessage: the error text a user of the mode sees. Argo strips the
// position and source excerpt (evaluate.go unwraps *file.Error).
func userMessage(mode, msg string) string {
	if mode == "argo" || mode == "argo-web" {
		return position.ReplaceAllString(msg, "")
	}
	return msg
}

func compareEval(in, ours, theirs string) string {
	i, _ := decode(in)
	o, err1 := decode(ours)
	t, err2 := decode(theirs)
	if err1 != nil || err2 != nil {
		return "unreadable output"
	}
	if o["ok"] != t["ok"] {
		return "ok/error"
	}
	if o["ok"] == false {
		mode, _ := i["mode"].(string)
		if mode == "" || mode == "expr" {
			return "" // plain expr: nobody shows these messages
		}
		om, _ := o["error"].(string)
		tm, _ := t["error"].(string)
		tm = goStack.ReplaceAllString(tm, "")
		if userMessage(mode, om) != userMessage(mode, tm) {
			return "error message"
		}
		return ""
	}
	if why := sameValue(anyKeyOrder(o["value"]), anyKeyOrder(t["value"])); why != "" {
		src, _ := i["expr"].(string)
		if orderless.MatchString(src) && sameUnordered(o["value"], t["value"]) {
			return ""
		}
		return why
	}
	return ""
}

// anyKeyOrder: v with the pairs of every {"$map": [[key, value], ...]}
// ordered by the key's value rather than by its text, which each side
// writes its own way (freightdeck 123456790.0, the peer 1.2345679e+08, which
// sort apart): the same pairs compare equal. Ties keep their order.
func anyKeyOrder(v any) any {
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = anyKeyOrder(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = anyKeyOrder(x[k])
		}
		pairs, ok := x["$map"].([]any)
		if !ok || len(x) != 1 {
			break
		}
		canon := make([]string, len(pairs))
		for i, p := range pairs {
			if kv, ok := p.([]any); ok && len(kv) == 2 {
				canon[i] = canonicalKey(kv[0])
			}
		}
		idx := make([]int, len(pairs))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return canon[idx[a]] < canon[idx[b]] })
		sorted := make([]any, len(pairs))
		for i, j := range idx {
			sorted[i] = pairs[j]
		}
		x["$map"] = sorted
	}
	return v
}

// canonicalKey: one text per key value, whichever side wrote it.
func canonicalKey(k any) string {
	if n, ok := k.(json.Number); ok {
		if strings.ContainsAny(string(n), ".eE") {
			f, _ := strconv.ParseFloat(string(n), 64)
			return "f" + strconv.FormatFloat(f, 'g', -1, 64)
		}
		return "i" + string(n)
	}
	b, _ := json.Marshal(k)
	return "j" + string(b)
}

// sameUnordered: sameValue with every array, at any depth, compared as a
// multiset (a Go map's iteration order is its hash layout's, shifted at
// random: no fixed order can match it).
func sameUnordered(a, b any) bool {
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		used := make([]bool, len(y))
		for _, e := range x {
			found := false
			for j, f := range y {
				if !used[j] && sameUnordered(e, f) {
					used[j], found = true, true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !sameUnordered(v, w) {
				return false
			}
		}
		return true
	default:
		return sameValue(a, b) == ""
	}
}

func compareCondition(in, ours, theirs string) string {
	o, err1 := decode(ours)
	t, err2 := decode(theirs)
	if err1 != nil || err2 != nil {
		return "unreadable output"
	}
	if t["phase"] == "" {
		return "" // the peer refused the line as input; freightdeck's own tests cover that
	}
	if o["phase"] != t["phase"] {
		return "phase"
	}
	return ""
}

// sameValue compares two freightdeck JSON values: ints must be ints, floats
// floats, equal in value.
func sameValue(a, b any) string {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return "type"
		}
		xf := strings.ContainsAny(string(x), ".eE")
		yf := strings.ContainsAny(string(y), ".eE")
		if xf != yf {
			return "type (int/float)"
		}
		if !xf {
			if x != y {
				return "value"
			}
			return ""
		}
		fx, _ := strconv.ParseFloat(string(x), 64)
		fy, _ := strconv.ParseFloat(string(y), 64)
		if fx != fy || math.Signbit(fx) != math.Signbit(fy) {
			return "value"
		}
		return ""
	case []any:
		y, ok := b.([]any)
		if !ok {
			return "type"
		}
		if len(x) != len(y) {
			return "value (length)"
		}
		for i := range x {
			if w := sameValue(x[i], y[i]); w != "" {
				return w
			}
		}
		return ""
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return "type"
		}
		if len(x) != len(y) {
			return "value (keys)"
		}
		for k := range x {
			if _, ok := y[k]; !ok {
				return "value (keys)"
			}
			if w := sameValue(x[k], y[k]); w != "" {
				return w
			}
		}
		return ""
	default:
		if fmt.Sprintf("%T", a) != fmt.Sprintf("%T", b) {
			return "type"
		}
		if a != b {
			return "value"
		}
		return ""
	}
}

type corpusCase struct{ kind, mode, line string }

func readCorpus(path string) []corpusCase {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []corpusCase
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		line := s.Text()
		m, err := decode(line)
		if err != nil {
			continue
		}
		if _, ok := m["expr"]; ok {
			mode, _ := m["mode"].(string)
			out = append(out, corpusCase{"eval", mode, line})
		} else {
			out = append(out, corpusCase{"condition", "", line})
		}
	}
	return out
}

func todoSuffix() string {
	if todoReason == "" {
		return ""
	}
	return " # TODO " + todoReason
}

// orderless: keys(), values() and toPairs() give a Go map's items in
// Go's random iteration order. Such a case agrees when the values agree as
// multisets (sameUnordered), or, where the order reaches text (a template,
// string()), when freightdeck's answer is one of those the peer gives over
// repeated runs (reruns).
var orderless = regexp.MustCompile(`\b(keys|values|toPairs)\b`)

const reruns = 64

// oneOfUpstream: whether any of the peer's answers to reruns runs of the
// case equals ours under cmp, and whether the peer answered differently from
// run to run (its answer then follows Go's random map order).
func oneOfUpstream(peer string, args []string, line, ours string, cmp comparer) (match, random bool) {
	answers, err := run(peer, args, []byte(strings.Repeat(line+"\n", reruns)))
	if err != nil {
		return false, false
	}
	seen := map[string]bool{}
	for _, a := range answers {
		seen[a] = true
		if cmp(line, ours, a) == "" {
			return true, len(seen) > 1
		}
	}
	return false, len(seen) > 1
}

var known = map[string]bool{}
var found []string

func caseKey(version, what, line string) string {
	h := sha256.Sum256([]byte(version + "\x00" + what + "\x00" + line))
	return hex.EncodeToString(h[:12])
}

func readKnown(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "difftest:", err)
		os.Exit(1)
	}
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			known[l] = true
		}
	}
}
