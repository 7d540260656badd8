#!/bin/sh
# tests/kargo/test_verify_args.sh: the args freightdeck gives a Stage's
# verification (analyze --stage, the console's what-if, the simulator)
# against the answers Kargo v1.11.2's own AnalysisRunBuilder gave for the
# same Stages and objects (tests/kargo/cases.jsonl; tests/kargo/README says
# how they were recorded).
exec "$FD_TOP_BUILDDIR/tests/kargo/verify_args" --check "$FD_TOP_SRCDIR/tests/kargo/cases.jsonl"
