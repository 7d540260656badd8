/* util/json.c: the name of a JSON value's type in messages. */
#include "config.h"

#include "freightdeck/util.h"

#include <jansson.h>

const char *fd_json_type_name(const json_t *v, bool integer)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return integer ? "integer" : "number";
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    case JSON_NULL:
        return "null";
    }
    return "unknown";
}
