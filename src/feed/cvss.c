/* CVSS v3.0 / v3.1 / v4.0: vector parsing, validation and scoring.
 *
 * v3.x: FIRST "CVSS v3.1 Specification Document" §7.1 (base equations), §7.4 (metric
 * values) and Appendix A (Roundup); v3.0 vectors use the v3.0 Roundup (§8.1 of the v3.0
 * document: the smallest one-decimal number >= the input). v4.0: FIRST "CVSS v4.0
 * Specification Document" §8 (MacroVectors, EQ1-EQ6, interpolation between the scores of
 * neighbouring MacroVectors) with the published MacroVector score table (§8.2 / the
 * FIRST calculator's cvss_lookup.js) and the highest-severity vectors of each EQ level. */
#include "cratrace/cvss.h"
#include "cratrace/base.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    const char *const *values; /* NULL-terminated, as written in vectors */
    bool mandatory;            /* base metric: must be present, "X" not allowed */
} metric_def;

#define V(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* CVSS v3.1 §6 Table 15 (v3.0 is identical). */
static const metric_def v3_metrics[] = {
    { "AV", V("N", "A", "L", "P"), true },  { "AC", V("L", "H"), true },
    { "PR", V("N", "L", "H"), true },       { "UI", V("N", "R"), true },
    { "S", V("U", "C"), true },             { "C", V("H", "L", "N"), true },
    { "I", V("H", "L", "N"), true },        { "A", V("H", "L", "N"), true },
    { "E", V("X", "H", "F", "P", "U"), false },
    { "RL", V("X", "U", "W", "T", "O"), false },
    { "RC", V("X", "C", "R", "U"), false }, { "CR", V("X", "H", "M", "L"), false },
    { "IR", V("X", "H", "M", "L"), false }, { "AR", V("X", "H", "M", "L"), false },
    { "MAV", V("X", "N", "A", "L", "P"), false },
    { "MAC", V("X", "L", "H"), false },     { "MPR", V("X", "N", "L", "H"), false },
    { "MUI", V("X", "N", "R"), false },     { "MS", V("X", "U", "C"), false },
    { "MC", V("X", "H", "L", "N"), false }, { "MI", V("X", "H", "L", "N"), false },
    { "MA", V("X", "H", "L", "N"), false },
};

/* CVSS v4.0 §7 Table 23: base, threat, environmental and supplemental metrics. */
static const metric_def v4_metrics[] = {
    { "AV", V("N", "A", "L", "P"), true },
    { "AC", V("L", "H"), true },
    { "AT", V("N", "P"), true },
    { "PR", V("N", "L", "H"), true },
    { "UI", V("N", "P", "A"), true },
    { "VC", V("H", "L", "N"), true },
    { "VI", V("H", "L", "N"), true },
    { "VA", V("H", "L", "N"), true },
    { "SC", V("H", "L", "N"), true },
    { "SI", V("H", "L", "N"), true },
    { "SA", V("H", "L", "N"), true },
    { "E", V("X", "A", "P", "U"), false },
    { "CR", V("X", "H", "M", "L"), false },
    { "IR", V("X", "H", "M", "L"), false },
    { "AR", V("X", "H", "M", "L"), false },
    { "MAV", V("X", "N", "A", "L", "P"), false },
    { "MAC", V("X", "L", "H"), false },
    { "MAT", V("X", "N", "P"), false },
    { "MPR", V("X", "N", "L", "H"), false },
    { "MUI", V("X", "N", "P", "A"), false },
    { "MVC", V("X", "H", "L", "N"), false },
    { "MVI", V("X", "H", "L", "N"), false },
    { "MVA", V("X", "H", "L", "N"), false },
    { "MSC", V("X", "H", "L", "N"), false },
    { "MSI", V("X", "S", "H", "L", "N"), false },
    { "MSA", V("X", "S", "H", "L", "N"), false },
    { "S", V("X", "N", "P"), false },
    { "AU", V("X", "N", "Y"), false },
    { "R", V("X", "A", "U", "I"), false },
    { "V", V("X", "D", "C"), false },
    { "RE", V("X", "L", "M", "H"), false },
    { "U", V("X", "Clear", "Green", "Amber", "Red"), false },
};

/* CVSS v4.0 §8.2: score (x 10) of each of the 270 MacroVectors "EQ1 EQ2 EQ3 EQ4 EQ5 EQ6",
 * sorted by MacroVector. Facts taken from the specification's published lookup table. */
typedef struct {
    char mv[8];
    int score10;
} mv_score;
static const mv_score v4_lookup[] = {
    { "000000", 100 }, { "000001", 99 }, { "000010", 98 }, { "000011", 95 }, { "000020", 95 },
    { "000021", 92 }, { "000100", 100 }, { "000101", 96 }, { "000110", 93 }, { "000111", 87 },
    { "000120", 91 }, { "000121", 81 }, { "000200", 93 }, { "000201", 90 }, { "000210", 89 },
    { "000211", 80 }, { "000220", 81 }, { "000221", 68 }, { "001000", 98 }, { "001001", 95 },
    { "001010", 95 }, { "001011", 92 }, { "001020", 90 }, { "001021", 84 }, { "001100", 93 },
    { "001101", 92 }, { "001110", 89 }, { "001111", 81 }, { "001120", 81 }, { "001121", 65 },
    { "001200", 88 }, { "001201", 80 }, { "001210", 78 }, { "001211", 70 }, { "001220", 69 },
    { "001221", 48 }, { "002001", 92 }, { "002011", 82 }, { "002021", 72 }, { "002101", 79 },
    { "002111", 69 }, { "002121", 50 }, { "002201", 69 }, { "002211", 55 }, { "002221", 27 },
    { "010000", 99 }, { "010001", 97 }, { "010010", 95 }, { "010011", 92 }, { "010020", 92 },
    { "010021", 85 }, { "010100", 95 }, { "010101", 91 }, { "010110", 90 }, { "010111", 83 },
    { "010120", 84 }, { "010121", 71 }, { "010200", 92 }, { "010201", 81 }, { "010210", 82 },
    { "010211", 71 }, { "010220", 72 }, { "010221", 53 }, { "011000", 95 }, { "011001", 93 },
    { "011010", 92 }, { "011011", 85 }, { "011020", 85 }, { "011021", 73 }, { "011100", 92 },
    { "011101", 82 }, { "011110", 80 }, { "011111", 72 }, { "011120", 70 }, { "011121", 59 },
    { "011200", 84 }, { "011201", 70 }, { "011210", 71 }, { "011211", 52 }, { "011220", 50 },
    { "011221", 30 }, { "012001", 86 }, { "012011", 75 }, { "012021", 52 }, { "012101", 71 },
    { "012111", 52 }, { "012121", 29 }, { "012201", 63 }, { "012211", 29 }, { "012221", 17 },
    { "100000", 98 }, { "100001", 95 }, { "100010", 94 }, { "100011", 87 }, { "100020", 91 },
    { "100021", 81 }, { "100100", 94 }, { "100101", 89 }, { "100110", 86 }, { "100111", 74 },
    { "100120", 77 }, { "100121", 64 }, { "100200", 87 }, { "100201", 75 }, { "100210", 74 },
    { "100211", 63 }, { "100220", 63 }, { "100221", 49 }, { "101000", 94 }, { "101001", 89 },
    { "101010", 88 }, { "101011", 77 }, { "101020", 76 }, { "101021", 67 }, { "101100", 86 },
    { "101101", 76 }, { "101110", 74 }, { "101111", 58 }, { "101120", 59 }, { "101121", 50 },
    { "101200", 72 }, { "101201", 57 }, { "101210", 57 }, { "101211", 52 }, { "101220", 52 },
    { "101221", 25 }, { "102001", 83 }, { "102011", 70 }, { "102021", 54 }, { "102101", 65 },
    { "102111", 58 }, { "102121", 26 }, { "102201", 53 }, { "102211", 21 }, { "102221", 13 },
    { "110000", 95 }, { "110001", 90 }, { "110010", 88 }, { "110011", 76 }, { "110020", 76 },
    { "110021", 70 }, { "110100", 90 }, { "110101", 77 }, { "110110", 75 }, { "110111", 62 },
    { "110120", 61 }, { "110121", 53 }, { "110200", 77 }, { "110201", 66 }, { "110210", 68 },
    { "110211", 59 }, { "110220", 52 }, { "110221", 30 }, { "111000", 89 }, { "111001", 78 },
    { "111010", 76 }, { "111011", 67 }, { "111020", 62 }, { "111021", 58 }, { "111100", 74 },
    { "111101", 59 }, { "111110", 57 }, { "111111", 57 }, { "111120", 47 }, { "111121", 23 },
    { "111200", 61 }, { "111201", 52 }, { "111210", 57 }, { "111211", 29 }, { "111220", 24 },
    { "111221", 16 }, { "112001", 71 }, { "112011", 59 }, { "112021", 30 }, { "112101", 58 },
    { "112111", 26 }, { "112121", 15 }, { "112201", 23 }, { "112211", 13 }, { "112221", 6 },
    { "200000", 93 }, { "200001", 87 }, { "200010", 86 }, { "200011", 72 }, { "200020", 75 },
    { "200021", 58 }, { "200100", 86 }, { "200101", 74 }, { "200110", 74 }, { "200111", 61 },
    { "200120", 56 }, { "200121", 34 }, { "200200", 70 }, { "200201", 54 }, { "200210", 52 },
    { "200211", 40 }, { "200220", 40 }, { "200221", 22 }, { "201000", 85 }, { "201001", 75 },
    { "201010", 74 }, { "201011", 55 }, { "201020", 62 }, { "201021", 51 }, { "201100", 72 },
    { "201101", 57 }, { "201110", 55 }, { "201111", 41 }, { "201120", 46 }, { "201121", 19 },
    { "201200", 53 }, { "201201", 36 }, { "201210", 34 }, { "201211", 19 }, { "201220", 19 },
    { "201221", 8 }, { "202001", 64 }, { "202011", 51 }, { "202021", 20 }, { "202101", 47 },
    { "202111", 21 }, { "202121", 11 }, { "202201", 24 }, { "202211", 9 }, { "202221", 4 },
    { "210000", 88 }, { "210001", 75 }, { "210010", 73 }, { "210011", 53 }, { "210020", 60 },
    { "210021", 50 }, { "210100", 73 }, { "210101", 55 }, { "210110", 59 }, { "210111", 40 },
    { "210120", 41 }, { "210121", 20 }, { "210200", 54 }, { "210201", 43 }, { "210210", 45 },
    { "210211", 22 }, { "210220", 20 }, { "210221", 11 }, { "211000", 75 }, { "211001", 55 },
    { "211010", 58 }, { "211011", 45 }, { "211020", 40 }, { "211021", 21 }, { "211100", 61 },
    { "211101", 51 }, { "211110", 48 }, { "211111", 18 }, { "211120", 20 }, { "211121", 9 },
    { "211200", 46 }, { "211201", 18 }, { "211210", 17 }, { "211211", 7 }, { "211220", 8 },
    { "211221", 2 }, { "212001", 53 }, { "212011", 24 }, { "212021", 14 }, { "212101", 24 },
    { "212111", 12 }, { "212121", 5 }, { "212201", 10 }, { "212211", 3 }, { "212221", 1 },
};

/* CVSS v4.0 §8.2: highest-severity vectors of each EQ level (several for some levels),
 * tried in this order; EQ3 is indexed by [EQ3][EQ6]. */
static const char *const v4_max_eq1[3][4] = {
    { "AV:N/PR:N/UI:N/" },
    { "AV:A/PR:N/UI:N/", "AV:N/PR:L/UI:N/", "AV:N/PR:N/UI:P/" },
    { "AV:P/PR:N/UI:N/", "AV:A/PR:L/UI:P/" },
};
static const char *const v4_max_eq2[2][3] = {
    { "AC:L/AT:N/" },
    { "AC:H/AT:N/", "AC:L/AT:P/" },
};
static const char *const v4_max_eq3[3][2][6] = {
    { { "VC:H/VI:H/VA:H/CR:H/IR:H/AR:H/" },
      { "VC:H/VI:H/VA:L/CR:M/IR:M/AR:H/", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M/" } },
    { { "VC:L/VI:H/VA:H/CR:H/IR:H/AR:H/", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H/" },
      { "VC:L/VI:H/VA:L/CR:H/IR:M/AR:H/", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M/",
        "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M/", "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H/",
        "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M/" } },
    { { NULL }, { "VC:L/VI:L/VA:L/CR:H/IR:H/AR:H/" } },
};
static const char *const v4_max_eq4[3] = { "SC:H/SI:S/SA:S/", "SC:H/SI:H/SA:H/",
                                            "SC:L/SI:L/SA:L/" };
/* depth of each EQ level (max severity distance + 1), in steps of 0.1 */
static const int v4_depth_eq1[3] = { 1, 4, 5 };
static const int v4_depth_eq2[2] = { 1, 2 };
static const int v4_depth_eq3eq6[3][2] = { { 7, 6 }, { 8, 8 }, { 0, 10 } };
static const int v4_depth_eq4[3] = { 6, 5, 4 };

/* Severity levels (x 10) of the metrics that take part in the distance (§8.2). */
static const struct {
    const char *metric;
    const char *levels; /* value letter, level digit pairs */
} v4_levels[] = {
    { "AV", "N0A1L2P3" }, { "PR", "N0L1H2" },   { "UI", "N0P1A2" },   { "AC", "L0H1" },
    { "AT", "N0P1" },     { "VC", "H0L1N2" },   { "VI", "H0L1N2" },   { "VA", "H0L1N2" },
    { "SC", "H1L2N3" },   { "SI", "S0H1L2N3" }, { "SA", "S0H1L2N3" }, { "CR", "H0M1L2" },
    { "IR", "H0M1L2" },   { "AR", "H0M1L2" },
};

static const metric_def *table_of(int version, size_t *n)
{
    if (version == 40) {
        *n = CT_NELEM(v4_metrics);
        return v4_metrics;
    }
    *n = CT_NELEM(v3_metrics);
    return v3_metrics;
}

static int find_metric(const metric_def *t, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(t[i].name) == len && memcmp(t[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

const char *ct_cvss_metric(const ct_cvss *c, const char *name)
{
    size_t n;
    const metric_def *t = table_of(c->version, &n);
    int i = find_metric(t, n, name, strlen(name));
    if (i < 0 || !c->values[i])
        return NULL;
    return t[i].values[c->values[i] - 1];
}

ct_cvss_severity ct_cvss_severity_of(int score10)
{
    if (score10 <= 0)
        return CT_CVSS_SEV_NONE;
    if (score10 < 40)
        return CT_CVSS_SEV_LOW;
    if (score10 < 70)
        return CT_CVSS_SEV_MEDIUM;
    if (score10 < 90)
        return CT_CVSS_SEV_HIGH;
    return CT_CVSS_SEV_CRITICAL;
}

const char *ct_cvss_severity_name(ct_cvss_severity s)
{
    static const char *const names[] = { "None", "Low", "Medium", "High", "Critical" };
    return (unsigned)s < CT_NELEM(names) ? names[s] : "None";
}

double ct_cvss_score(const ct_cvss *c)
{
    return c->score10 / 10.0;
}

/* CT_EPARSE at byte off: 'msg "what"'. */
static int bad(size_t off, const char *msg, const char *what, size_t wlen)
{
    ct_loc loc = { "cvss", 1, (uint32_t)off + 1, (int64_t)off, NULL };
    if (wlen > 40)
        wlen = 40;
    return ct_error_set_at(&loc, CT_EPARSE, "%s \"%.*s\"", msg, (int)wlen, what);
}

static int parse_metrics(ct_cvss *c, const char *s, size_t len, size_t p)
{
    size_t n;
    const metric_def *t = table_of(c->version, &n);

    while (p < len) {
        const char *seg = s + p;
        const char *slash = memchr(seg, '/', len - p);
        size_t sl = slash ? (size_t)(slash - seg) : len - p;
        const char *colon = memchr(seg, ':', sl);
        size_t nl, vl;
        int mi, vi;

        if (!colon)
            return bad(p, "expected NAME:VALUE, found", seg, sl);
        nl = (size_t)(colon - seg);
        vl = sl - nl - 1;
        if ((mi = find_metric(t, n, seg, nl)) < 0)
            return bad(p, "unknown metric", seg, nl);
        if (c->values[mi])
            return bad(p, "duplicate metric", seg, nl);
        for (vi = 0; t[mi].values[vi]; vi++)
            if (strlen(t[mi].values[vi]) == vl && memcmp(t[mi].values[vi], colon + 1, vl) == 0)
                break;
        if (!t[mi].values[vi])
            return bad(p + nl + 1, "invalid value", colon + 1, vl);
        c->values[mi] = (uint8_t)(vi + 1);
        p += sl + 1;
        if (slash && p == len)
            return bad(p - 1, "trailing", "/", 1);
    }
    for (size_t i = 0; i < n; i++)
        if (t[i].mandatory && !c->values[i])
            return bad(len, "missing base metric", t[i].name, strlen(t[i].name));
    return 0;
}

/* The value letter of metric name ('X' when absent). */
static char val(const ct_cvss *c, const char *name)
{
    const char *v = ct_cvss_metric(c, name);
    return v ? v[0] : 'X';
}

/* ---- v3.x base score, CVSS v3.1 §7.1 ---------------------------------------------------- */

/* v3.1 Appendix A: Roundup avoiding floating-point artefacts; result x 10. */
static int roundup31(double x)
{
    int64_t i = (int64_t)llround(x * 100000.0);
    if (i % 10000 == 0)
        return (int)(i / 10000);
    return (int)(i / 10000 + 1);
}

/* v3.0 §8.1: smallest number with one decimal that is >= x, as its calculator computes it. */
static int roundup30(double x)
{
    return (int)ceil(x * 10.0);
}

static double cia_weight(char v)
{
    return v == 'H' ? 0.56 : v == 'L' ? 0.22 : 0.0;
}

/* The effective v3 value of metric: its modified form (M<metric>) unless absent or X. */
static char eff3(const ct_cvss *c, const char *metric, bool modified)
{
    char m[8] = "M";
    if (modified && strlen(metric) < 4) {
        memcpy(m + 1, metric, strlen(metric) + 1);
        if (val(c, m) != 'X')
            return val(c, m);
    }
    return val(c, metric);
}

static int roundup_v(const ct_cvss *c, double x)
{
    return c->version == 30 ? roundup30(x) : roundup31(x);
}

/* Base (modified = false) or modified (true) impact and exploitability sub-scores. */
static void subscores(const ct_cvss *c, bool modified, double *impact, double *expl,
                      bool *changed)
{
    char av = eff3(c, "AV", modified), ac = eff3(c, "AC", modified);
    char pr = eff3(c, "PR", modified), ui = eff3(c, "UI", modified);
    bool ch = eff3(c, "S", modified) == 'C';
    double w_av = av == 'N' ? 0.85 : av == 'A' ? 0.62 : av == 'L' ? 0.55 : 0.2;
    double w_ac = ac == 'L' ? 0.77 : 0.44;
    double w_pr = pr == 'N' ? 0.85 : pr == 'L' ? (ch ? 0.68 : 0.62) : (ch ? 0.5 : 0.27);
    double w_ui = ui == 'N' ? 0.85 : 0.62;
    double ci = cia_weight(eff3(c, "C", modified)), ii = cia_weight(eff3(c, "I", modified));
    double ai = cia_weight(eff3(c, "A", modified)), iss;

    if (!modified) {
        iss = 1.0 - (1.0 - ci) * (1.0 - ii) * (1.0 - ai);
        *impact = ch ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
    } else {
        /* §7.3: security requirements weight the modified impacts; MISS capped at 0.915 */
        char r[3] = { val(c, "CR"), val(c, "IR"), val(c, "AR") };
        double w[3];
        for (int k = 0; k < 3; k++)
            w[k] = r[k] == 'H' ? 1.5 : r[k] == 'L' ? 0.5 : 1.0;
        iss = 1.0 - (1.0 - w[0] * ci) * (1.0 - w[1] * ii) * (1.0 - w[2] * ai);
        if (iss > 0.915)
            iss = 0.915;
        if (!ch)
            *impact = 6.42 * iss;
        else if (c->version == 30)
            *impact = 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15);
        else
            *impact = 7.52 * (iss - 0.029) - 3.25 * pow(iss * 0.9731 - 0.02, 13);
    }
    *expl = 8.22 * w_av * w_ac * w_pr * w_ui;
    *changed = ch;
}

/* §7.2: Exploit Code Maturity x Remediation Level x Report Confidence. */
static double temporal_factor(const ct_cvss *c)
{
    char e = val(c, "E"), rl = val(c, "RL"), rc = val(c, "RC");
    double we = e == 'F' ? 0.97 : e == 'P' ? 0.94 : e == 'U' ? 0.91 : 1.0;
    double wrl = rl == 'W' ? 0.97 : rl == 'T' ? 0.96 : rl == 'O' ? 0.95 : 1.0;
    double wrc = rc == 'R' ? 0.96 : rc == 'U' ? 0.92 : 1.0;
    return we * wrl * wrc;
}

/* Base (§7.1), temporal (§7.2) and environmental (§7.3) scores, x 10. */
static void score_v3(ct_cvss *c)
{
    double impact, expl, raw;
    bool changed;

    subscores(c, false, &impact, &expl, &changed);
    if (impact <= 0) {
        c->score10 = 0;
    } else {
        raw = changed ? 1.08 * (impact + expl) : impact + expl;
        c->score10 = roundup_v(c, raw > 10.0 ? 10.0 : raw);
    }
    c->temporal10 = roundup_v(c, c->score10 / 10.0 * temporal_factor(c));
    subscores(c, true, &impact, &expl, &changed);
    if (impact <= 0) {
        c->environmental10 = 0;
    } else {
        raw = changed ? 1.08 * (impact + expl) : impact + expl;
        raw = roundup_v(c, raw > 10.0 ? 10.0 : raw) / 10.0;
        c->environmental10 = roundup_v(c, raw * temporal_factor(c));
    }
}

/* ---- v4.0 score, CVSS v4.0 §8 ----------------------------------------------------------- */

/* Effective value (§8.1): modified metrics override base metrics, E:X is E:A and CR/IR/AR:X
 * are H (the worst case). */
static char eff(const ct_cvss *c, const char *metric)
{
    char m[8] = "M";
    char v = val(c, metric);
    if (v == 'X' && strcmp(metric, "E") == 0)
        return 'A';
    if (v == 'X' && (strcmp(metric, "CR") == 0 || strcmp(metric, "IR") == 0 ||
                     strcmp(metric, "AR") == 0))
        return 'H';
    if (strlen(metric) < 4) {
        char mv;
        memcpy(m + 1, metric, strlen(metric) + 1);
        if ((mv = val(c, m)) != 'X' && find_metric(v4_metrics, CT_NELEM(v4_metrics), m,
                                                   strlen(m)) >= 0)
            return mv;
    }
    return v;
}

static void macrovector(const ct_cvss *c, int eq[6])
{
    char av = eff(c, "AV"), pr = eff(c, "PR"), ui = eff(c, "UI");
    char vc = eff(c, "VC"), vi = eff(c, "VI"), va = eff(c, "VA");
    bool s_safety = val(c, "MSI") == 'S' || val(c, "MSA") == 'S';
    char e = eff(c, "E");

    if (av == 'N' && pr == 'N' && ui == 'N')
        eq[0] = 0;
    else if ((av == 'N' || pr == 'N' || ui == 'N') && av != 'P')
        eq[0] = 1;
    else
        eq[0] = 2;
    eq[1] = eff(c, "AC") == 'L' && eff(c, "AT") == 'N' ? 0 : 1;
    if (vc == 'H' && vi == 'H')
        eq[2] = 0;
    else if (vc == 'H' || vi == 'H' || va == 'H')
        eq[2] = 1;
    else
        eq[2] = 2;
    if (s_safety)
        eq[3] = 0;
    else if (eff(c, "SC") == 'H' || eff(c, "SI") == 'H' || eff(c, "SA") == 'H')
        eq[3] = 1;
    else
        eq[3] = 2;
    eq[4] = e == 'A' ? 0 : e == 'P' ? 1 : 2;
    eq[5] = (eff(c, "CR") == 'H' && vc == 'H') || (eff(c, "IR") == 'H' && vi == 'H') ||
                    (eff(c, "AR") == 'H' && va == 'H')
                ? 0
                : 1;
}

static int cmp_mv(const void *key, const void *elem)
{
    return strcmp(key, ((const char *)elem));
}

/* Score x 10 of MacroVector eq, or -1 when it does not exist. */
static int lookup(const int eq[6])
{
    char key[8];
    const void *hit;
    for (int i = 0; i < 6; i++) {
        if (eq[i] < 0 || eq[i] > 9)
            return -1;
        key[i] = (char)('0' + eq[i]);
    }
    key[6] = '\0';
    hit = bsearch(key, v4_lookup, CT_NELEM(v4_lookup), sizeof v4_lookup[0], cmp_mv);
    return hit ? ((const mv_score *)hit)->score10 : -1;
}

/* Level (x 10) of value v for metric index k of v4_levels. */
static int level(size_t k, char v)
{
    for (const char *p = v4_levels[k].levels; *p; p += 2)
        if (p[0] == v)
            return p[1] - '0';
    return 0;
}

/* The value of metric in a highest-severity vector such as "AV:N/PR:N/UI:N/". */
static char max_value(const char *maxvec, const char *metric)
{
    size_t n = strlen(metric);
    for (const char *p = maxvec; *p;) {
        const char *colon = strchr(p, ':');
        if ((size_t)(colon - p) == n && memcmp(p, metric, n) == 0)
            return colon[1];
        p = strchr(colon, '/') + 1;
    }
    return 0;
}

/* Severity distances (x 10) of c from the first highest-severity vector of its MacroVector
 * that is not less severe in any metric (§8.2 step b). */
static void distances(const ct_cvss *c, const int eq[6], int dist[CT_NELEM(v4_levels)])
{
    const char *const *m1 = v4_max_eq1[eq[0]], *const *m2 = v4_max_eq2[eq[1]];
    const char *const *m3 = v4_max_eq3[eq[2]][eq[5]];
    char full[160];

    for (size_t a = 0; a < 4 && m1[a]; a++)
        for (size_t b = 0; b < 3 && m2[b]; b++)
            for (size_t d = 0; d < 6 && m3[d]; d++) {
                bool ok = true;
                /* EQ5's highest vector is E itself: its distance is always 0 */
                snprintf(full, sizeof full, "%s%s%s%s", m1[a], m2[b], m3[d], v4_max_eq4[eq[3]]);
                for (size_t k = 0; k < CT_NELEM(v4_levels); k++) {
                    dist[k] = level(k, eff(c, v4_levels[k].metric)) -
                              level(k, max_value(full, v4_levels[k].metric));
                    ok = ok && dist[k] >= 0;
                }
                if (ok)
                    return;
            }
}

static int score_v4(ct_cvss *c)
{
    static const char *const impact[] = { "VC", "VI", "VA", "SC", "SI", "SA" };
    int eq[6], dist[CT_NELEM(v4_levels)], value, n = 0;
    int64_t num = 0, den; /* mean distance x 10 = num / (840 n): 840 = lcm of the depths */
    bool none = true;

    macrovector(c, eq);
    for (int i = 0; i < 6; i++)
        c->macrovector[i] = (char)('0' + eq[i]);
    c->macrovector[6] = '\0';
    for (size_t i = 0; i < CT_NELEM(impact); i++)
        none = none && eff(c, impact[i]) == 'N';
    if (none)
        return 0;
    value = lookup(eq);
    distances(c, eq, dist);
    {
        /* per EQ: next lower MacroVector(s), distance of c inside its level, level depth */
        int lower[5], d[5], depth[5];
        int e1[6], e2[6], e3[6], e3b[6], e4[6], e5[6];
        memcpy(e1, eq, sizeof e1);
        memcpy(e2, eq, sizeof e2);
        memcpy(e3, eq, sizeof e3);
        memcpy(e3b, eq, sizeof e3b);
        memcpy(e4, eq, sizeof e4);
        memcpy(e5, eq, sizeof e5);
        e1[0]++;
        e2[1]++;
        e4[3]++;
        e5[4]++;
        if (eq[2] == 0 && eq[5] == 0) { /* 00 -> 01 or 10: the higher of the two */
            int l, r;
            e3[5]++;
            e3b[2]++;
            l = lookup(e3);
            r = lookup(e3b);
            lower[2] = l > r ? l : r;
        } else if (eq[2] == 1 && eq[5] == 0) { /* 10 -> 11 */
            e3[5]++;
            lower[2] = lookup(e3);
        } else if (eq[5] == 1 && eq[2] < 2) { /* 01 -> 11, 11 -> 21 */
            e3[2]++;
            lower[2] = lookup(e3);
        } else {
            lower[2] = -1; /* 21: nothing lower */
        }
        lower[0] = lookup(e1);
        lower[1] = lookup(e2);
        lower[3] = lookup(e4);
        lower[4] = lookup(e5);
        d[0] = dist[0] + dist[1] + dist[2];
        d[1] = dist[3] + dist[4];
        d[2] = dist[5] + dist[6] + dist[7] + dist[11] + dist[12] + dist[13];
        d[3] = dist[8] + dist[9] + dist[10];
        d[4] = 0;
        depth[0] = v4_depth_eq1[eq[0]];
        depth[1] = v4_depth_eq2[eq[1]];
        depth[2] = v4_depth_eq3eq6[eq[2]][eq[5]];
        depth[3] = v4_depth_eq4[eq[3]];
        depth[4] = 1;
        for (int i = 0; i < 5; i++) {
            if (lower[i] < 0)
                continue;
            n++;
            num += (int64_t)(value - lower[i]) * d[i] * (840 / depth[i]);
        }
    }
    if (n == 0)
        return value;
    /* score x 10 = value - num / den, clamped to 0..100, rounded half up to an integer */
    den = 840 * (int64_t)n;
    {
        int64_t x = (int64_t)value * den - num;
        if (x < 0)
            x = 0;
        if (x > 100 * den)
            x = 100 * den;
        return (int)((2 * x + den) / (2 * den));
    }
}

int ct_cvss_parse(ct_cvss *out, const char *s, size_t len)
{
    static const struct {
        const char *prefix;
        int version;
    } versions[] = { { "CVSS:3.0/", 30 }, { "CVSS:3.1/", 31 }, { "CVSS:4.0/", 40 } };
    size_t i;
    int rc;

    memset(out, 0, sizeof *out);
    for (i = 0; i < CT_NELEM(versions); i++)
        if (len >= 9 && memcmp(s, versions[i].prefix, 9) == 0)
            break;
    if (i == CT_NELEM(versions))
        return bad(0, "expected CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/, found", s,
                   len < 9 ? len : 9);
    out->version = versions[i].version;
    if ((rc = parse_metrics(out, s, len, 9)) < 0) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    if (out->version == 40) {
        out->score10 = score_v4(out);
        out->temporal10 = out->environmental10 = -1;
    } else {
        score_v3(out);
    }
    out->severity = ct_cvss_severity_of(out->score10);
    return 0;
}
