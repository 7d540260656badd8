/* tests/unit/test_util.c: status table, allocation and string buffers. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "freightdeck/util.h"

START_TEST(status_table_is_consistent)
{
    ck_assert_int_eq(FD_OK, 0);
    ck_assert_str_eq(fd_status_name(FD_OK), "OK");
    ck_assert_str_eq(fd_status_message(FD_NO_MEMORY), "out of memory");
    ck_assert_int_eq(fd_status_exit_code(FD_USAGE), 2);
    ck_assert_int_eq(fd_status_exit_code(FD_UNREACHABLE), 3);
    for (int st = 0; st < FD_STATUS__COUNT; st++) {
        ck_assert_ptr_nonnull(fd_status_name(st));
        ck_assert_ptr_nonnull(fd_status_message(st));
    }
    ck_assert_str_eq(fd_status_name(FD_STATUS__COUNT), "UNKNOWN");
}
END_TEST

START_TEST(buf_grows_and_stays_terminated)
{
    struct fd_buf b = FD_BUF_INIT;

    ck_assert_str_eq(fd_buf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        fd_buf_printf(&b, "%d,", i);
    ck_assert_uint_eq(b.len, strlen(b.data));
    ck_assert(strncmp(b.data, "0,1,2,", 6) == 0);
    ck_assert(strcmp(b.data + b.len - 4, "999,") == 0);
    fd_buf_reset(&b);
    ck_assert_str_eq(fd_buf_cstr(&b), "");
    fd_buf_append(&b, "a\0b", 3);
    ck_assert_uint_eq(b.len, 3);
    char *s = fd_buf_steal(&b);
    ck_assert_int_eq(memcmp(s, "a\0b", 4), 0);
    ck_assert_ptr_null(b.data);
    free(s);
    s = fd_buf_steal(&b);
    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

START_TEST(strings)
{
    char *s = fd_xasprintf("%s-%d", "stage", 3);

    ck_assert_str_eq(s, "stage-3");
    free(s);
    s = fd_xstrndup("production", 4);
    ck_assert_str_eq(s, "prod");
    ck_assert(fd_str_has_prefix(s, "pro"));
    ck_assert(!fd_str_has_prefix(s, "prod-eu"));
    ck_assert(fd_streq(s, "prod"));
    ck_assert(!fd_streq(s, NULL));
    ck_assert(fd_streq(NULL, NULL));
    free(s);
}
END_TEST

START_TEST(allocation_of_zero_bytes_is_valid)
{
    void *p = fd_xmalloc(0), *q = fd_xcalloc(0, 8);

    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(q);
    p = fd_xreallocarray(p, 16, 4);
    memset(p, 0, 64);
    free(p);
    free(q);
}
END_TEST

START_TEST(reallocarray_overflow_is_fatal)
{
    fd_xreallocarray(NULL, SIZE_MAX / 2, 4);
}
END_TEST

Suite *fd_test_suite(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("util");

    tcase_add_test(tc, status_table_is_consistent);
    tcase_add_test(tc, buf_grows_and_stays_terminated);
    tcase_add_test(tc, strings);
    tcase_add_test(tc, allocation_of_zero_bytes_is_valid);
    tcase_add_test_raise_signal(tc, reallocarray_overflow_is_fatal, SIGABRT);
    suite_add_tcase(s, tc);
    return s;
}
