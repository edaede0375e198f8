/* Shared steps of the streaming CycloneDX XML walks (see xml_reader_int.h). */
#include "sbom/xml_reader_int.h"

#include <string.h>

bool ct_sbom__xr_at_el(xmlTextReaderPtr rd, const char *ns, const char *name)
{
    const xmlChar *uri, *local;
    if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT)
        return false;
    uri = xmlTextReaderConstNamespaceUri(rd);
    local = xmlTextReaderConstLocalName(rd);
    return uri && local && strcmp((const char *)uri, ns) == 0 &&
           strcmp((const char *)local, name) == 0;
}

int ct_sbom__xr_to_root(xmlTextReaderPtr rd, bool *doctype)
{
    int ret;
    *doctype = false;
    while ((ret = xmlTextReaderRead(rd)) == 1) {
        int type = xmlTextReaderNodeType(rd);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            *doctype = true;
        else if (type == XML_READER_TYPE_ELEMENT)
            break;
    }
    return ret;
}
