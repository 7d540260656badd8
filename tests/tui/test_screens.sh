#!/bin/sh
# tests/tui/test_screens.sh: the console's foundation, screen by screen.
. "$FD_TOP_SRCDIR/tests/lib/tap.sh"
. "$FD_TOP_SRCDIR/tests/lib/screen.sh"

# The first view, and the help generated from the key table.
screen_case themes-80x24 80x24 </dev/null
screen_case help-80x24 80x24 <<'EOF'
?
EOF
# Wide: the help opens beside the view it explains; every cell is used.
screen_case help-200x60 200x60 <<'EOF'
<F1>
EOF
screen_case help-scrolled-80x24 80x24 <<'EOF'
?
<PgDn><PgDn>jj
EOF
screen_case help-filter 80x24 <<'EOF'
?
/rollout<Enter>
EOF

# No UTF-8, no colour: ASCII glyphs, and the preview says why colour is off.
screen_case themes-ascii-no-color 80x24 --ascii --no-color </dev/null
screen_case help-ascii-mono 80x24 --ascii --theme mono <<'EOF'
?
G
EOF

# The prompt: typing, cursor movement, UTF-8, then running a command.
screen_case prompt-editing 80x24 <<'EOF'
<:>thme élan<Left><Left><Left><Left><Left><Left><Left>e
EOF
screen_case prompt-theme-light 80x24 <<'EOF'
<:>th light<Enter>
EOF
screen_case command-unknown 80x24 <<'EOF'
:frobnicate
EOF
screen_case command-scope 100x30 <<'EOF'
:ctx prod-eu
:project checkout
:stage prod
EOF

# A theme with a typo falls back to the default with the error shown.
cat >"$XDG_CONFIG_HOME/freightdeck/themes/typo.yaml" <<'EOF'
name: typo
colors:
  ok: {fg: gren}
EOF
screen_case theme-typo-at-start 100x30 --theme typo </dev/null
screen_case theme-typo-live 100x30 <<'EOF'
:theme typo
EOF
screen_case theme-unknown 100x30 <<'EOF'
:theme solarised
EOF

# Too small a terminal, and resizing out of it and into it.
screen_case too-small 60x20 </dev/null
screen_case resize-to-small 100x30 <<'EOF'
@resize 79x30
EOF
screen_case resize-from-small 60x20 <<'EOF'
@resize 100x30
EOF

# Key bindings from the config file.
cat >"$XDG_CONFIG_HOME/freightdeck/config.yaml" <<'EOF'
# other modules' settings are ignored by the keymap
contexts: {}
keys:
  help: "h F1"
  quit: [Q]
  left: [Left, H]
EOF
screen_case keys-rebound 80x24 <<'EOF'
h
/General<Enter>
EOF
cat >"$XDG_CONFIG_HOME/freightdeck/config.yaml" <<'EOF'
keys:
  aprove: "a"
EOF
screen_case keys-config-error 120x30 </dev/null
rm -f "$XDG_CONFIG_HOME/freightdeck/config.yaml"

# Unbound keys say so.
screen_case unbound-key 80x24 <<'EOF'
Z
EOF

# The mouse is off by default: a click changes nothing (the terminal keeps
# its own selection). With `mouse: true` a click selects the row under the
# pointer and the wheel scrolls; a bad value is named with its position.
screen_case mouse-off-click 80x24 <<'EOF'
@click 4 5
<Enter>
@dblclick 5 5
EOF
cat >"$XDG_CONFIG_HOME/freightdeck/config.yaml" <<'EOF'
mouse: true
EOF
screen_case mouse-click-selects 80x24 <<'EOF'
@click 4 5
<Enter>
EOF
screen_case mouse-dblclick-opens 80x24 <<'EOF'
@dblclick 5 5
EOF
screen_case mouse-click-below-list 80x24 <<'EOF'
@click 20 5
<Enter>
EOF
screen_case mouse-wheel-scrolls 80x24 <<'EOF'
?
@wheeldown 10 10
@wheeldown 10 10
EOF
cat >"$XDG_CONFIG_HOME/freightdeck/config.yaml" <<'EOF'
mouse: maybe
EOF
screen_case mouse-config-error 80x24 </dev/null
rm -f "$XDG_CONFIG_HOME/freightdeck/config.yaml"

done_testing
