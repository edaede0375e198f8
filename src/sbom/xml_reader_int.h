/* Internal: the two steps every streaming CycloneDX XML walk shares (the reader in
 * cyclonedx_xml.c, the validator in validate_xml.c, the profile facts in profile_facts_xml.c). */
#ifndef CT_SBOM_XML_READER_INT_H
#define CT_SBOM_XML_READER_INT_H

#include <libxml/xmlreader.h>
#include <stdbool.h>

/* The reader's current node is an element in namespace ns with this local name. */
bool ct_sbom__xr_at_el(xmlTextReaderPtr rd, const char *ns, const char *name);

/* Read up to the root element; *doctype is set when a DOCTYPE came first (the walk refuses
 * such a document). Returns xmlTextReaderRead's last result: 1 = positioned on the root. */
int ct_sbom__xr_to_root(xmlTextReaderPtr rd, bool *doctype);

#endif
