/* analysis/explain.c: why a measurement got its phase, in plain words, with
 * the thresholds of simple comparisons ("result[0] >= 0.95") spelled out. */
#include "config.h"

#include "freightdeck/analysis.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum cmp { CMP_GE, CMP_GT, CMP_LE, CMP_LT, CMP_EQ, CMP_NE };

/* How the value relates to the threshold when the comparison holds / not. */
static const char *const holds_words[] = {"at or above", "above",    "at or below",
                                          "below",       "equal to", "not equal to"};
static const char *const fails_words[] = {"below",     "not above",    "above",
                                          "not below", "not equal to", "equal to"};

struct threshold {
    bool ok;
    enum cmp op;
    char *subject; /* the compared expression, e.g. "result[0]" */
    char *literal; /* the threshold as written, e.g. "0.90" */
    double value;  /* the subject's value for this result */
};

char *fd_analysis_format_float(double v)
{
    struct fd_buf b = FD_BUF_INIT;

    fd_go_format_float(&b, v, 'f'); /* FormatFloat(v, 'f', -1, 64) */
    return fd_buf_steal(&b);
}

static char *trimmed(const char *s, size_t len)
{
    while (len && fd_ascii_isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len && fd_ascii_isspace((unsigned char)s[len - 1]))
        len--;
    return fd_xstrndup(s, len);
}

static bool is_number(const char *s)
{
    const char *p = *s == '-' || *s == '+' ? s + 1 : s;
    char *end;

    if (!fd_ascii_isdigit((unsigned char)*p) && *p != '.')
        return false;
    (void)strtod(s, &end);
    return *end == '\0';
}

static enum cmp mirror(enum cmp op)
{
    switch (op) {
    case CMP_GE:
        return CMP_LE;
    case CMP_GT:
        return CMP_LT;
    case CMP_LE:
        return CMP_GE;
    case CMP_LT:
        return CMP_GT;
    default:
        return op;
    }
}

/* Finds the one top-level comparison of a condition with a number literal on
 * one side; anything more complex (&&, ||, ?:, several comparisons) is left
 * unexplained rather than explained wrongly. */
static bool parse_simple(const char *cond, struct threshold *t)
{
    int depth = 0;
    char quote = 0;
    size_t at = 0, op_len = 0, found = 0;
    enum cmp op = CMP_EQ;

    for (size_t i = 0; cond[i]; i++) {
        char c = cond[i], n = cond[i + 1];
        if (quote) {
            if (c == '\\' && n)
                i++;
            else if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '"' || c == '\'' || c == '`') {
            quote = c;
        } else if (c == '(' || c == '[' || c == '{') {
            depth++;
        } else if (c == ')' || c == ']' || c == '}') {
            depth--;
        } else if (depth == 0) {
            if ((c == '&' && n == '&') || (c == '|' && n == '|') || c == '?' ||
                (c == '!' && n != '='))
                return false;
            size_t len = 0;
            enum cmp k = CMP_EQ;
            if (c == '>' && n == '=')
                k = CMP_GE, len = 2;
            else if (c == '<' && n == '=')
                k = CMP_LE, len = 2;
            else if (c == '=' && n == '=')
                k = CMP_EQ, len = 2;
            else if (c == '!' && n == '=')
                k = CMP_NE, len = 2;
            else if (c == '>')
                k = CMP_GT, len = 1;
            else if (c == '<')
                k = CMP_LT, len = 1;
            if (len) {
                found++;
                at = i;
                op_len = len;
                op = k;
                i += len - 1;
            }
        }
    }
    if (found != 1)
        return false;
    char *lhs = trimmed(cond, at);
    char *rhs = trimmed(cond + at + op_len, strlen(cond + at + op_len));
    /* Word operators make the condition more than one comparison. */
    bool words = strstr(cond, " and ") || strstr(cond, " or ") || strstr(cond, "not ");
    if (!words && is_number(rhs) && !is_number(lhs)) {
        t->subject = lhs;
        t->literal = rhs;
        t->op = op;
        return true;
    }
    if (!words && is_number(lhs) && !is_number(rhs)) {
        t->subject = rhs;
        t->literal = lhs;
        t->op = mirror(op);
        return true;
    }
    free(lhs);
    free(rhs);
    return false;
}

static struct threshold threshold_of(const char *cond, const fd_value *result,
                                     enum fd_expr_mode mode)
{
    struct threshold t;

    memset(&t, 0, sizeof(t));
    if (!cond || !*cond || !parse_simple(cond, &t))
        return t;
    fd_value *env = fd_value_map_new();
    fd_value *out = NULL;
    struct fd_expr_error e;
    fd_value_map_set(env, "result", result ? fd_value_ref(result) : fd_value_nil());
    /* The argo modes insist on a bool; the subject is a number, so it is
     * evaluated as plain expr over the same result (the Argo helper
     * functions are not available there, which only loses the explanation). */
    (void)mode;
    if (fd_expr_eval(t.subject, strlen(t.subject), FD_EXPR_MODE_EXPR, env, &out, &e) == 0 &&
        fd_value_as_number(out, &t.value))
        t.ok = true;
    fd_value_unref(out);
    fd_value_unref(env);
    return t;
}

static void threshold_free(struct threshold *t)
{
    free(t->subject);
    free(t->literal);
}

/* "0.93 is below the success threshold 0.95" */
static void describe_as(struct fd_buf *b, const struct threshold *t, bool held, const char *which,
                        bool with_value)
{
    char *v = fd_analysis_format_float(t->value);

    if (with_value)
        fd_buf_printf(b, "%s is ", v);
    fd_buf_printf(b, "%s the %s threshold %s", held ? holds_words[t->op] : fails_words[t->op],
                  which, t->literal);
    free(v);
}

static void describe(struct fd_buf *b, const struct threshold *t, bool held, const char *which)
{
    describe_as(b, t, held, which, true);
}

static void clause(struct fd_buf *b, const char *name, const char *cond, bool held,
                   const struct threshold *t, const char *which)
{
    fd_buf_printf(b, "the %s `%s` %s", name, cond, held ? "holds" : "does not hold");
    if (t->ok && !isnan(t->value)) {
        fd_buf_puts(b, " (");
        describe(b, t, held, which);
        fd_buf_putc(b, ')');
    }
}

static void capitalise_first(struct fd_buf *b, size_t from)
{
    if (b->len > from)
        b->data[from] = (char)fd_ascii_toupper((unsigned char)b->data[from]);
}

enum fd_analysis_phase fd_analysis_explain(const char *success, const char *failure,
                                           const fd_value *result, enum fd_expr_mode mode,
                                           char **text)
{
    bool has_s = success && *success, has_f = failure && *failure;
    char *message = NULL, *err = NULL;
    enum fd_analysis_phase phase = fd_analysis_evaluate(success, failure, result, mode, &message);
    struct fd_buf b = FD_BUF_INIT;
    bool s_held = false, f_held = false;

    if (phase == FD_ANALYSIS_PHASE_ERROR) {
        fd_buf_printf(&b, "%s.", message);
        free(message);
        *text = fd_buf_steal(&b);
        return phase;
    }
    free(message);
    if (!has_s && !has_f) {
        *text = fd_xstrdup("No successCondition or failureCondition is defined: every "
                           "measurement is Successful.");
        return phase;
    }
    if (has_s)
        fd_analysis_eval_condition(success, result, mode, &s_held, &err), free(err), err = NULL;
    if (has_f)
        fd_analysis_eval_condition(failure, result, mode, &f_held, &err), free(err), err = NULL;
    struct threshold ts = threshold_of(has_s ? success : NULL, result, mode);
    struct threshold tf = threshold_of(has_f ? failure : NULL, result, mode);
    bool nan = (ts.ok && isnan(ts.value)) || (tf.ok && isnan(tf.value));

    switch (phase) {
    case FD_ANALYSIS_PHASE_SUCCESSFUL:
        if (has_s) {
            clause(&b, "successCondition", success, true, &ts, "success");
            if (has_f) {
                fd_buf_puts(&b, " and ");
                clause(&b, "failureCondition", failure, false, &tf, "failure");
            }
        } else {
            clause(&b, "failureCondition", failure, false, &tf, "failure");
        }
        fd_buf_puts(&b, ".");
        break;
    case FD_ANALYSIS_PHASE_FAILED:
        if (has_f) {
            clause(&b, "failureCondition", failure, true, &tf, "failure");
            if (has_s && s_held)
                fd_buf_puts(&b, "; the successCondition holds too, and failure wins when both "
                                "hold");
            else if (has_s) {
                fd_buf_puts(&b, " and ");
                clause(&b, "successCondition", success, false, &ts, "success");
            }
        } else {
            clause(&b, "successCondition", success, false, &ts, "success");
        }
        fd_buf_puts(&b, ".");
        break;
    case FD_ANALYSIS_PHASE_INCONCLUSIVE:
        if (nan) {
            fd_buf_puts(&b, "The result is NaN and every comparison with NaN is false: "
                            "neither condition holds.");
        } else if (ts.ok && tf.ok) {
            describe(&b, &ts, false, "success");
            fd_buf_puts(&b, " and ");
            /* "0.93 is below ... and not below ...": one subject, said once. */
            describe_as(&b, &tf, false, "failure", !fd_streq(ts.subject, tf.subject));
            fd_buf_puts(&b, ": neither condition holds.");
        } else {
            fd_buf_printf(&b, "neither the successCondition `%s`", success);
            if (ts.ok) {
                fd_buf_puts(&b, " (");
                describe(&b, &ts, false, "success");
                fd_buf_putc(&b, ')');
            }
            fd_buf_printf(&b, " nor the failureCondition `%s`", failure);
            if (tf.ok) {
                fd_buf_puts(&b, " (");
                describe(&b, &tf, false, "failure");
                fd_buf_putc(&b, ')');
            }
            fd_buf_puts(&b, " holds.");
        }
        break;
    default:
        break;
    }
    capitalise_first(&b, 0);
    if (has_s && !has_f)
        fd_buf_puts(&b, " Only a successCondition is defined: the measurement is Failed "
                        "whenever it does not hold.");
    else if (has_f && !has_s)
        fd_buf_puts(&b, " Only a failureCondition is defined: the measurement is Successful "
                        "whenever it does not hold.");
    threshold_free(&ts);
    threshold_free(&tf);
    *text = fd_buf_steal(&b);
    return phase;
}
