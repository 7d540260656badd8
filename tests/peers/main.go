// Command peer speaks freightdeck's own line protocols (`eval --jsonl`,
// `condition --jsonl`) with the real upstream implementations behind them:
// expr-lang/expr, Argo Rollouts' utils/evaluate and Kargo's pkg/expressions.
// It is a test oracle only; see tests/peers/README.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"github.com/argoproj/argo-rollouts/utils/evaluate"
	"github.com/sirupsen/logrus"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "version" {
		fmt.Println(exprVersion)
		return
	}
	if len(os.Args) == 2 && os.Args[1] == "bench" {
		bench()
		return
	}
	if len(os.Args) != 3 || os.Args[2] != "--jsonl" {
		fmt.Fprintln(os.Stderr, "usage: peer eval|condition --jsonl < lines")
		os.Exit(2)
	}
	var handle func([]byte) []byte
	switch os.Args[1] {
	case "eval":
		handle = evalLine
	case "condition":
		handle = conditionLine
	default:
		fmt.Fprintf(os.Stderr, "peer: unknown command %q\n", os.Args[1])
		os.Exit(2)
	}
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	for {
		line, err := in.ReadBytes('\n')
		line = bytes.TrimRight(line, "\r\n")
		if len(line) > 0 {
			out.Write(handle(line))
			out.WriteByte('\n')
			// Each answer is out before the next case starts: difftest
			// takes the case after the last answer for the one that hung
			// or crashed, and restarts the peer after it.
			out.Flush()
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "peer:", err)
			os.Exit(1)
		}
	}
}

// ---- JSON in: the same typing rules as freightdeck's fd_expr_from_json ----

func decode(line []byte) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader(line))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

func specialFloat(m map[string]any) (float64, bool) {
	if len(m) != 1 {
		return 0, false
	}
	s, ok := m["$float"].(string)
	if !ok {
		return 0, false
	}
	switch s {
	case "NaN":
		return math.NaN(), true
	case "+Inf", "Inf":
		return math.Inf(1), true
	case "-Inf":
		return math.Inf(-1), true
	}
	return 0, false
}

// fromJSON converts a UseNumber-decoded value: a number without '.', 'e'
// or 'E' is an int unless floats is set; {"$float": ...} is a special float.
func fromJSON(v any, floats bool) any {
	switch x := v.(type) {
	case json.Number:
		s := string(x)
		if !floats && !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return int(i)
			}
		}
		f, _ := strconv.ParseFloat(s, 64)
		return f
	case map[string]any:
		if f, ok := specialFloat(x); ok {
			return f
		}
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = fromJSON(e, floats)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = fromJSON(e, floats)
		}
		return a
	}
	return v
}

// prometheusResult types env.result as Argo's Prometheus provider hands it
// over: a number is a float64, an array of numbers a []float64.
func prometheusResult(v any) any {
	if a, ok := v.([]any); ok {
		f := make([]float64, len(a))
		for i, e := range a {
			x, ok := fromJSON(e, true).(float64)
			if !ok {
				return fromJSON(v, true)
			}
			f[i] = x
		}
		return f
	}
	return fromJSON(v, true)
}

// ---- JSON out: freightdeck's `eval` output contract ----

func encode(b *bytes.Buffer, v any) {
	if v == nil {
		b.WriteString("null")
		return
	}
	switch x := v.(type) {
	case time.Duration:
		fmt.Fprintf(b, `{"$duration":%d}`, int64(x))
		return
	case time.Time:
		b.WriteString(`{"$time":`)
		writeString(b, x.Format(time.RFC3339Nano))
		b.WriteByte('}')
		return
	case *time.Location:
		b.WriteString(`{"$location":`)
		writeString(b, x.String())
		b.WriteByte('}')
		return
	}
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Bool:
		b.WriteString(strconv.FormatBool(r.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.WriteString(strconv.FormatInt(r.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		b.WriteString(strconv.FormatUint(r.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		f := r.Float()
		switch {
		case math.IsNaN(f):
			b.WriteString(`{"$float":"NaN"}`)
		case math.IsInf(f, 1):
			b.WriteString(`{"$float":"+Inf"}`)
		case math.IsInf(f, -1):
			b.WriteString(`{"$float":"-Inf"}`)
		default:
			s := strconv.FormatFloat(f, 'g', -1, 64)
			if !strings.ContainsAny(s, ".e") {
				s += ".0"
			}
			b.WriteString(s)
		}
	case reflect.String:
		writeString(b, r.String())
	case reflect.Slice, reflect.Array:
		if r.Kind() == reflect.Slice && r.IsNil() && r.Type().Elem().Kind() != reflect.Uint8 {
			b.WriteString("null")
			return
		}
		if r.Type().Elem().Kind() == reflect.Uint8 {
			// []byte: a bytes literal; freightdeck holds it as a string.
			writeString(b, string(r.Bytes()))
			return
		}
		b.WriteByte('[')
		for i := 0; i < r.Len(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			encode(b, r.Index(i).Interface())
		}
		b.WriteByte(']')
	case reflect.Map:
		if r.IsNil() {
			b.WriteString("null")
			return
		}
		type kv struct {
			key  string
			val  any
			text string
		}
		var items []kv
		allStrings := true
		// MapRange, not MapIndex: a NaN key finds no entry by lookup.
		for it := r.MapRange(); it.Next(); {
			k := it.Key()
			var kb bytes.Buffer
			encode(&kb, k.Interface())
			if k.Kind() != reflect.String && !(k.Kind() == reflect.Interface && k.Elem().Kind() == reflect.String) {
				allStrings = false
			}
			items = append(items, kv{key: fmt.Sprint(k.Interface()), val: it.Value().Interface(), text: kb.String()})
		}
		if allStrings {
			sort.Slice(items, func(i, j int) bool { return items[i].key < items[j].key })
			b.WriteByte('{')
			for i, it := range items {
				if i > 0 {
					b.WriteByte(',')
				}
				writeString(b, it.key)
				b.WriteByte(':')
				encode(b, it.val)
			}
			b.WriteByte('}')
			return
		}
		// Keys of other types: {"$map": [[key, value], ...]} ordered by the
		// key's JSON text, then the value's (distinct keys can print alike:
		// *time.Location pointers), so both sides print the same line.
		vals := make([]string, len(items))
		for i, it := range items {
			var vb bytes.Buffer
			encode(&vb, it.val)
			vals[i] = vb.String()
			items[i].key = vals[i]
		}
		sort.Slice(items, func(i, j int) bool {
			if items[i].text != items[j].text {
				return items[i].text < items[j].text
			}
			return items[i].key < items[j].key
		})
		b.WriteString(`{"$map":[`)
		for i, it := range items {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('[')
			b.WriteString(it.text)
			b.WriteByte(',')
			b.WriteString(it.key)
			b.WriteByte(']')
		}
		b.WriteString("]}")
	case reflect.Pointer, reflect.Interface:
		if r.IsNil() {
			b.WriteString("null")
			return
		}
		encode(b, r.Elem().Interface())
	case reflect.Func:
		b.WriteString("null")
	default:
		b.WriteString(`{"$go":`)
		writeString(b, fmt.Sprintf("%T %v", v, v))
		b.WriteByte('}')
	}
}

func writeString(b *bytes.Buffer, s string) {
	var t bytes.Buffer
	e := json.NewEncoder(&t)
	e.SetEscapeHTML(false)
	e.Encode(s)
	b.Write(bytes.TrimRight(t.Bytes(), "\n"))
}

func errorLine(msg string) []byte {
	var b bytes.Buffer
	b.WriteString(`{"ok": false, "error": `)
	writeString(&b, msg)
	b.WriteByte('}')
	return b.Bytes()
}

// ---- eval --jsonl ----

func evalLine(line []byte) (out []byte) {
	defer func() {
		if r := recover(); r != nil {
			out = errorLine(fmt.Sprintf("peer: panic: %v", r))
		}
	}()
	in, err := decode(line)
	if err != nil {
		return errorLine("invalid input line: " + err.Error())
	}
	src, ok := in["expr"].(string)
	if !ok {
		return errorLine(`invalid input line: "expr" must be a string`)
	}
	mode := "expr"
	if m, ok := in["mode"].(string); ok {
		mode = m
	}
	rawEnv, _ := in["env"].(map[string]any)
	var v any
	switch mode {
	case "expr":
		env := map[string]any{}
		for k, e := range rawEnv {
			env[k] = fromJSON(e, false)
		}
		v, err = evalExpr(src, env)
	case "argo", "argo-web":
		var result any
		if r, ok := rawEnv["result"]; ok {
			if mode == "argo" {
				result = prometheusResult(r)
			} else {
				result = fromJSON(r, true)
			}
		}
		v, err = evaluate.EvalCondition(result, src)
	case "kargo", "kargo-template":
		env := map[string]any{}
		for k, e := range rawEnv {
			env[k] = fromJSON(e, false)
		}
		v, err = evalKargo(mode, src, env)
	default:
		return errorLine(`invalid input line: "mode" must be one of expr, argo, argo-web, kargo, kargo-template`)
	}
	if err != nil {
		return errorLine(err.Error())
	}
	var b bytes.Buffer
	b.WriteString(`{"ok": true, "value": `)
	encode(&b, v)
	b.WriteByte('}')
	return b.Bytes()
}

// ---- condition --jsonl ----

func numberish(v any) bool {
	switch x := v.(type) {
	case json.Number:
		return true
	case string:
		return x == "NaN" || x == "+Inf" || x == "-Inf" || x == "Inf"
	case map[string]any:
		_, ok := specialFloat(x)
		return ok
	}
	return false
}

func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(x, 64)
		return f, err == nil && x != ""
	case map[string]any:
		return specialFloat(x)
	}
	return 0, false
}

func conditionLine(line []byte) (out []byte) {
	answer := func(phase v1alpha1.AnalysisPhase, msg string) []byte {
		var b bytes.Buffer
		b.WriteString(`{"phase":`)
		writeString(&b, string(phase))
		b.WriteString(`,"message":`)
		writeString(&b, msg)
		b.WriteByte('}')
		return b.Bytes()
	}
	defer func() {
		if r := recover(); r != nil {
			out = answer("Panic", fmt.Sprint(r))
		}
	}()
	in, err := decode(line)
	if err != nil {
		return answer("", "not JSON: "+err.Error())
	}
	str := func(k string) string { s, _ := in[k].(string); return s }
	metric := v1alpha1.Metric{SuccessCondition: str("successCondition"), FailureCondition: str("failureCondition")}
	rtype := str("resultType")
	raw, present := in["result"]
	if rtype == "" || rtype == "auto" {
		switch {
		case numberish(raw):
			rtype = "scalar"
		case raw == nil:
			rtype = "json"
		default:
			rtype = "json"
			if a, ok := raw.([]any); ok {
				rtype = "vector"
				for _, e := range a {
					if !numberish(e) {
						rtype = "json"
					}
				}
			}
		}
	}
	var result any
	switch rtype {
	case "scalar":
		if raw == nil {
			result = (*float64)(nil)
		} else if f, ok := asFloat(raw); ok {
			result = f
		} else {
			return answer("", "a scalar result must be a number")
		}
	case "vector":
		if raw == nil {
			result = []float64(nil)
		} else if a, ok := raw.([]any); ok {
			f := make([]float64, len(a))
			for i, e := range a {
				if f[i], ok = asFloat(e); !ok {
					return answer("", "a vector result must be an array of numbers")
				}
			}
			result = f
		} else {
			return answer("", "a vector result must be an array of numbers")
		}
	case "json":
		if present {
			result = fromJSON(raw, true)
		}
	default:
		return answer("", "bad resultType")
	}
	phase, err := evaluate.EvaluateResult(result, metric, *logrus.NewEntry(logrus.New()))
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	return answer(phase, msg)
}
