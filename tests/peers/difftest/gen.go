package main

import (
	"fmt"
	"math/rand"
	"strconv"
	"strings"
)

// gen writes random expressions from expr-lang's grammar: every operator,
// builtin and syntax form freightdeck claims to support, with operands of
// every type, so both type errors and values are exercised. Deterministic
// for a seed.
type gen struct {
	r     *rand.Rand
	mode  string
	names []string // env names of this case
}

func (g *gen) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }
func (g *gen) chance(p float64) bool    { return g.r.Float64() < p }

var genEnvs = []string{
	`{"i": 3, "j": -2, "f": 0.5, "g": 2.0, "s": "abc", "t": "héllo", "b": true, "n": null, "a": [1, 2, 3], "fa": [0.5, 1.5], "sa": ["b", "a", "c"], "m": {"x": 1, "y": "z", "k": [1, 2]}, "ms": [{"name": "a", "v": 1}, {"name": "b", "v": 2.5}, {"name": "a", "v": 3}], "e": [], "em": {}}`,
	`{"i": 0, "j": 9223372036854775807, "f": -1.25, "g": 1e21, "s": "", "t": "A,b,,C", "b": false, "n": null, "a": [3, 1, 2, 2], "fa": [{"$float": "NaN"}, 1], "sa": ["x"], "m": {"a": {"b": null}}, "ms": [{"name": "z", "v": 0}], "e": [], "em": {}}`,
	`{"i": 7, "j": 2, "f": 2.5, "g": {"$float": "+Inf"}, "s": "2024-01-02T03:04:05Z", "t": "1.5", "b": true, "n": null, "a": [0, -1, 5], "fa": [2.5, -0.5, 0], "sa": ["10", "9", "1"], "m": {"1": "one", "x": [1, "a", null]}, "ms": [], "e": [], "em": {}}`,
}

var genNames = []string{"i", "j", "f", "g", "s", "t", "b", "n", "a", "fa", "sa", "m", "ms", "e", "em"}

func (g *gen) atom() string {
	switch g.r.Intn(12) {
	case 0, 1:
		return g.pick("0", "1", "2", "3", "-1", "10", "100", "42", "1_000", "0x1F", "0o17", "0b101", "9223372036854775807", "-9223372036854775807")
	case 2:
		return g.pick("0.5", "1.0", "2.5", "1e3", ".5", "1e-7", "3.14", "1e21", "123456789.0", "0.0", "-0.0")
	case 3:
		return g.pick(`"a"`, `"abc"`, `""`, `'héllo'`, `"1.5"`, `" 12"`, `"A,b,,C"`, `"ab\nc"`, "`raw`", `"x\ty"`, `"foo"`, `"Foo"`, `"%"`, `"1"`, `"\u00e9"`, `'\''`)
	case 4:
		return g.pick("true", "false", "nil")
	case 5, 6, 7, 8:
		if len(g.names) > 0 {
			return g.names[g.r.Intn(len(g.names))]
		}
		return "1"
	case 9:
		return g.pick("nope", "len", "upper", "$env", "#", "#index", "true", "nil")
	case 10:
		// (1..2000000: past the VM's memory budget, unless an optimizer
		// pass makes no range of it)
		return g.pick("[1, 2, 3]", "[]", `["a", "b"]`, "[1, 2.5, nil]", "{a: 1}", "{}", `{"k": [1]}`, "1..3", "[[1, 2], [3]]", "1..2000000")
	default:
		return g.pick(`duration("1h30m")`, `duration("-1.5s")`, `date("2024-01-02T03:04:05Z")`, `date("2024-02-29", "2006-01-02")`,
			`date("2024-01-02 03:04", "2006-01-02 15:04", "Europe/Berlin")`, `timezone("America/New_York")`, `b'ab'`, `b'\x00\xff'`, `'\x41'`, `B"ab"`)
	}
}

var binOps = []string{"+", "-", "*", "/", "%", "**", "^", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "and", "or",
	"in", "not in", "matches", "not matches", "contains", "startsWith", "endsWith", "??", "..", "not contains"}

var builtins1 = []string{"len", "type", "abs", "ceil", "floor", "round", "int", "float", "string", "trim", "upper", "lower",
	"max", "min", "sum", "mean", "median", "toJSON", "fromJSON", "toBase64", "fromBase64", "first", "last", "keys", "values",
	"toPairs", "fromPairs", "sort", "uniq", "flatten", "reverse", "bitnot", "duration", "date", "timezone", "concat", "join",
	"split", "trimPrefix", "trimSuffix", "isNaN", "isInf", "asInt", "asFloat", "isNil", "quote", "unsafeQuote", "asJSON", "asYAML"}

var builtins2 = []string{"get", "split", "splitAfter", "indexOf", "lastIndexOf", "hasPrefix", "hasSuffix", "repeat", "take",
	"max", "min", "bitand", "bitor", "bitxor", "bitnand", "bitshl", "bitshr", "bitushr", "trim", "trimPrefix", "trimSuffix",
	"join", "concat", "sort", "default", "date", "round", "replace"}

var predBuiltins = []string{"all", "any", "none", "one", "filter", "map", "find", "findIndex", "findLast", "findLastIndex",
	"count", "sum", "groupBy", "sortBy", "reduce", "max", "min", "mean"}

var methods = []string{".Year()", ".Month()", ".Day()", ".Hour()", ".Weekday()", ".Unix()", ".Hours()", ".Minutes()",
	".Seconds()", ".String()", `.Format("2006-01-02 15:04 MST")`, ".UTC()", ".Location()", `.In(timezone("Asia/Tokyo"))`,
	".YearDay()", ".Nanoseconds()", `.Add(duration("1h"))`, ".IsZero()", `.Sub(date("2024-01-01"))`, `.Truncate(duration("1h"))`}

func (g *gen) predicate(d int) string {
	body := g.expr(d)
	if g.chance(0.4) {
		body = g.pick("#", ".name", ".v", "#index", "# > 1", "# % 2", "#.v", "type(#)", "string(#)", ".name == 'a'", "#acc + #", "# ?? 0", "upper(#)")
		if g.chance(0.5) {
			body += " " + g.pick("+", "==", ">", "*", "<") + " " + g.atom()
		}
	}
	if g.chance(0.3) {
		return body // bare predicate
	}
	return "{" + body + "}"
}

func (g *gen) expr(d int) string {
	if d <= 0 || g.chance(0.2) {
		return g.atom()
	}
	d--
	switch g.r.Intn(22) {
	case 0, 1, 2, 3, 4:
		return g.expr(d) + " " + binOps[g.r.Intn(len(binOps))] + " " + g.expr(d)
	case 5:
		op := g.pick("==", "!=", "<", ">", "<=", ">=")
		return g.expr(d) + " " + op + " " + g.expr(d) + " " + g.pick("==", "!=", "<", "<=", ">", ">=") + " " + g.expr(d)
	case 6:
		return g.pick("-", "!", "not ", "+", "- -") + g.expr(d)
	case 7:
		return "(" + g.expr(d) + ")"
	case 8, 9:
		f := builtins1[g.r.Intn(len(builtins1))]
		if g.chance(0.05) && len(g.names) > 0 { // a name of the env, no function
			f = g.names[g.r.Intn(len(g.names))]
		}
		if g.chance(0.03) { // v1.17's ::name(...), the builtin whatever the env holds
			f = "::" + f
		}
		return f + "(" + g.expr(d) + ")"
	case 10:
		f := builtins2[g.r.Intn(len(builtins2))]
		return f + "(" + g.expr(d) + ", " + g.expr(d) + ")"
	case 11, 12:
		f := predBuiltins[g.r.Intn(len(predBuiltins))]
		// (1..600000: under the memory budget, until a map, a filter, a sortBy
		// or a second one makes more)
		coll := g.pick("a", "fa", "sa", "ms", "e", "[1, 2, 3]", "1..4", "[true, false]", "1..2000000", "1..600000", g.expr(d))
		if f == "reduce" && g.chance(0.5) {
			return f + "(" + coll + ", " + g.predicate(d) + ", " + g.atom() + ")"
		}
		return f + "(" + coll + ", " + g.predicate(d) + ")"
	case 13:
		return g.expr(d) + g.pick(".x", ".name", "?.x", "?.k", ".a.b", "?.[0]", "[0]", "[-1]", "[1:]", "[:2]", "[1:2]", "[5]", `["x"]`, "[i]", "[j:]", ".Year()")
	case 14:
		return g.expr(d) + " ? " + g.expr(d) + " : " + g.expr(d)
	case 15:
		return "[" + g.expr(d) + ", " + g.expr(d) + "]"
	case 16:
		return "{" + g.pick("a", `"b"`, "c") + ": " + g.expr(d) + ", " + g.pick("a", "d") + ": " + g.expr(d) + "}"
	case 17:
		v := g.pick("x", "y", "i", "len", "s", "nope")
		return "let " + v + " = " + g.expr(d) + "; " + g.pick(v, v+" + 1", g.expr(d))
	case 18:
		return "if " + g.expr(d) + " { " + g.expr(d) + " } else { " + g.expr(d) + " }"
	case 19:
		return g.expr(d) + " | " + g.pick("len()", "upper()", "filter(# > 1)", "map(# * 2)", "sum()", "string()", "sort()", "first()", "join(',')", "split(',')", "type()")
	case 20:
		recv := g.pick(`date("2024-03-10T12:00:00+02:00")`, `duration("90m")`, `date("2023-12-31T23:59:59Z")`, "g", `timezone("UTC")`)
		if g.chance(0.4) {
			// a method with arguments of any type and number, on a
			// receiver the checker may not know ([x][0] in v1.15)
			if g.chance(0.3) {
				recv = "[" + recv + "][0]"
			}
			args := g.expr(d)
			if g.chance(0.2) {
				args += ", " + g.expr(d)
			}
			return recv + g.pick(".Add", ".Format", ".In", ".Sub", ".AddDate", ".Round", ".Truncate", ".After", ".Year", ".Equal") + "(" + args + ")"
		}
		return recv + methods[g.r.Intn(len(methods))]
	default:
		return g.expr(d) + "; " + g.expr(d)
	}
}

// argoCond is a condition as people write them: mostly a comparison of the
// result, combined with Argo's functions.
func (g *gen) argoCond(d int) string {
	switch g.r.Intn(10) {
	case 0:
		return g.expr(d)
	case 1:
		return g.pick("isNil(result)", "!isNil(result)", "isNaN(result)", "isInf(result)", "isNaN(result[0])", "len(result) == 0",
			"default(result, 0) > 0.5", "asInt(result) == 0", "asFloat(result) > 0.1", "result == nil", "result[0] == nil",
			"all(result, {# > 0.9})", "any(result, # < 0.1)", "max(result) > 0.5", "result.status == 'ok'", "result.data.value > 1")
	default:
		lhs := g.pick("result", "result[0]", "result[1]", "result[-1]", "len(result)", "asFloat(result)", "asInt(result)",
			"default(result, 0)", "result.value", "result?.value", "sum(result)", "mean(result)", "asFloat(result[0])", "float(result)", "int(result[0])")
		c := lhs + " " + g.pick(">=", "<", ">", "<=", "==", "!=") + " " + g.pick("0.95", "0.5", "1", "0", "100", "-1", "nil", `"ok"`, "NaN", g.atom())
		if g.chance(0.3) {
			c += " " + g.pick("&&", "||", "and", "or") + " " + g.argoCond(d-1)
		}
		return c
	}
}

func (g *gen) argoResult() (string, string) {
	switch g.r.Intn(9) {
	case 0:
		return g.pick("0.97", "0.5", "0", "1", "-3.5", `{"$float": "NaN"}`, `{"$float": "+Inf"}`, "100"), "scalar"
	case 1, 2:
		return g.pick("[0.97]", "[0.5, 0.99]", "[]", `[{"$float": "NaN"}]`, "[1, 2, 3]", "[0.01]"), "vector"
	case 3:
		return "null", g.pick("scalar", "vector", "json")
	case 4:
		return g.pick(`{"value": 1.5}`, `{"status": "ok"}`, `{"data": {"value": 2}}`, `"ok"`, "true", `[{"a": 1}]`, `["x"]`), "json"
	default:
		return g.pick("0.97", "[0.97]", "0.05", "[0.05]", "[0.97, 0.5]"), ""
	}
}

func (g *gen) template(d int) string {
	var b strings.Builder
	for k := g.r.Intn(3) + 1; k > 0; k-- {
		b.WriteString(g.pick("", "x-", "v", "a b ", "{", "}", "\"", "1", " "))
		if g.chance(0.85) {
			if g.chance(0.8) {
				b.WriteString("${{ " + g.expr(d) + " }}")
			} else {
				b.WriteString("${% " + g.expr(d) + " %}")
			}
		}
	}
	return b.String()
}

func jsonString(s string) string {
	var b strings.Builder
	writeJSONString(&b, s)
	return b.String()
}

// evalCase draws one `eval --jsonl` line for the modes a peer has.
func (g *gen) evalCase(modes []string) string {
	g.mode = modes[g.r.Intn(len(modes))]
	d := g.r.Intn(4) + 1
	switch g.mode {
	case "argo", "argo-web":
		g.names = []string{"result"}
		res, typ := g.argoResult()
		if g.mode == "argo-web" && typ != "json" && g.chance(0.5) {
			res = g.pick(`{"value": 1.5}`, `{"ok": true}`, `[1, 2]`, `"x"`, `{"data": [{"v": 0.9}]}`)
		}
		return fmt.Sprintf(`{"mode": %q, "expr": %s, "env": {"result": %s}}`, g.mode, jsonString(g.argoCond(d)), res)
	case "kargo-template":
		g.names = genNames
		return fmt.Sprintf(`{"mode": %q, "expr": %s, "env": %s}`, g.mode, jsonString(g.template(d)), genEnvs[g.r.Intn(len(genEnvs))])
	default:
		g.names = genNames
		return fmt.Sprintf(`{"mode": %q, "expr": %s, "env": %s}`, g.mode, jsonString(g.expr(d)), genEnvs[g.r.Intn(len(genEnvs))])
	}
}

func (g *gen) conditionCase() string {
	g.names = []string{"result"}
	res, typ := g.argoResult()
	var parts []string
	if g.chance(0.8) {
		parts = append(parts, `"successCondition": `+jsonString(g.argoCond(2)))
	}
	if g.chance(0.6) {
		parts = append(parts, `"failureCondition": `+jsonString(g.argoCond(2)))
	}
	if typ != "" {
		parts = append(parts, `"resultType": "`+typ+`"`)
	}
	parts = append(parts, `"result": `+res)
	return "{" + strings.Join(parts, ", ") + "}"
}

// semverVersions are the version texts semver cases draw from: valid and
// coerced forms, prerelease ordering, and each way Masterminds/semver
// refuses one (versions past int64 stay out: freightdeck's ints are int64).
var semverVersions = []string{
	"1.2.3", "v1.2.3", "1.2", "v1", "1", "01.2.3", "V1.2.3", "1.2.3-alpha", "1.2.3-alpha.1",
	"1.2.3-alpha.01", "1.2.3-0", "1.2.3-00", "1.2.3+build.5", "1.2.3-rc.1+b", "1.0.0-alpha.beta",
	"1.0.0-beta.11", "1.0.0-beta.2", "1.0.0-rc.1", "1.0.0", "2.0.0", "v2.1.0", "1.10.0",
	"1.2.3.4", "", "abc", "v", "1.2.3-", "1.2.3+", "1..2", "99999999999999999999", "1.2.3-a_b",
	"1.2.3 ", " 1.2.3", "1.2.3-x.-y", "1.2.3--a", "1.2.3+a..b", "1.2.3-alpha+001", "0.0.0",
	"9223372036854775807.1.1", "1.2.3-alpha.2", "1.2.3-alpha.10", "1.2.3-beta",
}

// semverCases draws n `eval --jsonl` lines calling Kargo's semverDiff and
// semverParse and the methods of the version it returns, in mode kargo.
func semverCases(r *rand.Rand, n int) []string {
	methods := []string{"Major()", "Minor()", "Patch()", "Prerelease()", "Metadata()",
		"Original()", "String()", "IncMajor().String()", "IncMinor().String()",
		"IncPatch().String()", "IncPatch().Major()", "IncMinor().Minor()"}
	compare := []string{"LessThan", "LessThanEqual", "GreaterThan", "GreaterThanEqual", "Equal",
		"Compare"}
	pick := func() string { return jsonString(semverVersions[r.Intn(len(semverVersions))])[0:] }
	var out []string
	for len(out) < n {
		a, b := pick(), pick()
		var e string
		switch r.Intn(4) {
		case 0:
			e = "semverDiff(" + a + ", " + b + ")"
		case 1, 2:
			e = "semverParse(" + a + ")." + methods[r.Intn(len(methods))]
		default:
			e = "semverParse(" + a + ")." + compare[r.Intn(len(compare))] + "(semverParse(" + b + "))"
		}
		out = append(out, fmt.Sprintf(`{"mode": "kargo", "expr": %s, "env": {}}`, jsonString(e)))
	}
	return out
}

// sortCases draws n `eval --jsonl` lines sorting arrays of 2 to 600 items
// whose keys repeat (sort and sortBy call Go's sort.Sort, which is not
// stable past 12 items) or mix types (its Less panics on the first pair it
// is asked about), in mode expr: v1.17's sortBy takes a predicate, v1.15's
// a field name.
func sortCases(r *rand.Rand, n int, v115 bool) []string {
	sizes := []int{2, 3, 5, 12, 13, 14, 20, 33, 49, 50, 51, 64, 100, 130, 257, 600}
	var out []string
	for len(out) < n {
		size := sizes[r.Intn(len(sizes))]
		kind, span := r.Intn(4), []int{1, 3, 10, 1000}[r.Intn(4)]
		items := make([]string, size)
		for i := range items {
			var k string
			switch {
			case kind == 0 || kind == 1:
				k = strconv.Itoa(r.Intn(span + 1))
			case kind == 2:
				k = []string{`1`, `1.0`, `0.5`, `2`, `2.0`, `1.5`}[r.Intn(6)]
			case r.Intn(10) == 0: // an item of another type now and then
				k = []string{`"a"`, `true`, `null`, `[1]`, `2.5`}[r.Intn(5)]
			default:
				k = jsonString([]string{"a", "b", "c", "aa", ""}[r.Intn(5)])
			}
			items[i] = fmt.Sprintf(`{"id": %d, "k": %s}`, i, k)
		}
		order := []string{"", `, "asc"`, `, "desc"`}[r.Intn(3)]
		by := ".k"
		if v115 {
			by = `"k"`
		}
		e := []string{
			"map(sortBy(list, " + by + order + "), .id)",
			"map(sortBy(list, " + by + order + "), [.id, .k])",
			"sort(map(list, .k)" + order + ")",
		}[r.Intn(3)]
		out = append(out, fmt.Sprintf(`{"mode": "expr", "expr": %s, "env": {"list": [%s]}}`,
			jsonString(e), strings.Join(items, ", ")))
	}
	return out
}

// shadowCases draws n `eval --jsonl` lines in mode expr whose env holds a
// name of a builtin or predicate (conf.Config IsOverridden in v1.17: such a
// name is called as the env's value; the checker reads the env's value
// before a builtin's in both versions), used as a name, called, piped, as
// an unknown callee's argument and shadowed by let.
func shadowCases(r *rand.Rand, n int) []string {
	names := []string{"upper", "len", "map", "filter", "max", "abs", "toJSON", "now", "date", "get",
		"sum", "count", "reduce", "sortBy", "keys", "type", "int", "string", "first", "all",
		"duration", "trim", "findIndex", "groupBy", "sort", "concat"}
	values := []string{`1`, `null`, `"s"`, `[1]`, `{"a": 1}`}
	forms := []string{"%s(x)", "%s", "x | %s()", "[%s]", "%s(1, 2)", "m.f(%s(1))", "%s ?? 1",
		"$env.%s", "let %s = 2; %s", "%s([1], # > 0)", "%s([1], .a)", "m.f(%s([1], #))",
		"string(%s)", "%s(x) ?? %s", "{(%s): 1}", "::%s(x)", "::%s([1], # > 0)", "::%s", "x | ::%s()"}
	var out []string
	for len(out) < n {
		name := names[r.Intn(len(names))]
		form := forms[r.Intn(len(forms))]
		e := strings.ReplaceAll(form, "%s", name)
		out = append(out, fmt.Sprintf(`{"mode": "expr", "expr": %s, "env": {%s: %s, "x": [1, 2], "m": {"f": null}}}`,
			jsonString(e), jsonString(name), values[r.Intn(len(values))]))
	}
	return out
}

// yamlStrings are strings yaml.v3's emitter writes in every style it has:
// plain, quoted for what they would read back as, single-quoted for an
// indicator, double-quoted for a tab, a control, a rune past U+FFFF or a
// BOM, a literal block for a break (with indicators for leading and
// trailing ones), a complex key past 128 bytes or over lines; and keys
// keyList.Less orders by runes, letters and digit runs.
var yamlStrings = []string{"a", "b", "a1", "a10", "a2", "A", "é", "ß", "日", "٣", "x²", "01", "10",
	"1.5", "true", "~", "", "null", "a\nb", "\na", "a\n\n", "a \nb", "\t", "a\tb", "a\u2028b",
	"\u0085", "\ufeffz", "😀", " x", "x ", "- x", "a: b", "#c", "'q'", "\"", "\\",
	strings.Repeat("k", 129)}

// yamlCases draws n `eval --jsonl` lines marshalling nested values of those
// strings with Kargo's asYAML (mode kargo).
func yamlCases(r *rand.Rand, n int) []string {
	var val func(d int) string
	val = func(d int) string {
		k := r.Intn(10)
		switch {
		case d <= 0 || k < 4:
			if r.Intn(6) == 0 { // (fromBase64 of bytes no UTF-8: yaml.v3's !!binary, in lines from 70)
				return []string{"1", "-1.5", "true", "nil", "[]", "{}", "1e21", "fromBase64('YWL/')",
					"fromBase64('" + strings.Repeat("////", 18) + "')"}[r.Intn(9)]
			}
			return jsonString(yamlStrings[r.Intn(len(yamlStrings))])
		case k < 7:
			items := []string{}
			for i := r.Intn(3) + 1; i > 0; i-- {
				items = append(items, val(d-1))
			}
			return "[" + strings.Join(items, ", ") + "]"
		default:
			pairs := []string{}
			for i := r.Intn(3) + 1; i > 0; i-- {
				pairs = append(pairs, "["+jsonString(yamlStrings[r.Intn(len(yamlStrings))])+", "+val(d-1)+"]")
			}
			return "fromPairs([" + strings.Join(pairs, ", ") + "])"
		}
	}
	var out []string
	for len(out) < n {
		out = append(out, fmt.Sprintf(`{"mode": "kargo", "expr": %s, "env": {}}`, jsonString("asYAML("+val(4)+")")))
	}
	return out
}

// zoneNames are zones whose offsets change: both hemispheres, half hours,
// negative daylight saving (Dublin), a two-hour one (Troll), recent changes
// of law (Casablanca, Gaza).
var zoneNames = []string{"America/New_York", "Europe/Berlin", "Europe/London", "Australia/Sydney",
	"America/Santiago", "Pacific/Auckland", "Europe/Dublin", "Antarctica/Troll", "America/St_Johns",
	"Asia/Gaza", "Africa/Casablanca", "Pacific/Chatham", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"}

// zoneCases draws n `eval --jsonl` lines reading a wall clock in a zone
// (Date's resolution of gaps and overlaps), showing an instant there, and
// shifting it across a change, for years whose zone comes from the
// transitions or from the zoneinfo footer's rule (past 2037), in mode expr.
func zoneCases(r *rand.Rand, n int) []string {
	years := []int{1850, 1950, 1999, 2024, 2037, 2038, 2050, 2099, 2222}
	var out []string
	for len(out) < n {
		z := zoneNames[r.Intn(len(zoneNames))]
		y := years[r.Intn(len(years))]
		mo := []int{1, 3, 4, 7, 9, 10, 11}[r.Intn(7)]
		wall := fmt.Sprintf("%04d-%02d-%02d %02d:%02d", y, mo, r.Intn(28)+1, []int{0, 1, 2, 3, 12, 23}[r.Intn(6)], []int{0, 30, 59}[r.Intn(3)])
		var e string
		switch r.Intn(3) {
		case 0:
			e = fmt.Sprintf("string(date(%q, '2006-01-02 15:04', %q))", wall, z)
		case 1:
			e = fmt.Sprintf("date(%q, '2006-01-02 15:04', 'UTC').In(timezone(%q)).Format('2006-01-02 15:04 MST -0700')", wall, z)
		default:
			e = fmt.Sprintf("string(date(%q, '2006-01-02 15:04', %q).Add(duration('%dm')))", wall, z, r.Intn(181)-90)
		}
		out = append(out, fmt.Sprintf(`{"mode": "expr", "expr": %s, "env": {}}`, jsonString(e)))
	}
	return out
}

// numberTextCases draws n `eval --jsonl` lines reading number texts with
// float() (strconv.ParseFloat: underscores, hex mantissas, words, ranges),
// in mode expr.
func numberTextCases(r *rand.Rand, n int) []string {
	pieces := []string{"0", "1", "9", "_", ".", "e", "E", "-", "+", "x", "p", "a", "f", "inf", "nan", "0x", "1_0"}
	var out []string
	for len(out) < n {
		var b strings.Builder
		for k := r.Intn(6) + 1; k > 0; k-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		out = append(out, fmt.Sprintf(`{"mode": "expr", "expr": %s, "env": {}}`, jsonString("float("+jsonString(b.String())+")")))
	}
	return out
}

// kindCases draws n `eval --jsonl` lines that hand a value of an unusual Go
// kind to an operator, a builtin, a fetch, a slice or a predicate where the
// checker cannot see its type (behind ??, read from a map or by first()):
// a string's byte (uint8), a time.Month or time.Weekday, a time.Duration,
// an int64, a *time.Location, and in mode kargo a *semver.Version and its
// uint64s (one of them past int64). These reach the VM's type switches and
// reflect, whose messages name the kind (sort's Less, sum's CanInt,
// builtin toInt, runtime.Fetch of a struct, MapIndex).
func kindCases(r *rand.Rand, n int, kargo bool) []string {
	const d = `date("2024-03-10T12:00:00Z")`
	values := []string{`"ab"[0]`, d + `.Month()`, d + `.Weekday()`, `duration("1s")`,
		d + `.Unix()`, `timezone("Europe/Berlin")`, `1.5`, `"x"`}
	if kargo {
		values = append(values, `semverParse("1.2.3")`, `semverParse("v1.2.3-rc.1+b5")`,
			`semverParse("1.2.3").Major()`, `-semverParse("4.5.6").Minor()`,
			`semverParse("18446744073709551615.0.0").Major()`)
	}
	hide := []string{"(%s ?? 1)", `{"a": %s}.a`, "first([%s])", "(%s)"}
	forms := []string{"abs(X)", "int(X)", "float(X)", "string(X)", "toJSON(X)", "type(X)",
		"X + 1", "X - 1", "X * 2", "X / 2", "X % 2", "-X", "not X", "X ? 1 : 2", "X == 1",
		"X < 2", "X in [1, 2]", `X in ["a"]`, "X..3", "max(X, 1)", "sum([X, 1])", "mean([X, X])",
		"median([X])", "sort([X, X])", "uniq([X, X])", `repeat("a", X)`, "bitnot(X)",
		"bitand(X, 1)", `upper(X)`, "X[0]", "X.x", "X.major", "X[1:2]", "len(X)",
		"map(X, #)", "count(X, true)", "reduce(X, #)", "{X: 1}", "groupBy([X], #)", "X == X",
		"string({\"a\": X})", "toYAML(X)", "abs(-X)", `split("a,b", ",", X)`, "X ?? 2",
		"max(map([1, 2], X))", "sum(map([1, 2], X))", "sort(map([1, 2], X))",
		"reduce([1, 2], #acc + X, X)", "map([X], # + 1)", "first(map([1], X)) == X"}
	mode := "expr"
	if kargo {
		mode = "kargo"
	}
	var out []string
	for len(out) < n {
		v := fmt.Sprintf(hide[r.Intn(len(hide))], values[r.Intn(len(values))])
		e := strings.ReplaceAll(forms[r.Intn(len(forms))], "X", v)
		if !kargo && strings.Contains(e, "toYAML") {
			continue // (Kargo's function)
		}
		out = append(out, fmt.Sprintf(`{"mode": %q, "expr": %s, "env": {}}`, mode, jsonString(e)))
	}
	return out
}
