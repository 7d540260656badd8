/* tests/unit/test_kube_helpers.h: temp folders and files for the kube tests. */
#ifndef FREIGHTDECK_TESTS_KUBE_HELPERS_H
#define FREIGHTDECK_TESTS_KUBE_HELPERS_H

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "freightdeck/kube.h"
#include "freightdeck/util.h"

/* A fresh folder under $TMPDIR (the sealed sandbox removes it). */
static FD_UNUSED char *kt_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *dir = fd_xasprintf("%s/kube.XXXXXX", base && *base ? base : "/tmp");

    ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
    return dir;
}

/* Writes text to dir/name, creating the folders on the way. */
static FD_UNUSED char *kt_put(const char *dir, const char *name, const char *text)
{
    char *path = fd_xasprintf("%s/%s", dir, name);
    FILE *f;

    for (char *p = path + strlen(dir) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    }
    f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot write %s: %s", path, strerror(errno));
    fputs(text, f);
    fclose(f);
    return path;
}

/* The whole file as a string; the caller frees. */
static FD_UNUSED char *kt_slurp(const char *path)
{
    struct fd_buf b = FD_BUF_INIT;
    char chunk[4096];
    size_t n;
    FILE *f = fopen(path, "r");

    ck_assert_msg(f != NULL, "cannot read %s: %s", path, strerror(errno));
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        fd_buf_append(&b, chunk, n);
    fclose(f);
    return fd_buf_steal(&b);
}

/* Loads with opts and fails the test with the loader's message on error. */
static FD_UNUSED struct fd_kube_config *kt_load(const struct fd_kube_load_opts *opts)
{
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_error err = {0};
    enum fd_status st = fd_kube_config_load(opts, &cfg, &err);

    ck_assert_msg(st == FD_OK, "expected the config to load, got %s: %s", fd_status_name(st),
                  err.message);
    return cfg;
}

/* Loads with opts, expecting status st and exactly the message want. */
static FD_UNUSED void kt_load_fails(const struct fd_kube_load_opts *opts, enum fd_status st,
                                    const char *want)
{
    struct fd_kube_config *cfg = NULL;
    struct fd_kube_error err = {0};
    enum fd_status got = fd_kube_config_load(opts, &cfg, &err);

    ck_assert_msg(got == st, "expected status %s, got %s (%s)", fd_status_name(st),
                  fd_status_name(got), err.message);
    ck_assert_ptr_null(cfg);
    ck_assert_msg(strcmp(err.message, want) == 0, "message\n expected: %s\n      got: %s", want,
                  err.message);
}

#endif
