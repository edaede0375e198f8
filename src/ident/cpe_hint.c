/* purl <-> CPE hints for packages common in embedded firmware: the vendor:product that NVD
 * uses for a package known by its upstream / distro name. A table, not rules; the first row
 * for a vendor:product is the canonical reverse answer. */
#include "ident/ident_int.h"

#include <string.h>

typedef struct hint {
    const char *name;    /* purl name, compared ASCII case-insensitively */
    const char *vendor;  /* NVD CPE vendor */
    const char *product; /* NVD CPE product */
} hint;

static const hint hints[] = {
    { "openssl", "openssl", "openssl" },
    { "libssl3", "openssl", "openssl" },
    { "libssl1.1", "openssl", "openssl" },
    { "busybox", "busybox", "busybox" },
    { "curl", "haxx", "curl" },
    { "libcurl", "haxx", "libcurl" },
    { "libcurl4", "haxx", "libcurl" },
    { "zlib", "zlib", "zlib" },
    { "zlib1g", "zlib", "zlib" },
    { "linux", "linux", "linux_kernel" },
    { "linux-kernel", "linux", "linux_kernel" },
    { "kernel", "linux", "linux_kernel" },
    { "linux-yocto", "linux", "linux_kernel" },
    { "u-boot", "denx", "u-boot" },
    { "libxml2", "xmlsoft", "libxml2" },
    { "sqlite", "sqlite", "sqlite" },
    { "sqlite3", "sqlite", "sqlite" },
    { "dropbear", "dropbear_ssh_project", "dropbear_ssh" },
    { "dnsmasq", "thekelleys", "dnsmasq" },
    { "openssh", "openbsd", "openssh" },
    { "glibc", "gnu", "glibc" },
    { "libc6", "gnu", "glibc" },
    { "musl", "musl-libc", "musl" },
    { "expat", "libexpat_project", "libexpat" },
    { "libexpat", "libexpat_project", "libexpat" },
    { "libpng", "libpng", "libpng" },
    { "bash", "gnu", "bash" },
    { "wpa_supplicant", "w1.fi", "wpa_supplicant" },
    { "hostapd", "w1.fi", "hostapd" },
    { "lighttpd", "lighttpd", "lighttpd" },
    { "mbedtls", "arm", "mbed_tls" },
    { "wolfssl", "wolfssl", "wolfssl" },
    { "gnutls", "gnu", "gnutls" },
    { "ncurses", "gnu", "ncurses" },
    { "pcre2", "pcre", "pcre2" },
    { "libjpeg-turbo", "libjpeg-turbo", "libjpeg-turbo" },
    { "openvpn", "openvpn", "openvpn" },
    { "iptables", "netfilter", "iptables" },
    { "util-linux", "kernel", "util-linux" },
    { "systemd", "systemd_project", "systemd" },
    { "e2fsprogs", "e2fsprogs_project", "e2fsprogs" },
    { "libusb", "libusb", "libusb" },
    { "freetype", "freetype", "freetype" },
    { "lua", "lua", "lua" },
    { "nginx", "f5", "nginx" },
    { "ntp", "ntp", "ntp" },
    { "avahi", "avahi", "avahi" },
    { "tcpdump", "tcpdump", "tcpdump" },
    { "libpcap", "tcpdump", "libpcap" },
    { "bluez", "bluez", "bluez" },
};

int ct_cpe_from_purl_hint(const char **vendor_out, const char **product_out,
                          const char *purl_type, const char *purl_name)
{
    CT_IDENT_ASSERT_ARG(vendor_out && product_out && purl_name);
    (void)purl_type; /* the names above mean the same package in every type that carries them */
    for (size_t i = 0; i < CT_NELEM(hints); i++)
        if (ct_ascii_casecmp(hints[i].name, purl_name) == 0) {
            *vendor_out = hints[i].vendor;
            *product_out = hints[i].product;
            return 0;
        }
    return 1;
}

int ct_cpe_to_purl_hint(const char **type_out, const char **name_out, const char *vendor,
                        const char *product)
{
    CT_IDENT_ASSERT_ARG(type_out && name_out && vendor && product);
    for (size_t i = 0; i < CT_NELEM(hints); i++)
        if (ct_ascii_casecmp(hints[i].vendor, vendor) == 0 &&
            ct_ascii_casecmp(hints[i].product, product) == 0) {
            *type_out = "generic";
            *name_out = hints[i].name;
            return 0;
        }
    return 1;
}
