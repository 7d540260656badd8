#!/bin/sh
# tests/cli/test_consistent.sh: one consistent CLI (issue 12.16): -p/--project
# on every command that takes a project, errors that name the option, -v
# that takes no file, singular and plural names, -o yaml, typed JSON, and
# the versions of Freight. Against `freightdeck sim` loaded with the seed.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/sim/scenario_lib.sh"

sim_start --scenario none --load "$FD_TOP_SRCDIR/tests/client/seed.yaml" ||
    { echo "Bail out! sim did not start"; exit 1; }
fd() { timeout 60 "$FD_BIN" "$@"; }
py() { python3 -c "$1"; }

# -p and --project everywhere a project is taken.
expect_exit "approve -p" 0 fd approve brave-bear --stage prod -p shop --dry-run
expect_exit "approve --project" 0 fd approve brave-bear --stage prod --project shop --dry-run
expect_exit "promote -p" 1 fd promote calm-cat --stage qa -p shop --dry-run
expect_match "promote -p: the project is used (the checks ran in shop)" 'requests Freight from' "$err"
expect_exit "verify -p" 0 fd verify prod -p shop --dry-run
expect_exit "refresh -p" 0 fd refresh stage qa -p shop --dry-run
expect_exit "rollout -p" 0 fd rollout abort shop-prod -p shop --dry-run
expect_exit "get -p" 0 fd get stages -p shop
expect_exit "console --help has -p" 0 fd console --help
expect_match "console: -p, --project" '-p, --project' "$out"
expect_exit "demo --help has -p" 0 fd demo --help
expect_match "demo: -p, --project" '-p, --project' "$out"

# Errors name the option.
for cmd in get approve promote verify refresh rollout console demo sim analyze condition eval; do
    expect_exit "$cmd --bogus: usage" 2 fd $cmd --bogus
    expect_match "$cmd --bogus: named" "^freightdeck $cmd: unknown option '--bogus' \\(see 'freightdeck $cmd --help'\\)\$" "$err"
done
expect_exit "a missing value: usage" 2 fd approve brave-bear -p shop --stage
expect_eq "a missing value is named" \
    "freightdeck approve: option '--stage' needs a value (see 'freightdeck approve --help')" "$err"
expect_exit "a missing short value: usage" 2 fd get stages -p
expect_match "a missing short value is named" "option '-p' needs a value" "$err"
# The same words in the commands with option loops of their own.
for a in "analyze --prometheus" "condition --success" "condition -s" "sim --scenario"; do
    set -- $a
    expect_exit "$a (no value): usage" 2 fd "$@"
    expect_eq "$a (no value): the same words" \
        "freightdeck $1: option '$2' needs a value (see 'freightdeck $1 --help')" "$err"
done

# -v is verbose (a debug log on stderr), not a file option.
expect_exit "get -v" 0 fd get stages -p shop -v
expect_match "-v logs to stderr" 'GET .*/namespaces/shop/stages' "$err"
expect_match "-v: the table still on stdout" '^NAME +PHASE' "$out"
expect_exit "-v takes no value (a stray word is an argument)" 2 fd get stages -p shop -v log.txt
[ ! -e log.txt ] && tap_ok "-v log.txt wrote no file" || tap_not_ok "-v log.txt wrote no file"
expect_exit "--log FILE" 0 fd get stages -p shop --log "$d/debug.log"
expect_match "--log FILE writes there" 'GET ' "$(cat "$d/debug.log")"

# Singular and plural.
for w in stage stages freight freights promotion promotions analysisrun analysisruns rollout rollouts pipeline pipelines; do
    expect_exit "get $w" 0 fd get $w -p shop
done

# Freight shows its versions.
expect_exit "get freight" 0 fd get freight -p shop
expect_match "get freight: the VERSION column" '^NAME +ALIAS +VERSION +ORIGIN' "$out"
expect_match "get freight: brave-bear is 1.1.0" 'f-api-1 +brave-bear +1\.1\.0 +Warehouse/api' "$out"

# JSON with typed values.
expect_exit "get freight -o json" 0 fd get freight -p shop -o json
expect_eq "json: lists are lists, times RFC 3339, versions listed" \
    "list list 2026 ['1.0.0'] ['prod', 'qa']" \
    "$(printf '%s' "$out" | py 'import json,sys
a = {x["name"]: x for x in json.load(sys.stdin)}
o = a["f-api-0"]
print(type(o["in"]).__name__, type(a["f-web-1"]["approved_for"]).__name__,
      o["created"][:4] if o["created"] else "none", o["version"], sorted(o["verified_in"]))')"
expect_exit "get rollouts -o json" 0 fd get rollouts -p shop -o json
expect_eq "json: weights are numbers (an unknown actual weight is null)" "int NoneType" \
    "$(printf '%s' "$out" | py 'import json,sys
r = [x for x in json.load(sys.stdin) if x["name"] == "shop-prod"][0]
print(type(r["set_weight"]).__name__, type(r["actual_weight"]).__name__)')"
expect_exit "get stages -o json" 0 fd get stages -p shop -o json
expect_eq "json: auto_promotion is a boolean" "bool" \
    "$(printf '%s' "$out" | py 'import json,sys; print(type(json.load(sys.stdin)[0]["auto_promotion"]).__name__)')"

# -o yaml: the same objects.
expect_exit "get freight -o yaml" 0 fd get freight -p shop -o yaml
expect_match "yaml: a block sequence of mappings" '^- name: f-api-0$' "$out"
expect_match "yaml: lists as block sequences" '^  verified_in:$' "$out"
expect_match "yaml: a version that looks like a number stays a string" "^  - \"?1\\.0\\.0\"?\$" "$out"
expect_exit "get with -o xml: usage" 2 fd get stages -p shop -o xml
expect_match "-o xml: the formats are named" "expected table, wide, json or yaml" "$err"

done_testing
