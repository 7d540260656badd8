/* expr/gomath.c: Go's math.Exp and math.Log as amd64 runs them, for ** and ^. */
#include "config.h"

#include "internal.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/*
 * expr's ** is Go's math.Pow (src/math/pow.go), whose fractional part is
 * Exp(yf * Log(x)). On amd64, Go computes Exp and Log in assembly
 * (src/math/exp_amd64.s, log_amd64.s), not with the correctly rounded
 * algorithms of libm: they differ from libm's exp and log in the last bit
 * on some inputs. These follow the assembly instruction for instruction,
 * so that 3 ^ 0.5 ** f prints the digits Go prints. Exp takes its fused
 * multiply-add path where Go does (exp_amd64.go: AVX and FMA).
 */

static double from_bits(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof(d));
    return d;
}

static uint64_t to_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof(b));
    return b;
}

static bool use_fma(void)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    static int known = -1;
    if (known < 0)
        known = __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma");
    return known == 1;
#else
    return false;
#endif
}

/* CVTSD2SL: round to nearest even; out of range or NaN gives INT32_MIN */
static int32_t cvtsd2sl(double v)
{
    if (!(v > -2147483648.5 && v < 2147483647.5))
        return INT32_MIN;
    return (int32_t)nearbyint(v);
}

double fd_expr_go_exp(double x)
{
    static const double ln2u = 0.69314718055966295651160180568695068359375;
    static const double ln2l = 0.28235290563031577122588448175013436025525412068e-12;
    static const double log2e = 1.4426950408889634073599246810018920;
    static const double c[] = {
        1.6666666666666666667e-1, 4.1666666666666666667e-2, 8.3333333333333333333e-3,
        1.3888888888888888889e-3, 1.9841269841269841270e-4, 2.4801587301587301587e-5,
    };
    uint64_t bits = to_bits(x);

    if ((bits & ~(1ULL << 63)) >= 0x7FF0000000000000ULL) /* not finite */
        return bits == 0xFFF0000000000000ULL ? 0 : x;
    if (x > 7.09782712893384e+02)
        return INFINITY;
    int32_t k = cvtsd2sl(log2e * x);
    double kd = (double)k, p;
    if (use_fma()) {
        x = fma(-kd, ln2u, x);
        x = fma(-kd, ln2l, x);
        x *= 0.0625;
        p = fma(c[5], x, c[4]);
        p = fma(p, x, c[3]);
        p = fma(p, x, c[2]);
        p = fma(p, x, c[1]);
        p = fma(p, x, c[0]);
        p = fma(p, x, 0.5);
        p = fma(p, x, 1.0);
        x *= p;
        for (int i = 0; i < 3; i++)
            x *= x + 2.0;
        x = fma(x, x + 2.0, 1.0);
    } else {
        x -= kd * ln2u;
        x -= kd * ln2l;
        x *= 0.0625;
        p = c[5] * x + c[4];
        p = p * x + c[3];
        p = p * x + c[2];
        p = p * x + c[1];
        p = p * x + c[0];
        p = p * x + 0.5;
        p = p * x + 1.0;
        x *= p;
        for (int i = 0; i < 4; i++)
            x *= x + 2.0;
        x += 1.0;
    }
    /* fr * 2**k through the exponent bits */
    int64_t e = (int64_t)k + 0x3FF;
    if (e <= 0) { /* denormal */
        if (e < -52)
            return 0;
        x *= from_bits((uint64_t)(e + 0x3FE) << 52);
        e = 1;
    } else if (e >= 0x7FF) {
        return INFINITY;
    }
    return x * from_bits((uint64_t)e << 52);
}

double fd_expr_go_log(double x)
{
    static const double hsqrt2 = 7.07106781186547524401e-01;
    static const double ln2hi = 6.93147180369123816490e-01, ln2lo = 1.90821492927058770002e-10;
    static const double l1 = 6.666666666666735130e-01, l2 = 3.999999999940941908e-01,
                        l3 = 2.857142874366239149e-01, l4 = 2.222219843214978396e-01,
                        l5 = 1.818357216161805012e-01, l6 = 1.531383769920937332e-01,
                        l7 = 1.479819860511658591e-01;
    uint64_t bits = to_bits(x);

    if ((bits & ~(1ULL << 63)) == 0)
        return -INFINITY;
    if ((int64_t)bits < 0)
        return from_bits(0x7FF8000000000001ULL);
    if (bits >= 0x7FF0000000000000ULL)
        return x;
    /* Frexp by the bits alone (a subnormal is not normalized first) */
    double f1 = from_bits((bits & 0x000FFFFFFFFFFFFFULL) | 0x3FE0000000000000ULL);
    double k = (double)((int32_t)((bits >> 52) & 0x7FF) - 0x3FE);
    double one = !(hsqrt2 < f1) ? 1.0 : 0.0;
    k -= one;
    f1 *= one + 1.0;
    double f = f1 - 1.0;
    double s = f / (2.0 + f);
    double s2 = s * s;
    double s4 = s2 * s2;
    double t1 = s2 * (((l7 * s4 + l5) * s4 + l3) * s4 + l1);
    double t2 = s4 * ((l6 * s4 + l4) * s4 + l2);
    double r = t1 + t2;
    double hfsq = 0.5 * f * f;
    return k * ln2hi - ((hfsq - (s * (hfsq + r) + k * ln2lo)) - f);
}
