/* Internal definitions shared by the base module sources. */
#ifndef CT_BASE_INT_H
#define CT_BASE_INT_H

#include "cratrace/base.h"

#ifndef CT_VERSION_STRING
#define CT_VERSION_STRING "0.1.0"
#endif

struct ct_ctx {
    ct_ctx_options opts;
    ct_time fixed_now;
};

#endif
