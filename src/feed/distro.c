/* Distro data plumbing: advisories merged by ID while a path is read, rejects, and the walk
 * over files and directories that picks the secdb or Debian reader for each file by content. */
#include "cratrace/feed.h"
#include "cratrace/ident.h"
#include "cratrace/version.h"
#include "feed_int.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct ct_feed__distro_acc {
    ct_advisory **slots; /* open addressing by ID */
    size_t cap, n;
};

static int oom(void)
{
    return ct_error_set(CT_ENOMEM, "out of memory");
}

int ct_feed__acc_new(ct_feed__distro_acc **out)
{
    ct_feed__distro_acc *a = ct_calloc(1, sizeof *a);
    if (!a || !(a->slots = ct_calloc(1024, sizeof *a->slots))) {
        ct_free(a);
        return oom();
    }
    a->cap = 1024;
    *out = a;
    return 0;
}

void ct_feed__acc_free(ct_feed__distro_acc *acc)
{
    if (!acc)
        return;
    for (size_t i = 0; i < acc->cap; i++)
        ct_advisory_free(acc->slots[i]);
    ct_free(acc->slots);
    ct_free(acc);
}

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static ct_advisory **slot_of(ct_feed__distro_acc *acc, const char *id)
{
    size_t i = hash(id) & (acc->cap - 1);
    while (acc->slots[i] && strcmp(acc->slots[i]->id, id) != 0)
        i = (i + 1) & (acc->cap - 1);
    return &acc->slots[i];
}

static int grow(ct_feed__distro_acc *acc)
{
    ct_advisory **old = acc->slots;
    size_t ocap = acc->cap;
    ct_advisory **ns = ct_calloc(ocap * 2, sizeof *ns);
    if (!ns)
        return oom();
    acc->slots = ns;
    acc->cap = ocap * 2;
    for (size_t i = 0; i < ocap; i++)
        if (old[i])
            *slot_of(acc, old[i]->id) = old[i];
    ct_free(old);
    return 0;
}

static int push_str(char ***v, size_t *n, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*v)[i], s) == 0)
            return 0;
    char **nv = ct_reallocarray(*v, *n + 1, sizeof **v);
    if (!nv)
        return oom();
    *v = nv;
    if (!(nv[*n] = ct_strdup(s)))
        return oom();
    (*n)++;
    return 0;
}

int ct_feed__distro_read_one(int (*parse)(const ct_ctx *, const char *, size_t, const char *,
                                          ct_feed__distro_job *),
                             const ct_ctx *ctx, const char *data, size_t len, const char *source,
                             ct_advisory_cb cb, ct_feed_reject_cb rej, void *payload,
                             ct_feed_distro_stats *stats)
{
    ct_feed__distro_job job = { NULL, rej, payload, stats };
    int rc;
    if ((rc = ct_feed__acc_new(&job.acc)) < 0)
        return rc;
    if (stats)
        stats->files++;
    if ((rc = parse(ctx, data, len, source, &job)) == 0)
        rc = ct_feed__acc_emit(job.acc, cb, payload, stats);
    ct_feed__acc_free(job.acc);
    return rc;
}

void ct_feed__reject(ct_feed__distro_job *job, const char *where, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    if (job->stats)
        job->stats->rejected++;
    if (job->rej)
        job->rej(where, reason, job->payload);
}

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool ct_feed__distro_id_ok(const char *s, size_t n)
{
    if (n > 64)
        return false;
    if (n > 4 && memcmp(s, "CVE-", 4) == 0)
        return n >= 13 && all_digits(s + 4, 4) && s[8] == '-' && all_digits(s + 9, n - 9);
    if (n > 4 && memcmp(s, "XSA-", 4) == 0)
        return all_digits(s + 4, n - 4);
    if (n > 5 && (memcmp(s, "GHSA-", 5) == 0 || memcmp(s, "TEMP-", 5) == 0)) {
        for (size_t i = 5; i < n; i++)
            if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
                  (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '-'))
                return false;
        return true;
    }
    return false;
}

int ct_feed__acc_add(ct_feed__distro_job *job, const char *where, const char *id,
                     const char *source, const char *alias, const char *summary,
                     const char *ecosystem, const char *package, const char *fixed)
{
    ct_feed__distro_acc *acc = job->acc;
    ct_buf key = CT_BUF_INIT, vers = CT_BUF_INIT;
    const char *scheme = "generic";
    ct_osv_event ev[2];
    size_t nev = 1;
    bool not_affected = fixed && strcmp(fixed, "0") == 0;
    ct_advisory **slot, *a;
    int rc = 0;

    if (!ecosystem || !package) /* the record and its alias only (a DSA without fixes) */
        goto record;
    if ((rc = ct_osv_package_key(&key, &scheme, ecosystem, package)) < 0) {
        if (rc == CT_ENOMEM)
            goto done;
        ct_feed__reject(job, where, "package \"%.80s\": %s", package, ct_error_last()->message);
        ct_error_clear();
        rc = 0;
        goto done;
    }
    rc = 0;
    ev[0].kind = CT_OSV_INTRODUCED;
    ev[0].version = "0";
    if (fixed && !not_affected) {
        ev[1].kind = CT_OSV_FIXED;
        ev[1].version = fixed;
        nev = 2;
    }
    if (not_affected) {
        /* an empty range: no version lies below the scheme's smallest, so nothing matches; the
         * record still says "not affected" for the verdict rule (docs/feeds.md) */
        ct_buf_printf(&vers, "vers:%s/<0", scheme);
        if (vers.failed) {
            rc = oom();
            goto done;
        }
    } else if ((rc = ct_vers_from_osv_events(&vers, scheme, ev, nev)) < 0) {
        if (rc == CT_ENOMEM)
            goto done;
        ct_feed__reject(job, where,
                        "%s %s: fixed version \"%.80s\" is not a valid %s version: %s", id,
                        package, fixed ? fixed : "", scheme, ct_error_last()->message);
        ct_error_clear();
        rc = 0;
        goto done;
    }
record:
    if (acc->n * 2 >= acc->cap && (rc = grow(acc)) < 0)
        goto done;
    slot = slot_of(acc, id);
    if (!(a = *slot)) {
        if (!(a = ct_calloc(1, sizeof *a))) {
            rc = oom();
            goto done;
        }
        a->published = a->modified = a->withdrawn = CT_TIME_NONE;
        a->id = ct_strdup(id);
        a->source = ct_strdup(source);
        a->summary = summary && *summary ? ct_strdup(summary) : NULL;
        if (!a->id || !a->source || (summary && *summary && !a->summary)) {
            ct_advisory_free(a);
            rc = oom();
            goto done;
        }
        *slot = a;
        acc->n++;
    }
    if (alias && strcmp(alias, id) != 0 && (rc = push_str(&a->aliases, &a->naliases, alias)) < 0)
        goto done;
    rc = 1;
    if (!ecosystem || !package)
        goto done;
    for (size_t i = 0; i < a->nranges; i++) /* the same statement twice (e.g. main + a DSA) */
        if (strcmp(a->ranges[i].pkg_key, key.ptr) == 0 && strcmp(a->ranges[i].vers, vers.ptr) == 0)
            goto done;
    if (a->nranges == a->ranges_cap) {
        size_t ncap = a->ranges_cap ? a->ranges_cap * 2 : 4;
        ct_affected_range *nr = ct_reallocarray(a->ranges, ncap, sizeof *nr);
        if (!nr) {
            rc = oom();
            goto done;
        }
        a->ranges = nr;
        a->ranges_cap = ncap;
    }
    ct_affected_range *r = &a->ranges[a->nranges];
    r->ecosystem = ct_strdup(ecosystem);
    r->package = ct_strdup(package);
    r->pkg_key = ct_strdup(key.ptr);
    r->scheme = ct_strdup(scheme);
    r->range_type = ct_strdup(not_affected ? "DISTRO-NOT-AFFECTED" : "ECOSYSTEM");
    r->vers = ct_strdup(vers.ptr);
    a->nranges++;
    if (!r->ecosystem || !r->package || !r->pkg_key || !r->scheme || !r->range_type || !r->vers)
        rc = oom();
    else
        rc = 1;
done:
    ct_buf_dispose(&key);
    ct_buf_dispose(&vers);
    return rc;
}

static int by_id(const void *x, const void *y)
{
    const ct_advisory *a = *(const ct_advisory *const *)x, *b = *(const ct_advisory *const *)y;
    return strcmp(a->id, b->id);
}

int ct_feed__acc_emit(ct_feed__distro_acc *acc, ct_advisory_cb cb, void *payload,
                      ct_feed_distro_stats *stats)
{
    ct_advisory **all;
    size_t n = 0;
    int rc = 0;

    if (acc->n == 0)
        return 0;
    if (!(all = ct_reallocarray(NULL, acc->n, sizeof *all)))
        return oom();
    for (size_t i = 0; i < acc->cap; i++)
        if (acc->slots[i]) {
            all[n++] = acc->slots[i];
            acc->slots[i] = NULL;
        }
    acc->n = 0;
    qsort(all, n, sizeof *all, by_id);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            rc = cb(all[i], payload);
            if (stats && rc == 0)
                stats->records++;
        }
        ct_advisory_free(all[i]);
    }
    ct_free(all);
    return rc;
}

/* ---- files and directories ------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static bool contains(const char *data, size_t len, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= len; i++)
        if (data[i] == needle[0] && memcmp(data + i, needle, m) == 0)
            return true;
    return false;
}

int ct_feed__distro_kind(const char *name, const char *data, size_t len)
{
    size_t i = 0;
    if (name && (ends_with(name, ".yaml") || ends_with(name, ".yml")))
        return 1;
    if (len > 65536)
        len = 65536;
    while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
        i++;
    if (i < len && data[i] == '[') { /* a DSA/DLA list: "[01 Aug 2002] DSA-141 mpack - ..." */
        const char *nl = memchr(data + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - data - i) : len - i;
        if (contains(data + i, n, "] DSA-") || contains(data + i, n, "] DLA-") ||
            contains(data + i, n, "] DTSA-"))
            return 2;
        return 0;
    }
    if (i < len && data[i] == '{') {
        if (contains(data, len, "\"secfixes\""))
            return 1;
        if (contains(data, len, "\"releases\"") &&
            (contains(data, len, "\"fixed_version\"") || contains(data, len, "\"status\"")))
            return 2;
    }
    if (i < len && data[i] != '{' && data[i] != '[' && contains(data, len, "secfixes:"))
        return 1; /* YAML without the extension */
    return 0;
}

typedef struct {
    const ct_ctx *ctx;
    ct_feed__distro_job job;
    ct_advisory_cb cb;
    void *cb_payload;
} walk;

static int read_file(walk *w, const char *path, bool named)
{
    char *data = NULL;
    size_t len = 0;
    int kind, rc;

    if (ends_with(path, ".gz")) /* compressed files are OSV feeds here */
        return named ? ct_feed__read_path(w->ctx, path, ct_feed_read_osv, w->cb, w->cb_payload)
                     : 0;
    if ((rc = ct_file_read(&data, &len, path, ct_ctx_limits(w->ctx)->max_doc_bytes)) < 0)
        return rc;
    kind = ct_feed__distro_kind(base_name(path), data, len);
    if (kind == 1 || kind == 2) {
        if (w->job.stats)
            w->job.stats->files++;
        rc = kind == 1 ? ct_feed__secdb_parse(w->ctx, data, len, path, &w->job)
                       : ct_feed__debian_parse(w->ctx, data, len, path, &w->job);
    } else if (named || ends_with(path, ".json") || ends_with(path, ".jsonl")) {
        rc = ct_feed_read_osv(w->ctx, data, len, path, w->cb, w->cb_payload);
    } else {
        rc = 0; /* README, LICENSE, NOTICE: not data */
    }
    ct_free(data);
    return rc;
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static int read_dir(walk *w, const char *dir, int depth)
{
    DIR *d;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    int rc = 0;

    if (depth > 32)
        return ct_error_set(CT_ELIMIT, "%s: directories nested too deep", dir);
    if (!(d = opendir(dir)))
        return ct_error_set(CT_EIO, "%s: cannot open directory", dir);
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char **nn = ct_reallocarray(names, n + 1, sizeof *names);
        if (!nn || !(nn[n] = ct_strdup(e->d_name))) {
            names = nn ? nn : names;
            rc = oom();
            break;
        }
        names = nn;
        n++;
    }
    closedir(d);
    if (rc == 0)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        ct_buf full = CT_BUF_INIT;
        struct stat sb;
        ct_buf_printf(&full, "%s/%s", dir, names[i]);
        if (full.failed)
            rc = oom();
        else if (stat(full.ptr, &sb) != 0)
            rc = 0;
        else if (S_ISDIR(sb.st_mode))
            rc = read_dir(w, full.ptr, depth + 1);
        else if (S_ISREG(sb.st_mode))
            rc = read_file(w, full.ptr, false);
        ct_buf_dispose(&full);
    }
    for (size_t i = 0; i < n; i++)
        ct_free(names[i]);
    ct_free(names);
    return rc;
}

int ct_feed_read_distro_path(const ct_ctx *ctx, const char *path, ct_advisory_cb cb,
                             ct_feed_reject_cb rej, void *payload, ct_feed_distro_stats *stats)
{
    walk w;
    struct stat sb;
    int rc;

    memset(&w, 0, sizeof w);
    w.ctx = ctx;
    w.cb = cb;
    w.cb_payload = payload;
    w.job.rej = rej;
    w.job.payload = payload;
    w.job.stats = stats;
    if (stat(path, &sb) != 0)
        return ct_error_set(CT_ENOTFOUND, "%s: no such file or directory", path);
    if ((rc = ct_feed__acc_new(&w.job.acc)) < 0)
        return rc;
    rc = S_ISDIR(sb.st_mode) ? read_dir(&w, path, 0) : read_file(&w, path, true);
    if (rc == 0)
        rc = ct_feed__acc_emit(w.job.acc, cb, payload, stats);
    ct_feed__acc_free(w.job.acc);
    return rc;
}

/* A quick look: by name (YAML, DSA/DLA lists) everywhere, by content for the first JSON file
 * of each directory (an OSV tree is never opened file by file here). */
static bool distro_dir(const char *dir, int depth)
{
    DIR *d;
    struct dirent *e;
    bool found = false;
    char *first_json = NULL;

    if (depth > 8 || !(d = opendir(dir)))
        return false;
    while (!found && (e = readdir(d))) {
        const char *nm = e->d_name;
        if (nm[0] == '.')
            continue;
        if (ends_with(nm, ".yaml") || ends_with(nm, ".yml") || strcmp(nm, "DSA") == 0 ||
            strcmp(nm, "DLA") == 0) {
            found = true;
        } else if (ends_with(nm, ".json")) {
            if (!first_json || strcmp(nm, first_json) < 0) {
                ct_free(first_json);
                first_json = ct_strdup(nm);
            }
        } else if (!ends_with(nm, ".jsonl") && !ends_with(nm, ".gz")) {
            ct_buf sub = CT_BUF_INIT;
            struct stat sb;
            ct_buf_printf(&sub, "%s/%s", dir, nm);
            if (!sub.failed && stat(sub.ptr, &sb) == 0 && S_ISDIR(sb.st_mode))
                found = distro_dir(sub.ptr, depth + 1);
            ct_buf_dispose(&sub);
        }
    }
    closedir(d);
    if (!found && first_json) {
        ct_buf f = CT_BUF_INIT;
        ct_buf_printf(&f, "%s/%s", dir, first_json);
        found = !f.failed && ct_feed_is_distro_path(f.ptr);
        ct_buf_dispose(&f);
    }
    ct_free(first_json);
    return found;
}

bool ct_feed_is_distro_path(const char *path)
{
    struct stat sb;
    FILE *f;
    char buf[65536];
    size_t n;

    if (!path || strcmp(path, "-") == 0 || stat(path, &sb) != 0)
        return false;
    if (S_ISDIR(sb.st_mode))
        return distro_dir(path, 0);
    if (ends_with(path, ".gz"))
        return false;
    if (ends_with(path, ".yaml") || ends_with(path, ".yml"))
        return true;
    if (!(f = fopen(path, "rb")))
        return false;
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return ct_feed__distro_kind(base_name(path), buf, n) != 0;
}

/* ---- distro purls in CSAF and CVE 5 -------------------------------------------------------
 * OSV distro ranges name their release in the ecosystem ("Debian:12"), so their keys carry it
 * ("?distro=debian-12") and, for Debian, Ubuntu and Alpine, the source package: a component
 * built from that source in that release meets them, another release does not. A CSAF product
 * or CVE 5 packageURL names a distro package by purl, often without a "distro" qualifier: the
 * release comes from the platform the product belongs to (the CSAF relationship's
 * relates_to_product_reference, the CVE 5 entry's cpes: "cpe:/o:debian:debian_linux:12"), else
 * from the distribution's version suffix. Without either the key stays unscoped, as before. */

typedef enum { SUFFIX_NONE, SUFFIX_DEB, SUFFIX_UBUNTU, SUFFIX_EL } suffix_rule;

static const struct {
    const char *type, *ns;            /* purl */
    const char *cpe_vendor, *cpe_product; /* the operating system's CPE */
    suffix_rule suffix;
} distro_platforms[] = {
    { "deb", "debian", "debian", "debian_linux", SUFFIX_DEB },
    { "deb", "ubuntu", "canonical", "ubuntu_linux", SUFFIX_UBUNTU },
    { "apk", "alpine", "alpinelinux", "alpine_linux", SUFFIX_NONE },
    { "rpm", "almalinux", "almalinux", "almalinux", SUFFIX_EL },
    { "rpm", "redhat", "redhat", "enterprise_linux", SUFFIX_EL },
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The release a version's distro suffix names into rel (empty when none): Debian stable
 * updates "+deb12u1" / "~deb11u3" -> "12", Ubuntu security updates "ubuntu0.22.04.1" ->
 * "22.04", Enterprise Linux ".el8" / ".el9_3" -> "8". */
static void release_of_version(char *rel, size_t cap, const char *v, suffix_rule rule)
{
    rel[0] = '\0';
    for (const char *s = v; v && *s && rule != SUFFIX_NONE; s++) {
        const char *d = NULL;
        size_t n = 0;
        if (rule == SUFFIX_DEB && (*s == '+' || *s == '~') && strncmp(s + 1, "deb", 3) == 0 &&
            is_digit(s[4])) {
            d = s + 4;
            while (is_digit(d[n]))
                n++;
            if (d[n] && d[n] != 'u' && d[n] != '+' && d[n] != '~' && d[n] != '.')
                continue;
        } else if (rule == SUFFIX_UBUNTU && strncmp(s, "ubuntu", 6) == 0 && is_digit(s[6])) {
            const char *t = s + 6;
            while (is_digit(*t))
                t++;
            /* "ubuntu0.22.04": YY.MM after the Ubuntu revision */
            if (t[0] != '.' || !is_digit(t[1]) || !is_digit(t[2]) || t[3] != '.' ||
                !is_digit(t[4]) || !is_digit(t[5]) || is_digit(t[6]))
                continue;
            d = t + 1;
            n = 5;
        } else if (rule == SUFFIX_EL && *s == '.' && s[1] == 'e' && s[2] == 'l' &&
                   is_digit(s[3])) {
            d = s + 3;
            while (is_digit(d[n]))
                n++;
            if (d[n] && d[n] != '_' && d[n] != '.')
                continue;
        } else {
            continue;
        }
        if (n + 1 < cap) {
            memcpy(rel, d, n);
            rel[n] = '\0';
        }
        return;
    }
}

/* The release the platform CPE names for distro row i into rel (empty when another OS). */
static int release_of_cpe(char *rel, size_t cap, const char *cpe_text, size_t i)
{
    ct_cpe *c = NULL;
    rel[0] = '\0';
    if (!cpe_text)
        return 0;
    int rc = ct_cpe_parse(&c, cpe_text, strlen(cpe_text));
    if (rc == CT_ENOMEM)
        return rc;
    if (rc < 0) {
        ct_error_clear();
        return 0;
    }
    const ct_cpe_value *ve = &c->attr[CT_CPE_VENDOR], *pr = &c->attr[CT_CPE_PRODUCT],
                       *vs = &c->attr[CT_CPE_VERSION];
    if (ve->kind == CT_CPE_VALUE && pr->kind == CT_CPE_VALUE && vs->kind == CT_CPE_VALUE &&
        strcmp(ve->value, distro_platforms[i].cpe_vendor) == 0 &&
        strcmp(pr->value, distro_platforms[i].cpe_product) == 0 && strlen(vs->value) + 1 < cap) {
        size_t n = 0;
        for (const char *s = vs->value; *s; s++)
            if (*s != '\\') /* NISTIR 7695 quoting ("22\.04") */
                rel[n++] = *s;
        rel[n] = '\0';
    }
    ct_cpe_free(c);
    return 0;
}

int ct_feed__distro_purl_key(ct_buf *out, const ct_purl *p, const char *platform_cpe)
{
    char rel[48];
    size_t row = CT_NELEM(distro_platforms);
    ct_buf text = CT_BUF_INIT, purl = CT_BUF_INIT;
    ct_purl *scoped = NULL;
    const char *hash;
    size_t at;
    int rc;

    for (size_t i = 0; p->type && p->namespace_ && i < CT_NELEM(distro_platforms); i++)
        if (ct_ascii_casecmp(p->type, distro_platforms[i].type) == 0 &&
            ct_ascii_casecmp(p->namespace_, distro_platforms[i].ns) == 0)
            row = i;
    if (row == CT_NELEM(distro_platforms) || ct_purl_qualifier(p, "distro"))
        return ct_purl_package_key(out, p);
    if ((rc = release_of_cpe(rel, sizeof rel, platform_cpe, row)) < 0)
        return rc;
    if (!rel[0])
        release_of_version(rel, sizeof rel, p->version, distro_platforms[row].suffix);
    if (!rel[0])
        return ct_purl_package_key(out, p);
    /* the same purl with distro=<ns>-<release> (subpath kept after it) */
    if ((rc = ct_purl_format(&text, p)) < 0)
        goto done;
    hash = strchr(text.ptr, '#');
    at = hash ? (size_t)(hash - text.ptr) : text.len;
    ct_buf_printf(&purl, "%.*s%sdistro=%s-%s%s", (int)at, text.ptr,
                  memchr(text.ptr, '?', at) ? "&" : "?", distro_platforms[row].ns, rel,
                  text.ptr + at);
    if (purl.failed) {
        rc = oom();
        goto done;
    }
    rc = ct_purl_parse(&scoped, purl.ptr, purl.len);
    if (rc == CT_ENOMEM)
        goto done;
    if (rc < 0) { /* a release no purl can carry: unscoped, as before */
        ct_error_clear();
        rc = ct_purl_package_key(out, p);
        goto done;
    }
    rc = ct_purl_package_key(out, scoped);
done:
    ct_purl_free(scoped);
    ct_buf_dispose(&text);
    ct_buf_dispose(&purl);
    return rc;
}
