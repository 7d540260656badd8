## src/expr: the expr-lang v1.17.8 compatible evaluator.
noinst_HEADERS += include/freightdeck/expr.h
libfreightdeck_a_SOURCES +=
