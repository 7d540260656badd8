/* sim/clock.c: scenario time, compressed by --speed. */
#include "config.h"

#include "ctl.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "freightdeck/sim.h"
#include "freightdeck/util.h"

/* The process's scenario clock (the last one started), for the times
 * written outside the controllers (creationTimestamp, table ages) and for
 * the demo's console. */
static _Atomic(const struct fd_sim_clock *) current;

void fd_sim_clock_init(struct fd_sim_clock *c, double speed)
{
    c->wall0 = fd_time_now_ms();
    c->mono0 = fd_time_mono_ms();
    c->speed = speed > 0 ? speed : 1;
    c->manual = -1;
    atomic_store(&current, c);
}

void fd_sim_clock_release(const struct fd_sim_clock *c)
{
    const struct fd_sim_clock *expected = c;
    atomic_compare_exchange_strong(&current, &expected, NULL);
}

int64_t fd_sim_now_ms(void)
{
    const struct fd_sim_clock *c = atomic_load(&current);
    return c ? fd_sim_clock_now(c) : fd_time_now_ms();
}

int64_t fd_sim_clock_elapsed(const struct fd_sim_clock *c)
{
    if (c->manual >= 0)
        return c->manual;
    return (int64_t)((double)(fd_time_mono_ms() - c->mono0) * c->speed);
}

int64_t fd_sim_clock_now(const struct fd_sim_clock *c)
{
    return c->wall0 + fd_sim_clock_elapsed(c);
}

int64_t fd_sim_clock_wall(const struct fd_sim_clock *c, int64_t t)
{
    return c->wall0 + (int64_t)((double)(t - c->wall0) / c->speed);
}

char *fd_sim_clock_stamp(const struct fd_sim_clock *c, int64_t t)
{
    /* Scenario time, as every other time the simulator writes: a run's
     * "interval: 5m" and its measurements 5 minutes apart are on one clock. */
    (void)c;
    return fd_time_format_rfc3339(t, false);
}
