package main

import (
	"fmt"
	"math"
	"os"
	"time"

	"github.com/argoproj/argo-rollouts/utils/evaluate"
)

// bench measures the conditions of bench/bench_expr.c with the real
// code: a compiled program run against Argo's env (expr.Run, a new VM per
// call, as Argo and Kargo run it), and Argo's own EvalCondition, which
// compiles and runs on every measurement. Prints "name value unit" lines.
func bench() {
	one := []float64{0.97}
	ten := []float64{0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99, 0.999}
	cases := []struct {
		name, expr string
		result     []float64
	}{
		{"ge_095", "result[0] >= 0.95", one},
		{"lt_005", "result[0] < 0.05", one},
		{"all_10", "all(result, {# > 0.9})", ten},
		{"len_and_or_isnan", "len(result) > 0 && result[0] >= 0.95 || isNaN(result[0])", one},
		{"zone_add", `date("2024-03-31 01:30", "2006-01-02 15:04", "Europe/Berlin").Add(duration("1h")).Hour() == 3 && result[0] > 0.9`, one},
	}
	for _, c := range cases {
		env := map[string]any{"result": c.result, "isNaN": math.IsNaN}
		run, err := compileForBench(c.expr, env)
		if err != nil {
			fmt.Fprintln(os.Stderr, c.name+":", err)
			os.Exit(1)
		}
		best := math.Inf(1)
		for rep := 0; rep < 3; rep++ {
			const iters = 300000
			t0 := time.Now()
			for i := 0; i < iters; i++ {
				if _, err := run(); err != nil {
					fmt.Fprintln(os.Stderr, c.name+":", err)
					os.Exit(1)
				}
			}
			best = math.Min(best, float64(time.Since(t0).Nanoseconds())/iters)
		}
		fmt.Printf("go_expr_run_%s %.1f ns\n", c.name, best)
		best = math.Inf(1)
		for rep := 0; rep < 3; rep++ {
			const iters = 20000
			t0 := time.Now()
			for i := 0; i < iters; i++ {
				if _, err := evaluate.EvalCondition(c.result, c.expr); err != nil {
					fmt.Fprintln(os.Stderr, c.name+":", err)
					os.Exit(1)
				}
			}
			best = math.Min(best, float64(time.Since(t0).Nanoseconds())/iters)
		}
		fmt.Printf("go_expr_compile_run_%s %.1f ns\n", c.name, best)
	}
}
