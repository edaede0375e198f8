/* Fuzz ct_sbom_parse_cyclonedx_xml (CycloneDX XML 1.0-1.7) with small limits; every
 * string of a parsed SBOM is read so ASan sees any dangling or unterminated field. The same
 * input then goes through the streaming XML validator (validate_xml.c, C rules, no schema
 * files) and every finding of its report is read. The one-pass SAX model (xmlone) is checked
 * against the tree reader it stands in for: whenever the SAX pass gives a model, the tree reader
 * must take the document too and give the same model, field by field; and
 * ct_sbom_parse_validate's model (the validator's pass) must be ct_sbom_parse_cyclonedx_xml's.
 * The profile facts the SAX pass gathers beside a model (ct_sbom__facts_from_xml_model, xml9)
 * must be the facts reader's own (ct_sbom_facts_read on the bytes), field by field, whenever a
 * model carries them (tests/sbom/test_xml_facts_onepass.c does the same on chosen documents). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cratrace/base.h"
#include "cratrace/sbom.h"
#include "cratrace/sbom_profile.h"
#include "cratrace/sbom_validate.h"
#include "sbom/profile_int.h"
#include "sbom/xml_reader_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t touch(const char *s)
{
    return s ? strlen(s) : 0;
}

static bool str_eq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* a and b hold the same model (both NULL counts as the same) */
static bool same_model(const ct_sbom *a, const ct_sbom *b)
{
    if (!a || !b)
        return a == b;
    if (!str_eq(a->format, b->format) || !str_eq(a->spec_version, b->spec_version) ||
        !str_eq(a->serial_number, b->serial_number) || !str_eq(a->name, b->name) ||
        !str_eq(a->version, b->version) || a->ncomponents != b->ncomponents ||
        a->ndeps != b->ndeps)
        return false;
    for (size_t i = 0; i < a->ncomponents; i++) {
        const ct_component *x = &a->components[i], *y = &b->components[i];
        if (x->depth != y->depth || !str_eq(x->bom_ref, y->bom_ref) || !str_eq(x->type, y->type) ||
            !str_eq(x->group, y->group) || !str_eq(x->name, y->name) ||
            !str_eq(x->version, y->version) || !str_eq(x->purl, y->purl) ||
            !str_eq(x->cpe, y->cpe) || !str_eq(x->supplier, y->supplier) ||
            !str_eq(x->hashes, y->hashes) || !str_eq(x->licenses, y->licenses))
            return false;
    }
    for (size_t i = 0; i < a->ndeps; i++)
        if (!str_eq(a->deps[i].ref, b->deps[i].ref) ||
            !str_eq(a->deps[i].depends_on, b->deps[i].depends_on))
            return false;
    return true;
}

static bool same_facts(const ct_sbom_facts *a, const ct_sbom_facts *b)
{
    if (!str_eq(a->format, b->format) || !str_eq(a->author, b->author) ||
        !str_eq(a->author_contact, b->author_contact) || !str_eq(a->timestamp, b->timestamp) ||
        a->tool_only != b->tool_only || a->has_vulnerabilities != b->has_vulnerabilities ||
        a->has_properties != b->has_properties || a->ncomponents != b->ncomponents)
        return false;
    for (size_t i = 0; i < a->ncomponents; i++) {
        const ct_sbom_facts_component *x = &a->components[i], *y = &b->components[i];
        if (!str_eq(x->ref, y->ref) || !str_eq(x->filename, y->filename) ||
            !str_eq(x->creator_contact, y->creator_contact) ||
            !str_eq(x->executable, y->executable) || !str_eq(x->archive, y->archive) ||
            !str_eq(x->structured, y->structured) || x->deps_stated != y->deps_stated)
            return false;
    }
    return true;
}

/* When model (NULL: none) carries the SAX pass's facts, they are the facts reader's. */
static void check_facts(const ct_sbom *model, const ct_ctx *ctx, const uint8_t *data, size_t size)
{
    ct_sbom_facts *sax = NULL, *read = NULL;
    int got;

    if (!model)
        return;
    if ((got = ct_sbom__facts_from_xml_model(&sax, model)) < 0)
        abort(); /* out of memory only, which the limits rule out */
    if (got == 1 && (ct_sbom_facts_read(&read, ctx, (const char *)data, size, "fuzz") < 0 ||
                     !same_facts(sax, read)))
        abort(); /* the SAX pass gathered other facts than the facts reader reads */
    ct_sbom_facts_free(read);
    ct_sbom_facts_free(sax);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ct_ctx_options opts = CT_CTX_OPTIONS_INIT;
    ct_ctx *ctx = NULL;
    ct_sbom *sbom = NULL;
    volatile size_t sink = 0;

    opts.limits.max_doc_bytes = 1u << 20;
    opts.limits.max_depth = 64;
    opts.limits.max_string_bytes = 64u << 10;
    opts.limits.max_components = 10000;
    opts.progress = false;
    if (ct_ctx_new(&ctx, &opts) < 0)
        abort();
    if (ct_sbom_parse_cyclonedx_xml(&sbom, ctx, (const char *)data, size, "fuzz") == 0) {
        if (!sbom)
            abort(); /* success must produce a document */
        sink += touch(sbom->format) + touch(sbom->spec_version) + touch(sbom->serial_number) +
                touch(sbom->name) + touch(sbom->version);
        for (size_t i = 0; i < sbom->ncomponents; i++) {
            const ct_component *c = &sbom->components[i];
            sink += touch(c->bom_ref) + touch(c->type) + touch(c->group) + touch(c->name) +
                    touch(c->version) + touch(c->purl) + touch(c->cpe) + touch(c->supplier) +
                    touch(c->hashes) + touch(c->licenses) + c->depth;
        }
        for (size_t i = 0; i < sbom->ndeps; i++)
            sink += touch(sbom->deps[i].ref) + touch(sbom->deps[i].depends_on);
    } else {
        sink += strlen(ct_error_format()); /* the error must be printable */
    }
    {
        ct_sbom_validate_options vo = CT_SBOM_VALIDATE_OPTIONS_INIT;
        ct_sbom_report *r = NULL;
        vo.no_schema = true;
        if (ct_sbom_validate_ex(&r, ctx, (const char *)data, size, "fuzz", &vo) == 0) {
            if (!r || r->valid != (r->nerrors == 0) || r->schema_checked)
                abort(); /* a report, valid exactly when it lists no error, no XSD */
            for (size_t i = 0; i < r->nerrors; i++) {
                if (!r->errors[i].location || !r->errors[i].message)
                    abort();
                sink += strlen(r->errors[i].location) + strlen(r->errors[i].message);
            }
        }
        ct_sbom_report_free(r);
    }
    {
        ct_sbom *sax = NULL, *tree = NULL, *pv = NULL;
        ct_sbom_report *r = NULL;
        ct_sbom_validate_options vo = CT_SBOM_VALIDATE_OPTIONS_INIT;
        int got = ct_sbom__xml_sax_model(&sax, ctx, (const char *)data, size);
        if (got < 0)
            abort(); /* no error but out of memory, which the limits rule out */
        if (got > 0 && (ct_sbom__xml_tree_read(&tree, ctx, (const char *)data, size, "fuzz") < 0 ||
                        !same_model(sax, tree)))
            abort(); /* the SAX pass gave a model the tree reader does not give */
        check_facts(sax, ctx, data, size);
        check_facts(sbom, ctx, data, size);
        vo.no_schema = true;
        if (ct_sbom_parse_validate(&pv, &r, ctx, (const char *)data, size, "fuzz", &vo) == 0 &&
            size && data[0] == '<' && !same_model(pv, sbom))
            abort(); /* the validator's pass read another model than the reader */
        ct_sbom_report_free(r);
        ct_sbom_free(pv);
        ct_sbom_free(sax);
        ct_sbom_free(tree);
    }
    (void)sink;
    ct_sbom_free(sbom);
    ct_ctx_free(ctx);
    return 0;
}
