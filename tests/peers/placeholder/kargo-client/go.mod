// An empty placeholder: Kargo's pkg/x/client/generated sub-module is not
// served by the module proxy; no package built here imports it.
module github.com/akuity/kargo/pkg/x/client/generated

go 1.24
