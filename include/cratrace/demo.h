/* demo: a deterministic sample fleet (products, SBOMs, customers, units, events, advisories). */
#ifndef CRATRACE_DEMO_H
#define CRATRACE_DEMO_H

#include "cratrace/common.h"

typedef struct ct_demo_options {
    unsigned version;  /* CT_DEMO_OPTIONS_VERSION */
    uint64_t seed;     /* drives customers, units and events; SBOMs and advisories are fixed */
    unsigned units;    /* rows in units.csv (at most 1,000,000) */
    unsigned customers; /* rows in customers.csv (1..99,999) */
} ct_demo_options;
#define CT_DEMO_OPTIONS_VERSION 1
#define CT_DEMO_OPTIONS_INIT { CT_DEMO_OPTIONS_VERSION, 20260101, 5000, 200 }

/**
 * Write the demo data set into dir (created if missing, parent must exist): manifest.json,
 * sboms/<product>-<version>.cdx.json, customers.csv, units.csv, events.csv and
 * advisories.osv.jsonl. Same options give byte-identical files. opts may be NULL (defaults).
 */
CT_EXTERN int ct_demo_generate(const char *dir, const ct_demo_options *opts);

#endif
