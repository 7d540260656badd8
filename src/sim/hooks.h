#ifndef FD_SIM_HOOKS_H
#define FD_SIM_HOOKS_H
/*
 * sim/hooks.h: what the HTTP layer (server.c) asks of the scenario player
 * per request: /metrics, and injected faults (--faults). Process-wide: one
 * simulated server per process. With nothing configured every hook is a
 * no-op.
 *
 * Fault syntax (--faults), comma-separated, each optional:
 *   latency=DUR      delay every response by DUR (Go duration: 200ms, 1s)
 *   drop-watch=DUR   end every watch stream DUR after it opened
 *   gone=DUR         after DUR a watch stream sends an ERROR event with a
 *                    410 Expired Status and ends (the client must relist)
 *   5xx=P            answer a fraction P of requests 503 ServiceUnavailable
 *   truncate=P       cut a fraction P of response bodies in half
 *   malformed=P      corrupt a fraction P of response bodies (invalid JSON)
 * Choices are deterministic for a given --seed and request order.
 */

#include <stdbool.h>
#include <stdint.h>

#include "freightdeck/sim.h"
#include "freightdeck/util.h"

struct fd_sim_faults {
    int64_t latency_ms;
    int64_t drop_watch_ms;
    int64_t gone_ms;
    double p_5xx;
    double p_truncate;
    double p_malformed;
};

/* Parses a --faults spec into *out (zeroed first). Returns true, or false
 * with *err = "--faults 'x': ..." naming the bad item (caller frees). */
bool fd_sim_faults_parse(const char *spec, struct fd_sim_faults *out, char **err);
/* Installs the faults for this process with the generator seed. */
void fd_sim_faults_set(const struct fd_sim_faults *f, uint64_t seed);
/* Counts of faults injected so far, for tests and the log. */
uint64_t fd_sim_faults_injected(void);

/* After fd_sim_api_handle: serves /metrics (replacing the API's 404), then
 * applies latency, 5xx, truncation and corruption to resp, and notes when a
 * watch stream opened. */
void fd_sim_hooks_response(const struct fd_sim_request *req, struct fd_sim_response *resp);
/* Called by a watch stream before it waits for events: returns 0 to go on,
 * 1 when it appended an event to out (send it, then end: the next call
 * returns -1), -1 to end the stream now. */
int fd_sim_hooks_stream(const void *watch, struct fd_buf *out);
/* The stream ended: forget it. */
void fd_sim_hooks_stream_end(const void *watch);

#endif

/* ---- the scenario player (player.c) ---------------------------------------- */
struct fd_sim_api;
struct fd_sim_player;

/* Starts what the options ask beyond a plain API server: loads the scenario
 * (o->scenario; none with "none", or by default when files are preloaded;
 * else payments) into the API's store, installs Kargo's admission, starts
 * the controller thread, and installs the faults. Returns the player (NULL
 * when there is nothing to play and no faults), or NULL with *err set
 * (caller frees) when an option or the scenario is bad. */
struct fd_sim_player *fd_sim_player_start(struct fd_sim_api *api, const struct fd_sim_options *o,
                                          char **err);
/* One line describing what plays, for stderr ("scenario payments at speed
 * 25"); borrowed; NULL for none. */
const char *fd_sim_player_describe(const struct fd_sim_player *p);
/* Stops the controllers and frees; NULL is ignored. */
void fd_sim_player_free(struct fd_sim_player *p);
