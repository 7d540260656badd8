/* expr/builtins.c: the table of expr-lang v1.17.8 builtins plus the Argo and
 * Kargo environment functions, and expr's overload checker they share. */
#include "config.h"

#include "builtins.h"

#include <stdio.h>
#include <string.h>

#define V     FD_EXPR_VARIADIC
#define ARGO  FD_EXPR_MODES_ARGO
#define KARGO FD_EXPR_MODES_KARGO

/* Arity is checked by the check functions (with expr's per-builtin wording),
 * so most entries accept 0..V arguments here. */
#define FN(name, call, check)                                             \
    {                                                                     \
        name, call, check, 0, V, 0, FD_VAL_NIL, false, FD_EXPR_GO_CHECKED \
    }
/* ... whose Go Func counts its arguments first (FD_EXPR_GO_ARITY), or which
 * the VM calls with one popped argument (Fast: FD_EXPR_GO_FAST) */
#define FN_GO(name, call, check, go)                      \
    {                                                     \
        name, call, check, 0, V, 0, FD_VAL_NIL, false, go \
    }
/* A builtin v1.17 checks with Validate rather than Go signatures (Types). */
#define FV(name, call, check)                                            \
    {                                                                    \
        name, call, check, 0, V, 0, FD_VAL_NIL, true, FD_EXPR_GO_CHECKED \
    }
#define FV_GO(name, call, check, go)                     \
    {                                                    \
        name, call, check, 0, V, 0, FD_VAL_NIL, true, go \
    }
#define FN_MODES(name, call, check, modes)                                    \
    {                                                                         \
        name, call, check, 0, V, modes, FD_VAL_NIL, false, FD_EXPR_GO_CHECKED \
    }
#define FN_MODES_GO(name, call, check, modes, go)             \
    {                                                         \
        name, call, check, 0, V, modes, FD_VAL_NIL, false, go \
    }
/* Methods take a receiver and their Go parameters, no more, no fewer:
 * min_args = max_args = 1 + arity (the checker's and reflect's count) */
#define TM(name, call, check, arity)                                                           \
    {                                                                                          \
        name, call, check, 1 + (arity), 1 + (arity), 0, FD_VAL_TIME, false, FD_EXPR_GO_CHECKED \
    }
#define DM(name, call, check, arity)                                                               \
    {                                                                                              \
        name, call, check, 1 + (arity), 1 + (arity), 0, FD_VAL_DURATION, false, FD_EXPR_GO_CHECKED \
    }

#define SM(name, call, check, arity)                                              \
    {                                                                             \
        name, call, check, 1 + (arity), 1 + (arity), KARGO, FD_VAL_STRING, false, \
            FD_EXPR_GO_CHECKED                                                    \
    }

const struct fd_expr_builtin fd_expr_builtin_table[] = {
    /* numeric */
    FV_GO("abs", fd_expr_bi_abs, fd_expr_bi_abs_check, FD_EXPR_GO_FAST),
    FV_GO("ceil", fd_expr_bi_ceil, fd_expr_bi_ceil_check, FD_EXPR_GO_FAST),
    FV_GO("floor", fd_expr_bi_floor, fd_expr_bi_floor_check, FD_EXPR_GO_FAST),
    FV_GO("round", fd_expr_bi_round, fd_expr_bi_round_check, FD_EXPR_GO_FAST),
    FV_GO("int", fd_expr_bi_int, fd_expr_bi_int_check, FD_EXPR_GO_FAST),
    FV_GO("float", fd_expr_bi_float, fd_expr_bi_float_check, FD_EXPR_GO_FAST),
    FV_GO("max", fd_expr_bi_max, fd_expr_bi_max_check, FD_EXPR_GO_ANY),
    FV_GO("min", fd_expr_bi_min, fd_expr_bi_min_check, FD_EXPR_GO_ANY),
    FV_GO("mean", fd_expr_bi_mean, fd_expr_bi_mean_check, FD_EXPR_GO_ANY),
    FV_GO("median", fd_expr_bi_median, fd_expr_bi_median_check, FD_EXPR_GO_ANY),
    FN_GO("bitand", fd_expr_bi_bitand, fd_expr_bi_bitand_check, FD_EXPR_GO_ARITY),
    FN_GO("bitor", fd_expr_bi_bitor, fd_expr_bi_bitor_check, FD_EXPR_GO_ARITY),
    FN_GO("bitxor", fd_expr_bi_bitxor, fd_expr_bi_bitxor_check, FD_EXPR_GO_ARITY),
    FN_GO("bitnand", fd_expr_bi_bitnand, fd_expr_bi_bitnand_check, FD_EXPR_GO_ARITY),
    FN_GO("bitshl", fd_expr_bi_bitshl, fd_expr_bi_bitshl_check, FD_EXPR_GO_ARITY),
    FN_GO("bitshr", fd_expr_bi_bitshr, fd_expr_bi_bitshr_check, FD_EXPR_GO_ARITY),
    FN_GO("bitushr", fd_expr_bi_bitushr, fd_expr_bi_bitushr_check, FD_EXPR_GO_ARITY),
    FN_GO("bitnot", fd_expr_bi_bitnot, fd_expr_bi_bitnot_check, FD_EXPR_GO_ARITY),
    /* string */
    FN_GO("trim", fd_expr_bi_trim, fd_expr_bi_trim_check, FD_EXPR_GO_ARITY),
    FN_GO("trimPrefix", fd_expr_bi_trim_prefix, fd_expr_bi_trim_prefix_check, FD_EXPR_GO_OPTIONAL2),
    FN_GO("trimSuffix", fd_expr_bi_trim_suffix, fd_expr_bi_trim_suffix_check, FD_EXPR_GO_OPTIONAL2),
    FN_GO("upper", fd_expr_bi_upper, fd_expr_bi_upper_check, FD_EXPR_GO_FAST),
    FN_GO("lower", fd_expr_bi_lower, fd_expr_bi_lower_check, FD_EXPR_GO_FAST),
    FN_GO("split", fd_expr_bi_split, fd_expr_bi_split_check, FD_EXPR_GO_ARITY),
    FN_GO("splitAfter", fd_expr_bi_split_after, fd_expr_bi_split_after_check, FD_EXPR_GO_ARITY),
    FN_GO("replace", fd_expr_bi_replace, fd_expr_bi_replace_check, FD_EXPR_GO_ARITY),
    FN_GO("repeat", fd_expr_bi_repeat, fd_expr_bi_repeat_check, FD_EXPR_GO_READS2),
    FN_GO("join", fd_expr_bi_join, fd_expr_bi_join_check, FD_EXPR_GO_OPTIONAL2),
    FN_GO("indexOf", fd_expr_bi_index_of, fd_expr_bi_index_of_check, FD_EXPR_GO_READS2),
    FN_GO("lastIndexOf", fd_expr_bi_last_index_of, fd_expr_bi_last_index_of_check,
          FD_EXPR_GO_READS2),
    FN_GO("hasPrefix", fd_expr_bi_has_prefix, fd_expr_bi_has_prefix_check, FD_EXPR_GO_READS2),
    FN_GO("hasSuffix", fd_expr_bi_has_suffix, fd_expr_bi_has_suffix_check, FD_EXPR_GO_READS2),
    /* collection */
    FV_GO("first", fd_expr_bi_first, fd_expr_bi_first_check, FD_EXPR_GO_RECOVERS),
    FV_GO("last", fd_expr_bi_last, fd_expr_bi_last_check, FD_EXPR_GO_RECOVERS),
    FN_GO("get", fd_expr_bi_get, fd_expr_bi_get_check, FD_EXPR_GO_GET),
    FV_GO("take", fd_expr_bi_take, fd_expr_bi_take_check, FD_EXPR_GO_ARITY),
    FV_GO("keys", fd_expr_bi_keys, fd_expr_bi_keys_check, FD_EXPR_GO_ARITY),
    FV_GO("values", fd_expr_bi_values, fd_expr_bi_values_check, FD_EXPR_GO_ARITY),
    FV_GO("toPairs", fd_expr_bi_to_pairs, fd_expr_bi_to_pairs_check, FD_EXPR_GO_ARITY),
    FV_GO("fromPairs", fd_expr_bi_from_pairs, fd_expr_bi_from_pairs_check, FD_EXPR_GO_ARITY),
    FV_GO("reverse", fd_expr_bi_reverse, fd_expr_bi_reverse_check, FD_EXPR_GO_ARITY),
    FV_GO("uniq", fd_expr_bi_uniq, fd_expr_bi_uniq_check, FD_EXPR_GO_ARITY),
    FV_GO("concat", fd_expr_bi_concat, fd_expr_bi_concat_check, FD_EXPR_GO_ARITY),
    FV_GO("flatten", fd_expr_bi_flatten, fd_expr_bi_flatten_check, FD_EXPR_GO_ARITY),
    FN_GO("sort", fd_expr_bi_sort, fd_expr_bi_sort_check, FD_EXPR_GO_ARITY),
    /* conversion */
    FN_GO("type", fd_expr_bi_type, fd_expr_bi_type_check, FD_EXPR_GO_FAST),
    FN_GO("string", fd_expr_bi_string, fd_expr_bi_string_check, FD_EXPR_GO_FAST),
    FN_GO("toJSON", fd_expr_bi_to_json, fd_expr_bi_to_json_check, FD_EXPR_GO_READS1),
    FN_GO("fromJSON", fd_expr_bi_from_json, fd_expr_bi_from_json_check, FD_EXPR_GO_READS1),
    FN_GO("toBase64", fd_expr_bi_to_base64, fd_expr_bi_to_base64_check, FD_EXPR_GO_READS1),
    FN_GO("fromBase64", fd_expr_bi_from_base64, fd_expr_bi_from_base64_check, FD_EXPR_GO_READS1),
    /* time */
    FV_GO("now", fd_expr_bi_now, fd_expr_bi_now_check, FD_EXPR_GO_ARITY),
    FN_GO("duration", fd_expr_bi_duration, fd_expr_bi_duration_check, FD_EXPR_GO_READS1),
    FV_GO("date", fd_expr_bi_date, fd_expr_bi_date_check, FD_EXPR_GO_ANY),
    FN_GO("timezone", fd_expr_bi_timezone, fd_expr_bi_timezone_check, FD_EXPR_GO_READS1),
    /* time.Time methods */
    TM("Year", fd_expr_bi_m_year, fd_expr_bi_m_year_check, 0),
    TM("Month", fd_expr_bi_m_month, fd_expr_bi_m_month_check, 0),
    TM("Day", fd_expr_bi_m_day, fd_expr_bi_m_day_check, 0),
    TM("Hour", fd_expr_bi_m_hour, fd_expr_bi_m_hour_check, 0),
    TM("Minute", fd_expr_bi_m_minute, fd_expr_bi_m_minute_check, 0),
    TM("Second", fd_expr_bi_m_second, fd_expr_bi_m_second_check, 0),
    TM("Nanosecond", fd_expr_bi_m_nanosecond, fd_expr_bi_m_nanosecond_check, 0),
    TM("Weekday", fd_expr_bi_m_weekday, fd_expr_bi_m_weekday_check, 0),
    TM("YearDay", fd_expr_bi_m_yearday, fd_expr_bi_m_yearday_check, 0),
    TM("Unix", fd_expr_bi_m_unix, fd_expr_bi_m_unix_check, 0),
    TM("UnixMilli", fd_expr_bi_m_unixmilli, fd_expr_bi_m_unixmilli_check, 0),
    TM("UnixNano", fd_expr_bi_m_unixnano, fd_expr_bi_m_unixnano_check, 0),
    TM("Format", fd_expr_bi_m_format, fd_expr_bi_m_format_check, 1),
    TM("String", fd_expr_bi_m_time_string, fd_expr_bi_m_time_string_check, 0),
    TM("UTC", fd_expr_bi_m_utc, fd_expr_bi_m_utc_check, 0),
    TM("Local", fd_expr_bi_m_local, fd_expr_bi_m_local_check, 0),
    TM("In", fd_expr_bi_m_in, fd_expr_bi_m_in_check, 1),
    TM("Location", fd_expr_bi_m_location, fd_expr_bi_m_location_check, 0),
    TM("Add", fd_expr_bi_m_add, fd_expr_bi_m_add_check, 1),
    TM("Sub", fd_expr_bi_m_sub, fd_expr_bi_m_sub_check, 1),
    TM("AddDate", fd_expr_bi_m_add_date, fd_expr_bi_m_add_date_check, 3),
    TM("After", fd_expr_bi_m_after, fd_expr_bi_m_after_check, 1),
    TM("Before", fd_expr_bi_m_before, fd_expr_bi_m_before_check, 1),
    TM("Equal", fd_expr_bi_m_equal, fd_expr_bi_m_equal_check, 1),
    TM("IsZero", fd_expr_bi_m_is_zero, fd_expr_bi_m_is_zero_check, 0),
    TM("Truncate", fd_expr_bi_m_t_truncate, fd_expr_bi_m_t_truncate_check, 1),
    TM("Round", fd_expr_bi_m_t_round, fd_expr_bi_m_t_round_check, 1),
    TM("UnixMicro", fd_expr_bi_m_unixmicro, fd_expr_bi_m_unixmicro_check, 0),
    TM("Compare", fd_expr_bi_m_compare, fd_expr_bi_m_compare_check, 1),
    TM("GoString", fd_expr_bi_m_go_string, fd_expr_bi_m_go_string_check, 0),
    TM("Zone", fd_expr_bi_m_zone, fd_expr_bi_m_zone_check, 0),
    TM("ISOWeek", fd_expr_bi_m_iso_week, fd_expr_bi_m_iso_week_check, 0),
    TM("IsDST", fd_expr_bi_m_is_dst, fd_expr_bi_m_is_dst_check, 0),
    TM("ZoneBounds", fd_expr_bi_m_zone_bounds, fd_expr_bi_m_zone_bounds_check, 0),
    TM("MarshalJSON", fd_expr_bi_m_marshal_json, fd_expr_bi_m_marshal_json_check, 0),
    TM("MarshalText", fd_expr_bi_m_marshal_text, fd_expr_bi_m_marshal_text_check, 0),
    TM("Clock", fd_expr_bi_m_clock, fd_expr_bi_m_clock_check, 0),
    TM("Date", fd_expr_bi_m_date, fd_expr_bi_m_date_check, 0),
    TM("MarshalBinary", fd_expr_bi_m_marshal_binary, fd_expr_bi_m_marshal_binary_check, 0),
    TM("GobEncode", fd_expr_bi_m_gob_encode, fd_expr_bi_m_gob_encode_check, 0),
    TM("AppendFormat", fd_expr_bi_m_append_format, fd_expr_bi_m_append_format_check, 2),
    /* time.Month and time.Weekday (ints at run time, tagged) */
    {"String", fd_expr_bi_m_enum_string, fd_expr_bi_m_enum_string_check, 1, 1, 0, FD_VAL_INT, false,
     FD_EXPR_GO_CHECKED},
    /* time.Duration methods */
    DM("Hours", fd_expr_bi_m_hours, fd_expr_bi_m_hours_check, 0),
    DM("Minutes", fd_expr_bi_m_minutes, fd_expr_bi_m_minutes_check, 0),
    DM("Seconds", fd_expr_bi_m_seconds, fd_expr_bi_m_seconds_check, 0),
    DM("Milliseconds", fd_expr_bi_m_milliseconds, fd_expr_bi_m_milliseconds_check, 0),
    DM("Microseconds", fd_expr_bi_m_microseconds, fd_expr_bi_m_microseconds_check, 0),
    DM("Nanoseconds", fd_expr_bi_m_nanoseconds, fd_expr_bi_m_nanoseconds_check, 0),
    DM("String", fd_expr_bi_m_dur_string, fd_expr_bi_m_dur_string_check, 0),
    DM("Abs", fd_expr_bi_m_dur_abs, fd_expr_bi_m_dur_abs_check, 0),
    DM("Truncate", fd_expr_bi_m_d_truncate, fd_expr_bi_m_d_truncate_check, 1),
    DM("Round", fd_expr_bi_m_d_round, fd_expr_bi_m_d_round_check, 1),
    /* Argo Rollouts: utils/evaluate/evaluate.go puts these in the env */
    FN_MODES_GO("asInt", fd_expr_bi_as_int, fd_expr_bi_any1_int_check, ARGO,
                FD_EXPR_GO_REFLECT_ANY1),
    FN_MODES_GO("asFloat", fd_expr_bi_as_float, fd_expr_bi_any1_float_check, ARGO,
                FD_EXPR_GO_REFLECT_ANY1),
    FN_MODES_GO("isNaN", fd_expr_bi_is_nan, fd_expr_bi_float_pred_check, ARGO,
                FD_EXPR_GO_REFLECT_FLOAT1),
    FN_MODES_GO("isInf", fd_expr_bi_is_inf, fd_expr_bi_is_inf_check, ARGO,
                FD_EXPR_GO_REFLECT_FLOAT1),
    FN_MODES_GO("isNil", fd_expr_bi_is_nil, fd_expr_bi_is_nil_check, ARGO, FD_EXPR_GO_REFLECT_ANY1),
    FN_MODES_GO("default", fd_expr_bi_default, fd_expr_bi_default_check, ARGO,
                FD_EXPR_GO_REFLECT_ANY2),
    /* Kargo: pkg/expressions registers these for ${{ }} templates */
    FN_MODES_GO("quote", fd_expr_bi_quote, fd_expr_bi_quote_check, KARGO, FD_EXPR_GO_READS1),
    FN_MODES_GO("unsafeQuote", fd_expr_bi_unsafe_quote, fd_expr_bi_unsafe_quote_check, KARGO,
                FD_EXPR_GO_READS1),
    FN_MODES_GO("asJSON", fd_expr_bi_as_json, fd_expr_bi_as_json_check, KARGO, FD_EXPR_GO_READS1),
    FN_MODES_GO("asYAML", fd_expr_bi_as_yaml, fd_expr_bi_as_yaml_check, KARGO, FD_EXPR_GO_READS1),
    /* Kargo: pkg/expressions/function (verification args, promotion steps); each
     * Func counts its arguments first, as ours does */
    FN_MODES_GO("commitFrom", fd_expr_bi_commit_from, fd_expr_bi_commit_from_check, KARGO,
                FD_EXPR_GO_ARITY),
    FN_MODES_GO("imageFrom", fd_expr_bi_image_from, fd_expr_bi_image_from_check, KARGO,
                FD_EXPR_GO_ARITY),
    FN_MODES_GO("chartFrom", fd_expr_bi_chart_from, fd_expr_bi_chart_from_check, KARGO,
                FD_EXPR_GO_ARITY),
    FN_MODES_GO("artifactFrom", fd_expr_bi_artifact_from, fd_expr_bi_artifact_from_check, KARGO,
                FD_EXPR_GO_ARITY),
    FN_MODES_GO("warehouse", fd_expr_bi_warehouse, fd_expr_bi_warehouse_check, KARGO,
                FD_EXPR_GO_ARITY),
    FN_MODES_GO("freightMetadata", fd_expr_bi_freight_metadata, fd_expr_bi_freight_metadata_check,
                KARGO, FD_EXPR_GO_ARITY),
    FN_MODES_GO("stageMetadata", fd_expr_bi_stage_metadata, fd_expr_bi_stage_metadata_check, KARGO,
                FD_EXPR_GO_ARITY),
    FN_MODES_GO("configMap", fd_expr_bi_config_map, fd_expr_bi_config_map_check, KARGO,
                FD_EXPR_GO_ARITY),
    FN_MODES_GO("secret", fd_expr_bi_secret, fd_expr_bi_secret_check, KARGO, FD_EXPR_GO_ARITY),
    FN_MODES_GO("sharedConfigMap", fd_expr_bi_shared_config_map, fd_expr_bi_shared_config_map_check,
                KARGO, FD_EXPR_GO_ARITY),
    FN_MODES_GO("sharedSecret", fd_expr_bi_shared_secret, fd_expr_bi_shared_secret_check, KARGO,
                FD_EXPR_GO_ARITY),
    FN_MODES_GO("semverParse", fd_expr_bi_semver_parse, fd_expr_bi_semver_parse_check, KARGO,
                FD_EXPR_GO_ARITY),
    FN_MODES_GO("semverDiff", fd_expr_bi_semver_diff, fd_expr_bi_semver_diff_check, KARGO,
                FD_EXPR_GO_ARITY),
    /* *semver.Version methods: a version is its text (env_kargo_freight.c) */
    SM("Major", fd_expr_bi_v_major, fd_expr_bi_v_major_check, 0),
    SM("Minor", fd_expr_bi_v_minor, fd_expr_bi_v_minor_check, 0),
    SM("Patch", fd_expr_bi_v_patch, fd_expr_bi_v_patch_check, 0),
    SM("Prerelease", fd_expr_bi_v_prerelease, fd_expr_bi_v_prerelease_check, 0),
    SM("Metadata", fd_expr_bi_v_metadata, fd_expr_bi_v_metadata_check, 0),
    SM("Original", fd_expr_bi_v_original, fd_expr_bi_v_original_check, 0),
    SM("String", fd_expr_bi_v_string, fd_expr_bi_v_string_check, 0),
    SM("IncMajor", fd_expr_bi_v_inc_major, fd_expr_bi_v_inc_major_check, 0),
    SM("IncMinor", fd_expr_bi_v_inc_minor, fd_expr_bi_v_inc_minor_check, 0),
    SM("IncPatch", fd_expr_bi_v_inc_patch, fd_expr_bi_v_inc_patch_check, 0),
    SM("LessThan", fd_expr_bi_v_less_than, fd_expr_bi_v_less_than_check, 1),
    SM("LessThanEqual", fd_expr_bi_v_less_than_equal, fd_expr_bi_v_less_than_equal_check, 1),
    SM("GreaterThan", fd_expr_bi_v_greater_than, fd_expr_bi_v_greater_than_check, 1),
    SM("GreaterThanEqual", fd_expr_bi_v_greater_than_equal, fd_expr_bi_v_greater_than_equal_check,
       1),
    SM("Equal", fd_expr_bi_v_equal, fd_expr_bi_v_equal_check, 1),
    SM("Compare", fd_expr_bi_v_compare, fd_expr_bi_v_compare_check, 1),
    {NULL, NULL, NULL, 0, 0, 0, FD_VAL_NIL, false, FD_EXPR_GO_CHECKED},
};

/* ---- expr's checker for Go-typed builtins ----------------------------------------- */

static const char *ptype_name(uint8_t p)
{
    static const char *const names[] = {
        [FD_P_ANY] = "interface {}",
        [FD_P_STRING] = "string",
        [FD_P_INT] = "int",
        [FD_P_FLOAT] = "float64",
        [FD_P_ARR_ANY] = "[]interface {}",
        [FD_P_ARR_INT] = "[]int",
        [FD_P_ARR_FLOAT] = "[]float64",
        [FD_P_ARR_STRING] = "[]string",
        [FD_P_ORIGIN] = "v1alpha1.FreightOrigin",
    };
    return p < FD_ARRAY_SIZE(names) ? names[p] : "interface {}";
}

/* Go's AssignableTo between the static type of an argument and a parameter. */
static bool assignable(struct fd_expr_type t, uint8_t p)
{
    switch (p) {
    case FD_P_ANY:
        return true;
    case FD_P_STRING: /* not Kargo's FreightOriginKind: another Go type */
        return t.kind == FD_T_STRING && t.elem != FD_T_STRUCT;
    case FD_P_INT:
        return t.kind == FD_T_INT;
    case FD_P_FLOAT:
        return t.kind == FD_T_FLOAT || t.kind == FD_T_INT; /* ints are converted */
    case FD_P_ARR_ANY:
        return t.kind == FD_T_ARRAY && t.elem == FD_T_ANY;
    case FD_P_ARR_INT:
        return t.kind == FD_T_ARRAY && t.elem == FD_T_INT;
    case FD_P_ARR_FLOAT:
        return t.kind == FD_T_ARRAY && t.elem == FD_T_FLOAT;
    case FD_P_ARR_STRING:
        return t.kind == FD_T_ARRAY && t.elem == FD_T_STRING;
    case FD_P_ORIGIN:
        return t.kind == FD_T_STRUCT && t.elem == FD_EXPR_GOSTRUCT_ORIGIN;
    default:
        return false;
    }
}

/* One overload; returns 0 when it fits, else the argument index of the error
 * + 1 (or -1 for an arity error) with the message in msg. */
static int check_one(struct fd_expr_tctx *tc, const char *name, const struct fd_expr_bi_sig *sig,
                     const struct fd_expr_type *args, size_t nargs, bool v115, char *msg,
                     size_t msglen)
{
    if (nargs > sig->nparams) {
        snprintf(msg, msglen, "too many arguments to call %s", name);
        return -1;
    }
    if (nargs < sig->nparams) {
        snprintf(msg, msglen, "not enough arguments to call %s", name);
        return -1;
    }
    for (size_t i = 0; i < nargs; i++) {
        uint8_t p = sig->params[i];

        if (args[i].kind == FD_T_ANY)
            continue;
        if (args[i].kind == FD_T_NIL) {
            /* v1.15.5 checkArguments let a nil through (`if t == nil`): the
             * call then fails at run time */
            if (p == FD_P_ANY || v115)
                continue;
            snprintf(msg, msglen, "cannot use nil as argument (type %s) to call %s", ptype_name(p),
                     name);
            return (int)i + 1;
        }
        /* v1.15.5 converts any integer kind for a float64 parameter
         * (time.Duration, Month, Weekday too): the call fails at run time */
        if (v115 && p == FD_P_FLOAT &&
            (args[i].kind == FD_T_DURATION || args[i].kind == FD_T_MONTH ||
             args[i].kind == FD_T_WEEKDAY))
            continue;
        /* ...and an integer of another kind for an int parameter (a
         * time.Duration is an Int64): ToInt refuses it at run time */
        if (v115 && p == FD_P_INT && args[i].kind == FD_T_DURATION)
            continue;
        if (p == FD_P_FLOAT && args[i].kind == FD_T_INT)
            fd_expr_check_float_arg(tc, i, nargs);
        if (!assignable(args[i], p)) {
            /* expr's message really ends with a space */
            snprintf(msg, msglen, "cannot use %s as argument (type %s) to call %s ",
                     fd_expr_tname(args[i]), ptype_name(p), name);
            return (int)i + 1;
        }
    }
    return 0;
}

bool fd_expr_bi_check_sigs(struct fd_expr_tctx *tc, const char *name,
                           const struct fd_expr_bi_sig *sigs, size_t nsigs,
                           const struct fd_expr_type *args, size_t nargs, struct fd_expr_type *ret)
{
    char msg[256] = "";
    int where = -1, reach = 0;

    /* checker.go checkArguments visits the arguments up to the one an
     * overload refuses; on an arity error v1.17 visits them all, v1.15.5
     * none */
    for (size_t i = 0; i < nsigs; i++) {
        where = check_one(tc, name, &sigs[i], args, nargs, fd_expr_tctx_v115(tc), msg, sizeof(msg));
        if (where == 0) {
            fd_expr_check_sig_reach(tc, (int)nargs);
            *ret = sigs[i].ret;
            return true;
        }
        int r = where > 0 ? where : fd_expr_tctx_v115(tc) ? 0 : (int)nargs;
        if (r > reach)
            reach = r;
    }
    fd_expr_check_sig_reach(tc, reach);
    return fd_expr_check_fail(tc, where > 0 ? where - 1 : -1, "%s", msg);
}

bool fd_expr_bi_check_arity(struct fd_expr_tctx *tc, size_t nargs, size_t want)
{
    if (nargs == want)
        return true;
    return fd_expr_check_fail(tc, -1, "invalid number of arguments (expected %zu, got %zu)", want,
                              nargs);
}

bool fd_expr_bi_arg_str(struct fd_expr_ctx *ctx, struct fd_expr_val v, const char **s, size_t *len)
{
    if (!fd_expr_is_go_string(v))
        return fd_expr_fail(ctx, "interface conversion: interface {} is %s, not string",
                            v.kind == FD_VAL_NIL ? "nil" : fd_expr_go_type(v));
    *s = v.u.s->data;
    *len = v.u.s->len;
    return true;
}

bool fd_expr_bi_arg_int(struct fd_expr_ctx *ctx, struct fd_expr_val v, int64_t *out)
{
    switch (v.kind) {
    case FD_VAL_INT:
        if (fd_expr_named_int(v)) /* a type switch knows no time.Month */
            break;
        *out = v.u.i;
        return true;
    case FD_VAL_FLOAT:
        *out = fd_expr_bi_float_to_int(v.u.f);
        return true;
    default:
        break;
    }
    return fd_expr_fail(ctx, "invalid operation: int(%s)", fd_expr_go_type(v));
}
