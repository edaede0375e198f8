/* CycloneDX XML 1.4-1.7 writer for the format-neutral model. Element order follows the XSD of
 * each version (bom: metadata, components, dependencies; component: supplier, group, name,
 * version, hashes, licenses, cpe, purl, components), the namespace is
 * http://cyclonedx.org/schema/bom/1.x. Output is deterministic. A value XML or the XSD cannot
 * hold (control characters, a hash that is not hex of a schema length, an unknown hash algorithm
 * or component type, an empty bom-ref) is left out and reported through opts->lost. */
#include "sbom/spdx_int.h"

#include <json-c/json.h>
#include <string.h>

typedef struct {
    ct_buf *out;
    const ct_sbom_write_options *o;
    int minor;
    int lost;
    int sink_rc; /* the first error of o->sink */
} xw;

/* With o->sink: what out holds goes to the sink once it passes a MiB (the caller, sbom_write.c,
 * hands over the rest at the end); the first sink error is kept and stops further calls. */
static void flush(xw *w)
{
    const ct_sbom_write_options *o = w->o;
    if (!o->sink || w->sink_rc < 0 || w->out->failed || w->out->len < (1u << 20))
        return;
    if ((w->sink_rc = o->sink(o->sink_payload, w->out->ptr, w->out->len)) >= 0)
        ct_buf_reset(w->out);
}

static void lost(xw *w, const char *field, const char *ref)
{
    w->lost++;
    if (w->o->lost)
        w->o->lost(w->o->payload, field, ref);
}

/* XML 1.0 Char production over UTF-8: reject C0 controls other than TAB, LF, CR */
static bool xml_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
            return false;
    return ct_utf8_valid(s, strlen(s), NULL);
}

/* text or attribute value with &, <, >, " escaped and TAB/LF/CR as character references (so
 * they survive attribute-value normalisation and line-end handling) */
static void esc(ct_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': ct_buf_puts(b, "&amp;"); break;
        case '<': ct_buf_puts(b, "&lt;"); break;
        case '>': ct_buf_puts(b, "&gt;"); break;
        case '"': ct_buf_puts(b, "&quot;"); break;
        case '\t': ct_buf_puts(b, "&#9;"); break;
        case '\n': ct_buf_puts(b, "&#10;"); break;
        case '\r': ct_buf_puts(b, "&#13;"); break;
        default: ct_buf_putc(b, *s);
        }
    }
}

/* <name>value</name>, when value is present and representable */
static void el(xw *w, const char *name, const char *v, const char *field, const char *ref)
{
    if (!v)
        return;
    if (!xml_ok(v)) {
        lost(w, field, ref);
        return;
    }
    ct_buf_printf(w->out, "<%s>", name);
    esc(w->out, v);
    ct_buf_printf(w->out, "</%s>", name);
}

static const char *const types[] = { "application", "framework", "library", "container",
                                     "operating-system", "device", "firmware", "file",
                                     /* 1.5 */ "platform", "device-driver",
                                     "machine-learning-model", "data",
                                     /* 1.6 */ "cryptographic-asset" };
static const char *const algs[] = { "MD5",         "SHA-1",       "SHA-256",    "SHA-384",
                                    "SHA-512",     "SHA3-256",    "SHA3-384",   "SHA3-512",
                                    "BLAKE2b-256", "BLAKE2b-384", "BLAKE2b-512", "BLAKE3",
                                    /* 1.7 */ "Streebog-256", "Streebog-512" };

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s && strcmp(s, list[i]) == 0)
            return true;
    return false;
}

static void hashes(xw *w, const ct_component *c)
{
    json_object *arr;
    size_t n = 0, nalgs = w->minor >= 7 ? CT_NELEM(algs) : CT_NELEM(algs) - 2;
    if (!c->hashes)
        return;
    arr = json_tokener_parse(c->hashes);
    if (!arr || !json_object_is_type(arr, json_type_array)) {
        lost(w, "component.hashes", c->bom_ref);
        json_object_put(arr);
        return;
    }
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        json_object *h = json_object_array_get_idx(arr, i), *a, *v;
        const char *alg, *content;
        if (!json_object_object_get_ex(h, "alg", &a) ||
            !json_object_object_get_ex(h, "content", &v)) {
            lost(w, "component.hashes", c->bom_ref);
            continue;
        }
        alg = json_object_get_string(a);
        content = json_object_get_string(v);
        if (!in_list(alg, algs, nalgs) || !ct_sbom__hash_content_ok(content)) {
            lost(w, "component.hashes", c->bom_ref);
            continue;
        }
        ct_buf_puts(w->out, n++ ? "" : "<hashes>");
        ct_buf_printf(w->out, "<hash alg=\"%s\">%s</hash>", alg, content);
    }
    if (n)
        ct_buf_puts(w->out, "</hashes>");
    json_object_put(arr);
}

/* one CPE 2.3 formatted-string component as the XSD pattern has it:
 * ((\?*|\*?)([a-zA-Z0-9\-\._]|(\\[special]))+(\?*|\*?))|[\*\-] */
static bool cpe23_comp_ok(const char *s, size_t n)
{
    static const char special[] = "\\*?!\"#$%&'()+,/:;<=>@[]^`{|}~";
    size_t i = 0, body = 0;
    if (n == 1 && (s[0] == '*' || s[0] == '-'))
        return true;
    if (i < n && s[i] == '*')
        i++;
    else
        while (i < n && s[i] == '?')
            i++;
    while (i < n) {
        if (ct_ascii_isalnum(s[i]) || s[i] == '-' || s[i] == '.' || s[i] == '_') {
            i++;
        } else if (s[i] == '\\' && i + 1 < n && strchr(special, s[i + 1])) {
            i += 2;
        } else {
            break;
        }
        body++;
    }
    if (!body)
        return false;
    if (i < n && s[i] == '*')
        return i + 1 == n;
    while (i < n && s[i] == '?')
        i++;
    return i == n;
}

static bool cpe_lang_ok(const char *s, size_t n)
{
    size_t a = 0;
    if (n == 1 && (s[0] == '*' || s[0] == '-'))
        return true;
    while (a < n && ct_ascii_isalpha(s[a]))
        a++;
    if (a < 2 || a > 3)
        return false;
    if (a == n)
        return true;
    if (s[a] != '-')
        return false;
    n -= a + 1;
    s += a + 1;
    return (n == 2 && ct_ascii_isalpha(s[0]) && ct_ascii_isalpha(s[1])) ||
           (n == 3 && ct_ascii_isdigit(s[0]) && ct_ascii_isdigit(s[1]) &&
            ct_ascii_isdigit(s[2]));
}

/* the XSD's cpe pattern: a CPE 2.2 URI or a CPE 2.3 formatted string */
static bool cpe_ok(const char *s)
{
    if (s[0] == 'c' && (s[1] == 'p' || s[1] == 'P') && (s[2] == 'e' || s[2] == 'E') &&
        s[3] == ':' && s[4] == '/') {
        const char *p = s + 5;
        int parts = 0;
        if (*p && strchr("AHOaho", *p))
            p++;
        while (*p) {
            if (*p++ != ':' || ++parts > 6)
                return false;
            while (*p && (ct_ascii_isalnum(*p) || strchr("._-~%", *p)))
                p++;
        }
        return true;
    }
    if (strncmp(s, "cpe:2.3:", 8) != 0 || !s[8] || !strchr("aho*-", s[8]) || s[9] != ':')
        return false;
    const char *p = s + 10;
    for (int k = 0; k < 10; k++) {
        const char *e = p;
        while (*e && *e != ':')
            e += (*e == '\\' && e[1]) ? 2 : 1;
        if ((k == 5 ? !cpe_lang_ok(p, (size_t)(e - p)) : !cpe23_comp_ok(p, (size_t)(e - p))) ||
            (k < 9 ? *e != ':' : *e != '\0'))
            return false;
        p = e + 1;
    }
    return true;
}

/* the opening tag and the leaf children of one component (nested components and the closing
 * tag are written by the caller) */
static void component(xw *w, const ct_component *c, size_t ntypes, bool dup_ref)
{
    ct_buf *b = w->out;
    const char *type = c->type ? c->type : "library";
    if (!in_list(type, types, ntypes)) {
        lost(w, "component.type", c->bom_ref);
        type = "library";
    }
    ct_buf_printf(b, "<component type=\"%s\"", type);
    if (c->bom_ref && !dup_ref && *c->bom_ref && xml_ok(c->bom_ref)) {
        ct_buf_puts(b, " bom-ref=\"");
        esc(b, c->bom_ref);
        ct_buf_putc(b, '"');
    } else if (c->bom_ref) {
        lost(w, "component.bom_ref", c->bom_ref);
    }
    ct_buf_putc(b, '>');
    if (c->supplier && xml_ok(c->supplier)) {
        ct_buf_puts(b, "<supplier>");
        el(w, "name", c->supplier, "component.supplier", c->bom_ref);
        ct_buf_puts(b, "</supplier>");
    } else if (c->supplier) {
        lost(w, "component.supplier", c->bom_ref);
    }
    el(w, "group", c->group, "component.group", c->bom_ref);
    if (c->name && xml_ok(c->name)) {
        el(w, "name", c->name, "component.name", c->bom_ref);
    } else {
        if (c->name)
            lost(w, "component.name", c->bom_ref);
        ct_buf_puts(b, "<name></name>");
    }
    el(w, "version", c->version, "component.version", c->bom_ref);
    hashes(w, c);
    if (c->licenses && xml_ok(c->licenses)) {
        ct_buf_puts(b, "<licenses>");
        el(w, "expression", c->licenses, "component.licenses", c->bom_ref);
        ct_buf_puts(b, "</licenses>");
    } else if (c->licenses) {
        lost(w, "component.licenses", c->bom_ref);
    }
    if (c->cpe && cpe_ok(c->cpe))
        el(w, "cpe", c->cpe, "component.cpe", c->bom_ref);
    else if (c->cpe)
        lost(w, "component.cpe", c->bom_ref);
    el(w, "purl", c->purl, "component.purl", c->bom_ref);
}

static void attr(xw *w, const char *name, const char *v)
{
    ct_buf_printf(w->out, " %s=\"", name);
    esc(w->out, v);
    ct_buf_putc(w->out, '"');
}

int ct_sbom__write_cdx_xml(ct_buf *out, const ct_sbom *s, const char *spec,
                           const ct_sbom_write_options *o)
{
    xw w = { out, o, spec[2] - '0', 0, 0 };
    ct_buf *b = out;
    size_t ntypes = w.minor == 4 ? 8 : w.minor == 5 ? 12 : CT_NELEM(types);
    size_t *kids = NULL, k = 0;

    ct_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<bom xmlns=\"http://cyclonedx.org/schema/bom/%s\"",
                  spec);
    if (s->serial_number && ct_sbom__is_urn_uuid(s->serial_number))
        attr(&w, "serialNumber", s->serial_number);
    else if (s->serial_number)
        lost(&w, "serial_number", NULL);
    ct_buf_puts(b, " version=\"1\">\n");
    if (s->name && !xml_ok(s->name))
        lost(&w, "name", NULL);
    bool meta_comp = s->name && xml_ok(s->name);
    if (meta_comp || o->created != CT_TIME_NONE) {
        ct_buf_puts(b, "<metadata>");
        if (o->created != CT_TIME_NONE) {
            char ts[32];
            ct_time_format(ts, o->created);
            ct_buf_printf(b, "<timestamp>%s</timestamp>", ts);
        }
        if (meta_comp) {
            const char *rr = ct_sbom__root_ref(s);
            ct_buf_puts(b, "<component type=\"application\"");
            if (rr && *rr && xml_ok(rr))
                attr(&w, "bom-ref", rr);
            ct_buf_putc(b, '>');
            el(&w, "name", s->name, "name", NULL);
            el(&w, "version", s->version, "version", NULL);
            ct_buf_puts(b, "</component>");
        }
        ct_buf_puts(b, "</metadata>\n");
    }
    if (!meta_comp && s->version)
        lost(&w, "version", NULL);
    if (s->ncomponents) {
        bool *dups = NULL;
        if (ct_sbom__dup_refs(&dups, s) < 0)
            return CT_ENOMEM;
        if (!(kids = ct_calloc(s->ncomponents, sizeof *kids))) {
            ct_free(dups);
            return ct_error_set(CT_ENOMEM, "out of memory");
        }
        ct_buf_puts(b, "<components>\n");
        for (size_t i = 0; i < s->ncomponents; i++) {
            const ct_component *c = &s->components[i];
            size_t d = c->depth > k ? k : c->depth; /* no skipped levels */
            while (k > d) {
                if (kids[--k])
                    ct_buf_puts(b, "</components>");
                ct_buf_puts(b, k ? "</component>" : "</component>\n");
            }
            if (d > 0 && kids[d - 1]++ == 0)
                ct_buf_puts(b, "<components>");
            component(&w, c, ntypes, dups && dups[i]);
            kids[k++] = 0;
            flush(&w);
        }
        while (k > 0) {
            if (kids[--k])
                ct_buf_puts(b, "</components>");
            ct_buf_puts(b, k ? "</component>" : "</component>\n");
        }
        ct_buf_puts(b, "</components>\n");
        ct_free(kids);
        ct_free(dups);
    }
    if (s->ndeps) {
        size_t *order = NULL, n = 0;
        const char *cur = NULL;
        if (ct_sbom__dep_order(&order, &n, s) < 0)
            return CT_ENOMEM;
        ct_buf_puts(b, "<dependencies>\n");
        for (size_t j = 0; j < n; j++) {
            const ct_dependency *d = &s->deps[order[j]];
            if (!*d->ref || !xml_ok(d->ref) || !*d->depends_on || !xml_ok(d->depends_on)) {
                lost(&w, "dependency", d->ref);
                continue;
            }
            if (!cur || strcmp(cur, d->ref) != 0) {
                if (cur)
                    ct_buf_puts(b, "</dependency>\n");
                ct_buf_puts(b, "<dependency");
                attr(&w, "ref", d->ref);
                ct_buf_putc(b, '>');
                cur = d->ref;
            }
            ct_buf_puts(b, "<dependency");
            attr(&w, "ref", d->depends_on);
            ct_buf_puts(b, "/>");
            flush(&w);
        }
        if (cur)
            ct_buf_puts(b, "</dependency>\n");
        ct_buf_puts(b, "</dependencies>\n");
        ct_free(order);
    }
    ct_buf_puts(b, "</bom>\n");
    if (b->failed)
        return ct_error_set(CT_ENOMEM, "out of memory");
    if (w.sink_rc < 0)
        return w.sink_rc;
    return w.lost;
}
