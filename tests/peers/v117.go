//go:build !expr115

package main

import (
	"errors"
	"strconv"

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

func evalKargo(mode, src string, env map[string]any) (any, error) {
	if mode == "kargo-template" {
		return expressions.EvaluateTemplate(src, env)
	}
	program, err := expr.Compile(src, kargoFunc("quote"), kargoFunc("unsafeQuote"),
		kargoFunc("asYAML"), kargoFunc("asJSON"))
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
