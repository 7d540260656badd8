#!/bin/sh
# tests/prom/gendata.sh: writes the deterministic OpenMetrics data the real-
# Prometheus test backfills with `promtool tsdb create-blocks-from openmetrics`.
#
# http_requests_total{service,status} counters, one sample every 15 s from
# 2024-01-01T00:30:00Z to 01:10:00Z, growing at constant rates so that
# sum(rate(...[5m])) ratios at 01:00:00Z are known:
#   healthy  147 x 200 + 3 x 500 per 15 s   2% 5xx  (success 0.98)
#   bad      132 x 200 + 18 x 503 per 15 s  12% 5xx (success 0.88)
#   wobbly   135 x 200 + 15 x 500 per 15 s  10% 5xx (success 0.90: between the
#            article's 0.80 failure and 0.95 success thresholds)
#   idle     no traffic at all (every ratio is 0/0 = NaN)
set -eu
awk 'BEGIN {
    start = 1704069000; end = 1704071400; step = 15
    n = split("healthy 200 147|healthy 500 3|bad 200 132|bad 503 18|wobbly 200 135|wobbly 500 15|idle 200 0", s, "|")
    print "# HELP http_requests_total Requests served."
    print "# TYPE http_requests_total counter"
    for (i = 1; i <= n; i++) {
        split(s[i], f, " ")
        v = 0
        for (t = start; t <= end; t += step) {
            printf "http_requests_total{service=\"%s\",status=\"%s\"} %d %d\n", f[1], f[2], v, t
            v += f[3]
        }
    }
    print "# EOF"
}'
