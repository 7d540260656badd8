#ifndef FREIGHTDECK_EXPR_BUILTINS_H
#define FREIGHTDECK_EXPR_BUILTINS_H
/*
 * src/expr/builtins.h: what the builtin families (builtins_*.c, env_*.c)
 * share: the call/check prototypes listed in fd_expr_builtin_table
 * (builtins.c), expr's overload checker for builtins declared with Go
 * signatures, and the Go-compatible conversions several families need.
 */

#include "internal.h"

#define FD_BI_CALL(fn)                                                             \
    bool fn(struct fd_expr_ctx *ctx, const struct fd_expr_val *args, size_t nargs, \
            struct fd_expr_val *out)
#define FD_BI_CHECK(fn)                                                             \
    bool fn(struct fd_expr_tctx *tc, const struct fd_expr_type *args, size_t nargs, \
            struct fd_expr_type *ret)

/* ---- Go signatures ----------------------------------------------------------
 * expr declares most builtins with Go function types (strings.Split,
 * func([]int) []any...) and checks a call against each overload in turn,
 * reporting the LAST overload's error when none fits. Parameter types: */
enum fd_expr_bi_ptype {
    FD_P_ANY, /* interface {} */
    FD_P_STRING,
    FD_P_INT,
    FD_P_FLOAT,      /* float64: int arguments are converted */
    FD_P_ARR_ANY,    /* []interface {} */
    FD_P_ARR_INT,    /* []int */
    FD_P_ARR_FLOAT,  /* []float64 */
    FD_P_ARR_STRING, /* []string */
    FD_P_ORIGIN      /* Kargo's v1alpha1.FreightOrigin (what warehouse() gives) */
};

struct fd_expr_bi_sig {
    uint8_t nparams;
    uint8_t params[4]; /* enum fd_expr_bi_ptype */
    struct fd_expr_type ret;
};

/* Checks args against sigs as expr's checker does (arity: "not enough/too
 * many arguments to call NAME"; types: "cannot use T as argument (type P) to
 * call NAME "). Stores the matching overload's result type. */
bool fd_expr_bi_check_sigs(struct fd_expr_tctx *tc, const char *name,
                           const struct fd_expr_bi_sig *sigs, size_t nsigs,
                           const struct fd_expr_type *args, size_t nargs, struct fd_expr_type *ret);

/* Arity for builtins expr declares with a Validate function. */
bool fd_expr_bi_check_arity(struct fd_expr_tctx *tc, size_t nargs, size_t want);

/* Run-time argument access with the panic text expr shows when an untyped
 * value is not what a Go signature wants ("interface conversion: interface
 * {} is float64, not string"). */
bool fd_expr_bi_arg_str(struct fd_expr_ctx *ctx, struct fd_expr_val v, const char **s, size_t *len);
/* runtime.ToInt as used by split/replace/repeat: ints and floats (truncated). */
bool fd_expr_bi_arg_int(struct fd_expr_ctx *ctx, struct fd_expr_val v, int64_t *out);

/* ---- Go conversions ------------------------------------------------------------ */

/* strconv.ParseInt(s, 10, 64): 0 ok, 1 invalid syntax, 2 out of range. */
int fd_expr_bi_parse_int(const char *s, size_t len, int64_t *out);
/* strconv.ParseBool: 0/1, or -1 when s is not a Go boolean. */
int fd_expr_bi_parse_bool(const char *s, size_t len);
/* Go float64 -> int conversion as amd64 does it (NaN/out of range: min int64). */
int64_t fd_expr_bi_float_to_int(double f);

/* strconv.Quote (fmt %q) of s appended to b. */
void fd_expr_bi_go_quote(struct fd_buf *b, const char *s, size_t len);
/* Go encoding/json text of v (HTML-escaped, maps sorted); indent 0 is
 * json.Marshal, 2 is MarshalIndent(v, "", "  "). false with *err set to a
 * static message when v has NaN/Inf or a function. */
bool fd_expr_bi_json(struct fd_buf *b, struct fd_expr_val v, int indent, const char **err);

/* ---- Time helpers (builtins_timefmt.c) ------------------------------------------- */

/* time.ParseDuration; false with a Go message in errbuf. */

/* The calendar fields of a time in its own zone. */
struct fd_expr_bi_civil {
    int64_t year;
    int month, day, hour, min, sec, nsec, wday, yday;
};
struct fd_expr_bi_civil fd_expr_bi_to_civil(const struct fd_expr_time *t);
int64_t fd_expr_bi_floor_div(int64_t a, int64_t b);

/* A location: its UTC offset rules over time (one rule for UTC). */
struct fd_expr_bi_zone_rule {
    int64_t at;     /* transition instant (Unix seconds) */
    int32_t offset; /* seconds east of UTC from then on */
    char abbr[16];
    bool isdst;
};
struct fd_expr_bi_location {
    bool fixed;  /* a FixedZone: name is no zoneinfo name */
    uint64_t id; /* its pointer's identity (struct fd_expr_time locid) */
    char name[64];
    char extend[64]; /* the TZif footer's POSIX TZ string, for after rules[n-1] */
    size_t n;
    struct fd_expr_bi_zone_rule rules[1200];
};
/* Go's tzset (zoneinfo.go): the zone the POSIX TZ string tz puts in force
 * at sec, after the last transition at last_tx, in *z (z->at its start),
 * with the period [*start, *end) it holds; false when tz does not parse. */
bool fd_expr_bi_tzset(const char *tz, int64_t last_tx, int64_t sec, struct fd_expr_bi_zone_rule *z,
                      int64_t *start, int64_t *end);
/* time.LoadLocation: "" and "UTC", "Local" (the TZ variable, else UTC) or a
 * zoneinfo name; false for an unknown zone. */
bool fd_expr_bi_load_location(const char *name, struct fd_expr_bi_location *loc);
/* An owned time value for an instant, shown in loc. */
struct fd_expr_val fd_expr_bi_time_in(int64_t sec, int32_t nsec,
                                      const struct fd_expr_bi_location *loc);
/* The time at instant sec in t's Location, its offset and abbreviation
 * those in force then (Time.Add and Round keep the Location, not the
 * offset). An owned value. */
struct fd_expr_val fd_expr_bi_time_at(const struct fd_expr_time *t, int64_t sec, int32_t nsec);
/* Date(..., t.Location()): the wall clock reading wall (seconds of the
 * local calendar since 1970) resolved in t's Location as Date() resolves
 * it, gaps and overlaps included. An owned value. */
struct fd_expr_val fd_expr_bi_date_in(const struct fd_expr_time *t, int64_t wall, int32_t nsec);
/* The zone period t is in (Time.IsDST, Time.ZoneBounds): whether it is
 * daylight saving time, and its first instant (*has_start false: since the
 * beginning of time, as a fixed zone's). */
void fd_expr_bi_zone_period(const struct fd_expr_time *t, bool *isdst, bool *has_start,
                            int64_t *start);
/* timezone()'s value: a time value with nsec -1 carrying the name. */
struct fd_expr_val fd_expr_bi_location_value(const char *name);
/* t's Location as a value (the method Location()). */
struct fd_expr_val fd_expr_bi_location_of(const struct fd_expr_time *t);
/* The rules of a location value: its zoneinfo, or the fixed zone it is;
 * false for a name that is neither. */
bool fd_expr_bi_location_load(const struct fd_expr_time *l, struct fd_expr_bi_location *loc);

/* Time.Format(layout) appended to b. */
void fd_expr_bi_format_layout(struct fd_buf *b, const struct fd_expr_time *t, const char *l,
                              size_t len);
/* time.ParseInLocation(layout, value, loc): an owned time in *out, or false
 * with Go's ParseError text in err. */
bool fd_expr_bi_parse_time(const char *layout, size_t llen, const char *value, size_t vlen,
                           const struct fd_expr_bi_location *loc, struct fd_expr_val *out,
                           char *err, size_t errlen);

/* ---- The builtins (listed in builtins.c) ------------------------------------------ */

/* numeric */
FD_BI_CALL(fd_expr_bi_abs);
FD_BI_CHECK(fd_expr_bi_abs_check);
FD_BI_CALL(fd_expr_bi_ceil);
FD_BI_CALL(fd_expr_bi_floor);
FD_BI_CALL(fd_expr_bi_round);
FD_BI_CHECK(fd_expr_bi_ceil_check);
FD_BI_CHECK(fd_expr_bi_floor_check);
FD_BI_CHECK(fd_expr_bi_round_check);
FD_BI_CALL(fd_expr_bi_int);
FD_BI_CHECK(fd_expr_bi_int_check);
FD_BI_CALL(fd_expr_bi_float);
FD_BI_CHECK(fd_expr_bi_float_check);
FD_BI_CALL(fd_expr_bi_max);
FD_BI_CHECK(fd_expr_bi_max_check);
FD_BI_CALL(fd_expr_bi_min);
FD_BI_CHECK(fd_expr_bi_min_check);
FD_BI_CALL(fd_expr_bi_mean);
FD_BI_CHECK(fd_expr_bi_mean_check);
FD_BI_CALL(fd_expr_bi_median);
FD_BI_CHECK(fd_expr_bi_median_check);
FD_BI_CALL(fd_expr_bi_bitand);
FD_BI_CALL(fd_expr_bi_bitor);
FD_BI_CALL(fd_expr_bi_bitxor);
FD_BI_CALL(fd_expr_bi_bitnand);
FD_BI_CALL(fd_expr_bi_bitshl);
FD_BI_CALL(fd_expr_bi_bitshr);
FD_BI_CALL(fd_expr_bi_bitushr);
FD_BI_CHECK(fd_expr_bi_bitand_check);
FD_BI_CHECK(fd_expr_bi_bitor_check);
FD_BI_CHECK(fd_expr_bi_bitxor_check);
FD_BI_CHECK(fd_expr_bi_bitnand_check);
FD_BI_CHECK(fd_expr_bi_bitshl_check);
FD_BI_CHECK(fd_expr_bi_bitshr_check);
FD_BI_CHECK(fd_expr_bi_bitushr_check);
FD_BI_CALL(fd_expr_bi_bitnot);
FD_BI_CHECK(fd_expr_bi_bitnot_check);

/* string */
FD_BI_CALL(fd_expr_bi_trim);
FD_BI_CHECK(fd_expr_bi_trim_check);
FD_BI_CALL(fd_expr_bi_trim_prefix);
FD_BI_CHECK(fd_expr_bi_trim_prefix_check);
FD_BI_CALL(fd_expr_bi_trim_suffix);
FD_BI_CHECK(fd_expr_bi_trim_suffix_check);
FD_BI_CALL(fd_expr_bi_upper);
FD_BI_CHECK(fd_expr_bi_upper_check);
FD_BI_CALL(fd_expr_bi_lower);
FD_BI_CHECK(fd_expr_bi_lower_check);
FD_BI_CALL(fd_expr_bi_split);
FD_BI_CHECK(fd_expr_bi_split_check);
FD_BI_CALL(fd_expr_bi_split_after);
FD_BI_CHECK(fd_expr_bi_split_after_check);
FD_BI_CALL(fd_expr_bi_replace);
FD_BI_CHECK(fd_expr_bi_replace_check);
FD_BI_CALL(fd_expr_bi_repeat);
FD_BI_CHECK(fd_expr_bi_repeat_check);
FD_BI_CALL(fd_expr_bi_join);
FD_BI_CHECK(fd_expr_bi_join_check);
FD_BI_CALL(fd_expr_bi_index_of);
FD_BI_CHECK(fd_expr_bi_index_of_check);
FD_BI_CALL(fd_expr_bi_last_index_of);
FD_BI_CHECK(fd_expr_bi_last_index_of_check);
FD_BI_CALL(fd_expr_bi_has_prefix);
FD_BI_CHECK(fd_expr_bi_has_prefix_check);
FD_BI_CALL(fd_expr_bi_has_suffix);
FD_BI_CHECK(fd_expr_bi_has_suffix_check);

/* collection */
FD_BI_CALL(fd_expr_bi_first);
FD_BI_CHECK(fd_expr_bi_first_check);
FD_BI_CALL(fd_expr_bi_last);
FD_BI_CHECK(fd_expr_bi_last_check);
FD_BI_CALL(fd_expr_bi_get);
FD_BI_CHECK(fd_expr_bi_get_check);
FD_BI_CALL(fd_expr_bi_take);
FD_BI_CHECK(fd_expr_bi_take_check);
FD_BI_CALL(fd_expr_bi_keys);
FD_BI_CHECK(fd_expr_bi_keys_check);
FD_BI_CALL(fd_expr_bi_values);
FD_BI_CHECK(fd_expr_bi_values_check);
FD_BI_CALL(fd_expr_bi_to_pairs);
FD_BI_CHECK(fd_expr_bi_to_pairs_check);
FD_BI_CALL(fd_expr_bi_from_pairs);
FD_BI_CHECK(fd_expr_bi_from_pairs_check);
FD_BI_CALL(fd_expr_bi_reverse);
FD_BI_CHECK(fd_expr_bi_reverse_check);
FD_BI_CALL(fd_expr_bi_uniq);
FD_BI_CHECK(fd_expr_bi_uniq_check);
FD_BI_CALL(fd_expr_bi_concat);
FD_BI_CHECK(fd_expr_bi_concat_check);
FD_BI_CALL(fd_expr_bi_flatten);
FD_BI_CHECK(fd_expr_bi_flatten_check);
FD_BI_CALL(fd_expr_bi_sort);
FD_BI_CHECK(fd_expr_bi_sort_check);
/* v1.15.5's sort and sortBy (builtin/sort.go): a, sorted by each item's
 * field (sortBy: field non-NULL) or by the item itself, order "asc" or
 * "desc" (NULL: asc). An owned array in *out, or false with Go's error. */
bool fd_expr_bi_sort115(struct fd_expr_ctx *ctx, struct fd_expr_val a,
                        const struct fd_expr_val *field, const struct fd_expr_val *order,
                        struct fd_expr_val *out);

/* conversion */
FD_BI_CALL(fd_expr_bi_type);
FD_BI_CHECK(fd_expr_bi_type_check);
FD_BI_CALL(fd_expr_bi_string);
FD_BI_CHECK(fd_expr_bi_string_check);
FD_BI_CALL(fd_expr_bi_to_json);
FD_BI_CHECK(fd_expr_bi_to_json_check);
FD_BI_CALL(fd_expr_bi_from_json);
FD_BI_CHECK(fd_expr_bi_from_json_check);
FD_BI_CALL(fd_expr_bi_to_base64);
FD_BI_CHECK(fd_expr_bi_to_base64_check);
FD_BI_CALL(fd_expr_bi_from_base64);
FD_BI_CHECK(fd_expr_bi_from_base64_check);

/* time */
FD_BI_CALL(fd_expr_bi_now);
FD_BI_CHECK(fd_expr_bi_now_check);
FD_BI_CALL(fd_expr_bi_duration);
FD_BI_CHECK(fd_expr_bi_duration_check);
FD_BI_CALL(fd_expr_bi_date);
FD_BI_CHECK(fd_expr_bi_date_check);
FD_BI_CALL(fd_expr_bi_timezone);
FD_BI_CHECK(fd_expr_bi_timezone_check);
FD_BI_CHECK(fd_expr_bi_m_year_check);
FD_BI_CHECK(fd_expr_bi_m_month_check);
FD_BI_CHECK(fd_expr_bi_m_day_check);
FD_BI_CHECK(fd_expr_bi_m_hour_check);
FD_BI_CHECK(fd_expr_bi_m_minute_check);
FD_BI_CHECK(fd_expr_bi_m_second_check);
FD_BI_CHECK(fd_expr_bi_m_nanosecond_check);
FD_BI_CHECK(fd_expr_bi_m_weekday_check);
FD_BI_CHECK(fd_expr_bi_m_yearday_check);
FD_BI_CHECK(fd_expr_bi_m_unix_check);
FD_BI_CHECK(fd_expr_bi_m_unixmilli_check);
FD_BI_CHECK(fd_expr_bi_m_unixnano_check);
FD_BI_CHECK(fd_expr_bi_m_format_check);
FD_BI_CHECK(fd_expr_bi_m_time_string_check);
FD_BI_CHECK(fd_expr_bi_m_utc_check);
FD_BI_CHECK(fd_expr_bi_m_local_check);
FD_BI_CHECK(fd_expr_bi_m_in_check);
FD_BI_CHECK(fd_expr_bi_m_enum_string_check);
FD_BI_CALL(fd_expr_bi_m_enum_string);
FD_BI_CHECK(fd_expr_bi_m_location_check);
FD_BI_CALL(fd_expr_bi_m_location);
FD_BI_CALL(fd_expr_bi_m_local);
FD_BI_CHECK(fd_expr_bi_m_add_check);
FD_BI_CHECK(fd_expr_bi_m_sub_check);
FD_BI_CHECK(fd_expr_bi_m_add_date_check);
FD_BI_CHECK(fd_expr_bi_m_after_check);
FD_BI_CHECK(fd_expr_bi_m_before_check);
FD_BI_CHECK(fd_expr_bi_m_equal_check);
FD_BI_CHECK(fd_expr_bi_m_is_zero_check);
FD_BI_CHECK(fd_expr_bi_m_t_truncate_check);
FD_BI_CHECK(fd_expr_bi_m_t_round_check);
FD_BI_CHECK(fd_expr_bi_m_marshal_binary_check);
FD_BI_CHECK(fd_expr_bi_m_gob_encode_check);
FD_BI_CHECK(fd_expr_bi_m_append_format_check);
FD_BI_CHECK(fd_expr_bi_m_unixmicro_check);
FD_BI_CHECK(fd_expr_bi_m_compare_check);
FD_BI_CHECK(fd_expr_bi_m_go_string_check);
FD_BI_CHECK(fd_expr_bi_m_zone_check);
FD_BI_CHECK(fd_expr_bi_m_iso_week_check);
FD_BI_CHECK(fd_expr_bi_m_is_dst_check);
FD_BI_CHECK(fd_expr_bi_m_zone_bounds_check);
FD_BI_CHECK(fd_expr_bi_m_marshal_json_check);
FD_BI_CHECK(fd_expr_bi_m_marshal_text_check);
FD_BI_CHECK(fd_expr_bi_m_clock_check);
FD_BI_CHECK(fd_expr_bi_m_date_check);
FD_BI_CHECK(fd_expr_bi_m_hours_check);
FD_BI_CHECK(fd_expr_bi_m_minutes_check);
FD_BI_CHECK(fd_expr_bi_m_seconds_check);
FD_BI_CHECK(fd_expr_bi_m_milliseconds_check);
FD_BI_CHECK(fd_expr_bi_m_microseconds_check);
FD_BI_CHECK(fd_expr_bi_m_nanoseconds_check);
FD_BI_CHECK(fd_expr_bi_m_dur_string_check);
FD_BI_CHECK(fd_expr_bi_m_dur_abs_check);
FD_BI_CHECK(fd_expr_bi_m_d_truncate_check);
FD_BI_CHECK(fd_expr_bi_m_d_round_check);

/* Methods are dispatched by name inside builtins_time.c; the table lists
 * each name once per receiver. */
FD_BI_CALL(fd_expr_bi_m_year);
FD_BI_CALL(fd_expr_bi_m_month);
FD_BI_CALL(fd_expr_bi_m_day);
FD_BI_CALL(fd_expr_bi_m_hour);
FD_BI_CALL(fd_expr_bi_m_minute);
FD_BI_CALL(fd_expr_bi_m_second);
FD_BI_CALL(fd_expr_bi_m_nanosecond);
FD_BI_CALL(fd_expr_bi_m_weekday);
FD_BI_CALL(fd_expr_bi_m_yearday);
FD_BI_CALL(fd_expr_bi_m_unix);
FD_BI_CALL(fd_expr_bi_m_unixmilli);
FD_BI_CALL(fd_expr_bi_m_unixnano);
FD_BI_CALL(fd_expr_bi_m_format);
FD_BI_CALL(fd_expr_bi_m_time_string);
FD_BI_CALL(fd_expr_bi_m_utc);
FD_BI_CALL(fd_expr_bi_m_in);
FD_BI_CALL(fd_expr_bi_m_add);
FD_BI_CALL(fd_expr_bi_m_sub);
FD_BI_CALL(fd_expr_bi_m_add_date);
FD_BI_CALL(fd_expr_bi_m_after);
FD_BI_CALL(fd_expr_bi_m_before);
FD_BI_CALL(fd_expr_bi_m_equal);
FD_BI_CALL(fd_expr_bi_m_is_zero);
FD_BI_CALL(fd_expr_bi_m_t_truncate);
FD_BI_CALL(fd_expr_bi_m_t_round);
FD_BI_CALL(fd_expr_bi_m_marshal_binary);
FD_BI_CALL(fd_expr_bi_m_gob_encode);
FD_BI_CALL(fd_expr_bi_m_append_format);
FD_BI_CALL(fd_expr_bi_m_unixmicro);
FD_BI_CALL(fd_expr_bi_m_compare);
FD_BI_CALL(fd_expr_bi_m_go_string);
FD_BI_CALL(fd_expr_bi_m_zone);
FD_BI_CALL(fd_expr_bi_m_iso_week);
FD_BI_CALL(fd_expr_bi_m_is_dst);
FD_BI_CALL(fd_expr_bi_m_zone_bounds);
FD_BI_CALL(fd_expr_bi_m_marshal_json);
FD_BI_CALL(fd_expr_bi_m_marshal_text);
FD_BI_CALL(fd_expr_bi_m_clock);
FD_BI_CALL(fd_expr_bi_m_date);
FD_BI_CALL(fd_expr_bi_m_hours);
FD_BI_CALL(fd_expr_bi_m_minutes);
FD_BI_CALL(fd_expr_bi_m_seconds);
FD_BI_CALL(fd_expr_bi_m_milliseconds);
FD_BI_CALL(fd_expr_bi_m_microseconds);
FD_BI_CALL(fd_expr_bi_m_nanoseconds);
FD_BI_CALL(fd_expr_bi_m_dur_string);
FD_BI_CALL(fd_expr_bi_m_dur_abs);
FD_BI_CALL(fd_expr_bi_m_d_truncate);
FD_BI_CALL(fd_expr_bi_m_d_round);

/* Argo Rollouts environment (env_argo.c) */
FD_BI_CALL(fd_expr_bi_as_int);
FD_BI_CALL(fd_expr_bi_as_float);
FD_BI_CALL(fd_expr_bi_is_nan);
FD_BI_CALL(fd_expr_bi_is_inf);
FD_BI_CHECK(fd_expr_bi_float_pred_check);
FD_BI_CHECK(fd_expr_bi_is_inf_check);
FD_BI_CHECK(fd_expr_bi_any1_int_check);
FD_BI_CHECK(fd_expr_bi_any1_float_check);
FD_BI_CALL(fd_expr_bi_is_nil);
FD_BI_CHECK(fd_expr_bi_is_nil_check);
FD_BI_CALL(fd_expr_bi_default);
FD_BI_CHECK(fd_expr_bi_default_check);

/* Kargo (env_kargo.c) */
FD_BI_CALL(fd_expr_bi_quote);
FD_BI_CALL(fd_expr_bi_unsafe_quote);
FD_BI_CHECK(fd_expr_bi_quote_check);
FD_BI_CALL(fd_expr_bi_as_json);
FD_BI_CALL(fd_expr_bi_as_yaml);
FD_BI_CHECK(fd_expr_bi_as_yaml_check);
/* yaml.v3 Marshal text of v (yaml_out.c); false with *err on failure. */
bool fd_expr_bi_yaml(struct fd_buf *b, struct fd_expr_val v, const char **err);
/* yaml.v3's best_indent: the indentation its Marshal nests by */
#define FD_EXPR_YAML_INDENT 4
/* yaml_scalar.c: one string scalar as yaml.v3's emitter writes it, indent
 * being where its continuation lines start and key whether it is a simple
 * mapping key; whether a key may be simple (check_simple_key: no line
 * breaks, 128 bytes at most); n spaces. */
void fd_expr_yaml_scalar(struct fd_buf *b, const char *s, size_t len, int indent, bool key);
bool fd_expr_yaml_simple_key(const char *s, size_t len);
void fd_expr_yaml_indent(struct fd_buf *b, int n);
FD_BI_CHECK(fd_expr_bi_as_json_check);
FD_BI_CHECK(fd_expr_bi_unsafe_quote_check);

/* Kargo's cluster and semver functions (env_kargo_freight.c) */
FD_BI_CALL(fd_expr_bi_commit_from);
FD_BI_CHECK(fd_expr_bi_commit_from_check);
FD_BI_CALL(fd_expr_bi_image_from);
FD_BI_CHECK(fd_expr_bi_image_from_check);
FD_BI_CALL(fd_expr_bi_chart_from);
FD_BI_CHECK(fd_expr_bi_chart_from_check);
FD_BI_CALL(fd_expr_bi_artifact_from);
FD_BI_CHECK(fd_expr_bi_artifact_from_check);
FD_BI_CALL(fd_expr_bi_warehouse);
FD_BI_CHECK(fd_expr_bi_warehouse_check);
FD_BI_CALL(fd_expr_bi_freight_metadata);
FD_BI_CHECK(fd_expr_bi_freight_metadata_check);
FD_BI_CALL(fd_expr_bi_stage_metadata);
FD_BI_CHECK(fd_expr_bi_stage_metadata_check);
FD_BI_CALL(fd_expr_bi_config_map);
FD_BI_CHECK(fd_expr_bi_config_map_check);
FD_BI_CALL(fd_expr_bi_secret);
FD_BI_CHECK(fd_expr_bi_secret_check);
FD_BI_CALL(fd_expr_bi_shared_config_map);
FD_BI_CHECK(fd_expr_bi_shared_config_map_check);
FD_BI_CALL(fd_expr_bi_shared_secret);
FD_BI_CHECK(fd_expr_bi_shared_secret_check);
FD_BI_CALL(fd_expr_bi_semver_parse);
FD_BI_CHECK(fd_expr_bi_semver_parse_check);
FD_BI_CALL(fd_expr_bi_semver_diff);
FD_BI_CHECK(fd_expr_bi_semver_diff_check);
/* *semver.Version methods, on the version's text in the Kargo modes */
FD_BI_CALL(fd_expr_bi_v_major);
FD_BI_CHECK(fd_expr_bi_v_major_check);
FD_BI_CALL(fd_expr_bi_v_minor);
FD_BI_CHECK(fd_expr_bi_v_minor_check);
FD_BI_CALL(fd_expr_bi_v_patch);
FD_BI_CHECK(fd_expr_bi_v_patch_check);
FD_BI_CALL(fd_expr_bi_v_prerelease);
FD_BI_CHECK(fd_expr_bi_v_prerelease_check);
FD_BI_CALL(fd_expr_bi_v_metadata);
FD_BI_CHECK(fd_expr_bi_v_metadata_check);
FD_BI_CALL(fd_expr_bi_v_original);
FD_BI_CHECK(fd_expr_bi_v_original_check);
FD_BI_CALL(fd_expr_bi_v_string);
FD_BI_CHECK(fd_expr_bi_v_string_check);
FD_BI_CALL(fd_expr_bi_v_inc_major);
FD_BI_CHECK(fd_expr_bi_v_inc_major_check);
FD_BI_CALL(fd_expr_bi_v_inc_minor);
FD_BI_CHECK(fd_expr_bi_v_inc_minor_check);
FD_BI_CALL(fd_expr_bi_v_inc_patch);
FD_BI_CHECK(fd_expr_bi_v_inc_patch_check);
FD_BI_CALL(fd_expr_bi_v_less_than);
FD_BI_CHECK(fd_expr_bi_v_less_than_check);
FD_BI_CALL(fd_expr_bi_v_less_than_equal);
FD_BI_CHECK(fd_expr_bi_v_less_than_equal_check);
FD_BI_CALL(fd_expr_bi_v_greater_than);
FD_BI_CHECK(fd_expr_bi_v_greater_than_check);
FD_BI_CALL(fd_expr_bi_v_greater_than_equal);
FD_BI_CHECK(fd_expr_bi_v_greater_than_equal_check);
FD_BI_CALL(fd_expr_bi_v_equal);
FD_BI_CHECK(fd_expr_bi_v_equal_check);
FD_BI_CALL(fd_expr_bi_v_compare);
FD_BI_CHECK(fd_expr_bi_v_compare_check);

#endif /* FREIGHTDECK_EXPR_BUILTINS_H */
