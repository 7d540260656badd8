/* util/status.c: names, messages and exit codes of enum fd_status. */
#include "config.h"

#include "freightdeck/util.h"

static const struct {
    const char *name;
    const char *message;
    int exit_code;
} status_info[] = {
#define FD_STATUS_INFO(name, exitcode, msg) {#name, msg, exitcode},
    FD_STATUS_TABLE(FD_STATUS_INFO)
#undef FD_STATUS_INFO
};

_Static_assert(FD_ARRAY_SIZE(status_info) == FD_STATUS__COUNT, "status table out of step");

const char *fd_status_message(enum fd_status st)
{
    return (unsigned)st < FD_STATUS__COUNT ? status_info[st].message : "no such status";
}

const char *fd_status_name(enum fd_status st)
{
    return (unsigned)st < FD_STATUS__COUNT ? status_info[st].name : "NO_SUCH_STATUS";
}

int fd_status_exit_code(enum fd_status st)
{
    return (unsigned)st < FD_STATUS__COUNT ? status_info[st].exit_code : 1;
}
