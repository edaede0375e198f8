/* Internal plumbing shared by the advisory readers: one JSON value or JSON lines from memory,
 * and files (.gz included) or directories from a path. */
#ifndef CT_FEED_INT_H
#define CT_FEED_INT_H

#include "cratrace/feed.h"
#include <json-c/json.h>

/** Called per JSON value; source is the file, or "file:line" for JSON lines (valid during the
 * call only). A non-zero return stops and is passed back. */
typedef int (*ct_feed__value_fn)(json_object *v, const char *source, void *state);

/** data is one JSON value, or JSON lines (a first non-blank line that is a whole value, then
 * more lines); parse errors carry the line; a line over max_doc_bytes is CT_ELIMIT. */
int ct_feed__each_value(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                        ct_feed__value_fn fn, void *state);

/** Called per record: the value itself, or each element when the value is an array (index
 * is then its position, else SIZE_MAX). source as for ct_feed__value_fn. */
typedef int (*ct_feed__record_fn)(json_object *rec, const char *source, size_t index,
                                  void *state);

/** ct_feed__each_value, then one call per record of each value. */
int ct_feed__each_record(const ct_ctx *ctx, const char *data, size_t len, const char *source,
                         ct_feed__record_fn fn, void *state);

/** A reader of documents in memory (ct_feed_read_osv and its siblings). */
typedef int (*ct_feed__mem_reader)(const ct_ctx *ctx, const char *data, size_t len,
                                   const char *source, ct_advisory_cb cb, void *payload);

/** Read a path with rd: a file (gzip transparently) or a directory (recursively, in name
 * order, *.json, *.jsonl and their .gz forms). CT_ENOTFOUND for a missing path. */
int ct_feed__read_path(const ct_ctx *ctx, const char *path, ct_feed__mem_reader rd,
                       ct_advisory_cb cb, void *payload);

#endif
