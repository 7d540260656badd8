exec sh "$FD_TOP_SRCDIR/tests/fuzz/run-corpus" fuzz_go_json
