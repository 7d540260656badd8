#ifndef FREIGHTDECK_KUBE_INTERNAL_H
#define FREIGHTDECK_KUBE_INTERNAL_H
/* kube/internal.h: helpers shared by the files of src/kube (those the
 * client needs too are in kube.h). */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "freightdeck/kube.h"

/* Decodes standard base64 (padding optional, whitespace ignored). Returns true
 * and fills *out (the caller frees out->data); false on malformed input. */
bool fd_kube_base64_decode(const char *in, size_t len, struct fd_kube_blob *out);

/* "~/x" for a path under $HOME, else a copy of path; the caller frees. */
char *fd_kube_display_path(const char *path);

/* Wipes and frees a blob (fd_kube_str_wipe, in kube.h, does a string). */
void fd_kube_blob_wipe(struct fd_kube_blob *b);

void fd_kube_exec_free(struct fd_kube_exec *e);

/* As fd_kube_fail, without logging: for a message the caller redacts
 * further (a failing plugin's own credential) and then logs itself. */
enum fd_status fd_kube_fail_quiet(struct fd_kube_error *err, const struct fd_kube_config *cfg,
                                  enum fd_status status, const char *fmt, ...) FD_PRINTF(4, 5);

/* ---- Exec plugin ---------------------------------------------------------- */

/* What a plugin returned. Secret: wipe with fd_kube_exec_result_clear. */
struct fd_kube_exec_result {
    char *token;
    struct fd_kube_blob client_cert;
    struct fd_kube_blob client_key;
    time_t expiry; /* 0: never expires */
};
void fd_kube_exec_result_clear(struct fd_kube_exec_result *r);

/* Runs cfg's exec plugin once and parses its ExecCredential. Returns FD_OK and
 * fills *res; on error fills err (messages redacted against cfg). */
enum fd_status fd_kube_exec_run(const struct fd_kube_config *cfg, struct fd_kube_exec_result *res,
                                struct fd_kube_error *err);

/* Parses a plugin's stdout (for the fuzzer and fd_kube_exec_run); label names
 * the plugin in messages. Same contract as fd_kube_exec_run. */
enum fd_status fd_kube_exec_parse(const struct fd_kube_config *cfg, const char *label,
                                  const char *out, size_t len, struct fd_kube_exec_result *res,
                                  struct fd_kube_error *err);

/* Files read for a config (CA, cert, key, token) are capped at this size, so a
 * kubeconfig naming /dev/zero is an error, not a hang. */
#define FD_KUBE_MAX_FILE (4u << 20)

/* fd_read_file (util) of at most FD_KUBE_MAX_FILE bytes into a blob: FD_OK
 * and *out (NUL-terminated beyond len; the caller wipes it), or FD_IO /
 * FD_LIMIT with the reason in why (static). */
enum fd_status fd_kube_read_blob(const char *path, struct fd_kube_blob *out, const char **why);

/* ---- Credentials cache ------------------------------------------------------- */

struct fd_kube_credentials *fd_kube_credentials_new(void);
/* Whether the cache is being freed: a running plugin is to be killed. */
bool fd_kube_credentials_cancelled(const struct fd_kube_credentials *c);
void fd_kube_credentials_free(struct fd_kube_credentials *c);
/* Appends the cached secrets to redact (called under no lock by fd_kube_redact;
 * takes the cache's lock itself). */
void fd_kube_credentials_redact(struct fd_kube_credentials *c, char *text, size_t size);

/* Replaces every occurrence of secret (len bytes, ignored when shorter than 4)
 * in text with "[redacted]". */
void fd_kube_redact_secret(char *text, size_t size, const char *secret, size_t len);

#endif /* FREIGHTDECK_KUBE_INTERNAL_H */
