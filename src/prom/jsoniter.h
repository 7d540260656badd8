/* prom/jsoniter.h: client_golang's first reading of a Prometheus answer
 * (api/prometheus/v1 apiClientImpl.Do: json-iterator's Unmarshal into
 * apiResponse), for its error text only. Private to src/prom. */
#ifndef FD_PROM_JSONITER_H
#define FD_PROM_JSONITER_H

#include <stddef.h>

/* NULL when json-iterator v1.1.12 (ConfigDefault) reads buf (len bytes)
 * into client_golang v1.23's apiResponse {status, data (RawMessage),
 * errorType, error, warnings []string} without an error; else the error's
 * text as Go prints it ("v1.apiResponse.Data: Skip: do not know how to skip:
 * 73, error found in #10 byte of ...|...|..., bigger context ...|...|...";
 * a NUL byte, which json-iterator names at the end of its input, as
 * FD_NUL_SHOWN). The caller frees it. */
char *fd_prom_jsoniter_api_response(const char *buf, size_t len);

/* Iterator.ReportError's words for op's error msg at buf[head] (buf holds
 * len bytes): ten bytes either side of head, and fifty, a NUL among them as
 * FD_NUL_SHOWN. A new string the caller frees. */
char *fd_prom_jsoniter_report(const char *op, const char *msg, const char *buf, size_t len,
                              size_t head);

#endif
