/* Internal: the two steps every streaming CycloneDX XML walk shares (the reader in
 * cyclonedx_xml.c, the validator in validate_xml.c, the profile facts in profile_facts_xml.c). */
#ifndef CT_SBOM_XML_READER_INT_H
#define CT_SBOM_XML_READER_INT_H

#include "cratrace/sbom.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <stdbool.h>

#define CT_SBOM_CDX_NS_PREFIX "http://cyclonedx.org/schema/bom/"
/* CycloneDX 1.1 only: the dependency graph is an extension (core <dependencies> from 1.2) */
#define CT_SBOM_CDX_DG_NS "http://cyclonedx.org/schema/ext/dependency-graph/1.0"

/* What each XML spec version defines of what the model holds (bom-1.0.xsd .. bom-1.7.xsd). */
typedef struct {
    const char *spec;
    bool v11;      /* 1.1 on: component/@bom-ref, bom/@serialNumber, licenses/expression, one
                    * <id> or <name> per <license> (1.0: one or more <id>, or of <name>) */
    bool metadata; /* bom/metadata/component and component/supplier: 1.2 on */
    int deps;      /* 0 none (1.0), 1 dependency-graph extension (1.1), 2 core (1.2 on) */
} ct_sbom__xml_spec;

/** The spec of a CycloneDX XML version ("1.0" .. "1.7"), NULL for any other (cyclonedx_xml.c). */
const ct_sbom__xml_spec *ct_sbom__xml_spec_of(const char *version);
/** Append v to b, " AND "-separated (licences); empty or NULL v adds nothing. */
void ct_sbom__and_join(ct_buf *b, const char *v);

/* The reader's current node is an element in namespace ns with this local name. */
bool ct_sbom__xr_at_el(xmlTextReaderPtr rd, const char *ns, const char *name);

/* Read up to the root element; *doctype is set when a DOCTYPE came first (the walk refuses
 * such a document). Returns xmlTextReaderRead's last result: 1 = positioned on the root. */
int ct_sbom__xr_to_root(xmlTextReaderPtr rd, bool *doctype);

/* ---- the model read from the SAX2 events of one parse (cyclonedx_xml_sax.c) -------------------
 * What ct_sbom_parse_cyclonedx_xml's tree reader reads, read from the events of a libxml2 push
 * parser that builds no tree (validate_xml.c drives it, alone or beside the validator's rules):
 * the same elements of the same spec versions, the text of an element as the reader's tree
 * holds it (XML_PARSE_NOBLANKS' blank-dropping heuristic replayed from the parser's state). It
 * gives a model only for a document the reader takes; for anything the reader refuses (or the
 * builder cannot be sure of) it gives none and the caller reads the document with the reader,
 * whose error is the one to report. */
typedef struct ct_sbom__xmb ct_sbom__xmb;

/** NEW builder for one parse by pc (its dictionary and input are read) of len input bytes (the
 * model's memory is sized from it); NULL when out of memory. */
ct_sbom__xmb *ct_sbom__xmb_new(const ct_ctx *ctx, xmlParserCtxtPtr pc, size_t len);
/** SAX2 startElementNs (at: nat attributes, 5 pointers each) */
void ct_sbom__xmb_start(ct_sbom__xmb *m, const xmlChar *local, const xmlChar *prefix,
                        const xmlChar *uri, int nat, const xmlChar **at);
/** SAX2 endElementNs */
void ct_sbom__xmb_end(ct_sbom__xmb *m);
/** SAX2 characters / ignorableWhitespace (the parser without XML_PARSE_NOBLANKS) */
void ct_sbom__xmb_text(ct_sbom__xmb *m, const xmlChar *s, int len);
/** SAX2 cdataBlock */
void ct_sbom__xmb_cdata(ct_sbom__xmb *m, const xmlChar *s, int len);
/** SAX2 comment or processingInstruction: a child node that is not text */
void ct_sbom__xmb_node(ct_sbom__xmb *m);
/** The model (NEW) when the parse read the whole document (complete: well-formed, no DOCTYPE,
 * not stopped) and the reader would have taken it; NULL otherwise (read it with the reader).
 * Frees m (NULL is fine). */
ct_sbom *ct_sbom__xmb_finish(ct_sbom__xmb *m, bool complete);

/* ---- the profile facts' inputs the model does not hold (CycloneDX XML 1.2 on) ----------------
 * Recorded by the SAX builder as it reads (nothing for a document without the elements) and
 * kept with the model it gives (model_int.h, ct_sbom__arena_attach), so that the facts of
 * ct_sbom_facts_read are made from the model and these (profile_facts_xml.c,
 * ct_sbom__facts_from_xml_model) without a second parse (issue 5, xml9). Every text is what the
 * facts reader's text() takes: the first non-empty text or CDATA child of the element, as the
 * tree (XML_PARSE_NOBLANKS) holds it. */
enum {
    CT_XF_SUPPLIER_CONTACT,     /* the component's first <supplier>: <url>, else a contact's <email> */
    CT_XF_MANUFACTURER_CONTACT, /* the same of its first <manufacturer> */
    CT_XF_AUTHORS_CONTACT,      /* the first <email> of an <author> of its first <authors> */
    CT_XF_FILENAME,             /* <property name="bsi:component:filename"> of its first <properties> */
    CT_XF_EXECUTABLE,
    CT_XF_ARCHIVE,
    CT_XF_STRUCTURED,
};

typedef struct {
    size_t comp;  /* index in the model's components */
    int field;    /* CT_XF_* */
    char *value;  /* owned, not empty */
} ct_sbom__xf_item;

typedef struct ct_sbom__xml_facts {
    size_t ncomponents; /* the model's when read (a model edited since is not described) */
    char *timestamp, *author, *author_contact; /* as the facts reader sets them; owned */
    bool tool_only, has_vulnerabilities;
    ct_sbom__xf_item *items; /* in document order of their elements' ends */
    size_t nitems, items_cap;
    const char **stated; /* refs of the <dependency> elements with none inside (the model's
                          * strings; those with some are the model's deps[].ref) */
    size_t nstated, stated_cap;
} ct_sbom__xml_facts;

/** The facts' inputs kept with a model of the SAX builder; NULL for any other model. */
const ct_sbom__xml_facts *ct_sbom__xml_facts_of(const ct_sbom *sb);

/** Read CycloneDX XML data[0..len) into a model with one SAX pass (validate_xml.c): 1 and *out
 * NEW when it could; 0 and *out NULL when the reader must read it (any error, or an input the
 * builder leaves to the reader); CT_ENOMEM. No error is set but on CT_ENOMEM. */
int ct_sbom__xml_sax_model(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len);

/** ct_sbom_parse_cyclonedx_xml with the tree reader alone (xmlTextReader, a subtree per list
 * item), never the SAX pass: what the SAX pass is checked against (tests, fuzz target), and what
 * reads the documents it leaves. */
int ct_sbom__xml_tree_read(ct_sbom **out, const ct_ctx *ctx, const char *data, size_t len,
                           const char *source);

#endif
