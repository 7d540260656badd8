/* util/log.c: the optional log file (-v). Never writes to the terminal. */
#include "config.h"

#include "freightdeck/util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static FILE *log_file;
static enum fd_log_level log_level;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

enum fd_status fd_log_open(const char *path, enum fd_log_level level)
{
    /* A log may quote servers and commands: readable by its owner only,
     * also when an older run left it more open. */
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    struct stat sb;
    FILE *f;

    if (fd < 0)
        return FD_IO;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_uid == geteuid() && (sb.st_mode & 077))
        fchmod(fd, sb.st_mode & 0700);
    f = fdopen(fd, "a");
    if (!f) {
        int saved = errno;
        close(fd);
        errno = saved;
        return FD_IO;
    }
    pthread_mutex_lock(&log_lock);
    if (log_file)
        fclose(log_file);
    log_file = f;
    log_level = level;
    setvbuf(log_file, NULL, _IOLBF, 0);
    pthread_mutex_unlock(&log_lock);
    return FD_OK;
}

void fd_log_close(void)
{
    pthread_mutex_lock(&log_lock);
    if (log_file)
        fclose(log_file);
    log_file = NULL;
    pthread_mutex_unlock(&log_lock);
}

void fd_log(enum fd_log_level level, const char *fmt, ...)
{
    va_list ap;
    struct timespec ts;
    struct tm tm;
    char stamp[32];

    pthread_mutex_lock(&log_lock);
    if (!log_file || level > log_level) {
        pthread_mutex_unlock(&log_lock);
        return;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(log_file, "%s.%03ldZ %s ", stamp, ts.tv_nsec / 1000000L, level_names[level]);
    va_start(ap, fmt);
    vfprintf(log_file, fmt, ap);
    va_end(ap);
    fputc('\n', log_file);
    pthread_mutex_unlock(&log_lock);
}
