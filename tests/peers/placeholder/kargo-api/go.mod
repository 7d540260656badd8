// An empty placeholder: Kargo's api sub-module is not served by the module
// proxy; only packages that do not import it (pkg/expressions) are built.
module github.com/akuity/kargo/api

go 1.24
