//go:build expr115

package main

import (
	"errors"

	// expr-lang/expr v1.15.5 is this module under its old name; Argo
	// Rollouts v1.9.3 imports it so.
	"github.com/antonmedv/expr"
)

const exprVersion = "1.15"

func evalExpr(src string, env map[string]any) (any, error) {
	program, err := expr.Compile(src, expr.Env(env))
	if err != nil {
		return nil, err
	}
	return expr.Run(program, env)
}

// Kargo never used expr v1.15: its modes have no 1.15 oracle.
func evalKargo(mode, src string, env map[string]any) (any, error) {
	return nil, errors.New("peer: no Kargo on expr 1.15")
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
