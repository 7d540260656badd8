#!/bin/sh
# tests/prom/test_analyze_stage.sh: `freightdeck analyze --stage PROJECT/STAGE`
# reads a Stage's verification from `freightdeck sim` (templates, Kargo's
# ${{ }} args over ctx and vars) and measures it against a real Prometheus:
# the dry run of a verification before anyone promotes.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/prom/lib.sh"

data="$FD_TOP_SRCDIR/tests/prom/data"
fake="$FD_TOP_BUILDDIR/tests/prom/fakeprom"
at=2024-01-01T01:00:00Z
work=$(mktemp -d "${TMPDIR:-/tmp}/stage.XXXXXX") || exit 99
prom_pid=""
sim_pid=""
cleanup() {
    [ -n "$prom_pid" ] && kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

analyze() { "$FD_BIN" analyze "$@"; }
flat() { printf '%s ' "$1" | tr '\n' ' '; }

sim_start "$work" "$data/stage-verification.yaml" || { done_testing; exit 1; }
kc="$work/kubeconfig"
dead="http://127.0.0.1:$("$fake" free-port)"

# ---- What needs no Prometheus ------------------------------------------------
expect_exit "the args Kargo would build: vars, ctx.project, a ClusterAnalysisTemplate" 2 \
    analyze --stage shop/healthy --kubeconfig "$kc" --prometheus "$dead" --time $at
expect_match "both templates are named" \
    '^Stage shop/healthy verification: AnalysisTemplate success-rate-check, ClusterAnalysisTemplate error-budget$' "$out"
expect_match "the Freight being verified is the Stage's current one" '^  freight: f0c1a55 \(Warehouse/checkout\)$' "$out"
expect_match "\${{ vars.service }} (a var built from another var) and \${{ ctx.project }}; unknown args dropped" \
    '^Stage verification shop/healthy  \(args: service-name=healthy, project=shop\)$' "$out"
expect_match "the cluster template's query got the project arg" 'project!="x-shop"' "$out"
expect_exit "ctx.stage as the service" 2 analyze --stage shop/bad --kubeconfig "$kc" --prometheus "$dead" --time $at
expect_match "ctx.stage evaluated" 'args: service-name=bad\)' "$out"

expect_exit "imageFrom(): the tag of the Freight being verified" 2 \
    analyze --stage shop/by-image --kubeconfig "$kc" --prometheus "$dead" --time $at
expect_match "imageFrom().Tag is the arg" 'args: service-name=v1\.4\.2\)' "$out"
expect_exit "--arg replaces the Stage's value" 2 \
    analyze --stage shop/by-image --kubeconfig "$kc" --prometheus "$dead" --time $at --arg service-name=healthy
expect_match "--arg value used" 'args: service-name=healthy\)' "$out"
expect_exit "configMap(), commitFrom(), chartFrom() and semverDiff() in one arg" 2 \
    analyze --stage shop/by-functions --kubeconfig "$kc" --prometheus "$dead" --time $at
expect_match "each read from the project's objects and the Freight" \
    'args: service-name=healthy-fa1afe1-Minor\)' "$out"
expect_exit "secret(): the arg is used" 2 \
    analyze --stage shop/by-secret --kubeconfig "$kc" --prometheus "$dead" --time $at
expect_match "secret(): shown redacted" 'args: service-name=<redacted>\)' "$out"
expect_match "secret(): the query shows it redacted too" 'service="<redacted>"' "$out"
case "$out$err" in
*hunter2*) tap_not_ok "secret(): the value never reaches the output" ;;
*) tap_ok "secret(): the value never reaches the output" ;;
esac
expect_exit "secret(): -o json" 2 \
    analyze --stage shop/by-secret --kubeconfig "$kc" --prometheus "$dead" --time $at -o json
case "$out$err" in
*hunter2*) tap_not_ok "secret(): -o json never shows the value" ;;
*) tap_ok "secret(): -o json never shows the value" ;;
esac
expect_exit "chartFrom() of a chart no Warehouse subscribes to: Error" 2 \
    analyze --stage shop/by-missing-chart --kubeconfig "$kc" --prometheus "$dead" --time $at
expect_match "...with Kargo's message" \
    'build arguments: evaluate argument "service-name": chart "nope" from repo oci://ghcr.io/example/charts not found in referenced Freight' \
    "$(flat "$err")"
expect_exit "--arg no template declares: usage error" 2 \
    analyze --stage shop/healthy --kubeconfig "$kc" --arg nope=1
expect_match "--arg no template declares: named" '--arg nope: no template in shop/healthy declares' "$err"

expect_exit "a template Argo refuses: Error, exit 2" 2 \
    analyze --stage shop/invalid --kubeconfig "$kc" --prometheus "$dead" --time $at
expect_match "Argo's validation message, nothing measured" \
    'message: Analysis spec invalid: metrics\[0\]: count \([0-9]*\) must be >= failureLimit \+ consecutiveSuccessLimit \([0-9]* \+ 0\) if both >= 0.*verdict: Error \(the controller would refuse this spec; nothing was measured\)' \
    "$(flat "$out")"
expect_exit "-o json: refused spec" 2 \
    analyze --stage shop/invalid --kubeconfig "$kc" --prometheus "$dead" -o json
expect_match "-o json: the template's phase and message" \
    '"phase": "Error", *"message": "Analysis spec invalid: metrics\[0\]: count \([0-9]*\) must be >= failureLimit \+ consecutiveSuccessLimit \([0-9]* \+ 0\) if both >= 0"' "$(flat "$out")"

expect_exit "no verification: Successful, as Kargo records it" 0 analyze --stage shop/unverified --kubeconfig "$kc"
expect_match "no verification: said" "has no verification" "$out"
expect_exit "a missing template: Error" 2 analyze --stage shop/missing-template --kubeconfig "$kc"
expect_match "a missing template: named with the URL" \
    "AnalysisTemplate \"nope\" in namespace \"shop\" not found \($sim_url/apis/argoproj.io/v1alpha1/namespaces/shop/analysistemplates/nope\)" "$err"
expect_exit "a missing Stage: Error" 2 analyze --stage shop/nope --kubeconfig "$kc"
expect_match "a missing Stage: named" 'Stage "nope" in project "shop" not found' "$err"
sed "s|$sim_url|$dead|" "$kc" >"$work/dead.kubeconfig"
expect_exit "cluster unreachable: Error (2), not Inconclusive (3)" 2 \
    analyze --stage shop/healthy --kubeconfig "$work/dead.kubeconfig"
expect_match "cluster unreachable: the server is named" "cannot reach $dead" "$err"
expect_exit "--context naming nothing" 2 analyze --stage shop/healthy --kubeconfig "$kc" --context nope
expect_match "--context naming nothing: said" 'no context named "nope"' "$err"
expect_exit "--stage without a slash: usage" 2 analyze --stage healthy
expect_exit "--stage and a file: usage" 2 analyze --stage shop/healthy "$data/article-templates.yaml"
expect_exit "--kubeconfig without --stage: usage" 2 analyze "$data/article-templates.yaml" --kubeconfig "$kc"

# ---- Against a real Prometheus ------------------------------------------------
if ! prom_available; then
    tap_n=$((tap_n + 1))
    echo "ok $tap_n # SKIP prometheus/promtool not installed (Debian package 'prometheus')"
    done_testing
    exit $?
fi
prom_start "$work" "$fake" || { done_testing; exit 1; }

expect_exit "healthy Stage: the verification would pass, exit 0" 0 \
    analyze --stage shop/healthy --kubeconfig "$kc" --prometheus "$prom_url" --time $at
expect_match "healthy: both metrics measured and Successful" \
    'metric success-rate: Successful.*value: +\[0\.9800000000000001\].*metric error-rate: Successful.*value: +\[0\.02\].*verdict: Successful' \
    "$(flat "$out")"
expect_exit "bad Stage: the verification would fail... or be Inconclusive: exit 3" 3 \
    analyze --stage shop/bad --kubeconfig "$kc" --prometheus "$prom_url" --time $at -o json
expect_match "bad: 0.88 lies between the thresholds" \
    '"value": "\[0\.8800000000000001\]",.*"phase": "Inconclusive"' "$(flat "$out")"
expect_match "bad: the output names the Stage" '"kind": "Stage verification", *"name": "shop/bad"' "$(flat "$out")"

done_testing
