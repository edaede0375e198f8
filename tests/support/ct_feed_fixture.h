/* Feed reader test fixture: one context for a test group, the dump of a time, and the check
 * that a reader refuses a text at a JSON pointer. Every helper fails the test instead of
 * returning an error. */
#ifndef CT_FEED_FIXTURE_H
#define CT_FEED_FIXTURE_H

#include "ct_test.h"

#include "cratrace/feed.h"

/** The context of the running group (ct_test_ctx), made by ct_feed_fixture_setup. */
extern ct_ctx *ct_feed_ctx;

/** cmocka group setup: ct_feed_ctx = ct_test_ctx(). */
int ct_feed_fixture_setup(void **state);
/** cmocka group teardown: frees ct_feed_ctx. */
int ct_feed_fixture_teardown(void **state);

/** Append " LABEL=TIME" (RFC 3339), or " LABEL=-" for CT_TIME_NONE, to b. */
void ct_feed_fixture_put_time(ct_buf *b, const char *label, ct_time t);

/** A reader of a document in memory (ct_feed_read_csaf and its siblings). */
typedef int (*ct_feed_fixture_reader)(const ct_ctx *ctx, const char *data, size_t len,
                                      const char *source, ct_advisory_cb cb, void *payload);
/** Fail the test unless rd refuses text (source "mem") with CT_EPARSE located at pointer, its
 * message containing msg, before handing out any advisory. */
void ct_feed_fixture_expect_error(ct_feed_fixture_reader rd, const char *text, const char *pointer,
                                  const char *msg);

/** A reader of a path (ct_feed_read_csaf_path and its siblings). */
typedef int (*ct_feed_fixture_path_reader)(const ct_ctx *ctx, const char *path, ct_advisory_cb cb,
                                           void *payload);
/** Read ../shared/conformance/advisories/DIR/NAME with rd, each advisory to cb; the test is
 * skipped when the file is absent and fails on a read error. */
void ct_feed_fixture_read_shared(ct_feed_fixture_path_reader rd, const char *dir, const char *name,
                                 ct_advisory_cb cb, void *payload);

#endif
