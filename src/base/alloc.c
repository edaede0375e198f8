/* The only place that calls malloc/free; failures return NULL for CT_ENOMEM, never abort. */
#include "cratrace/base.h"

#include <stdlib.h>
#include <string.h>

void *ct_malloc(size_t n)
{
    return malloc(n ? n : 1);
}

void *ct_calloc(size_t n, size_t size)
{
    return calloc(n ? n : 1, size ? size : 1);
}

void *ct_reallocarray(void *p, size_t n, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(n, size, &total))
        return NULL;
    return realloc(p, total ? total : 1);
}

char *ct_strndup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *ct_strdup(const char *s)
{
    return s ? ct_strndup(s, strlen(s)) : NULL;
}

void ct_free(void *p)
{
    free(p);
}
