package main

// The Prometheus check: Argo Rollouts' metricproviders/prometheus provider
// (NewPrometheusAPI, NewPrometheusProvider, Provider.Run) and `freightdeck
// analyze` query the same local server, which gives each metric's query its
// canned answer; the measurements' phase, message, value and warnings must
// match.

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/argoproj/argo-rollouts/metricproviders/prometheus"
	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	log "github.com/sirupsen/logrus"
)

type canned struct {
	status      int
	contentType string
	body        string
	refusePost  bool // 405 to POST: the client retries with GET
}

type cannedServer struct {
	mu      sync.Mutex
	answers map[string]canned
}

func (s *cannedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	s.mu.Lock()
	a, ok := s.answers[r.Form.Get("query")]
	s.mu.Unlock()
	if !ok {
		http.Error(w, "no such query", http.StatusNotFound)
		return
	}
	if a.refusePost && r.Method == http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if a.contentType != "" {
		w.Header().Set("Content-Type", a.contentType)
	}
	w.WriteHeader(a.status)
	fmt.Fprint(w, a.body)
}

var sampleValues = []string{"0.99", "0.5", "NaN", "+Inf", "-Inf", "1e-7", "10", "0", "-0.5",
	"1.0000001", "123456789012", "0.95", "2.5e+20", "1e-300",
	// strconv.ParseFloat's own corners: underscores, hex, words, ranges
	"1_000", "1_", "0x1p-2", "0x1", "inf", "Infinity", "nan", "+nan", " 1", "1e400", "-1e400",
	"1e-400", ".5", "1.", "1e1_0"}

func genSample(r *rand.Rand) string {
	v := pick(r, sampleValues...)
	switch r.Intn(30) {
	case 0:
		return `[1700000000,` + strings.Trim(v, "+") + `]` // a number, not a string
	case 1:
		return `[1700000000,"x"]`
	case 2:
		return `[1700000000]`
	case 3:
		return `[10000000000000000000,"1"]` // past int64: ParseInt's range error
	}
	return fmt.Sprintf(`[1700000000.%03d,"%s"]`, r.Intn(1000), v)
}

func genAnswer(r *rand.Rand) canned {
	ok := func(resultType, result string) canned {
		body := fmt.Sprintf(`{"status":"success","data":{"resultType":"%s","result":%s}`, resultType, result)
		if r.Intn(5) == 0 {
			body += pick(r, `,"warnings":["w1"]`, `,"warnings":["partial response","x \"quoted\""]`, `,"warnings":[]`, `,"infos":["i1"]`,
				`,"warnings":["w\u0000"]`, `,"stats":{"samples":10000000000000000000}`)
		}
		return canned{status: 200, contentType: "application/json", body: body + "}"}
	}
	series := func(points bool) string {
		var b []string
		n := r.Intn(4)
		if points {
			n = 1 + r.Intn(2)
		}
		for i := 0; i < n; i++ {
			labels := pick(r, `{}`, `{"pod":"a"}`, fmt.Sprintf(`{"__name__":"up","i":"%d"}`, i), `{"pod":"a\u0000b"}`)
			if points {
				var ps []string
				for k := r.Intn(4); k > 0; k-- {
					ps = append(ps, genSample(r))
				}
				b = append(b, fmt.Sprintf(`{"metric":%s,"values":[%s]}`, labels, strings.Join(ps, ",")))
			} else {
				b = append(b, fmt.Sprintf(`{"metric":%s,"value":%s}`, labels, genSample(r)))
			}
		}
		return "[" + strings.Join(b, ",") + "]"
	}
	var a canned
	switch r.Intn(16) {
	case 0, 1, 2:
		a = ok("scalar", genSample(r))
	case 3, 4, 5, 6:
		a = ok("vector", series(false))
	case 7, 8:
		a = ok("matrix", series(true))
	case 9:
		a = ok("string", `[1700000000,"abc"]`)
	case 10:
		et, code := pick(r, "bad_data:400", "execution:422", "unavailable:503", "internal:500", "timeout:503", "canceled:499"), 0
		kv := strings.SplitN(et, ":", 2)
		fmt.Sscan(kv[1], &code)
		body := fmt.Sprintf(`{"status":"error","errorType":"%s","error":"%s"}`, kv[0],
			pick(r, "parse error at char 3: unexpected end of input", "query timed out", "1:1: bad \"thing\"", `bad \u0000 byte`))
		if r.Intn(3) == 0 {
			body = strings.TrimSuffix(body, "}") + `,"warnings":["w"]}`
		}
		a = canned{status: code, contentType: "application/json", body: body}
	case 11:
		a = canned{status: pick(r, 500, 502, 503), contentType: "text/plain", body: pick(r, "oops", "", "upstream connect error")}
	case 12:
		a = canned{status: 200, contentType: "application/json", body: pick(r, "{", "", "null", `{"status":"success"}`, `{"status":"success","data":{}}`,
			"{\x00", `{"status":"success"}`+"\x00", `{"status":"success\u0000","data":{"resultType":"scalar","result":[1,"1"]}}`,
			`{"status":"success","data":{"resultType":"vector\u0000","result":[]}}`, `{"status":"success","data":{"resultType":"scalar","result":[1,"1\u0000"]}}`,
			`{"status":"success","data":{"resultType":"vector"}}`, `{"status":"weird","data":{"resultType":"scalar","result":[1,"1"]}}`, `[]`)}
	case 13:
		a = canned{status: pick(r, 404, 401, 403, 400), contentType: pick(r, "text/html", "application/json"), body: pick(r, "<html>not found</html>", `{"status":"error","errorType":"bad_data","error":"nope"}`)}
	case 14:
		a = ok("vector", series(false))
		a.refusePost = true
	case 15:
		a = ok(pick(r, "vector", "scalar", "matrix"), pick(r, `[]`, `null`, `{}`, `"x"`, `[1700000000,"1",3]`))
	}
	return a
}

type promCase struct {
	metric v1alpha1.Metric
	answer canned
}

func genPromCase(r *rand.Rand, i int, address string) promCase {
	m := v1alpha1.Metric{
		Name: fmt.Sprintf("p%d", i),
		Provider: v1alpha1.MetricProvider{Prometheus: &v1alpha1.PrometheusMetric{
			Address: address, Query: fmt.Sprintf("q%d", i)}},
	}
	m.SuccessCondition = pick(r, "result[0] >= 0.9", "result[0] >= 0.9", "len(result) == 0", "result >= 0.9",
		"all(result, {# >= 0.5})", "isNaN(result[0])", "result[0] > 0", "", "isInf(result)", "result == 10")
	m.FailureCondition = pick(r, "", "", "result[0] < 0.5", "len(result) > 2", "isNaN(result)", "result < 0")
	switch r.Intn(14) {
	case 0:
		m.Provider.Prometheus.RangeQuery = &v1alpha1.PrometheusRangeQueryArgs{
			Start: pick(r, `now() - duration("5m")`, `now() - duration("1h")`, `"bad"`, `now( - 1`),
			End:   pick(r, "now()", "now()", `now() + "x"`),
			Step:  v1alpha1.DurationString(pick(r, "1m", "30s", "x1", ""))}
	case 1:
		t := int64(pick(r, -1, 0, 5))
		if t == 0 {
			t = 30
		}
		m.Provider.Prometheus.Timeout = &t
	case 2:
		m.Provider.Prometheus.Headers = []v1alpha1.WebMetricHeader{{Key: "X-Scope-OrgID", Value: "tenant"}}
	}
	return promCase{metric: m, answer: genAnswer(r)}
}

type argoMeasurement struct {
	phase, message, value, warnings string
}

func argoMeasure(m v1alpha1.Metric) argoMeasurement {
	// As the controller does (metricproviders.ProviderFactory): a provider
	// that cannot be made is an Error measurement with its message.
	api, err := prometheus.NewPrometheusAPI(m)
	if err != nil {
		return argoMeasurement{phase: "Error", message: err.Error()}
	}
	p, err := prometheus.NewPrometheusProvider(api, *log.NewEntry(log.StandardLogger()), m)
	if err != nil {
		return argoMeasurement{phase: "Error", message: err.Error()}
	}
	run := &v1alpha1.AnalysisRun{}
	meas := p.Run(run, m)
	// freightdeck keeps a NUL byte of a text as U+2400 (util.h FD_NUL_SHOWN)
	nul := func(s string) string { return strings.ReplaceAll(s, "\x00", "\u2400") }
	return argoMeasurement{phase: string(meas.Phase), message: nul(meas.Message), value: nul(meas.Value),
		warnings: nul(meas.Metadata["warnings"])}
}

type fdProm struct {
	Templates []struct {
		Metrics []struct {
			Name     string  `json:"name"`
			Phase    string  `json:"phase"`
			Message  *string `json:"message"`
			Value    *string `json:"value"`
			Warnings *string `json:"warnings"`
		} `json:"metrics"`
	} `json:"templates"`
}

func promDiff(dir string, n int, seed int64) *tally {
	t := &tally{name: "Prometheus provider: freightdeck analyze against Argo Rollouts' provider on canned answers"}
	if n == 0 {
		t.off = true
		return t
	}
	srv := &cannedServer{answers: map[string]canned{}}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	r := rand.New(rand.NewSource(seed))
	const batch = 50
	for start := 0; start < n; start += batch {
		var cases []promCase
		for i := start; i < n && i < start+batch; i++ {
			c := genPromCase(r, i, hs.URL)
			cases = append(cases, c)
			srv.mu.Lock()
			srv.answers[c.metric.Provider.Prometheus.Query] = c.answer
			srv.mu.Unlock()
		}
		var metrics []v1alpha1.Metric
		for _, c := range cases {
			metrics = append(metrics, c.metric)
		}
		tmpl := map[string]any{
			"apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisTemplate",
			"metadata": map[string]any{"name": fmt.Sprintf("batch-%d", start)},
			"spec":     map[string]any{"metrics": metrics},
		}
		body, _ := json.Marshal(tmpl)
		path := filepath.Join(dir, fmt.Sprintf("prom-%d.json", start))
		os.WriteFile(path, body, 0o644)
		out, err := exec.Command(fdBin, "analyze", path, "-o", "json").Output()
		// Exit 0 to 4 is the verdict (2: Error); the JSON below says the rest.
		if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() > 4 || len(out) == 0) {
			stderr := ""
			if ok {
				stderr = string(ee.Stderr)
			}
			fmt.Printf("# freightdeck failed on %s: %v %s\n", path, err, oneLine(stderr))
			t.crashed++
			continue
		}
		var rep fdProm
		if err := json.Unmarshal(out, &rep); err != nil || len(rep.Templates) != 1 || len(rep.Templates[0].Metrics) != len(cases) {
			fmt.Printf("# freightdeck's output on %s is not its JSON: %v %s\n", path, err, oneLine(string(out)))
			t.crashed++
			continue
		}
		for k, c := range cases {
			t.cases++
			theirs := argoMeasure(c.metric)
			fm := rep.Templates[0].Metrics[k]
			ours := argoMeasurement{phase: fm.Phase, message: str(fm.Message), value: str(fm.Value), warnings: str(fm.Warnings)}
			if ours.phase == "Error" {
				// Argo stores no value (nor warnings) with an Error;
				// analyze shows what it read.
				ours.value, ours.warnings = "", ""
			}
			if ours != theirs {
				in, _ := json.Marshal(map[string]any{"metric": c.metric, "status": c.answer.status,
					"contentType": c.answer.contentType, "body": c.answer.body, "refusePost": c.answer.refusePost})
				inText := strings.ReplaceAll(string(in), hs.URL, "http://SERVER")
				t.difference(caseKey("prometheus", inText), "measurement differs", inText,
					fmt.Sprintf("%+v", ours), fmt.Sprintf("%+v", theirs))
			}
		}
	}
	return t
}
