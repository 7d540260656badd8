/* tests/fuzz/fuzz_sim_scenario.c: scenario files, and the emulated
 * controllers over whatever objects a scenario loads.
 *
 * Input: scenario YAML. When it parses and its objects load, the Kargo,
 * Argo Rollouts and AnalysisRun controllers run passes at scenario times 0,
 * 1 min, 10 min and 2 h on a hand-set clock, so malformed Stages, Rollouts,
 * templates and runs go through every controller without a thread. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/sim/ctl.h"
#include "../../src/sim/scenario.h"
#include "freightdeck/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fd_xstrndup((const char *)data, size);
    char *err = NULL;
    struct fd_sim_scenario *sc = fd_sim_scenario_parse(text, strlen(text), "fuzz.yaml", &err);
    free(err);
    err = NULL;
    if (sc) {
        struct fd_sim_store *st = fd_sim_store_new(64);
        if (fd_sim_scenario_apply(sc, st, &err)) {
            struct fd_sim_ctl *ctl = fd_sim_ctl_new(st, sc, 1, 1);
            static const int64_t at[] = {0, 60000, 600000, 7200000};
            for (size_t i = 0; i < sizeof(at) / sizeof(*at); i++) {
                ctl->clock.manual = at[i];
                fd_sim_ctl_pass(ctl);
                fd_sim_ctl_pass(ctl);
            }
            fd_sim_ctl_free(ctl);
        }
        free(err);
        fd_sim_store_free(st);
        fd_sim_scenario_free(sc);
    }
    free(text);
    return 0;
}
