/* File imports: each one transaction; on any error the store is left as it was. */
#include "store_int.h"
#include "sbom/cdx_json_int.h"

#include <stdio.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <zlib.h>

/* The SQLite page cache during an SBOM import that has the transaction to itself (issue 5,
 * peak memory: the default 64 MiB filled with the new release's dirty pages); the default is
 * set back after it. */
#define SBOM_IMPORT_CACHE_MIB 16
#define DEFAULT_CACHE_MIB 64

int ct_import_sbom_file(int64_t *release_id_out, ct_store *st, const char *path,
                        const char *product, const char *version, ct_time released,
                        ct_import_stats *stats)
{
    ct_sbom *sbom = NULL;
    int64_t product_id = 0, release_id = 0;
    bool own_tx = st->tx_depth == 0, cache_bounded = false;
    int rc;

    /* the file is mapped and its pages dropped as the reader goes (base/file_map.h); it is
     * closed before the store write: the model holds copies of everything it needs. Plain
     * bytes only (no gzip), as before. */
    if ((rc = ct_sbom__parse_mapped(&sbom, st->ctx, path, 0)) < 0)
        goto cleanup;
    if (!product)
        product = sbom->name;
    if (!version)
        version = sbom->version;
    if (!product || !version) {
        ct_loc loc = { path, 0, 0, -1, "/metadata/component" };
        rc = ct_error_set_at(&loc, CT_EPARSE,
                             "no product name/version given and none in metadata.component");
        goto cleanup;
    }
    if (own_tx) { /* a hint: the import goes on with the cache as it is should this fail */
        if (ct_store__cache_mib(st, SBOM_IMPORT_CACHE_MIB) == 0)
            cache_bounded = true;
        else
            ct_error_clear();
    }
    if ((rc = ct_store_begin(st)) < 0)
        goto cleanup;
    rc = ct_store_product_find(&product_id, st, product);
    if (rc == CT_ENOTFOUND) {
        ct_error_clear();
        rc = ct_store_product_add(&product_id, st, product, NULL, NULL, CT_TIME_NONE);
    }
    if (rc == 0)
        rc = ct_store_release_add(&release_id, st, product_id, version, released, sbom, NULL,
                                  stats ? &stats->match : NULL);
    if (rc < 0) {
        ct_store_rollback(st);
        ct_error_prefix("import %s", path);
        goto cleanup;
    }
    if ((rc = ct_store_commit(st)) < 0)
        goto cleanup;
    if (stats) {
        stats->records += sbom->ncomponents;
        stats->inserted += sbom->ncomponents;
    }
    if (release_id_out)
        *release_id_out = release_id;
cleanup:
    if (cache_bounded)
        (void)ct_store__cache_mib(st, DEFAULT_CACHE_MIB);
    ct_sbom_free(sbom);
    return rc;
}

typedef struct {
    ct_store *st;
    ct_import_stats *stats;
    ct_progress *progress;
} adv_job;

static int put_one(const ct_advisory *adv, void *payload)
{
    adv_job *job = payload;
    ct_advisory_put_result res;
    int rc = ct_store_advisory_put(&res, job->st, adv, &job->stats->match);
    if (rc < 0)
        return ct_error_prefix("advisory %s", adv->id);
    job->stats->records++;
    job->stats->unmatchable_ranges += adv->unmatchable;
    if (res == CT_ADV_INSERTED)
        job->stats->inserted++;
    else if (res == CT_ADV_UPDATED)
        job->stats->updated++;
    else
        job->stats->unchanged++;
    ct_progress_update(job->progress, job->stats->records);
    return 0;
}

/* osv or cve5 for a file: CVE records carry "cveMetadata"; anything else is read as OSV. */
static const char *sniff_advisory_format(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    const char *fmt = "osv";
    struct stat sb;

    if (strcmp(path, "-") == 0 || stat(path, &sb) != 0)
        return fmt;
    if (S_ISDIR(sb.st_mode)) {
        /* a directory is one feed: judge it by its first JSON file in name order */
        DIR *d = opendir(path);
        struct dirent *e;
        char *first = NULL;
        while (d && (e = readdir(d))) {
            size_t n = strlen(e->d_name);
            if (e->d_name[0] == '.' || n < 5 ||
                (strcmp(e->d_name + n - 5, ".json") != 0 && !strstr(e->d_name, ".json")))
                continue;
            if (!first || strcmp(e->d_name, first) < 0) {
                ct_free(first);
                first = ct_strdup(e->d_name);
            }
        }
        if (d)
            closedir(d);
        if (first) {
            ct_buf full = CT_BUF_INIT;
            ct_buf_printf(&full, "%s/%s", path, first);
            if (!full.failed)
                fmt = sniff_advisory_format(full.ptr);
            ct_buf_dispose(&full);
            ct_free(first);
        }
        return fmt;
    }
    /* a bounded peek at the first 64 KiB, decompressed when gzip (a feed may be gigabytes) */
    gzFile gz = gzopen(path, "rb");
    if (!gz || !(data = ct_malloc(65536))) {
        if (gz)
            gzclose(gz);
        return fmt; /* the reader reports the real problem */
    }
    int got = gzread(gz, data, 65536);
    gzclose(gz);
    len = got > 0 ? (size_t)got : 0;
    size_t n = len;
    /* a member name only one of the formats has decides (CVE records may list "containers"
     * before "cveMetadata", so order is not a clue) */
    static const struct {
        const char *marker, *format;
    } markers[] = { { "\"csaf_version\"", "csaf" },
                    { "\"cveMetadata\"", "cve5" },
                    { "\"vulnStatus\"", "nvd" },
                    { "\"sourceIdentifier\"", "nvd" } };
    for (size_t k = 0; k < CT_NELEM(markers) && strcmp(fmt, "osv") == 0; k++) {
        size_t m = strlen(markers[k].marker);
        for (size_t i = 0; i + m <= n; i++) {
            if (data[i] == '"' && memcmp(data + i, markers[k].marker, m) == 0) {
                fmt = markers[k].format;
                break;
            }
        }
    }
    ct_free(data);
    return fmt;
}

static int put_kev(const ct_kev_entry *e, void *payload)
{
    adv_job *job = payload;
    ct_stmt *q;
    int rc;
    if ((rc = ct_store__prepare(&q, job->st, CT_Q_KEV_UPSERT)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, e->cve_id)) < 0 ||
        (rc = ct_stmt_bind_text(q, 2, e->vendor_project)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, e->product)) < 0 ||
        (rc = ct_stmt_bind_text(q, 4, e->vulnerability_name)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 5, e->date_added, CT_TIME_NONE)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 6, e->due_date, CT_TIME_NONE)) < 0 ||
        (rc = ct_stmt_bind_text(q, 7, e->known_ransomware)) < 0 ||
        (rc = ct_store__exec_stmt(q)) < 0)
        return rc;
    job->stats->records++;
    job->stats->inserted++;
    ct_progress_update(job->progress, job->stats->records);
    return 0;
}

static int put_epss(const ct_epss_entry *e, void *payload)
{
    adv_job *job = payload;
    ct_stmt *q;
    int rc;
    /* millionths, rounded: exact and the same on both back ends */
    int64_t ep = (int64_t)(e->epss * 1e6 + 0.5), pc = (int64_t)(e->percentile * 1e6 + 0.5);
    if ((rc = ct_store__prepare(&q, job->st, CT_Q_EPSS_UPSERT)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, e->cve_id)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, ep)) < 0 || (rc = ct_stmt_bind_int64(q, 3, pc)) < 0 ||
        (rc = ct_stmt_bind_opt_int64(q, 4, e->score_date, CT_TIME_NONE)) < 0 ||
        (rc = ct_store__exec_stmt(q)) < 0)
        return rc;
    job->stats->records++;
    job->stats->inserted++;
    ct_progress_update(job->progress, job->stats->records);
    return 0;
}

/* A distro entry the reader skipped: counted in the import's stats and reported with its
 * location and reason through the context's log callback (the CLI prints it on stderr); the
 * rest of the file is imported (docs/feeds.md "Distributions"). */
static void count_reject(const char *where, const char *reason, void *payload)
{
    adv_job *job = payload;
    job->stats->rejected++;
    ct_ctx_log(job->st->ctx, CT_LOG_WARN, "rejected %s: %s", where, reason);
}

int ct_import_advisories_ex(ct_store *st, const char *path, const char *format,
                            ct_import_stats *stats)
{
    ct_import_stats local;
    adv_job job;
    const char *saved_origin;
    int rc;

    if (!format || strcmp(format, "auto") == 0)
        format = ct_feed_is_distro_path(path) ? "distro" : sniff_advisory_format(path);
    if (strcmp(format, "secdb") == 0 || strcmp(format, "debian") == 0)
        format = "distro"; /* one reader: each file is recognised by its content */
    if (strcmp(format, "osv") != 0 && strcmp(format, "cve5") != 0 &&
        strcmp(format, "nvd") != 0 && strcmp(format, "csaf") != 0 &&
        strcmp(format, "kev") != 0 && strcmp(format, "epss") != 0 &&
        strcmp(format, "distro") != 0)
        return ct_error_set(CT_EUNSUPPORTED,
                            "advisory format '%s' is not supported (osv, cve5, nvd, csaf, kev, "
                            "epss, distro, secdb, debian)",
                            format);
    memset(&local, 0, sizeof local);
    job.st = st;
    job.stats = stats ? stats : &local;
    job.progress = ct_progress_start(st->ctx, "advisories", 0);
    ct_store_bulk_mode(st, true);
    saved_origin = st->origin; /* a caller (feed sync: the URL) may have named the feed */
    if (!st->origin)
        st->origin = path; /* records name the file or feed they came from */
    if ((rc = ct_store_begin(st)) < 0)
        goto done;
    /* identities are regrouped once at the end, for all records stored (same result) */
    ct_store__identity_defer(st);
    if (strcmp(format, "cve5") == 0)
        rc = ct_feed_read_cve5_path(st->ctx, path, put_one, &job);
    else if (strcmp(format, "nvd") == 0)
        rc = ct_feed_read_nvd_path(st->ctx, path, put_one, &job);
    else if (strcmp(format, "csaf") == 0)
        rc = ct_feed_read_csaf_path(st->ctx, path, put_one, &job);
    else if (strcmp(format, "kev") == 0)
        rc = ct_feed_read_kev_path(st->ctx, path, put_kev, &job);
    else if (strcmp(format, "epss") == 0)
        rc = ct_feed_read_epss_path(st->ctx, path, put_epss, &job);
    else if (strcmp(format, "distro") == 0)
        rc = ct_feed_read_distro_path(st->ctx, path, put_one, count_reject, &job, NULL);
    else
        rc = ct_feed_read_osv_path(st->ctx, path, put_one, &job);
    if (rc == 0)
        rc = ct_store__identity_flush(st);
    if (rc == 0) /* distro records: the verdicts on the keys they name (store/match_store.c) */
        rc = ct_store__distro_refresh(st);
    if (rc < 0) {
        ct_store__identity_abort(st);
        ct_store_rollback(st);
        goto done;
    }
    rc = ct_store_commit(st);
done:
    st->origin = saved_origin;
    ct_store_bulk_mode(st, false);
    ct_progress_end(job.progress);
    return rc;
}

int ct_import_advisories(ct_store *st, const char *path, ct_import_stats *stats)
{
    return ct_import_advisories_ex(st, path, "osv", stats);
}
