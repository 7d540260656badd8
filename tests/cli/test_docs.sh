#!/bin/sh
# tests/cli/test_docs.sh: every command the program has is documented.
# A command missing from the man page's COMMANDS section, or a man page that
# groff complains about, fails here rather than going unnoticed.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"

man="$FD_TOP_SRCDIR/doc/freightdeck.1"
cmds=$("$FD_BIN" --help | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
expect_match "--help lists commands" '[a-z]' "$cmds"
commands_section=$(sed -n '/^\.SH COMMANDS/,/^\.SH /p' "$man")
for c in $cmds; do
    # An entry starts with .B or .BI whose first word is the command.
    if printf '%s\n' "$commands_section" | grep -Eq "^\.BI? \"?$c( |\"|\$)"; then
        tap_ok "man page documents '$c'"
    else
        tap_not_ok "man page documents '$c'"
        diag "expected a COMMANDS entry starting '.B $c' or '.BI \"$c ...' in doc/freightdeck.1"
    fi
done
if command -v groff >/dev/null 2>&1; then
    warnings=$(groff -man -ww -z "$man" 2>&1)
    expect_eq "groff reads the man page without warnings" "" "$warnings"
fi
done_testing
