/* Shared by bench_sbom.c and bench_sbom_formats.c: the generated SBOM and a bounded wait for a
 * child process (wall clock, rusage, SIGKILL after timeout seconds). */
#ifndef CT_BENCH_SBOM_GEN_H
#define CT_BENCH_SBOM_GEN_H

#include "bench_util.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

/* Wait for pid; with timeout > 0, poll every tick_ms and SIGKILL it once timeout seconds have
 * passed (*killed says so). 0, or -1 when wait4 fails. */
static inline int bench_wait_bounded(pid_t pid, int *st, struct rusage *ru, double timeout,
                                     long tick_ms, bool *killed)
{
    uint64_t t0 = bench_now_ns();
    struct timespec tick = { 0, tick_ms * 1000 * 1000 };
    *killed = false;
    for (;;) {
        pid_t r = wait4(pid, st, timeout > 0 && !*killed ? WNOHANG : 0, ru);
        if (r == pid)
            return 0;
        if (r < 0 && errno != EINTR)
            return -1;
        if (r == 0 && (double)(bench_now_ns() - t0) / 1e9 > timeout) {
            kill(pid, SIGKILL);
            *killed = true;
        } else if (r == 0) {
            nanosleep(&tick, NULL);
        }
    }
}

/* CycloneDX 1.6 JSON of about mb MB, deterministic (seed 42 + mb): bench_sbom and
 * bench_sbom_formats generate the same file, so they share their cached copies. Each component
 * line is ~600 bytes, its dependency entry ~70. */
static inline int bench_sbom_generate(const char *path, size_t mb)
{
    FILE *f = fopen(path, "w");
    size_t target = mb << 20, n;
    bench_rng rng;
    if (!f)
        return -1;
    bench_rng_seed(&rng, 42 + mb);
    fprintf(f, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\","
               "\"serialNumber\":\"urn:uuid:3e671687-395b-41f5-a30f-"
               "a58921a69b79\",\"version\":1,\"metadata\":{\"component\":"
               "{\"type\":\"firmware\",\"bom-ref\":\"root\",\"name\":\"gen\","
               "\"version\":\"%zu\"}},\n\"components\":[\n",
            mb);
    size_t ncomp = target / 680 + 1;
    for (n = 0; n < ncomp; n++) {
        char hex[65];
        for (int k = 0; k < 64; k++)
            hex[k] = "0123456789abcdef"[bench_rng_below(&rng, 16)];
        hex[64] = '\0';
        fprintf(f,
                "%s{\"type\":\"library\",\"bom-ref\":\"c%zu\",\"group\":\"org.example.g%zu\","
                "\"name\":\"component-%zu\",\"version\":\"%zu.%zu.%zu\","
                "\"description\":\"generated component number %zu for the SBOM benchmark\","
                "\"hashes\":[{\"alg\":\"SHA-256\",\"content\":\"%s\"}],"
                "\"licenses\":[{\"license\":{\"id\":\"Apache-2.0\"}}],"
                "\"purl\":\"pkg:maven/org.example.g%zu/component-%zu@%zu.%zu.%zu\","
                "\"externalReferences\":[{\"type\":\"website\",\"url\":\"https://example.com/"
                "c%zu\"}],"
                "\"properties\":[{\"name\":\"bench:index\",\"value\":\"%zu\"}]}\n",
                n ? "," : "", n, n % 97, n, n % 7, n % 13, n % 101, n, hex, n % 97, n, n % 7,
                n % 13, n % 101, n, n);
    }
    fprintf(f, "],\n\"dependencies\":[\n{\"ref\":\"root\",\"dependsOn\":[\"c0\"]}");
    for (size_t i = 0; i + 1 < ncomp; i++)
        fprintf(f, ",\n{\"ref\":\"c%zu\",\"dependsOn\":[\"c%zu\"]}", i, i + 1);
    fprintf(f, "\n]}\n");
    return fclose(f) == 0 ? 0 : -1;
}

#endif
