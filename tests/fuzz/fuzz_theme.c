/* tests/fuzz/fuzz_theme.c: the theme and keymap YAML parsers on any bytes.
 * Both must return an error with a position, never crash or leak. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "../../src/tui/request.h"
#include "../../src/tui/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fd_tui_theme t;
    struct fd_tui_keymap km;
    char *inherits = NULL, *err = NULL;

    fd_tui_theme_plain(&t);
    if (fd_tui_theme_parse(&t, (const char *)data, size, "fuzz.yaml", &inherits, &err) != FD_OK) {
        if (!err || !*err)
            abort(); /* an error always says what went wrong */
    } else if (err) {
        abort();
    }
    free(inherits);
    free(err);
    err = NULL;

    fd_tui_keymap_defaults(&km);
    if (fd_tui_keymap_load_yaml(&km, (const char *)data, size, "fuzz.yaml", &err) != FD_OK &&
        (!err || !*err))
        abort();
    /* Whatever was loaded, every binding is a real request. */
    for (size_t i = 0; i < km.n; i++)
        if (km.b[i].req <= FD_REQ_NONE || km.b[i].req >= FD_REQ__COUNT)
            abort();
    free(err);
    fd_tui_keymap_free(&km);
    return 0;
}
