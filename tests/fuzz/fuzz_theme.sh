#!/bin/sh
# Replays the seed corpus of fuzz_theme (theme and keymap YAML parsers).
exec sh "$FD_TOP_SRCDIR/tests/fuzz/run-corpus" fuzz_theme
