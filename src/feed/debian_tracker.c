/* Debian security tracker JSON (https://security-tracker.debian.org/tracker/data/json:
 * package -> CVE/TEMP id -> releases -> {status, fixed_version, urgency}) and DSA/DLA lists
 * (data/DSA/list of the security-tracker repository). Source packages, per release. */
#include "cratrace/feed.h"
#include "feed_int.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    ct_feed__distro_job *job;
    const char *source;
} tracker;

/* One (package, id, release) statement of the tracker. */
static int statement(tracker *t, const char *where, const char *pkg, const char *id,
                     const char *summary, const char *release, json_object *st)
{
    const char *status = ct_feed__get_str(st, "status");
    const char *fixed = ct_feed__get_str(st, "fixed_version");
    char rid[96], eco[80];

    if (t->job->stats)
        t->job->stats->fixed_versions++;
    snprintf(rid, sizeof rid, "DEBIAN-%s", id);
    snprintf(eco, sizeof eco, "Debian:%.60s", release);
    if (!status) {
        ct_feed__reject(t->job, where, "%s %s %s: no status", pkg, id, release);
        return 0;
    }
    if (strcmp(status, "resolved") == 0) {
        if (!fixed || !*fixed) {
            ct_feed__reject(t->job, where, "%s %s %s: resolved without fixed_version", pkg, id,
                            release);
            return 0;
        }
        /* fixed_version "0": the release never had the vulnerable code */
        return ct_feed__acc_add(t->job, where, rid, "debian-tracker", id, summary, eco, pkg,
                                fixed);
    }
    if (strcmp(status, "open") == 0 || strcmp(status, "undetermined") == 0)
        return ct_feed__acc_add(t->job, where, rid, "debian-tracker", id, summary, eco, pkg,
                                NULL);
    ct_feed__reject(t->job, where, "%s %s %s: unknown status \"%.40s\"", pkg, id, release,
                    status);
    return 0;
}

static int on_json(json_object *v, const char *source, void *state)
{
    tracker *t = state;
    char where[700];
    int rc = 0;

    if (!json_object_is_type(v, json_type_object)) {
        ct_loc loc = { source, 0, 0, -1, "" };
        return ct_error_set_at(&loc, CT_EPARSE, "Debian tracker: expected an object of packages");
    }
    json_object_object_foreach(v, pkg, ids)
    {
        if (rc < 0)
            break;
        snprintf(where, sizeof where, "%s#/%.200s", source, pkg);
        if (!json_object_is_type(ids, json_type_object)) {
            ct_feed__reject(t->job, where, "package %.80s: expected an object of issues", pkg);
            continue;
        }
        if (t->job->stats)
            t->job->stats->packages++;
        json_object_object_foreach(ids, id, issue)
        {
            json_object *rels;
            if (rc < 0)
                break;
            snprintf(where, sizeof where, "%s#/%.200s/%.80s", source, pkg, id);
            if (!ct_feed__distro_id_ok(id, strlen(id))) {
                ct_feed__reject(t->job, where, "\"%.80s\" is not a CVE or TEMP identifier", id);
                continue;
            }
            if (!json_object_is_type(issue, json_type_object) ||
                !(rels = ct_feed__get(issue, "releases", json_type_object))) {
                ct_feed__reject(t->job, where, "%s %s: no releases object", pkg, id);
                continue;
            }
            const char *summary = ct_feed__get_str(issue, "description");
            json_object_object_foreach(rels, rel, st)
            {
                if (rc < 0)
                    break;
                if (!json_object_is_type(st, json_type_object)) {
                    ct_feed__reject(t->job, where, "%s %s %s: release entry is not an object",
                                    pkg, id, rel);
                    continue;
                }
                if ((rc = statement(t, where, pkg, id, summary, rel, st)) > 0)
                    rc = 0;
            }
        }
    }
    return rc;
}

/* ---- DSA / DLA list -------------------------------------------------------------------- */

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

static int read_list(tracker *t, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    char id[64] = "", summary[256], where[600];
    unsigned long line = 0;
    int rc = 0;

    while (p < end && rc >= 0) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end, *s = skip_ws(p, eol);
        line++;
        snprintf(where, sizeof where, "%s:%lu", t->source, line);
        if (s < eol && *s == '[' && s == p) { /* "[01 Aug 2002] DSA-141 mpack - buffer overflow" */
            const char *rb = memchr(s, ']', (size_t)(eol - s));
            const char *b = rb ? skip_ws(rb + 1, eol) : eol;
            size_t k = 0;
            while (b + k < eol && b[k] != ' ' && b[k] != '\t')
                k++;
            id[0] = '\0';
            if (!rb || k == 0 || k >= sizeof id ||
                !(strncmp(b, "DSA-", 4) == 0 || strncmp(b, "DLA-", 4) == 0 ||
                  strncmp(b, "DTSA-", 5) == 0)) {
                ct_feed__reject(t->job, where, "not a \"[date] DSA-N package - text\" line");
            } else {
                memcpy(id, b, k);
                id[k] = '\0';
                const char *rest = skip_ws(b + k, eol);
                snprintf(summary, sizeof summary, "%.*s", (int)(eol - rest), rest);
                rc = ct_feed__acc_add(t->job, where, id, "debian-dsa", NULL, summary, NULL,
                                      NULL, NULL);
            }
        } else if (s < eol && *s == '{' && id[0]) { /* "{CVE-2002-0660 CVE-2002-0728}" */
            const char *q = s + 1;
            while (q < eol && *q != '}' && rc >= 0) {
                size_t k;
                q = skip_ws(q, eol);
                k = 0;
                while (q + k < eol && q[k] != ' ' && q[k] != '\t' && q[k] != '}')
                    k++;
                if (k && ct_feed__distro_id_ok(q, k)) {
                    char alias[80];
                    snprintf(alias, sizeof alias, "%.*s", (int)k, q);
                    rc = ct_feed__acc_add(t->job, where, id, "debian-dsa", alias, NULL, NULL,
                                          NULL, NULL);
                }
                q += k;
            }
        } else if (s < eol && *s == '[' && id[0]) { /* "[woody] - libpng3 1.2.1-1.1.woody.2" */
            char rel[40], pkg[128], ver[128], eco[64];
            const char *rb = memchr(s, ']', (size_t)(eol - s));
            const char *q = rb ? skip_ws(rb + 1, eol) : eol;
            int n = 0;
            if (rb && (size_t)(rb - s - 1) < sizeof rel && q < eol && *q == '-') {
                snprintf(rel, sizeof rel, "%.*s", (int)(rb - s - 1), s + 1);
                q = skip_ws(q + 1, eol);
                n = sscanf(q, "%127s %127s", pkg, ver) == 2 ? 2 : 0;
            }
            if (t->job->stats)
                t->job->stats->fixed_versions++;
            if (n != 2) {
                ct_feed__reject(t->job, where, "%s: not a \"[release] - package version\" line",
                                id);
            } else {
                if (t->job->stats)
                    t->job->stats->packages++;
                snprintf(eco, sizeof eco, "Debian:%s", rel);
                if (strcmp(ver, "<not-affected>") == 0)
                    rc = ct_feed__acc_add(t->job, where, id, "debian-dsa", NULL, NULL, eco, pkg,
                                          "0");
                else if (strcmp(ver, "<unfixed>") == 0)
                    rc = ct_feed__acc_add(t->job, where, id, "debian-dsa", NULL, NULL, eco, pkg,
                                          NULL);
                else if (ver[0] == '<')
                    ct_feed__reject(t->job, where, "%s %s: \"%s\" is no fix", id, pkg, ver);
                else
                    rc = ct_feed__acc_add(t->job, where, id, "debian-dsa", NULL, NULL, eco, pkg,
                                          ver);
            }
        }
        p = nl ? nl + 1 : end;
    }
    return rc < 0 ? rc : 0;
}

int ct_feed__debian_parse(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                          ct_feed__distro_job *job)
{
    tracker t = { job, source ? source : "-" };
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
        i++;
    if (i < len && data[i] == '[')
        return read_list(&t, data, len);
    return ct_feed__each_value(ctx, data, len, t.source, on_json, &t);
}

int ct_feed_read_debian(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                        ct_advisory_cb cb, ct_feed_reject_cb rej, void *payload,
                        ct_feed_distro_stats *stats)
{
    return ct_feed__distro_read_one(ct_feed__debian_parse, ctx, data, len, source, cb, rej,
                                    payload, stats);
}
