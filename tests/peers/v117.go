//go:build !expr115

package main

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/Masterminds/semver/v3"
	"github.com/akuity/kargo/pkg/expressions"
	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"
)

const exprVersion = "1.17"

// kargoFunc reaches one of the functions Kargo registers for its templates
// (quote, unsafeQuote, asJSON, asYAML: unexported in pkg/expressions)
// through Kargo's own EvaluateTemplate: ${{ quote(f(v)) }} is a Go %q
// string that Kargo strips of its quotes, and strconv.Unquote restores f's
// exact string.
func kargoFunc(name string) expr.Option {
	return expr.Function(name, func(a ...any) (any, error) {
		tmpl := "${{ quote(" + name + "(v)) }}"
		if name == "quote" {
			tmpl = "${{ quote(v) }}"
		}
		r, err := expressions.EvaluateTemplate(tmpl, map[string]any{"v": a[0]})
		if err != nil {
			var fe *file.Error
			if errors.As(err, &fe) {
				return nil, errors.New(fe.Message)
			}
			return nil, err
		}
		s, _ := r.(string)
		if name == "quote" {
			return `"` + s + `"`, nil
		}
		return strconv.Unquote(`"` + s + `"`)
	}, new(func(any) string))
}

// semverFuncs are Kargo's semverDiff and semverParse. Kargo defines them in
// pkg/expressions/function, which cannot be built here (it imports the
// unserved api module), so the peer declares them with the same Go
// signatures and contract over the same library Kargo calls,
// github.com/Masterminds/semver/v3 v3.4.0: expr checks and runs them as in
// Kargo, and the parsing, the methods of *semver.Version and the library's
// errors are the real ones.
func semverFuncs() []expr.Option {
	return []expr.Option{
		expr.Function("semverDiff", func(a ...any) (any, error) {
			if len(a) != 2 {
				return nil, fmt.Errorf("expected 2 arguments, got %d", len(a))
			}
			s1, ok := a[0].(string)
			if !ok {
				return nil, fmt.Errorf("first argument must be string, got %T", a[0])
			}
			s2, ok := a[1].(string)
			if !ok {
				return nil, fmt.Errorf("second argument must be string, got %T", a[1])
			}
			v1, err1 := semver.NewVersion(s1)
			v2, err2 := semver.NewVersion(s2)
			switch {
			case err1 != nil || err2 != nil:
				return "Incomparable", nil
			case v1.Major() != v2.Major():
				return "Major", nil
			case v1.Minor() != v2.Minor():
				return "Minor", nil
			case v1.Patch() != v2.Patch():
				return "Patch", nil
			case v1.Metadata() != v2.Metadata():
				return "Metadata", nil
			}
			return "None", nil
		}, new(func(string, string) string)),
		expr.Function("semverParse", func(a ...any) (any, error) {
			if len(a) != 1 {
				return nil, fmt.Errorf("expected 1 argument, got %d", len(a))
			}
			s, ok := a[0].(string)
			if !ok {
				return nil, fmt.Errorf("argument must be string, got %T", a[0])
			}
			v, err := semver.NewVersion(s)
			if err != nil {
				return nil, fmt.Errorf("invalid semantic version: %w", err)
			}
			return v, nil
		}, new(func(string) *semver.Version)),
	}
}

func evalKargo(mode, src string, env map[string]any) (any, error) {
	if mode == "kargo-template" {
		return expressions.EvaluateTemplate(src, env, semverFuncs()...)
	}
	opts := append([]expr.Option{kargoFunc("quote"), kargoFunc("unsafeQuote"),
		kargoFunc("asYAML"), kargoFunc("asJSON")}, semverFuncs()...)
	program, err := expr.Compile(src, opts...)
	if err != nil {
		return nil, err
	}
	return expr.Run(program, env)
}

func evalExpr(src string, env map[string]any) (any, error) {
	program, err := expr.Compile(src, expr.Env(env))
	if err != nil {
		return nil, err
	}
	return expr.Run(program, env)
}

// compileForBench compiles once against env; the function runs it as Argo
// does (expr.Run: a new VM per call).
func compileForBench(src string, env map[string]any) (func() (any, error), error) {
	program, err := expr.Compile(src, expr.Env(env))
	if err != nil {
		return nil, err
	}
	return func() (any, error) { return expr.Run(program, env) }, nil
}
