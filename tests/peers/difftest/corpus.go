package main

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// The env of expr-lang's fuzz corpus (test/fuzz/fuzz_env.go) as far as JSON
// can hold it; lines that call its Go functions or methods are left out.
const fuzzEnv = `{"ok": true, "f64": 0.5, "f32": 0.5, "i": 1, "i64": 1, "i32": 1, "array": [1, 2, 3, 4, 5], "list": [{"Bar": "bar"}, {"Bar": "baz"}], "foo": {"Bar": "bar"}}`

var fuzzFuncs = regexp.MustCompile(`\b(add|div|half|score|greet|fn|Qux|String|now)\b`)

// A Kargo-like env for the template strings of Kargo's tests.
const kargoEnv = `{"vars": {"foo": "bar", "replicas": 3, "url": "https://example.com", "list": [1, 2]}, "ctx": {"project": "p", "stage": "s"}, "outputs": {"step": {"tag": "v1.2.3", "commit": "abc123"}}, "secrets": {"x": {"k": "v"}}, "foo": "bar", "bar": 42, "baz": true, "quxx": null}`

var argoResults = []string{`"result": 0.97`, `"result": [0.97]`, `"result": []`, `"result": [0.2, 0.99]`, `"result": {"$float": "NaN"}`}
var webResults = []string{`"result": {"data": {"value": 1.5}, "status": "ok"}`, `"result": [{"a": 1}]`, `"result": 3`, `"result": null`}

// stringLits returns the string literals of a Go file.
func stringLits(path string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		return nil, err
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				out = append(out, s)
			}
		}
		return true
	})
	return out, nil
}

// extractCorpus writes eval and condition lines drawn from the upstream
// modules' own tests: expr-lang's fuzz corpus, Argo Rollouts' conditions,
// Kargo's templates.
func extractCorpus(out string, dirs []string) error {
	if len(dirs) != 3 {
		return fmt.Errorf("-extract needs three folders: expr-lang, argo-rollouts, kargo")
	}
	exprDir, argoDir, kargoDir := dirs[0], dirs[1], dirs[2]
	seen := map[string]bool{}
	var lines []string
	add := func(l string) {
		if !seen[l] {
			seen[l] = true
			lines = append(lines, l)
		}
	}
	f, err := os.Open(filepath.Join(exprDir, "test/fuzz/fuzz_corpus.txt"))
	if err != nil {
		return err
	}
	s := bufio.NewScanner(f)
	for s.Scan() {
		e := s.Text()
		if e == "" || fuzzFuncs.MatchString(e) {
			continue
		}
		add(fmt.Sprintf(`{"mode": "expr", "expr": %s, "env": %s}`, jsonString(e), fuzzEnv))
	}
	f.Close()

	argoFiles := []string{"utils/evaluate/evaluate_test.go", "metricproviders/prometheus/prometheus_test.go",
		"metricproviders/webmetric/webmetric_test.go", "analysis/analysis_test.go", "utils/analysis/helpers_test.go"}
	for _, name := range argoFiles {
		lits, err := stringLits(filepath.Join(argoDir, name))
		if err != nil {
			return err
		}
		for _, l := range lits {
			if !strings.Contains(l, "result") || len(l) > 300 || strings.ContainsAny(l, "\n") {
				continue
			}
			for _, r := range argoResults {
				add(fmt.Sprintf(`{"mode": "argo", "expr": %s, "env": {%s}}`, jsonString(l), r))
				add(fmt.Sprintf(`{"successCondition": %s, %s}`, jsonString(l), r))
				add(fmt.Sprintf(`{"failureCondition": %s, %s}`, jsonString(l), r))
			}
			for _, r := range webResults {
				add(fmt.Sprintf(`{"mode": "argo-web", "expr": %s, "env": {%s}}`, jsonString(l), r))
			}
		}
	}

	for _, name := range []string{"pkg/expressions/json_templates_test.go", "pkg/expressions/function/functions_test.go"} {
		lits, err := stringLits(filepath.Join(kargoDir, name))
		if err != nil {
			return err
		}
		for _, l := range lits {
			if strings.Contains(l, "${{") || strings.Contains(l, "${%") {
				add(fmt.Sprintf(`{"mode": "kargo-template", "expr": %s, "env": %s}`, jsonString(l), kargoEnv))
			}
		}
	}
	sort.Strings(lines[0:0])
	return os.WriteFile(out, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
}
