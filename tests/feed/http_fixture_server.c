/* Test-only HTTP server (libmicrohttpd) for the feed sync tests: serves the files of one
 * directory on 127.0.0.1 with ETag / Last-Modified / Range, and failure modes chosen per
 * request by query parameters. Not part of cratrace; built only with the tests.
 *
 * usage: ct_http_fixture_server DIR [LOGFILE] [PORT]
 *   prints the bound port (PORT 0 or absent: any free port) on stdout, then serves until
 *   SIGTERM/SIGINT or 600 s. LOGFILE gets one line per request:
 *   "GET /path?query STATUS range=<Range header or ->".
 *
 * Query parameters (combine freely; counters are per full URL, so add e.g. &tag=N for a fresh
 * one):
 *   fail=N      the first N requests answer 500
 *   delay=MS    sleep MS milliseconds before answering
 *   truncate=N  the first N full (200) answers announce the whole Content-Length but send only
 *               half the body, then close the connection
 *   corrupt=1   one byte in the middle of the body is flipped (a corrupt gzip for .gz files)
 *   wrong=1     the first character of the body is replaced ('0' <-> '1'): a wrong checksum
 *   norange=1   Range requests are ignored (always 200 with the whole body)
 */
#include "cratrace/base.h"

#include <microhttpd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *g_dir;
static FILE *g_log;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

#define MAX_COUNTERS 256
static struct {
    char key[600];
    unsigned n;
} g_counters[MAX_COUNTERS];
static size_t g_ncounters;

/* How many times this key was seen before (0 for the first request). */
static unsigned bump(const char *key)
{
    unsigned n = 0;
    pthread_mutex_lock(&g_lock);
    size_t i = 0;
    for (; i < g_ncounters; i++)
        if (strcmp(g_counters[i].key, key) == 0)
            break;
    if (i == g_ncounters && g_ncounters < MAX_COUNTERS) {
        snprintf(g_counters[i].key, sizeof g_counters[i].key, "%s", key);
        g_counters[i].n = 0;
        g_ncounters++;
    }
    if (i < g_ncounters)
        n = g_counters[i].n++;
    pthread_mutex_unlock(&g_lock);
    return n;
}

/* Full answers given so far for this URL (the truncate counter). */
static unsigned bump_full(const char *key)
{
    char k[620];
    snprintf(k, sizeof k, "T|%.600s", key);
    return bump(k);
}

static void log_line(const char *url, const char *query, unsigned status, const char *range)
{
    if (!g_log)
        return;
    pthread_mutex_lock(&g_lock);
    fprintf(g_log, "GET %s%s%s %u range=%s\n", url, *query ? "?" : "", query, status,
            range ? range : "-");
    fflush(g_log);
    pthread_mutex_unlock(&g_lock);
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    ct_buf *b = cls;
    (void)kind;
    ct_buf_printf(b, "%s%s=%s", b->len ? "&" : "", key, value ? value : "");
    return MHD_YES;
}

static long arg_num(struct MHD_Connection *c, const char *name)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    int64_t n = 0;
    if (!v || ct_parse_i64(&n, v, strlen(v), 0, 1000000) < 0)
        return 0;
    return (long)n;
}

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *text,
                              const char *url, const char *query, const char *range)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text,
                                        MHD_RESPMEM_PERSISTENT);
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    log_line(url, query, status, range);
    return ok;
}

typedef struct {
    char *data;
    size_t len;  /* bytes to send before failing */
} cut_body;

static ssize_t cut_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    cut_body *b = cls;
    if (pos >= b->len)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    size_t n = b->len - (size_t)pos < max ? b->len - (size_t)pos : max;
    memcpy(buf, b->data + pos, n);
    return (ssize_t)n;
}

static void cut_free(void *cls)
{
    cut_body *b = cls;
    ct_free(b->data);
    ct_free(b);
}

static bool safe_path(const char *url)
{
    if (url[0] != '/' || strstr(url, "..") || strlen(url) > 400)
        return false;
    for (const char *p = url; *p; p++)
        if (!ct_ascii_isalnum(*p) && !strchr("/._-", *p))
            return false;
    return true;
}

/* "bytes=N-" only; -1 when absent or another form */
static long long range_start(const char *range)
{
    int64_t n;
    if (!range || strncmp(range, "bytes=", 6) != 0)
        return -1;
    const char *dash = strchr(range + 6, '-');
    if (!dash || dash[1] != '\0' || ct_parse_i64(&n, range + 6, (size_t)(dash - range - 6), 0,
                                                   INT64_MAX) < 0)
        return -1;
    return (long long)n;
}

typedef struct {
    struct MHD_Connection *c;
    const char *url, *query, *key, *range;
} request;

/* The answer for an existing file (data NEW, freed here): 304 when a validator matches, else
 * 206 for a satisfiable Range, a cut-off 200 (truncate=N) or the whole 200. */
static enum MHD_Result serve_file(const request *q, char *data, size_t len, const struct stat *sb)
{
    struct MHD_Connection *c = q->c;
    char etag[96], lm[64];
    struct tm tm;
    enum MHD_Result ok;

    snprintf(etag, sizeof etag, "\"%llx-%llx-%lx\"", (unsigned long long)sb->st_size,
             (unsigned long long)sb->st_mtim.tv_sec, (long)sb->st_mtim.tv_nsec);
    time_t mt = sb->st_mtim.tv_sec;
    gmtime_r(&mt, &tm);
    strftime(lm, sizeof lm, "%a, %d %b %Y %H:%M:%S GMT", &tm);

    if (arg_num(c, "corrupt") && len > 0)
        data[len / 2] = (char)(data[len / 2] ^ 0x55);
    if (arg_num(c, "wrong") && len > 0)
        data[0] = data[0] == '0' ? '1' : '0';

    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    const char *ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Modified-Since");
    if ((inm && strcmp(inm, etag) == 0) || (!inm && ims && strcmp(ims, lm) == 0)) {
        struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(r, "ETag", etag);
        MHD_add_response_header(r, "Last-Modified", lm);
        ok = MHD_queue_response(c, 304, r);
        MHD_destroy_response(r);
        log_line(q->url, q->query, 304, q->range);
        ct_free(data);
        return ok;
    }
    const char *if_range = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Range");
    long long from = arg_num(c, "norange") ? -1 : range_start(q->range);
    if (from >= 0 && if_range && strcmp(if_range, etag) != 0 && strcmp(if_range, lm) != 0)
        from = -1; /* RFC 9110 §13.1.5: validator changed, send the whole new body */
    struct MHD_Response *r;
    unsigned status = 200;
    if (from >= 0 && (size_t)from >= len) {
        ct_free(data);
        return answer(c, 416, "range not satisfiable\n", q->url, q->query, q->range);
    } else if (from >= 0) {
        char cr[96];
        status = 206;
        r = MHD_create_response_from_buffer(len - (size_t)from, data + from,
                                            MHD_RESPMEM_MUST_COPY);
        snprintf(cr, sizeof cr, "bytes %lld-%zu/%zu", from, len - 1, len);
        MHD_add_response_header(r, "Content-Range", cr);
    } else if (arg_num(c, "truncate") > 0 && (long)bump_full(q->key) < arg_num(c, "truncate")) {
        cut_body *b = ct_calloc(1, sizeof *b);
        if (!b) {
            ct_free(data);
            return answer(c, 500, "out of memory\n", q->url, q->query, q->range);
        }
        b->data = data;
        b->len = len / 2;
        data = NULL;
        r = MHD_create_response_from_callback(len, 4096, cut_reader, b, cut_free);
    } else {
        r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_COPY);
    }
    MHD_add_response_header(r, "ETag", etag);
    MHD_add_response_header(r, "Last-Modified", lm);
    MHD_add_response_header(r, "Accept-Ranges", "bytes");
    ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    log_line(q->url, q->query, status, q->range);
    ct_free(data);
    return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_len, void **state)
{
    static int first_call;
    ct_buf query = CT_BUF_INIT, key = CT_BUF_INIT, path = CT_BUF_INIT;
    char *data = NULL;
    size_t len = 0;
    struct stat sb;
    enum MHD_Result ok;
    (void)cls, (void)version, (void)upload, (void)upload_len;

    if (*state == NULL) { /* headers only; answer on the second call */
        *state = &first_call;
        return MHD_YES;
    }
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &query);
    ct_buf_printf(&key, "%s?%s", url, query.ptr);
    unsigned seen = bump(key.ptr);
    const char *range = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Range");
    long delay = arg_num(c, "delay");
    if (delay > 0) {
        struct timespec ts = { delay / 1000, (delay % 1000) * 1000000L };
        nanosleep(&ts, NULL);
    }
    ct_buf_printf(&path, "%s%s", g_dir, url);
    if (strcmp(method, "GET") != 0) {
        ok = answer(c, 405, "method not allowed\n", url, query.ptr, range);
    } else if ((long)seen < arg_num(c, "fail")) {
        ok = answer(c, 500, "injected failure\n", url, query.ptr, range);
    } else if (!safe_path(url) || stat(path.ptr, &sb) != 0 || !S_ISREG(sb.st_mode) ||
               ct_file_read(&data, &len, path.ptr, (size_t)1 << 30) < 0) {
        ct_free(data);
        ok = answer(c, 404, "not found\n", url, query.ptr, range);
    } else {
        request q = { c, url, query.ptr, key.ptr, range };
        ok = serve_file(&q, data, len, &sb);
    }
    ct_buf_dispose(&query);
    ct_buf_dispose(&key);
    ct_buf_dispose(&path);
    return ok;
}

int main(int argc, char **argv)
{
    struct sockaddr_in addr;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;
    sigset_t set;
    int sig;
    int64_t port = 0;

    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: %s DIR [LOGFILE] [PORT]\n", argv[0]);
        return 2;
    }
    g_dir = argv[1];
    if (argc >= 3 && *argv[2] && !(g_log = fopen(argv[2], "a"))) {
        perror(argv[2]);
        return 1;
    }
    if (argc == 4 && ct_parse_i64(&port, argv[3], strlen(argv[3]), 0, 65535) < 0) {
        fprintf(stderr, "bad port %s\n", argv[3]);
        return 2;
    }
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* before MHD starts threads: they inherit it */
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
                         0, NULL, NULL, handle, NULL, MHD_OPTION_SOCK_ADDR, &addr,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
    if (!d || !(info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT))) {
        fprintf(stderr, "cannot start the HTTP server\n");
        return 1;
    }
    printf("%u\n", (unsigned)info->port);
    fflush(stdout);
    alarm(600); /* never outlive a crashed test by long */
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    if (g_log)
        fclose(g_log);
    return 0;
}
