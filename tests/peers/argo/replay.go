package main

// The replay check: Argo Rollouts' analysis controller (analysis/analysis.go
// reconcileAnalysisRun, reached through the exported NewController and its
// work queue) measures each generated AnalysisRun against a scripted local
// Prometheus under a fake clock (utils/time SetNowTimeFunc); the run it
// records is then replayed by `freightdeck analyze --replay`.

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/argoproj/argo-rollouts/analysis"
	"github.com/argoproj/argo-rollouts/controller/metrics"
	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	argofake "github.com/argoproj/argo-rollouts/pkg/client/clientset/versioned/fake"
	argoinformers "github.com/argoproj/argo-rollouts/pkg/client/informers/externalversions"
	"github.com/argoproj/argo-rollouts/utils/queue"
	"github.com/argoproj/argo-rollouts/utils/record"
	timeutil "github.com/argoproj/argo-rollouts/utils/time"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	kubeinformers "k8s.io/client-go/informers"
	k8sfake "k8s.io/client-go/kubernetes/fake"
	"k8s.io/client-go/tools/cache"
	k8srecord "k8s.io/client-go/tools/record"
	"k8s.io/client-go/util/workqueue"
)

// ---- the fake clock ----

var (
	clockMu sync.Mutex
	clock   time.Time
)

func now() time.Time {
	clockMu.Lock()
	defer clockMu.Unlock()
	return clock
}

func setClock(t time.Time) {
	clockMu.Lock()
	clock = t
	clockMu.Unlock()
}

// ---- the scripted Prometheus ----

// answer kinds of the scripted Prometheus: a value the conditions judge, or
// a failure the provider turns into an Error measurement.
var answerBodies = map[string]string{
	"good":  `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"0.99"]}]}}`,
	"bad":   `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"0.3"]}]}}`,
	"mid":   `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"0.7"]}]}}`,
	"nan":   `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"NaN"]}]}}`,
	"empty": `{"status":"success","data":{"resultType":"vector","result":[]}}`,
	"down":  `{"status":"error","errorType":"unavailable","error":"too many queries"}`,
}

type script struct {
	mu      sync.Mutex
	answers map[string][]string // query -> answer kinds, one per measurement
	served  map[string]int
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	q := r.Form.Get("query")
	s.mu.Lock()
	list := s.answers[q]
	i := s.served[q]
	s.served[q] = i + 1
	s.mu.Unlock()
	kind := "good"
	if len(list) > 0 {
		kind = list[i%len(list)]
	}
	w.Header().Set("Content-Type", "application/json")
	if kind == "down" {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	fmt.Fprint(w, answerBodies[kind])
}

// ---- the controller, driven one reconcile at a time ----

// stepQueue is the controller's work queue: AddAfter (the requeue the
// controller asks for) is recorded instead of waited for, so the fake clock
// jumps to it; Done tells the driver a reconcile has finished.
type stepQueue struct {
	workqueue.RateLimitingInterface
	mu       sync.Mutex
	after    time.Duration
	afterSet bool
	failed   bool
	done     chan struct{}
}

func (q *stepQueue) AddAfter(item any, d time.Duration) {
	q.mu.Lock()
	if !q.afterSet || d < q.after {
		q.after = d
	}
	q.afterSet = true
	q.mu.Unlock()
}

func (q *stepQueue) AddRateLimited(item any) {
	q.mu.Lock()
	q.failed = true
	q.mu.Unlock()
}

func (q *stepQueue) Done(item any) {
	q.RateLimitingInterface.Done(item)
	q.done <- struct{}{}
}

type harness struct {
	client  *argofake.Clientset
	indexer cache.Indexer
	q       *stepQueue
}

func newHarness() *harness {
	client := argofake.NewSimpleClientset()
	kube := k8sfake.NewSimpleClientset()
	ai := argoinformers.NewSharedInformerFactory(client, 0)
	ki := kubeinformers.NewSharedInformerFactory(kube, 0)
	q := &stepQueue{
		RateLimitingInterface: workqueue.NewNamedRateLimitingQueue(queue.DefaultArgoRolloutsRateLimiter(), "AnalysisRuns"),
		done:                  make(chan struct{}, 1),
	}
	runs := ai.Argoproj().V1alpha1().AnalysisRuns()
	// The fake recorder's channel holds 1000 events and then blocks the
	// controller: it is drained.
	events := record.NewFakeEventRecorder()
	if fr, ok := events.Recorder.(*k8srecord.FakeRecorder); ok {
		go func() {
			for range fr.Events {
			}
		}()
	}
	c := analysis.NewController(analysis.ControllerConfig{
		KubeClientSet:        kube,
		ArgoProjClientset:    client,
		AnalysisRunInformer:  runs,
		JobInformer:          ki.Batch().V1().Jobs(),
		JobPodsInformer:      ki.Core().V1().Pods(),
		AnalysisRunWorkQueue: q,
		MetricsServer: metrics.NewMetricsServer(metrics.ServerConfig{
			Addr:               "127.0.0.1:0",
			K8SRequestProvider: &metrics.K8sRequestsCountProvider{},
		}),
		Recorder: events,
	})
	go c.Run(context.Background(), 1)
	timeutil.SetNowTimeFunc(now)
	return &harness{client: client, indexer: runs.Informer().GetIndexer(), q: q}
}

// reconcile runs one reconcile of the run and returns the stored result and
// the requeue delay the controller asked for (ok false: none).
func (h *harness) reconcile(ns, name string) (*v1alpha1.AnalysisRun, time.Duration, bool, error) {
	h.q.mu.Lock()
	h.q.afterSet, h.q.failed = false, false
	h.q.mu.Unlock()
	h.q.Add(ns + "/" + name)
	select {
	case <-h.q.done:
	case <-time.After(60 * time.Second):
		return nil, 0, false, fmt.Errorf("the controller did not finish a reconcile in 60s")
	}
	run, err := h.client.ArgoprojV1alpha1().AnalysisRuns(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		return nil, 0, false, err
	}
	h.indexer.Update(run)
	h.q.mu.Lock()
	defer h.q.mu.Unlock()
	if h.q.failed {
		return nil, 0, false, fmt.Errorf("the reconcile failed (requeued with rate limit)")
	}
	return run, h.q.after, h.q.afterSet, nil
}

// ---- generated runs ----

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.Intn(len(xs))] }

func intOrNil(r *rand.Rand, p float64, xs ...int) *intstr.IntOrString {
	if r.Float64() >= p {
		return nil
	}
	v := intstr.FromInt32(int32(pick(r, xs...)))
	if r.Intn(6) == 0 { // the API accepts "2" as well as 2
		v = intstr.FromString(v.String())
	}
	return &v
}

type replayCase struct {
	run         *v1alpha1.AnalysisRun
	answers     map[string][]string
	terminateAt int // reconcile after which spec.terminate is set; 0: never
}

func genReplayCase(r *rand.Rand, i int, address string) replayCase {
	c := replayCase{answers: map[string][]string{}}
	run := &v1alpha1.AnalysisRun{
		TypeMeta:   metav1.TypeMeta{APIVersion: "argoproj.io/v1alpha1", Kind: "AnalysisRun"},
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("run-%d", i), Namespace: "peers"},
	}
	// A case leans towards one kind of answer, so limits get reached.
	weights := map[string]int{"good": 1 + r.Intn(6), "bad": r.Intn(4), "mid": r.Intn(3),
		"nan": r.Intn(2), "empty": r.Intn(2), "down": r.Intn(4)}
	kinds := []string{"good", "bad", "mid", "nan", "empty", "down"}
	total := 0
	for _, k := range kinds {
		total += weights[k]
	}
	draw := func() string {
		n := r.Intn(total)
		for _, k := range kinds {
			if n < weights[k] {
				return k
			}
			n -= weights[k]
		}
		return "good"
	}
	nm := 1 + r.Intn(3)
	for m := 0; m < nm; m++ {
		name := pick(r, "m", "rate", "latency") + fmt.Sprint(m)
		query := fmt.Sprintf("%s/%s", run.Name, name)
		metric := v1alpha1.Metric{
			Name: name,
			Provider: v1alpha1.MetricProvider{Prometheus: &v1alpha1.PrometheusMetric{
				Address: address, Query: query}},
		}
		metric.SuccessCondition = pick(r, "result[0] >= 0.9", "result[0] >= 0.9", "", "len(result) > 0 && result[0] >= 0.5")
		metric.FailureCondition = pick(r, "result[0] < 0.5", "", "result[0] < 0.5", "result[0] < 0.8")
		if r.Intn(3) > 0 {
			metric.Interval = v1alpha1.DurationString(pick(r, "30s", "1m", "45s", "5s"))
		}
		metric.Count = intOrNil(r, 0.7, 1, 2, 3, 4, 5)
		if metric.Interval == "" && metric.Count != nil && metric.Count.IntValue() > 1 && r.Intn(4) > 0 {
			metric.Interval = "30s" // mostly valid; sometimes Argo's "interval must be specified"
		}
		metric.FailureLimit = intOrNil(r, 0.5, -1, 0, 1, 2, 3)
		metric.InconclusiveLimit = intOrNil(r, 0.4, 0, 1, 2)
		metric.ConsecutiveErrorLimit = intOrNil(r, 0.4, 0, 1, 2, 5)
		metric.ConsecutiveSuccessLimit = intOrNil(r, 0.15, 0, 1, 2)
		if metric.Count != nil && r.Intn(5) > 0 {
			// mostly a count the limits fit in (ValidateMetric), so most
			// runs measure; the others end at once with Argo's message
			need := 0
			if metric.FailureLimit != nil && metric.FailureLimit.IntValue() > 0 {
				need = metric.FailureLimit.IntValue()
			}
			if metric.ConsecutiveSuccessLimit != nil {
				need += metric.ConsecutiveSuccessLimit.IntValue()
			}
			if metric.InconclusiveLimit != nil && metric.InconclusiveLimit.IntValue() > need {
				need = metric.InconclusiveLimit.IntValue()
			}
			if metric.Count.IntValue() < need {
				v := intstr.FromInt32(int32(need))
				metric.Count = &v
			}
			if metric.Count.IntValue() > 1 && metric.Interval == "" {
				metric.Interval = "30s"
			}
		}
		if r.Intn(6) == 0 {
			metric.InitialDelay = v1alpha1.DurationString(pick(r, "20s", "1m"))
		}
		run.Spec.Metrics = append(run.Spec.Metrics, metric)
		n := 2 + r.Intn(10)
		for k := 0; k < n; k++ {
			c.answers[query] = append(c.answers[query], draw())
		}
	}
	switch r.Intn(8) {
	case 0:
		run.Spec.DryRun = []v1alpha1.DryRun{{MetricName: run.Spec.Metrics[0].Name}}
	case 1:
		run.Spec.DryRun = []v1alpha1.DryRun{{MetricName: ".*"}}
	case 2:
		if r.Intn(4) == 0 {
			run.Spec.DryRun = []v1alpha1.DryRun{{MetricName: "nothing-of-that-name"}}
		}
	}
	if r.Intn(8) == 0 {
		run.Spec.MeasurementRetention = []v1alpha1.MeasurementRetention{{MetricName: run.Spec.Metrics[0].Name, Limit: int32(pick(r, 20, 30))}}
	}
	if r.Intn(7) == 0 {
		c.terminateAt = 1 + r.Intn(4)
	}
	c.run = run
	return c
}

// record drives the controller until the run completes, nothing is
// scheduled, or maxSteps reconciles have happened.
func (h *harness) record(c replayCase, start time.Time) (*v1alpha1.AnalysisRun, error) {
	const maxSteps = 12
	setClock(start)
	ctx := context.Background()
	ars := h.client.ArgoprojV1alpha1().AnalysisRuns(c.run.Namespace)
	created, err := ars.Create(ctx, c.run, metav1.CreateOptions{})
	if err != nil {
		return nil, err
	}
	h.indexer.Add(created)
	defer func() {
		ars.Delete(ctx, c.run.Name, metav1.DeleteOptions{})
		h.indexer.Delete(created)
	}()
	var run *v1alpha1.AnalysisRun
	for step := 1; step <= maxSteps; step++ {
		var after time.Duration
		var again bool
		// A status the controller writes comes back through its informer
		// as an update, which enqueues the run at once: reconcile again at
		// the same time until the status stays as it is.
		var before []byte
		for k := 0; k < 6; k++ {
			run, after, again, err = h.reconcile(c.run.Namespace, c.run.Name)
			if err != nil {
				return nil, err
			}
			status, _ := json.Marshal(run.Status)
			if string(status) == string(before) {
				break
			}
			before = status
		}
		if run.Status.Phase.Completed() {
			break
		}
		if step == c.terminateAt {
			run.Spec.Terminate = true
			if run, err = ars.Update(ctx, run, metav1.UpdateOptions{}); err != nil {
				return nil, err
			}
			h.indexer.Update(run)
			after, again = 0, true
		}
		if !again {
			break
		}
		// metav1.Time keeps whole seconds: the clock moves by whole seconds
		// (at least one), as the recorded times do.
		next := now().Add(after).Truncate(time.Second)
		if !next.After(now()) {
			next = now().Add(time.Second)
		}
		setClock(next)
	}
	run.TypeMeta = metav1.TypeMeta{APIVersion: "argoproj.io/v1alpha1", Kind: "AnalysisRun"}
	return run, nil
}

// ---- the comparison ----

type fdMetric struct {
	Name               string  `json:"name"`
	Phase              string  `json:"phase"`
	Message            *string `json:"message"`
	Count              int32   `json:"count"`
	Successful         int32   `json:"successful"`
	Failed             int32   `json:"failed"`
	Inconclusive       int32   `json:"inconclusive"`
	Error              int32   `json:"error"`
	ConsecutiveError   int32   `json:"consecutiveError"`
	ConsecutiveSuccess int32   `json:"consecutiveSuccess"`
}

type fdSummary struct {
	Count        int32 `json:"count"`
	Successful   int32 `json:"successful"`
	Failed       int32 `json:"failed"`
	Inconclusive int32 `json:"inconclusive"`
	Error        int32 `json:"error"`
}

type fdReplay struct {
	Phase         string     `json:"phase"`
	Message       *string    `json:"message"`
	MetricResults []fdMetric `json:"metricResults"`
	RunSummary    fdSummary  `json:"runSummary"`
	DryRunSummary fdSummary  `json:"dryRunSummary"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// verdictText is what both sides are compared on, one line per item.
func verdictFromArgo(run *v1alpha1.AnalysisRun) []string {
	out := []string{fmt.Sprintf("run: %s %q", run.Status.Phase, run.Status.Message)}
	if run.Status.Phase == v1alpha1.AnalysisPhaseError && len(run.Status.MetricResults) == 0 {
		return out // an invalid spec: no results, no summaries
	}
	s := run.Status.RunSummary
	out = append(out, fmt.Sprintf("runSummary: %d/%d/%d/%d/%d", s.Count, s.Successful, s.Failed, s.Inconclusive, s.Error))
	if d := run.Status.DryRunSummary; d != nil {
		out = append(out, fmt.Sprintf("dryRunSummary: %d/%d/%d/%d/%d", d.Count, d.Successful, d.Failed, d.Inconclusive, d.Error))
	} else {
		out = append(out, "dryRunSummary: 0/0/0/0/0")
	}
	for _, m := range run.Spec.Metrics {
		var res *v1alpha1.MetricResult
		for k := range run.Status.MetricResults {
			if run.Status.MetricResults[k].Name == m.Name {
				res = &run.Status.MetricResults[k]
			}
		}
		if res == nil {
			out = append(out, fmt.Sprintf("metric %s: Pending \"\" 0/0/0/0/0 0/0", m.Name))
			continue
		}
		out = append(out, fmt.Sprintf("metric %s: %s %q %d/%d/%d/%d/%d %d/%d", m.Name, res.Phase, res.Message,
			res.Count, res.Successful, res.Failed, res.Inconclusive, res.Error, res.ConsecutiveError, res.ConsecutiveSuccess))
	}
	return out
}

func verdictFromFd(rep *fdReplay, run *v1alpha1.AnalysisRun) []string {
	out := []string{fmt.Sprintf("run: %s %q", rep.Phase, str(rep.Message))}
	if rep.Phase == string(v1alpha1.AnalysisPhaseError) && strings.HasPrefix(str(rep.Message), "Analysis spec invalid") {
		return out
	}
	s := rep.RunSummary
	out = append(out, fmt.Sprintf("runSummary: %d/%d/%d/%d/%d", s.Count, s.Successful, s.Failed, s.Inconclusive, s.Error))
	d := rep.DryRunSummary
	out = append(out, fmt.Sprintf("dryRunSummary: %d/%d/%d/%d/%d", d.Count, d.Successful, d.Failed, d.Inconclusive, d.Error))
	for _, m := range run.Spec.Metrics {
		var res *fdMetric
		for k := range rep.MetricResults {
			if rep.MetricResults[k].Name == m.Name {
				res = &rep.MetricResults[k]
			}
		}
		if res == nil {
			out = append(out, fmt.Sprintf("metric %s: (missing)", m.Name))
			continue
		}
		out = append(out, fmt.Sprintf("metric %s: %s %q %d/%d/%d/%d/%d %d/%d", m.Name, res.Phase, str(res.Message),
			res.Count, res.Successful, res.Failed, res.Inconclusive, res.Error, res.ConsecutiveError, res.ConsecutiveSuccess))
	}
	return out
}

// trimmed reports whether the controller dropped measurements from the
// history (measurementRetention, default 10): the replay starts from the
// oldest one kept and cannot reach the same counters.
func trimmed(run *v1alpha1.AnalysisRun) bool {
	for _, r := range run.Status.MetricResults {
		if int(r.Count+r.Error) > len(r.Measurements) {
			return true
		}
	}
	return false
}

func replayDiff(dir string, n int, seed int64) *tally {
	t := &tally{name: "analyze --replay of runs recorded by Argo Rollouts' analysis controller"}
	if n == 0 {
		t.off = true
		return t
	}
	sc := &script{answers: map[string][]string{}, served: map[string]int{}}
	srv := httptest.NewServer(sc)
	defer srv.Close()
	h := newHarness()
	r := rand.New(rand.NewSource(seed))
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	phases := map[string]int{}
	for i := 0; i < n; i++ {
		c := genReplayCase(r, i, srv.URL)
		spec, _ := json.Marshal(map[string]any{"spec": c.run.Spec, "answers": c.answers, "terminateAfterReconcile": c.terminateAt})
		key := caseKey("replay", strings.ReplaceAll(string(spec), srv.URL, "http://SERVER"))
		sc.mu.Lock()
		for q, a := range c.answers {
			sc.answers[q] = a
		}
		sc.mu.Unlock()
		recorded, err := h.record(c, base.Add(time.Duration(i)*time.Hour))
		if err != nil {
			fmt.Printf("# the controller failed on run-%d: %v\n", i, err)
			t.crashed++
			continue
		}
		if trimmed(recorded) {
			t.skipped++
			continue
		}
		t.cases++
		phases[string(recorded.Status.Phase)]++
		body, _ := json.Marshal(recorded)
		path := filepath.Join(dir, fmt.Sprintf("run-%d.json", i))
		os.WriteFile(path, body, 0o644)
		cmd := exec.Command(fdBin, "analyze", "--replay", path, "-o", "json")
		outb, err := cmd.Output()
		if err != nil {
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() > 4 || ee.ExitCode() == 2 && len(outb) == 0 {
				t.crashed++
				stderr := ""
				if ok {
					stderr = string(ee.Stderr)
				}
				fmt.Printf("# freightdeck failed on %s: %v %s\n", path, err, oneLine(stderr))
				continue
			}
		}
		var rep fdReplay
		if err := json.Unmarshal(outb, &rep); err != nil {
			t.difference(key, "freightdeck's output is not its JSON", string(body), string(outb), "")
			continue
		}
		theirs, ours := verdictFromArgo(recorded), verdictFromFd(&rep, recorded)
		if strings.Join(theirs, "\n") != strings.Join(ours, "\n") {
			var what []string
			for k := range theirs {
				if k >= len(ours) || ours[k] != theirs[k] {
					what = append(what, strings.SplitN(theirs[k], ":", 2)[0])
				}
			}
			t.difference(key, strings.Join(what, ", ")+" differ",
				string(body), strings.Join(ours, " | "), strings.Join(theirs, " | "))
		}
	}
	var ps []string
	for p, k := range phases {
		ps = append(ps, fmt.Sprintf("%s %d", p, k))
	}
	sort.Strings(ps)
	fmt.Printf("# replay: recorded run phases: %s; %d runs with trimmed measurements not compared\n", strings.Join(ps, ", "), t.skipped)
	return t
}
