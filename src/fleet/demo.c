/* Deterministic demo fleet: three products with CycloneDX 1.5 SBOMs, customers, units, unit
 * events and OSV advisories, written as the files the normal import paths read. Demo data only:
 * package names and advisory ranges are real, hashes and fleet data are synthetic. */
#include "cratrace/demo.h"
#include "cratrace/base.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

/* ---- product tables -------------------------------------------------------------------- */

#define TOP 1u /* the product depends on it directly */
#define APP 2u /* CycloneDX type "application" rather than "library" */

typedef struct pkg {
    const char *name, *version, *license; /* license: SPDX id, or an expression if it has a space */
    unsigned flags;
} pkg;

/* Versions fixed per release (index = release), so advisory ranges give known answers. */
typedef struct pin {
    const char *name;
    const char *versions[4];
} pin;

typedef struct release_def {
    const char *version, *date;
    unsigned ncomponents; /* first n entries of the product's table */
} release_def;

typedef struct product_def {
    const char *name, *vendor, *category, *support_until, *description;
    const char *purl_type;     /* deb, npm, pypi */
    const char *serial_prefix; /* units' serial numbers */
    const char *bom_type;      /* metadata.component.type */
    const pkg *pkgs;
    size_t npkgs;
    const pin *pins;
    size_t npins;
    release_def releases[4];
    unsigned nreleases;
} product_def;

#define GPL2 "GPL-2.0-only"
#define GPL2P "GPL-2.0-or-later"
#define GPL3P "GPL-3.0-or-later"
#define LGPL2P "LGPL-2.1-or-later"
#define BSD2 "BSD-2-Clause"
#define BSD3 "BSD-3-Clause"
#define APL2 "Apache-2.0"

/* Debian 11 source packages, as OSV's Debian records name them; openssl and zlib are pinned. */
static const pkg gateway_pkgs[] = {
    { "glibc", "2.31-13+deb11u5", LGPL2P, 0 }, { "openssl", "", "OpenSSL", TOP },
    { "zlib", "", "Zlib", TOP }, { "busybox", "1:1.30.1-6", GPL2, TOP | APP },
    { "systemd", "247.3-7+deb11u2", LGPL2P, TOP | APP }, { "dbus", "1.12.24-0+deb11u1", "AFL-2.1 OR GPL-2.0-or-later", TOP | APP },
    { "openssh", "1:8.4p1-5+deb11u1", BSD2, TOP | APP }, { "curl", "7.74.0-1.3+deb11u7", "curl", TOP | APP },
    { "libxml2", "2.9.10+dfsg-6.7+deb11u3", "MIT", 0 }, { "gcc-10", "10.2.1-6", "GPL-3.0-or-later WITH GCC-exception-3.1", 0 },
    { "util-linux", "2.36.1-8+deb11u1", GPL2P, TOP | APP }, { "bash", "5.1-2+deb11u1", GPL3P, APP },
    { "coreutils", "8.32-4", GPL3P, APP }, { "e2fsprogs", "1.46.2-2", GPL2, APP },
    { "acl", "2.2.53-10", LGPL2P, 0 }, { "attr", "1:2.4.48-6", LGPL2P, 0 },
    { "audit", "1:3.0-2", GPL2P, 0 }, { "base-files", "11.1+deb11u7", GPL2P, TOP },
    { "base-passwd", "3.5.51", GPL2P, 0 }, { "bzip2", "1.0.8-4", "bzip2-1.0.6", 0 },
    { "ca-certificates", "20210119", "MPL-2.0", TOP }, { "cryptsetup", "2:2.3.7-1+deb11u1", GPL2P, APP },
    { "cyrus-sasl2", "2.1.27+dfsg-2.1+deb11u1", BSD3, 0 }, { "dash", "0.5.11+git20200708+dd9ef66-5", BSD3, APP },
    { "db5.3", "5.3.28+dfsg1-0.8", "Sleepycat", 0 }, { "debconf", "1.5.77", BSD2, 0 },
    { "debianutils", "4.11.2", GPL2P, 0 }, { "diffutils", "1:3.7-5", GPL3P, 0 },
    { "dpkg", "1.20.12", GPL2P, APP }, { "elfutils", "0.183-1", "GPL-3.0-or-later OR LGPL-3.0-or-later", 0 },
    { "expat", "2.2.10-2+deb11u5", "MIT", 0 }, { "file", "1:5.39-3", BSD2, 0 },
    { "findutils", "4.8.0-1", GPL3P, 0 }, { "gmp", "2:6.2.1+dfsg-1+deb11u1", "LGPL-3.0-or-later", 0 },
    { "gnutls28", "3.7.1-5+deb11u3", LGPL2P, 0 }, { "grep", "3.6-1+deb11u1", GPL3P, 0 },
    { "gzip", "1.10-4+deb11u1", GPL3P, 0 }, { "hostname", "3.23", GPL2P, 0 },
    { "init-system-helpers", "1.60", BSD3, 0 }, { "iproute2", "5.10.0-4", GPL2, TOP | APP },
    { "iptables", "1.8.7-1", GPL2, TOP | APP }, { "iputils", "3:20210202-1", BSD3, 0 },
    { "kmod", "28-1", LGPL2P, 0 }, { "krb5", "1.18.3-6+deb11u3", "MIT", 0 },
    { "libcap2", "1:2.44-1", BSD3, 0 }, { "libcap-ng", "0.7.9-2.2", LGPL2P, 0 },
    { "libffi", "3.3-6", "MIT", 0 }, { "libgcrypt20", "1.8.7-6", LGPL2P, 0 },
    { "libgpg-error", "1.38-2", LGPL2P, 0 }, { "libidn2", "2.3.0-5", "LGPL-3.0-or-later", 0 },
    { "libmnl", "1.0.4-3", LGPL2P, 0 }, { "libnftnl", "1.1.9-1", GPL2P, 0 },
    { "libnl3", "3.4.0-1", "LGPL-2.1-only", 0 }, { "libpsl", "0.21.0-1.2", "MIT", 0 },
    { "libseccomp", "2.5.1-1+deb11u1", "LGPL-2.1-only", 0 }, { "libselinux", "3.1-3", "blessing", 0 },
    { "libsemanage", "3.1-1", LGPL2P, 0 }, { "libsepol", "3.1-1", LGPL2P, 0 },
    { "libssh2", "1.9.0-2", BSD3, 0 }, { "libtasn1-6", "4.16.0-2+deb11u1", LGPL2P, 0 },
    { "libunistring", "0.9.10-4", "LGPL-3.0-or-later", 0 }, { "libxcrypt", "1:4.4.18-4", LGPL2P, 0 },
    { "libzstd", "1.4.8+dfsg-2.1", BSD3, 0 }, { "lz4", "1.9.3-2", BSD2, 0 },
    { "mawk", "1.3.4.20200120-2", GPL2, 0 }, { "ncurses", "6.2+20201114-2+deb11u1", "MIT", 0 },
    { "nettle", "3.7.3-1", "LGPL-3.0-or-later", 0 }, { "nghttp2", "1.43.0-1", "MIT", 0 },
    { "openldap", "2.4.57+dfsg-3+deb11u1", "OLDAP-2.8", 0 }, { "p11-kit", "0.23.22-1", BSD3, 0 },
    { "pam", "1.4.0-9+deb11u1", BSD3, 0 }, { "pcre2", "10.36-2+deb11u1", BSD3, 0 },
    { "pcre3", "2:8.39-13", BSD3, 0 }, { "perl", "5.32.1-4+deb11u2", "Artistic-1.0-Perl OR GPL-1.0-or-later", 0 },
    { "procps", "2:3.3.17-5", GPL2P, APP }, { "readline", "8.1-1", GPL3P, 0 },
    { "rtmpdump", "2.4+20151223.gitfa8646d.1-2", LGPL2P, 0 }, { "sed", "4.7-1", GPL3P, 0 },
    { "shadow", "1:4.8.1-1", BSD3, 0 }, { "sqlite3", "3.34.1-3", "blessing", 0 },
    { "sysvinit", "2.96-7+deb11u1", GPL2P, 0 }, { "tar", "1.34+dfsg-1", GPL3P, 0 },
    { "tzdata", "2021a-1+deb11u8", "LicenseRef-public-domain", TOP }, { "xz-utils", "5.2.5-2.1~deb11u1", "0BSD", 0 },
    { "dnsmasq", "2.85-1", GPL2P, TOP | APP }, { "chrony", "4.0-8+deb11u2", "GPL-2.0-only", TOP | APP },
    { "ifupdown", "0.8.36", GPL2P, APP }, { "isc-dhcp", "4.4.1-2.3+deb11u1", "MPL-2.0", APP },
    { "iw", "5.9-3", "ISC", APP }, { "wpa", "2:2.9.0-21", BSD3, TOP | APP },
    { "wireless-regdb", "2022.04.08-2~deb11u1", "ISC", 0 }, { "nftables", "0.9.8-3.1", GPL2, TOP | APP },
    { "logrotate", "3.18.0-2+deb11u1", GPL2P, APP }, { "rsyslog", "8.2102.0-2+deb11u1", GPL3P, TOP | APP },
    { "cron", "3.0pl1-137", "ISC", APP }, { "sudo", "1.9.5p2-3+deb11u1", "ISC", APP },
    { "less", "551-2", "GPL-3.0-or-later OR BSD-2-Clause", APP }, { "nano", "5.4-2+deb11u2", GPL3P, APP },
    { "mosquitto", "2.0.11-1", "EPL-2.0 OR BSD-3-Clause", TOP | APP }, { "lua5.3", "5.3.3-1.1", "MIT", 0 },
    { "jansson", "2.13.1-1.1", "MIT", 0 }, { "json-c", "0.15-2", "MIT", 0 },
    { "libevent", "2.1.12-stable-1", BSD3, 0 }, { "libuv1", "1.40.0-2", "MIT", 0 },
    { "libwebsockets", "4.0.20-2", "MIT", 0 }, { "libusb-1.0", "2:1.0.24-3", LGPL2P, 0 },
    { "usbutils", "1:013-3", GPL2P, APP }, { "pciutils", "1:3.7.0-5", GPL2P, APP },
    { "i2c-tools", "4.2-1", GPL2P, APP }, { "can-utils", "2020.11.0-1", GPL2, TOP | APP },
    { "ethtool", "1:5.9-1", GPL2, APP }, { "bridge-utils", "1.7-1", GPL2P, APP },
    { "vlan", "2.0.5", GPL2P, APP }, { "ppp", "2.4.9-1+1", "BSD-3-Clause AND GPL-2.0-or-later", APP },
    { "modemmanager", "1.14.12-0.2", GPL2P, TOP | APP }, { "network-manager", "1.30.6-1+deb11u1", GPL2P, TOP | APP },
    { "libmbim", "1.24.6-0.1", LGPL2P, 0 }, { "libqmi", "1.26.10-0.1", LGPL2P, 0 },
    { "libgudev", "234-1", LGPL2P, 0 }, { "glib2.0", "2.66.8-1+deb11u1", LGPL2P, 0 },
    { "libpcap", "1.10.0-2", BSD3, 0 }, { "tcpdump", "4.99.0-2+deb11u1", BSD3, APP },
    { "net-tools", "1.60+git20181103.0eebece-1", GPL2P, APP }, { "netbase", "6.3", GPL2, 0 },
    { "openvpn", "2.5.1-3", GPL2, TOP | APP }, { "wireguard-tools", "1.0.20210223-1", GPL2, TOP | APP },
    { "strongswan", "5.9.1-1+deb11u3", GPL2P, APP }, { "lm-sensors", "1:3.6.0-7", GPL2P, APP },
    { "smartmontools", "7.2-1", GPL2P, APP }, { "watchdog", "5.16-1", GPL2P, TOP | APP },
    { "u-boot", "2021.01+dfsg-5", GPL2P, TOP | APP }, { "linux", "5.10.179-1", GPL2, TOP | APP },
    { "firmware-nonfree", "20210315-3", "LicenseRef-firmware", TOP }, { "lighttpd", "1.4.59-1+deb11u2", BSD3, TOP | APP },
    { "brotli", "1.0.9-2", "MIT", 0 }, { "c-ares", "1.17.1-1+deb11u3", "MIT", 0 },
    { "libssh", "0.9.7-0+deb11u1", LGPL2P, 0 }, { "libyaml", "0.2.2-1", "MIT", 0 },
    { "yajl", "2.1.0-3", "ISC", 0 }, { "protobuf-c", "1.3.3-1", BSD2, 0 },
    { "avahi", "0.8-5+deb11u2", LGPL2P, APP }, { "libdaemon", "0.14-7.1", LGPL2P, 0 },
    { "libbsd", "0.11.3-1", BSD3, 0 }, { "libmd", "1.0.3-3", BSD3, 0 },
    { "keyutils", "1.6.1-2", GPL2P, 0 }, { "libedit", "3.1-20191231-2", BSD3, 0 },
    { "libtirpc", "1.3.1-1+deb11u1", BSD3, 0 }, { "libnsl", "1.3.0-2", LGPL2P, 0 },
    { "libxslt", "1.1.34-4+deb11u1", "MIT", 0 }, { "icu", "67.1-7", "ICU", 0 },
    { "gnupg2", "2.2.27-2+deb11u2", GPL3P, APP }, { "libassuan", "2.5.3-7.1", LGPL2P, 0 },
    { "libksba", "1.5.0-3+deb11u2", "LGPL-3.0-or-later OR GPL-2.0-or-later", 0 }, { "npth", "1.6-3", LGPL2P, 0 },
    { "tpm2-tss", "3.0.3-2", BSD2, TOP }, { "tpm2-tools", "5.0-2", BSD3, APP },
    { "mtd-utils", "1:2.1.2-2", GPL2P, APP }, { "squashfs-tools", "1:4.4-2+deb11u2", GPL2P, APP },
    { "dosfstools", "4.2-1", GPL3P, APP }, { "parted", "3.4-1", GPL3P, APP },
    { "libarchive", "3.4.3-2+deb11u1", BSD2, 0 }, { "libgpiod", "1.6.2-1", LGPL2P, 0 },
    { "libmodbus", "3.1.6-2", LGPL2P, TOP }, { "net-snmp", "5.9+dfsg-4+deb11u1", BSD3, TOP | APP },
    { "lldpd", "1.0.11-1", "ISC", TOP | APP }, { "ebtables", "2.0.11-4", GPL2P, APP },
    { "conntrack-tools", "1:1.4.6-2", GPL2P, APP }, { "libnetfilter-conntrack", "1.0.8-3", GPL2P, 0 },
    { "libnfnetlink", "1.0.1-3", GPL2P, 0 }, { "libnetfilter-queue", "1.0.5-2", GPL2P, 0 },
    { "ipset", "7.10-1", GPL2, APP }, { "traceroute", "1:2.1.0-2", GPL2P, APP },
    { "wget", "1.21-1+deb11u1", GPL3P, APP }, { "rsync", "3.2.3-4+deb11u1", GPL3P, APP },
    { "socat", "1.7.4.1-3", GPL2, APP }, { "htop", "3.0.5-7", GPL2P, APP },
    { "jq", "1.6-2.1", "MIT", APP }, { "oniguruma", "6.9.6-1.1", BSD2, 0 },
    { "libpwquality", "1.4.4-1", BSD3, 0 }, { "cracklib2", "2.9.6-3.4", "LGPL-2.1-only", 0 },
    { "libsodium", "1.0.18-1", "ISC", 0 }, { "zeromq3", "4.3.4-1", "LGPL-3.0-or-later", 0 },
    { "mbedtls", "2.16.9-0.1", APL2, 0 }, { "python3.9", "3.9.2-1", "PSF-2.0", APP },
    { "python3-defaults", "3.9.2-3", "PSF-2.0", 0 }, { "nginx", "1.18.0-6.1+deb11u3", BSD2, APP },
};
static const pin gateway_pins[] = {
    { "openssl", { "1.1.1n-0+deb11u3", "1.1.1n-0+deb11u3", "1.1.1n-0+deb11u5", "1.1.1w-0+deb11u1" } },
    { "zlib", { "1:1.2.11.dfsg-2+deb11u1", "1:1.2.11.dfsg-2+deb11u2", "1:1.2.11.dfsg-2+deb11u2",
                "1:1.2.11.dfsg-2+deb11u2" } },
};

/* npm packages of the management UI; lodash, minimist and axios are pinned. */
static const pkg webui_pkgs[] = {
    { "lodash", "", "MIT", TOP }, { "minimist", "", "MIT", 0 }, { "axios", "", "MIT", TOP },
    { "vue", "3.3.4", "MIT", TOP }, { "vue-router", "4.2.4", "MIT", TOP }, { "pinia", "2.1.6", "MIT", TOP },
    { "@vue/runtime-core", "3.3.4", "MIT", 0 }, { "@vue/runtime-dom", "3.3.4", "MIT", 0 },
    { "@vue/reactivity", "3.3.4", "MIT", 0 }, { "@vue/shared", "3.3.4", "MIT", 0 },
    { "@vue/compiler-core", "3.3.4", "MIT", 0 }, { "@vue/compiler-dom", "3.3.4", "MIT", 0 },
    { "@vue/compiler-sfc", "3.3.4", "MIT", 0 }, { "@vue/compiler-ssr", "3.3.4", "MIT", 0 },
    { "@vue/devtools-api", "6.5.0", "MIT", 0 }, { "vue-i18n", "9.2.2", "MIT", TOP },
    { "@intlify/core-base", "9.2.2", "MIT", 0 }, { "@intlify/shared", "9.2.2", "MIT", 0 },
    { "@intlify/message-compiler", "9.2.2", "MIT", 0 }, { "chart.js", "4.4.0", "MIT", TOP },
    { "vue-chartjs", "5.2.0", "MIT", TOP }, { "@kurkle/color", "0.3.2", "MIT", 0 },
    { "dayjs", "1.11.9", "MIT", TOP }, { "date-fns", "2.30.0", "MIT", 0 }, { "qs", "6.11.2", BSD3, 0 },
    { "side-channel", "1.0.4", "MIT", 0 }, { "get-intrinsic", "1.2.1", "MIT", 0 },
    { "has", "1.0.3", "MIT", 0 }, { "has-symbols", "1.0.3", "MIT", 0 }, { "has-proto", "1.0.1", "MIT", 0 },
    { "function-bind", "1.1.1", "MIT", 0 }, { "call-bind", "1.0.2", "MIT", 0 },
    { "object-inspect", "1.12.3", "MIT", 0 }, { "follow-redirects", "1.15.3", "MIT", 0 },
    { "form-data", "4.0.0", "MIT", 0 }, { "asynckit", "0.4.0", "MIT", 0 },
    { "combined-stream", "1.0.8", "MIT", 0 }, { "delayed-stream", "1.0.0", "MIT", 0 },
    { "mime-types", "2.1.35", "MIT", 0 }, { "mime-db", "1.52.0", "MIT", 0 },
    { "proxy-from-env", "1.1.0", "MIT", 0 }, { "@babel/runtime", "7.22.15", "MIT", 0 },
    { "regenerator-runtime", "0.14.0", "MIT", 0 }, { "core-js", "3.32.2", "MIT", TOP },
    { "tslib", "2.6.2", "0BSD", 0 }, { "@popperjs/core", "2.11.8", "MIT", 0 },
    { "bootstrap", "5.3.2", "MIT", TOP }, { "bootstrap-icons", "1.11.1", "MIT", TOP },
    { "@fortawesome/fontawesome-svg-core", "6.4.2", "MIT", 0 },
    { "@fortawesome/free-solid-svg-icons", "6.4.2", "CC-BY-4.0 AND MIT", 0 },
    { "@fortawesome/vue-fontawesome", "3.0.3", "MIT", 0 }, { "@fortawesome/fontawesome-common-types", "6.4.2", "MIT", 0 },
    { "mitt", "3.0.1", "MIT", 0 }, { "nanoid", "3.3.6", "MIT", 0 }, { "uuid", "9.0.1", "MIT", 0 },
    { "zod", "3.22.2", "MIT", TOP }, { "vee-validate", "4.11.6", "MIT", TOP }, { "yup", "1.3.0", "MIT", 0 },
    { "property-expr", "2.0.5", "MIT", 0 }, { "tiny-case", "1.0.3", "MIT", 0 },
    { "toposort", "2.0.2", "MIT", 0 }, { "type-fest", "2.19.0", "MIT OR CC0-1.0", 0 },
    { "@vueuse/core", "10.4.1", "MIT", TOP }, { "@vueuse/shared", "10.4.1", "MIT", 0 },
    { "@vueuse/metadata", "10.4.1", "MIT", 0 }, { "vue-demi", "0.14.6", "MIT", 0 },
    { "@types/web-bluetooth", "0.0.17", "MIT", 0 }, { "mqtt", "5.0.5", "MIT", TOP },
    { "mqtt-packet", "8.2.0", "MIT", 0 }, { "bl", "6.0.7", "MIT", 0 }, { "buffer", "6.0.3", "MIT", 0 },
    { "base64-js", "1.5.1", "MIT", 0 }, { "ieee754", "1.2.1", BSD3, 0 },
    { "readable-stream", "4.4.2", "MIT", 0 }, { "string_decoder", "1.3.0", "MIT", 0 },
    { "safe-buffer", "5.2.1", "MIT", 0 }, { "inherits", "2.0.4", "ISC", 0 },
    { "events", "3.3.0", "MIT", 0 }, { "process", "0.11.10", "MIT", 0 },
    { "abort-controller", "3.0.0", "MIT", 0 }, { "event-target-shim", "5.0.1", "MIT", 0 },
    { "debug", "4.3.4", "MIT", 0 }, { "ms", "2.1.2", "MIT", 0 }, { "commist", "3.2.0", "MIT", 0 },
    { "concat-stream", "2.0.0", "MIT", 0 }, { "typedarray", "0.0.6", "MIT", 0 },
    { "help-me", "4.2.0", "MIT", 0 }, { "glob", "8.1.0", "ISC", 0 },
    { "fs.realpath", "1.0.0", "ISC", 0 }, { "inflight", "1.0.6", "ISC", 0 }, { "once", "1.4.0", "ISC", 0 },
    { "wrappy", "1.0.2", "ISC", 0 }, { "minimatch", "5.1.6", "ISC", 0 },
    { "brace-expansion", "2.0.1", "MIT", 0 }, { "balanced-match", "1.0.2", "MIT", 0 },
    { "lru-cache", "7.18.3", "ISC", 0 }, { "number-allocator", "1.0.14", "MIT", 0 },
    { "js-sdsl", "4.3.0", "MIT", 0 }, { "reinterval", "1.1.0", "MIT", 0 },
    { "rfdc", "1.3.0", "MIT", 0 }, { "split2", "4.2.0", "ISC", 0 }, { "ws", "8.14.2", "MIT", 0 },
    { "xtend", "4.0.2", "MIT", 0 }, { "mkdirp", "0.5.6", "MIT", 0 },
    { "dompurify", "3.0.5", "MPL-2.0 OR Apache-2.0", TOP }, { "marked", "9.0.3", "MIT", TOP },
    { "highlight.js", "11.8.0", BSD3, 0 }, { "fuse.js", "6.6.2", APL2, 0 },
    { "papaparse", "5.4.1", "MIT", TOP }, { "file-saver", "2.0.5", "MIT", 0 },
    { "jszip", "3.10.1", "MIT OR GPL-3.0-or-later", 0 }, { "pako", "1.0.11", "MIT AND Zlib", 0 },
    { "lie", "3.3.0", "MIT", 0 }, { "immediate", "3.0.6", "MIT", 0 }, { "setimmediate", "1.0.5", "MIT", 0 },
    { "core-util-is", "1.0.3", "MIT", 0 }, { "isarray", "1.0.0", "MIT", 0 },
    { "process-nextick-args", "2.0.1", "MIT", 0 }, { "util-deprecate", "1.0.2", "MIT", 0 },
    { "qrcode", "1.5.3", "MIT", 0 }, { "dijkstrajs", "1.0.3", "MIT", 0 }, { "pngjs", "5.0.0", "MIT", 0 },
    { "encode-utf8", "1.0.3", "MIT", 0 }, { "yargs", "15.4.1", "MIT", 0 },
    { "cliui", "6.0.0", "ISC", 0 }, { "decamelize", "1.2.0", "MIT", 0 },
    { "find-up", "4.1.0", "MIT", 0 }, { "locate-path", "5.0.0", "MIT", 0 },
    { "p-locate", "4.1.0", "MIT", 0 }, { "p-limit", "2.3.0", "MIT", 0 }, { "p-try", "2.2.0", "MIT", 0 },
    { "path-exists", "4.0.0", "MIT", 0 }, { "get-caller-file", "2.0.5", "ISC", 0 },
    { "require-directory", "2.1.1", "MIT", 0 }, { "require-main-filename", "2.0.0", "ISC", 0 },
    { "set-blocking", "2.0.0", "ISC", 0 }, { "string-width", "4.2.3", "MIT", 0 },
    { "emoji-regex", "8.0.0", "MIT", 0 }, { "is-fullwidth-code-point", "3.0.0", "MIT", 0 },
    { "strip-ansi", "6.0.1", "MIT", 0 }, { "ansi-regex", "5.0.1", "MIT", 0 },
    { "wrap-ansi", "6.2.0", "MIT", 0 }, { "ansi-styles", "4.3.0", "MIT", 0 },
    { "color-convert", "2.0.1", "MIT", 0 }, { "color-name", "1.1.4", "MIT", 0 },
    { "which-module", "2.0.1", "ISC", 0 }, { "y18n", "4.0.3", "ISC", 0 },
    { "yargs-parser", "18.1.3", "ISC", 0 }, { "camelcase", "5.3.1", "MIT", 0 },
    { "leaflet", "1.9.4", BSD2, TOP }, { "@vue-leaflet/vue-leaflet", "0.10.1", "MIT", 0 },
    { "xterm", "5.3.0", "MIT", TOP }, { "xterm-addon-fit", "0.8.0", "MIT", 0 },
    { "sortablejs", "1.15.0", "MIT", 0 }, { "vuedraggable", "4.1.0", "MIT", 0 },
    { "cron-parser", "4.9.0", "MIT", 0 }, { "luxon", "3.4.3", "MIT", 0 },
    { "ip-address", "9.0.5", "MIT", 0 }, { "jsbn", "1.1.0", "MIT", 0 }, { "tiny-emitter", "2.1.0", "MIT", 0 },
    { "ipaddr.js", "2.1.0", "MIT", 0 }, { "punycode", "2.3.0", "MIT", 0 },
    { "js-cookie", "3.0.5", "MIT", 0 }, { "jwt-decode", "3.1.2", "MIT", 0 },
    { "crypto-js", "4.1.1", "MIT", 0 }, { "semver", "7.5.4", "ISC", 0 },
    { "yallist", "4.0.0", "ISC", 0 }, { "deepmerge", "4.3.1", "MIT", 0 },
    { "fast-deep-equal", "3.1.3", "MIT", 0 }, { "lodash-es", "4.17.21", "MIT", 0 },
    { "clone", "2.1.2", "MIT", 0 }, { "eventemitter3", "5.0.1", "MIT", 0 },
    { "throttle-debounce", "5.0.0", "MIT", 0 }, { "resize-observer-polyfill", "1.5.1", "MIT", 0 },
    { "focus-trap", "7.5.2", "MIT", 0 }, { "tabbable", "6.2.0", "MIT", 0 },
    { "@floating-ui/dom", "1.5.3", "MIT", 0 }, { "@floating-ui/core", "1.5.0", "MIT", 0 },
    { "@floating-ui/utils", "0.1.4", "MIT", 0 }, { "floating-vue", "2.0.0", "MIT", 0 },
    { "nprogress", "0.2.0", "MIT", 0 }, { "normalize.css", "8.0.1", "MIT", 0 },
    { "@fontsource/inter", "5.0.8", "OFL-1.1", 0 }, { "@fontsource/roboto-mono", "5.0.8", "OFL-1.1", 0 },
    { "source-map-js", "1.0.2", BSD3, 0 }, { "estree-walker", "2.0.2", "MIT", 0 },
    { "magic-string", "0.30.3", "MIT", 0 }, { "@jridgewell/sourcemap-codec", "1.4.15", "MIT", 0 },
    { "postcss", "8.4.30", "MIT", 0 }, { "picocolors", "1.0.0", "ISC", 0 },
    { "csstype", "3.1.2", "MIT", 0 }, { "@babel/parser", "7.22.16", "MIT", 0 },
    { "entities", "4.5.0", BSD2, 0 }, { "he", "1.2.0", "MIT", 0 },
    { "escape-html", "1.0.3", "MIT", 0 }, { "sanitize-html", "2.11.0", "MIT", 0 },
    { "htmlparser2", "8.0.2", "MIT", 0 }, { "domhandler", "5.0.3", BSD2, 0 },
    { "domutils", "3.1.0", BSD2, 0 }, { "dom-serializer", "2.0.0", "MIT", 0 },
    { "domelementtype", "2.3.0", BSD2, 0 }, { "is-plain-object", "5.0.0", "MIT", 0 },
    { "parse-srcset", "1.0.2", "MIT", 0 }, { "escape-string-regexp", "4.0.0", "MIT", 0 },
    { "klona", "2.0.6", "MIT", 0 }, { "idb-keyval", "6.2.1", APL2, 0 },
    { "workbox-window", "7.0.0", "MIT", 0 }, { "workbox-core", "7.0.0", "MIT", 0 },
    { "socket.io-client", "4.7.2", "MIT", 0 }, { "engine.io-client", "6.5.2", "MIT", 0 },
    { "engine.io-parser", "5.2.1", "MIT", 0 }, { "socket.io-parser", "4.2.4", "MIT", 0 },
    { "@socket.io/component-emitter", "3.1.0", "MIT", 0 }, { "xmlhttprequest-ssl", "2.0.0", "MIT", 0 },
    { "i18next", "23.5.1", "MIT", 0 }, { "i18next-browser-languagedetector", "7.1.0", "MIT", 0 },
};
static const pin webui_pins[] = {
    { "lodash", { "4.17.20", "4.17.21", "4.17.21", "4.17.21" } },
    { "minimist", { "1.2.5", "1.2.5", "1.2.6", "1.2.6" } },
    { "axios", { "0.21.4", "0.21.4", "1.5.1", "1.6.2" } },
};

/* PyPI packages of the cloud agent (purl-normalised names); requests and urllib3 are pinned. */
static const pkg agent_pkgs[] = {
    { "requests", "", APL2, TOP }, { "urllib3", "", "MIT", 0 }, { "certifi", "2023.7.22", "MPL-2.0", 0 },
    { "charset-normalizer", "3.2.0", "MIT", 0 }, { "idna", "3.4", BSD3, 0 }, { "pyyaml", "6.0.1", "MIT", TOP },
    { "paho-mqtt", "1.6.1", "EPL-2.0 OR BSD-3-Clause", TOP }, { "cryptography", "41.0.4", "Apache-2.0 OR BSD-3-Clause", TOP },
    { "cffi", "1.15.1", "MIT", 0 }, { "pycparser", "2.21", BSD3, 0 }, { "attrs", "23.1.0", "MIT", 0 },
    { "pydantic", "2.3.0", "MIT", TOP }, { "pydantic-core", "2.6.3", "MIT", 0 },
    { "annotated-types", "0.5.0", "MIT", 0 }, { "typing-extensions", "4.7.1", "PSF-2.0", 0 },
    { "python-dateutil", "2.8.2", "Apache-2.0 OR BSD-3-Clause", 0 }, { "six", "1.16.0", "MIT", 0 },
    { "click", "8.1.7", BSD3, TOP }, { "jinja2", "3.1.2", BSD3, 0 }, { "markupsafe", "2.1.3", BSD3, 0 },
    { "aiohttp", "3.8.5", APL2, TOP }, { "multidict", "6.0.4", APL2, 0 }, { "yarl", "1.9.2", APL2, 0 },
    { "frozenlist", "1.4.0", APL2, 0 }, { "aiosignal", "1.3.1", APL2, 0 }, { "async-timeout", "4.0.3", APL2, 0 },
    { "packaging", "23.1", "Apache-2.0 OR BSD-2-Clause", 0 }, { "setuptools", "68.2.2", "MIT", 0 },
    { "wheel", "0.41.2", "MIT", 0 }, { "pip", "23.2.1", "MIT", 0 }, { "psutil", "5.9.5", BSD3, TOP },
    { "prometheus-client", "0.17.1", APL2, TOP }, { "structlog", "23.1.0", "MIT OR Apache-2.0", TOP },
    { "tenacity", "8.2.3", APL2, 0 }, { "backoff", "2.2.1", "MIT", 0 }, { "boto3", "1.28.57", APL2, TOP },
    { "botocore", "1.31.57", APL2, 0 }, { "s3transfer", "0.7.0", APL2, 0 }, { "jmespath", "1.0.1", "MIT", 0 },
    { "protobuf", "4.24.3", BSD3, 0 }, { "grpcio", "1.58.0", APL2, TOP },
    { "googleapis-common-protos", "1.60.0", APL2, 0 }, { "orjson", "3.9.7", "Apache-2.0 OR MIT", 0 },
    { "msgpack", "1.0.6", APL2, 0 }, { "cachetools", "5.3.1", "MIT", 0 }, { "pyjwt", "2.8.0", "MIT", 0 },
    { "oauthlib", "3.2.2", BSD3, 0 }, { "requests-oauthlib", "1.3.1", "ISC", 0 },
    { "websocket-client", "1.6.3", APL2, 0 }, { "websockets", "11.0.3", BSD3, 0 }, { "tomli", "2.0.1", "MIT", 0 },
    { "jsonschema", "4.19.1", "MIT", 0 }, { "jsonschema-specifications", "2023.7.1", "MIT", 0 },
    { "referencing", "0.30.2", "MIT", 0 }, { "rpds-py", "0.10.3", "MIT", 0 },
    { "importlib-metadata", "6.8.0", APL2, 0 }, { "zipp", "3.17.0", "MIT", 0 }, { "filelock", "3.12.4", "Unlicense", 0 },
    { "platformdirs", "3.10.0", "MIT", 0 }, { "distro", "1.8.0", APL2, 0 }, { "netifaces", "0.11.0", "MIT", 0 },
    { "pyserial", "3.5", BSD3, 0 }, { "pymodbus", "3.5.2", BSD3, TOP }, { "paramiko", "3.3.1", "LGPL-2.1-only", 0 },
    { "bcrypt", "4.0.1", APL2, 0 }, { "pynacl", "1.5.0", APL2, 0 }, { "asn1crypto", "1.5.1", "MIT", 0 },
    { "pyopenssl", "23.2.0", APL2, 0 }, { "rsa", "4.9", APL2, 0 }, { "pyasn1", "0.5.0", BSD2, 0 },
    { "pyasn1-modules", "0.3.0", BSD2, 0 }, { "google-auth", "2.23.0", APL2, 0 }, { "httpx", "0.25.0", BSD3, 0 },
    { "httpcore", "0.18.0", BSD3, 0 }, { "h11", "0.14.0", "MIT", 0 }, { "anyio", "3.7.1", "MIT", 0 },
    { "sniffio", "1.3.0", "MIT OR Apache-2.0", 0 }, { "rich", "13.5.3", "MIT", 0 }, { "pygments", "2.16.1", BSD2, 0 },
    { "markdown-it-py", "3.0.0", "MIT", 0 }, { "mdurl", "0.1.2", "MIT", 0 }, { "colorama", "0.4.6", BSD3, 0 },
    { "tabulate", "0.9.0", "MIT", 0 }, { "python-dotenv", "1.0.0", BSD3, 0 }, { "watchdog", "3.0.0", APL2, 0 },
    { "apscheduler", "3.10.4", "MIT", TOP }, { "tzlocal", "5.0.1", "MIT", 0 }, { "pytz", "2023.3.post1", "MIT", 0 },
    { "tzdata", "2023.3", APL2, 0 }, { "sentry-sdk", "1.31.0", "MIT", TOP }, { "opentelemetry-api", "1.20.0", APL2, 0 },
    { "opentelemetry-sdk", "1.20.0", APL2, 0 }, { "deprecated", "1.2.14", "MIT", 0 }, { "wrapt", "1.15.0", BSD2, 0 },
    { "zeroconf", "0.115.0", "LGPL-2.1-or-later", 0 }, { "ifaddr", "0.2.0", "MIT", 0 }, { "dbus-next", "0.2.3", "MIT", 0 },
    { "pyudev", "0.24.1", LGPL2P, 0 }, { "cbor2", "5.4.6", "MIT", 0 }, { "pyroute2", "0.7.9", "GPL-2.0-or-later OR Apache-2.0", 0 },
    { "influxdb-client", "1.37.0", "MIT", 0 }, { "reactivex", "4.0.4", "MIT", 0 }, { "uvloop", "0.17.0", "MIT OR Apache-2.0", 0 },
};
static const pin agent_pins[] = {
    { "requests", { "2.28.2", "2.31.0", "2.31.0" } },
    { "urllib3", { "1.26.15", "1.26.18", "2.0.7" } },
};

static const product_def products[] = {
    { "edge-gateway", "Nordwerk Industrial Systems GmbH", "class-i", "2032-12-31",
      "Industrial edge gateway firmware based on Debian 11 (armhf)", "deb", "GW1", "firmware",
      gateway_pkgs, CT_NELEM(gateway_pkgs), gateway_pins, CT_NELEM(gateway_pins),
      { { "2.0.0", "2023-03-14", 150 }, { "2.1.0", "2023-09-19", 160 },
        { "2.2.0", "2024-03-12", 170 }, { "2.3.0", "2024-10-08", 180 } }, 4 },
    { "gateway-webui", "Nordwerk Industrial Systems GmbH", "default", "2030-12-31",
      "Web management interface of the edge gateway", "npm", "WUI", "application",
      webui_pkgs, CT_NELEM(webui_pkgs), webui_pins, CT_NELEM(webui_pins),
      { { "1.4.0", "2023-02-07", 170 }, { "1.5.0", "2023-08-29", 185 },
        { "1.6.0", "2024-01-30", 200 }, { "2.0.0", "2024-09-17", 215 } }, 4 },
    { "cloud-agent", "Nordwerk Industrial Systems GmbH", "default", "2031-06-30",
      "Python agent connecting gateways to the Nordwerk cloud", "pypi", "CAG", "application",
      agent_pkgs, CT_NELEM(agent_pkgs), agent_pins, CT_NELEM(agent_pins),
      { { "3.0.0", "2023-05-04", 75 }, { "3.1.0", "2023-11-14", 85 },
        { "3.2.0", "2024-06-25", 96 } }, 3 },
};

/* ---- advisories (public facts: IDs, aliases, ranges, CVSS vectors) ------------------------ */

typedef struct osv_affected {
    const char *ecosystem, *name, *purl, *range_type;
    const char *events[6]; /* introduced, fixed, introduced, fixed, ... */
} osv_affected;

typedef struct osv_def {
    const char *id, *published, *modified, *summary, *details, *cvss;
    const char *aliases[5];
    osv_affected affected;
    const char *refs[3]; /* ADVISORY, WEB, WEB */
} osv_def;

static const osv_def advisories[] = {
    { "GHSA-35jh-r3h4-6jhm", "2021-05-06T16:05:51Z", "2024-02-09T00:00:00Z",
      "Command Injection in lodash",
      "lodash versions prior to 4.17.21 are vulnerable to Command Injection via the template "
      "function.",
      "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", { "CVE-2021-23337" },
      { "npm", "lodash", "pkg:npm/lodash", "SEMVER", { "0", "4.17.21" } },
      { "https://github.com/advisories/GHSA-35jh-r3h4-6jhm",
        "https://nvd.nist.gov/vuln/detail/CVE-2021-23337" } },
    { "GHSA-xvch-5gv4-984h", "2022-03-18T00:01:09Z", "2024-02-09T00:00:00Z",
      "Prototype Pollution in minimist",
      "minimist before 1.2.6 is vulnerable to Prototype Pollution via file index.js, function "
      "setKey().",
      "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", { "CVE-2021-44906" },
      { "npm", "minimist", "pkg:npm/minimist", "SEMVER", { "0", "0.2.4", "1.0.0", "1.2.6" } },
      { "https://github.com/advisories/GHSA-xvch-5gv4-984h",
        "https://nvd.nist.gov/vuln/detail/CVE-2021-44906" } },
    { "GHSA-wf5p-g6vw-rhxx", "2023-11-08T21:30:37Z", "2024-06-25T00:00:00Z",
      "Axios Cross-Site Request Forgery Vulnerability",
      "Axios inadvertently reveals the confidential XSRF-TOKEN stored in cookies by including it "
      "in the HTTP header X-XSRF-TOKEN for every request made to any host.",
      "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N", { "CVE-2023-45857" },
      { "npm", "axios", "pkg:npm/axios", "SEMVER", { "0.8.1", "0.28.0", "1.0.0", "1.6.0" } },
      { "https://github.com/advisories/GHSA-wf5p-g6vw-rhxx",
        "https://nvd.nist.gov/vuln/detail/CVE-2023-45857" } },
    { "GHSA-j8r2-6x86-q33q", "2023-05-22T20:36:32Z", "2024-06-10T00:00:00Z",
      "Unintended leak of Proxy-Authorization header in requests",
      "Requests 2.3.0 to 2.30.0 leak Proxy-Authorization headers to destination servers when "
      "redirected to an HTTPS endpoint.",
      "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N", { "CVE-2023-32681" },
      { "PyPI", "requests", "pkg:pypi/requests", "ECOSYSTEM", { "2.3.0", "2.31.0" } },
      { "https://github.com/advisories/GHSA-j8r2-6x86-q33q",
        "https://nvd.nist.gov/vuln/detail/CVE-2023-32681" } },
    { "GHSA-v845-jxx5-vc9f", "2023-10-02T23:25:28Z", "2024-02-19T00:00:00Z",
      "Cookie HTTP header isn't stripped on cross-origin redirects",
      "urllib3 does not treat the Cookie HTTP header as special and does not strip it on "
      "cross-origin redirects.",
      "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N", { "CVE-2023-43804" },
      { "PyPI", "urllib3", "pkg:pypi/urllib3", "ECOSYSTEM", { "0", "1.26.17", "2.0.0", "2.0.6" } },
      { "https://github.com/advisories/GHSA-v845-jxx5-vc9f",
        "https://nvd.nist.gov/vuln/detail/CVE-2023-43804" } },
    { "DSA-5343-1", "2023-02-07T00:00:00Z", "2023-02-08T00:00:00Z", "openssl - security update",
      "Multiple vulnerabilities were discovered in OpenSSL, including a type confusion in X.400 "
      "address processing inside an X.509 GeneralName (CVE-2023-0286).",
      "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H",
      { "CVE-2022-4304", "CVE-2022-4450", "CVE-2023-0215", "CVE-2023-0286" },
      { "Debian:11", "openssl", "pkg:deb/debian/openssl?arch=source", "ECOSYSTEM",
        { "0", "1.1.1n-0+deb11u4" } },
      { "https://www.debian.org/security/2023/dsa-5343",
        "https://security-tracker.debian.org/tracker/CVE-2023-0286" } },
    { "DEBIAN-CVE-2022-37434", "2022-08-05T07:15:07Z", "2023-06-01T00:00:00Z",
      "zlib: heap buffer over-read or overflow in inflate() via a large gzip header extra field",
      "zlib through 1.2.12 has a heap-based buffer over-read or buffer overflow in inflate in "
      "inflate.c via a large gzip header extra field.",
      "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", { "CVE-2022-37434" },
      { "Debian:11", "zlib", "pkg:deb/debian/zlib?arch=source", "ECOSYSTEM",
        { "0", "1:1.2.11.dfsg-2+deb11u2" } },
      { "https://security-tracker.debian.org/tracker/CVE-2022-37434",
        "https://nvd.nist.gov/vuln/detail/CVE-2022-37434" } },
    { "GHSA-vh95-rmgr-6w4m", "2020-04-03T21:48:32Z", "2023-09-07T00:00:00Z",
      "Prototype Pollution in minimist",
      "minimist before 1.2.3 could be tricked into adding or modifying properties of "
      "Object.prototype using a constructor or __proto__ payload.",
      "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L", { "CVE-2020-7598" },
      { "npm", "minimist", "pkg:npm/minimist", "SEMVER", { "0", "0.2.1", "1.0.0", "1.2.3" } },
      { "https://github.com/advisories/GHSA-vh95-rmgr-6w4m",
        "https://nvd.nist.gov/vuln/detail/CVE-2020-7598" } },
    { "GHSA-x84v-xcm2-53pg", "2018-10-29T19:06:17Z", "2023-08-29T00:00:00Z",
      "Insufficiently Protected Credentials in Requests",
      "The Requests package before 2.20.0 sends an HTTP Authorization header to an http URI "
      "upon receiving a same-hostname https-to-http redirect.",
      "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", { "CVE-2018-18074" },
      { "PyPI", "requests", "pkg:pypi/requests", "ECOSYSTEM", { "0", "2.20.0" } },
      { "https://github.com/advisories/GHSA-x84v-xcm2-53pg",
        "https://nvd.nist.gov/vuln/detail/CVE-2018-18074" } },
};

/* ---- deterministic randomness and hashing ----------------------------------------------- */

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t mix64(uint64_t x)
{
    return splitmix64(&x);
}

static uint64_t below(uint64_t *s, uint64_t n)
{
    return n ? splitmix64(s) % n : 0;
}

static ct_time between(uint64_t *s, ct_time lo, ct_time hi)
{
    return hi > lo ? lo + (ct_time)below(s, (uint64_t)(hi - lo)) : lo;
}

static uint64_t fnv1a(const char *str)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (; *str; str++) {
        h ^= (unsigned char)*str;
        h *= 0x100000001b3u;
    }
    return h;
}

/* ---- SBOMs ------------------------------------------------------------------------------- */

#define DAY ((ct_time)86400)

static ct_time date_of(const char *ymd)
{
    ct_time t = CT_TIME_NONE;
    (void)ct_time_parse(&t, ymd, strlen(ymd)); /* constant tables, always valid */
    return t;
}

/* purl-spec percent-encoding: ':' stays, '+' becomes %2B. */
static void purl_escape(ct_buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (ct_ascii_isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~' || c == ':')
            ct_buf_putc(b, c);
        else
            ct_buf_printf(b, "%%%02X", (unsigned)(unsigned char)c);
    }
}

static void component_purl(ct_buf *b, const product_def *p, const char *name, const char *version)
{
    const char *slash = name[0] == '@' ? strchr(name, '/') : NULL;

    ct_buf_printf(b, "pkg:%s/", p->purl_type);
    if (strcmp(p->purl_type, "deb") == 0)
        ct_buf_puts(b, "debian/");
    if (slash) {
        purl_escape(b, name, (size_t)(slash - name));
        ct_buf_putc(b, '/');
        name = slash + 1;
    }
    purl_escape(b, name, strlen(name));
    ct_buf_putc(b, '@');
    purl_escape(b, version, strlen(version));
    if (strcmp(p->purl_type, "deb") == 0)
        ct_buf_puts(b, "?arch=armhf&distro=debian-11");
}

/* Pinned version, or the table version bumped in some releases (Debian: the +deb11uN counter,
 * others: the last number), so releases differ plausibly. */
static void component_version(ct_buf *b, const product_def *p, const pkg *k, unsigned r)
{
    for (size_t i = 0; i < p->npins; i++)
        if (strcmp(p->pins[i].name, k->name) == 0) {
            ct_buf_puts(b, p->pins[i].versions[r]);
            return;
        }
    uint64_t h = fnv1a(k->name);
    unsigned bumps = 0;
    for (unsigned j = 1; j <= r; j++)
        bumps += mix64(h + j) % 4 == 0;
    const char *v = k->version;
    if (bumps == 0) {
        ct_buf_puts(b, v);
        return;
    }
    const char *num = NULL, *end = NULL;
    if (strcmp(p->purl_type, "deb") == 0) {
        const char *u = strstr(v, "deb11u");
        if (!u) {
            ct_buf_printf(b, "%s+deb11u%u", v, bumps);
            return;
        }
        num = end = u + 6;
        while (ct_ascii_isdigit(*end))
            end++;
    } else {
        for (const char *c = v; *c; c++)
            if (ct_ascii_isdigit(*c) && !ct_ascii_isdigit(c[1]))
                end = c + 1;
        num = end;
        while (num > v && ct_ascii_isdigit(num[-1]))
            num--;
    }
    unsigned long n = 0;
    for (const char *c = num; c < end && n < 100000000u; c++)
        n = n * 10 + (unsigned long)(*c - '0');
    ct_buf_put(b, v, (size_t)(num - v));
    ct_buf_printf(b, "%lu%s", n + bumps, end);
}

/* Known dependency edges (acyclic); other components get random edges to later, edge-free
 * entries of their table, so the graph has no cycles. */
static const struct {
    const char *from;
    const char *to[7];
} known_deps[] = {
    { "curl", { "openssl", "zlib", "nghttp2", "libssh2", "libpsl", "libidn2", "krb5" } },
    { "openssh", { "openssl", "zlib", "pam", "libselinux" } },
    { "libxml2", { "zlib", "icu", "xz-utils" } },
    { "systemd", { "util-linux", "libcap2", "libseccomp", "libgcrypt20", "lz4", "libzstd" } },
    { "dbus", { "expat", "systemd" } },
    { "openssl", { "glibc" } },
    { "zlib", { "glibc" } },
    { "axios", { "follow-redirects", "form-data", "proxy-from-env" } },
    { "form-data", { "asynckit", "combined-stream", "mime-types" } },
    { "mkdirp", { "minimist" } },
    { "vue", { "@vue/runtime-dom", "@vue/compiler-dom", "@vue/compiler-sfc", "@vue/shared" } },
    { "requests", { "urllib3", "certifi", "charset-normalizer", "idna" } },
    { "botocore", { "urllib3", "python-dateutil", "jmespath" } },
    { "boto3", { "botocore", "s3transfer", "jmespath" } },
    { "aiohttp", { "multidict", "yarl", "frozenlist", "aiosignal", "async-timeout", "attrs" } },
    { "cryptography", { "cffi" } },
    { "cffi", { "pycparser" } },
    { "pydantic", { "pydantic-core", "annotated-types", "typing-extensions" } },
    { "python-dateutil", { "six" } },
    { "jinja2", { "markupsafe" } },
    { "paramiko", { "bcrypt", "cryptography", "pynacl" } },
};

static int known_index(const char *name)
{
    for (size_t i = 0; i < CT_NELEM(known_deps); i++)
        if (strcmp(known_deps[i].from, name) == 0)
            return (int)i;
    return -1;
}

static size_t pkg_index(const product_def *p, const char *name, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(p->pkgs[i].name, name) == 0)
            return i;
    return SIZE_MAX;
}

/* Dependencies of component i among the release's first n components; out has room for 8. */
static unsigned component_deps(size_t out[8], const product_def *p, size_t i, size_t n)
{
    unsigned cnt = 0;
    int known = known_index(p->pkgs[i].name);

    if (known >= 0) {
        for (size_t k = 0; k < CT_NELEM(known_deps[known].to) && known_deps[known].to[k]; k++) {
            size_t j = pkg_index(p, known_deps[known].to[k], n);
            if (j != SIZE_MAX)
                out[cnt++] = j;
        }
        return cnt;
    }
    if (strcmp(p->purl_type, "deb") == 0) {
        if (i == 0)
            return 0; /* glibc is the bottom of the graph */
        out[cnt++] = 0;
    }
    uint64_t s = fnv1a(p->pkgs[i].name) ^ 0xdeb5eedu;
    unsigned want = (unsigned)below(&s, 4);
    for (unsigned k = 0; k < want && i + 1 < p->npkgs; k++) {
        size_t j = i + 1 + (size_t)below(&s, p->npkgs - i - 1);
        bool skip = j >= n || known_index(p->pkgs[j].name) >= 0;
        for (unsigned m = 0; m < cnt; m++)
            skip |= out[m] == j;
        if (!skip)
            out[cnt++] = j;
    }
    return cnt;
}

static void put_hash(ct_buf *b, const char *name, const char *version)
{
    uint64_t s = fnv1a(name) ^ mix64(fnv1a(version));
    for (int i = 0; i < 4; i++)
        ct_buf_printf(b, "%016" PRIx64, splitmix64(&s));
}

static void put_uuid(ct_buf *b, const char *name, const char *version)
{
    uint64_t s = fnv1a(name) * 31u + fnv1a(version);
    uint64_t a = splitmix64(&s), c = splitmix64(&s);
    a = (a & ~(uint64_t)0xf000u) | 0x4000u;                /* RFC 4122 version 4 */
    c = (c & ~((uint64_t)3 << 62)) | ((uint64_t)2 << 62); /* RFC 4122 variant */
    ct_buf_printf(b, "urn:uuid:%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%012" PRIx64,
                  a >> 32, (a >> 16) & 0xffffu, a & 0xffffu, c >> 48, c & 0xffffffffffffu);
}

static void put_supplier(ct_buf *b, const char *type)
{
    if (strcmp(type, "deb") == 0)
        ct_buf_puts(b, "{\"name\":\"Debian Project\",\"url\":[\"https://www.debian.org\"]}");
    else if (strcmp(type, "npm") == 0)
        ct_buf_puts(b, "{\"name\":\"npm registry\",\"url\":[\"https://www.npmjs.com\"]}");
    else
        ct_buf_puts(b, "{\"name\":\"Python Package Index\",\"url\":[\"https://pypi.org\"]}");
}

static void put_license(ct_buf *b, const char *lic)
{
    if (strchr(lic, ' ') || strncmp(lic, "LicenseRef-", 11) == 0) {
        ct_buf_puts(b, "[{\"expression\":");
        ct_buf_json_str(b, lic);
        ct_buf_puts(b, "}]");
    } else {
        ct_buf_puts(b, "[{\"license\":{\"id\":");
        ct_buf_json_str(b, lic);
        ct_buf_puts(b, "}}]");
    }
}

static void product_ref(ct_buf *b, const product_def *p, unsigned r)
{
    ct_buf_printf(b, "pkg:generic/nordwerk/%s@%s", p->name, p->releases[r].version);
}

static void put_component(ct_buf *b, const product_def *p, const pkg *k, const char *version,
                          const char *purl)
{
    const char *name = k->name, *slash = name[0] == '@' ? strchr(name, '/') : NULL;

    ct_buf_printf(b, "    {\"type\":\"%s\",\"bom-ref\":", (k->flags & APP) ? "application" : "library");
    ct_buf_json_str(b, purl);
    ct_buf_puts(b, ",\"supplier\":");
    put_supplier(b, p->purl_type);
    if (slash) {
        ct_buf_puts(b, ",\"group\":");
        ct_buf_put(b, "\"", 1);
        ct_buf_put(b, name, (size_t)(slash - name));
        ct_buf_put(b, "\"", 1);
        name = slash + 1;
    }
    ct_buf_puts(b, ",\"name\":");
    ct_buf_json_str(b, name);
    ct_buf_puts(b, ",\"version\":");
    ct_buf_json_str(b, version);
    ct_buf_puts(b, ",\"hashes\":[{\"alg\":\"SHA-256\",\"content\":\"");
    put_hash(b, k->name, version);
    ct_buf_puts(b, "\"}],\"licenses\":");
    put_license(b, k->license);
    ct_buf_puts(b, ",\"purl\":");
    ct_buf_json_str(b, purl);
    ct_buf_putc(b, '}');
}

static void put_sbom_head(ct_buf *b, const product_def *p, unsigned r)
{
    const release_def *rel = &p->releases[r];

    ct_buf_puts(b, "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.5\",\n"
                   "  \"serialNumber\": \"");
    put_uuid(b, p->name, rel->version);
    ct_buf_printf(b, "\",\n  \"version\": 1,\n  \"metadata\": {\n"
                     "    \"timestamp\": \"%sT12:00:00Z\",\n"
                     "    \"tools\": {\"components\": [{\"type\":\"application\",\"author\":"
                     "\"cratrace\",\"name\":\"cratrace-demo\",\"version\":\"1\"}]},\n"
                     "    \"component\": {\"type\":\"%s\",\"bom-ref\":\"",
                  rel->date, p->bom_type);
    product_ref(b, p, r);
    ct_buf_puts(b, "\",\"supplier\":{\"name\":");
    ct_buf_json_str(b, p->vendor);
    ct_buf_puts(b, "},\"name\":");
    ct_buf_json_str(b, p->name);
    ct_buf_puts(b, ",\"version\":");
    ct_buf_json_str(b, rel->version);
    ct_buf_puts(b, ",\"description\":");
    ct_buf_json_str(b, p->description);
    ct_buf_puts(b, ",\"purl\":\"");
    product_ref(b, p, r);
    ct_buf_puts(b, "\"},\n    \"supplier\": {\"name\":");
    ct_buf_json_str(b, p->vendor);
    ct_buf_puts(b, "}\n  },\n  \"components\": [\n");
}

static void put_dependencies(ct_buf *b, const product_def *p, unsigned r, size_t n,
                             const ct_buf *refs, const size_t *off, bool *depended)
{
    size_t deps[8];

    for (size_t i = 0; i < n; i++) {
        unsigned nd = component_deps(deps, p, i, n);
        for (unsigned k = 0; k < nd; k++)
            depended[deps[k]] = true;
    }
    ct_buf_puts(b, "  \"dependencies\": [\n    {\"ref\":\"");
    product_ref(b, p, r);
    ct_buf_puts(b, "\",\"dependsOn\":[");
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (!(p->pkgs[i].flags & TOP) && depended[i])
            continue;
        ct_buf_puts(b, first ? "" : ",");
        ct_buf_json_str(b, refs->ptr + off[i]);
        first = false;
    }
    ct_buf_puts(b, "]}");
    for (size_t i = 0; i < n; i++) {
        unsigned nd = component_deps(deps, p, i, n);
        ct_buf_puts(b, ",\n    {\"ref\":");
        ct_buf_json_str(b, refs->ptr + off[i]);
        ct_buf_puts(b, ",\"dependsOn\":[");
        for (unsigned k = 0; k < nd; k++) {
            ct_buf_puts(b, k ? "," : "");
            ct_buf_json_str(b, refs->ptr + off[deps[k]]);
        }
        ct_buf_puts(b, "]}");
    }
    ct_buf_puts(b, "\n  ]\n}\n");
}

static int write_sbom(const char *path, const product_def *p, unsigned r)
{
    ct_buf b = CT_BUF_INIT, refs = CT_BUF_INIT, ver = CT_BUF_INIT;
    size_t n = p->releases[r].ncomponents < p->npkgs ? p->releases[r].ncomponents : p->npkgs;
    size_t *off = ct_calloc(n + 1, sizeof *off);
    bool *depended = ct_calloc(n + 1, sizeof *depended);
    int rc = CT_ENOMEM;

    if (!off || !depended)
        goto cleanup;
    put_sbom_head(&b, p, r);
    for (size_t i = 0; i < n; i++) {
        ct_buf_reset(&ver);
        component_version(&ver, p, &p->pkgs[i], r);
        off[i] = refs.len;
        component_purl(&refs, p, p->pkgs[i].name, ver.ptr);
        ct_buf_putc(&refs, '\0');
        if (refs.failed || ver.failed)
            goto cleanup;
        put_component(&b, p, &p->pkgs[i], ver.ptr, refs.ptr + off[i]);
        ct_buf_puts(&b, i + 1 < n ? ",\n" : "\n");
    }
    ct_buf_puts(&b, "  ],\n");
    put_dependencies(&b, p, r, n, &refs, off, depended);
    if (b.failed)
        goto cleanup;
    rc = ct_file_write(path, b.ptr, b.len);
cleanup:
    ct_free(off);
    ct_free(depended);
    ct_buf_dispose(&b);
    ct_buf_dispose(&refs);
    ct_buf_dispose(&ver);
    return rc == CT_ENOMEM ? ct_error_set(CT_ENOMEM, "demo: out of memory") : rc;
}

/* ---- manifest and advisories ------------------------------------------------------------- */

static void put_manifest(ct_buf *b)
{
    ct_buf_puts(b, "{\n  \"products\": [\n");
    for (size_t i = 0; i < CT_NELEM(products); i++) {
        const product_def *p = &products[i];
        ct_buf_puts(b, "    {\n      \"name\": ");
        ct_buf_json_str(b, p->name);
        ct_buf_puts(b, ",\n      \"vendor\": ");
        ct_buf_json_str(b, p->vendor);
        ct_buf_printf(b, ",\n      \"category\": \"%s\",\n      \"support_until\": \"%s\",\n"
                         "      \"releases\": [\n",
                      p->category, p->support_until);
        for (unsigned r = 0; r < p->nreleases; r++)
            ct_buf_printf(b,
                          "        {\"version\": \"%s\", \"date\": \"%s\", "
                          "\"sbom\": \"sboms/%s-%s.cdx.json\"}%s\n",
                          p->releases[r].version, p->releases[r].date, p->name,
                          p->releases[r].version, r + 1 < p->nreleases ? "," : "");
        ct_buf_printf(b, "      ]\n    }%s\n", i + 1 < CT_NELEM(products) ? "," : "");
    }
    ct_buf_puts(b, "  ]\n}\n");
}

static void put_strings(ct_buf *b, const char *const *v, size_t max)
{
    ct_buf_putc(b, '[');
    for (size_t i = 0; i < max && v[i]; i++) {
        ct_buf_puts(b, i ? "," : "");
        ct_buf_json_str(b, v[i]);
    }
    ct_buf_putc(b, ']');
}

/* One OSV 1.6.0 record per line. */
static void put_advisory(ct_buf *b, const osv_def *a)
{
    const osv_affected *af = &a->affected;

    ct_buf_puts(b, "{\"schema_version\":\"1.6.0\",\"id\":");
    ct_buf_json_str(b, a->id);
    ct_buf_printf(b, ",\"modified\":\"%s\",\"published\":\"%s\",\"aliases\":", a->modified,
                  a->published);
    put_strings(b, a->aliases, CT_NELEM(a->aliases));
    ct_buf_puts(b, ",\"summary\":");
    ct_buf_json_str(b, a->summary);
    ct_buf_puts(b, ",\"details\":");
    ct_buf_json_str(b, a->details);
    ct_buf_puts(b, ",\"severity\":[{\"type\":\"CVSS_V3\",\"score\":");
    ct_buf_json_str(b, a->cvss);
    ct_buf_puts(b, "}],\"affected\":[{\"package\":{\"ecosystem\":");
    ct_buf_json_str(b, af->ecosystem);
    ct_buf_puts(b, ",\"name\":");
    ct_buf_json_str(b, af->name);
    ct_buf_puts(b, ",\"purl\":");
    ct_buf_json_str(b, af->purl);
    ct_buf_printf(b, "},\"ranges\":[{\"type\":\"%s\",\"events\":[", af->range_type);
    for (size_t i = 0; i < CT_NELEM(af->events) && af->events[i]; i++) {
        ct_buf_printf(b, "%s{\"%s\":", i ? "," : "", i % 2 ? "fixed" : "introduced");
        ct_buf_json_str(b, af->events[i]);
        ct_buf_putc(b, '}');
    }
    ct_buf_puts(b, "]}]}],\"references\":[");
    for (size_t i = 0; i < CT_NELEM(a->refs) && a->refs[i]; i++) {
        ct_buf_printf(b, "%s{\"type\":\"%s\",\"url\":", i ? "," : "", i ? "WEB" : "ADVISORY");
        ct_buf_json_str(b, a->refs[i]);
        ct_buf_putc(b, '}');
    }
    ct_buf_puts(b, "]}\n");
}

/* ---- customers --------------------------------------------------------------------------- */

static const char *const name_words[] = {
    "Adler",  "Baltic", "Cobalt", "Danube",   "Elbe",    "Fjord",  "Granit",    "Helios",
    "Iberia", "Jura",   "Karst",  "Lumen",    "Meridian", "Nordwind", "Orion",  "Polaris",
    "Quercus", "Rhein", "Sierra", "Tauern",   "Umbria",  "Vistula", "Weser",    "Zenit",
    "Alpen",  "Brabant", "Carpathia", "Delta", "Estuary", "Flanders", "Garonne", "Hansa",
    "Isar",   "Kvarner", "Loire", "Moselle",  "Neckar",  "Oder",   "Pannonia",  "Riga",
};
static const char *const industry_words[] = {
    "Logistics", "Energy",    "Water Works", "Rail Systems", "Agritech",  "Building Automation",
    "Port Services", "Telecom", "Manufacturing", "Mobility", "Utilities", "Cold Chain",
};
static const struct {
    const char *country, *form;
} countries[] = {
    { "DE", "GmbH" }, { "FR", "SAS" },   { "NL", "B.V." }, { "IT", "S.p.A." },      { "ES", "S.L." },
    { "AT", "GmbH" }, { "BE", "NV" },    { "PL", "Sp. z o.o." }, { "SE", "AB" }, { "DK", "A/S" },
    { "FI", "Oy" },   { "IE", "Ltd" },   { "PT", "Lda" },  { "CZ", "s.r.o." },
};

static void csv_field(ct_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        ct_buf_puts(b, s);
        return;
    }
    ct_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            ct_buf_putc(b, '"');
        ct_buf_putc(b, *s);
    }
    ct_buf_putc(b, '"');
}

static void put_slug(ct_buf *b, const char *s)
{
    bool dash = false;
    for (; *s; s++) {
        if (ct_ascii_isalnum(*s)) {
            if (dash)
                ct_buf_putc(b, '-');
            ct_buf_putc(b, ct_ascii_lower(*s));
            dash = false;
        } else {
            dash = true;
        }
    }
}

static void put_customers(ct_buf *b, const ct_demo_options *o)
{
    const size_t nw = CT_NELEM(name_words), ni = CT_NELEM(industry_words), combos = nw * ni;
    size_t shift = (size_t)(o->seed % combos);
    char base[96];

    ct_buf_puts(b, "code,name,country,email,channel\n");
    for (unsigned i = 0; i < o->customers; i++) {
        size_t c = (i * (size_t)37 + shift) % combos; /* 37 is coprime to 480: unique names */
        size_t round = i / combos;
        uint64_t s = o->seed ^ mix64(0xc0ffeeu + i);
        size_t k = (size_t)below(&s, CT_NELEM(countries));
        if (round)
            snprintf(base, sizeof base, "%s %s %zu", name_words[c % nw], industry_words[c / nw],
                     round + 1);
        else
            snprintf(base, sizeof base, "%s %s", name_words[c % nw], industry_words[c / nw]);
        char name[128];
        snprintf(name, sizeof name, "%s %s", base, countries[k].form);
        ct_buf_printf(b, "C%04u,", i + 1);
        csv_field(b, name);
        ct_buf_printf(b, ",%s,security@", countries[k].country);
        put_slug(b, base);
        ct_buf_printf(b, ".example,%s\n", below(&s, 10) < 7 ? "email" : "webhook");
    }
}

/* ---- units and events -------------------------------------------------------------------- */

enum { ST_IN_STOCK, ST_SHIPPED, ST_IN_SERVICE, ST_IN_RMA, ST_REPLACED, ST_DECOMMISSIONED };
static const char *const state_names[] = { "in_stock", "shipped",  "in_service",
                                           "in_rma",   "replaced", "decommissioned" };
enum { EV_SHIP, EV_UPDATE, EV_PARAM, EV_RMA_OPEN, EV_RMA_CLOSE, EV_REPLACE, EV_DECOMMISSION };
static const char *const kind_names[] = { "ship",      "update",  "param_change", "rma_open",
                                          "rma_close", "replace", "decommission" };
static const char *const param_changes[] = {
    "ntp_server=ntp1.example.net", "log_level=debug", "log_level=info", "ssh_enabled=false",
    "mqtt_keepalive=60", "vpn_profile=site-b", "telemetry_interval=300", "wifi_enabled=false",
};
static const char *const rma_reasons[] = {
    "no boot after power loss", "Ethernet port failure", "power supply fault",
    "corrupted flash", "cellular modem not detected", "overheating",
};

typedef struct demo_event {
    ct_time t;
    unsigned kind;
    int from, to; /* release index, -1 = none */
    char detail[80];
} demo_event;

typedef struct demo_unit {
    unsigned product, state, release;
    unsigned customer; /* 0 = none, else 1-based */
    ct_time manufactured;
    demo_event ev[16];
    unsigned nev;
} demo_unit;

typedef struct fleet_ctx {
    ct_time rel[CT_NELEM(products)][4];
    ct_time end; /* nothing happens after this */
    unsigned rma_seq;
} fleet_ctx;

static demo_event *add_event(demo_unit *u, ct_time t, unsigned kind, int from, int to)
{
    demo_event *e = &u->ev[u->nev++];
    e->t = t;
    e->kind = kind;
    e->from = from;
    e->to = to;
    e->detail[0] = '\0';
    return e;
}

static void plan_history(demo_unit *u, fleet_ctx *f, uint64_t *s, ct_time ship)
{
    const product_def *p = &products[u->product];
    ct_time horizon = f->end;

    if (u->state == ST_IN_RMA)
        horizon = between(s, ship + 30 * DAY, f->end - DAY);
    else if (u->state == ST_REPLACED || u->state == ST_DECOMMISSIONED)
        horizon = between(s, ship + 60 * DAY, f->end - 20 * DAY);

    ct_time t = ship;
    while (u->release + 1 < p->nreleases) {
        ct_time next = f->rel[u->product][u->release + 1];
        ct_time when = (t > next ? t : next) + between(s, 2 * DAY, 120 * DAY);
        if (when >= horizon || below(s, 100) >= 85)
            break;
        demo_event *e = add_event(u, when, EV_UPDATE, (int)u->release, (int)u->release + 1);
        snprintf(e->detail, sizeof e->detail, "%s",
                 below(s, 10) ? "OTA update" : "update by service partner");
        u->release++;
        t = when;
    }
    for (unsigned k = below(s, 100) < 30 ? 1 + (unsigned)below(s, 2) : 0; k > 0; k--) {
        demo_event *e = add_event(u, between(s, ship + DAY, horizon - DAY), EV_PARAM, -1, -1);
        snprintf(e->detail, sizeof e->detail, "%s",
                 param_changes[below(s, CT_NELEM(param_changes))]);
    }
    if ((u->state == ST_IN_SERVICE || u->state == ST_DECOMMISSIONED) && below(s, 100) < 5 &&
        horizon - 40 * DAY > ship + 20 * DAY) {
        ct_time open = between(s, ship + 20 * DAY, horizon - 40 * DAY);
        unsigned id = ++f->rma_seq;
        demo_event *e = add_event(u, open, EV_RMA_OPEN, -1, -1);
        snprintf(e->detail, sizeof e->detail, "RMA-%05u: %s", id,
                 rma_reasons[below(s, CT_NELEM(rma_reasons))]);
        e = add_event(u, open + between(s, 7 * DAY, 30 * DAY), EV_RMA_CLOSE, -1, -1);
        snprintf(e->detail, sizeof e->detail, "RMA-%05u: repaired and returned", id);
    }
    if (u->state == ST_IN_RMA || u->state == ST_REPLACED) {
        unsigned id = ++f->rma_seq;
        demo_event *e = add_event(u, horizon, EV_RMA_OPEN, -1, -1);
        snprintf(e->detail, sizeof e->detail, "RMA-%05u: %s", id,
                 rma_reasons[below(s, CT_NELEM(rma_reasons))]);
        if (u->state == ST_REPLACED) {
            e = add_event(u, horizon + between(s, 3 * DAY, 14 * DAY), EV_REPLACE, -1, -1);
            snprintf(e->detail, sizeof e->detail, "RMA-%05u: replaced by a new unit", id);
        }
    } else if (u->state == ST_DECOMMISSIONED) {
        demo_event *e = add_event(u, horizon, EV_DECOMMISSION, -1, -1);
        snprintf(e->detail, sizeof e->detail, "taken out of service by the customer");
    }
}

static void plan_unit(demo_unit *u, fleet_ctx *f, uint64_t seed, unsigned idx, unsigned customers)
{
    uint64_t s = seed ^ mix64(0x5e41a1u + (uint64_t)idx);
    unsigned pr = (unsigned)below(&s, 100), st = (unsigned)below(&s, 1000);

    u->product = pr < 60 ? 0 : pr < 80 ? 1 : 2;
    u->state = st < 30    ? ST_IN_STOCK
               : st < 80  ? ST_SHIPPED
               : st < 860 ? ST_IN_SERVICE
               : st < 900 ? ST_IN_RMA
               : st < 940 ? ST_REPLACED
                          : ST_DECOMMISSIONED;
    u->nev = 0;
    const product_def *p = &products[u->product];
    const ct_time *rel = f->rel[u->product];
    if (u->state == ST_IN_STOCK)
        u->manufactured = between(&s, f->end - 60 * DAY, f->end - DAY);
    else if (u->state == ST_SHIPPED)
        u->manufactured = between(&s, f->end - 100 * DAY, f->end - 30 * DAY);
    else
        u->manufactured = between(&s, rel[0] + DAY, f->end - 120 * DAY);
    u->release = 0;
    while (u->release + 1 < p->nreleases && rel[u->release + 1] <= u->manufactured)
        u->release++;
    /* a product of two draws favours low codes: a few large customers, many small ones */
    uint64_t a = below(&s, customers), b = below(&s, customers);
    u->customer = u->state == ST_IN_STOCK ? 0 : (unsigned)(a * b / customers) + 1;
    if (u->state == ST_IN_STOCK)
        return;
    ct_time ship = u->manufactured + between(&s, 3 * DAY, (u->state == ST_SHIPPED ? 20 : 45) * DAY);
    demo_event *e = add_event(u, ship, EV_SHIP, -1, (int)u->release);
    snprintf(e->detail, sizeof e->detail, "shipped to C%04u", u->customer);
    if (u->state != ST_SHIPPED)
        plan_history(u, f, &s, ship);
    for (unsigned i = 1; i < u->nev; i++) /* insertion sort by time, stable */
        for (unsigned j = i; j > 0 && u->ev[j].t < u->ev[j - 1].t; j--) {
            demo_event tmp = u->ev[j];
            u->ev[j] = u->ev[j - 1];
            u->ev[j - 1] = tmp;
        }
    for (unsigned i = 1; i < u->nev; i++)
        if (u->ev[i].t <= u->ev[i - 1].t)
            u->ev[i].t = u->ev[i - 1].t + 1;
}

static void put_unit(ct_buf *units, ct_buf *events, const demo_unit *u, const char *serial)
{
    const product_def *p = &products[u->product];
    char when[32];

    ct_time_format(when, u->manufactured);
    const char *rev = strcmp(when, "2023-10-01") < 0 ? "rev-A"
                      : strcmp(when, "2024-06-01") < 0 ? "rev-B"
                                                        : "rev-C";
    ct_buf_printf(units, "%s,%s,%s,%s,", serial, p->name, rev, p->releases[u->release].version);
    if (u->customer)
        ct_buf_printf(units, "C%04u", u->customer);
    ct_buf_printf(units, ",%s,%s\n", when, state_names[u->state]);
    for (unsigned i = 0; i < u->nev; i++) {
        const demo_event *e = &u->ev[i];
        ct_time_format(when, e->t);
        ct_buf_printf(events, "%s,%s,%s,%s,%s,%s,", serial, p->name, when, kind_names[e->kind],
                      e->from >= 0 ? p->releases[e->from].version : "",
                      e->to >= 0 ? p->releases[e->to].version : "");
        csv_field(events, e->detail);
        ct_buf_putc(events, '\n');
    }
}

static void put_fleet(ct_buf *units, ct_buf *events, const ct_demo_options *o)
{
    fleet_ctx f;
    demo_unit u;
    unsigned seq[CT_NELEM(products)] = { 0 };
    char serial[40], when[32];

    memset(&f, 0, sizeof f);
    f.end = ct_time_from_civil(2024, 12, 20, 0, 0, 0);
    for (size_t i = 0; i < CT_NELEM(products); i++)
        for (unsigned r = 0; r < products[i].nreleases; r++)
            f.rel[i][r] = date_of(products[i].releases[r].date);
    ct_buf_puts(units, "serial,product,hardware_revision,release,customer,manufactured,state\n");
    ct_buf_puts(events, "serial,product,time,kind,from_release,to_release,detail\n");
    for (unsigned i = 0; i < o->units; i++) {
        plan_unit(&u, &f, o->seed, i, o->customers);
        ct_time_format(when, u.manufactured);
        snprintf(serial, sizeof serial, "%s-%.2s%.2s-%06u", products[u.product].serial_prefix,
                 when + 2, when + 5, ++seq[u.product]);
        put_unit(units, events, &u, serial);
    }
}

/* ---- entry point ------------------------------------------------------------------------- */

static int make_dir(const char *path)
{
    struct stat st;
    if (mkdir(path, 0777) == 0)
        return 0;
    if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    ct_loc loc = { path, 0, 0, -1, NULL };
    return ct_error_set_at(&loc, CT_EIO, "cannot create directory: %s", strerror(errno));
}

static int write_buf(const char *dir, const char *name, ct_buf *b)
{
    ct_buf path = CT_BUF_INIT;
    int rc;

    ct_buf_printf(&path, "%s/%s", dir, name);
    if (path.failed || b->failed)
        rc = ct_error_set(CT_ENOMEM, "demo: out of memory writing %s", name);
    else
        rc = ct_file_write(path.ptr, b->ptr, b->len);
    ct_buf_dispose(&path);
    ct_buf_reset(b);
    return rc;
}

int ct_demo_generate(const char *dir, const ct_demo_options *opts)
{
    static const ct_demo_options defaults = CT_DEMO_OPTIONS_INIT;
    const ct_demo_options *o = opts ? opts : &defaults;
    ct_buf b = CT_BUF_INIT, b2 = CT_BUF_INIT, path = CT_BUF_INIT;
    int rc;

    if (!dir || !*dir)
        return ct_error_set(CT_EINVAL, "demo: no output directory");
    if (o->version != CT_DEMO_OPTIONS_VERSION)
        return ct_error_set(CT_EINVAL, "demo: unsupported options version %u", o->version);
    if (o->units > 1000000u || o->customers < 1 || o->customers > 99999u)
        return ct_error_set(CT_EINVAL, "demo: need units <= 1000000 and 1 <= customers <= 99999");
    ct_buf_printf(&path, "%s/sboms", dir);
    if (path.failed) {
        rc = ct_error_set(CT_ENOMEM, "demo: out of memory");
        goto cleanup;
    }
    if ((rc = make_dir(dir)) < 0 || (rc = make_dir(path.ptr)) < 0)
        goto cleanup;
    for (size_t i = 0; i < CT_NELEM(products); i++)
        for (unsigned r = 0; r < products[i].nreleases; r++) {
            ct_buf_reset(&path);
            ct_buf_printf(&path, "%s/sboms/%s-%s.cdx.json", dir, products[i].name,
                          products[i].releases[r].version);
            if (path.failed) {
                rc = ct_error_set(CT_ENOMEM, "demo: out of memory");
                goto cleanup;
            }
            if ((rc = write_sbom(path.ptr, &products[i], r)) < 0)
                goto cleanup;
        }
    put_manifest(&b);
    if ((rc = write_buf(dir, "manifest.json", &b)) < 0)
        goto cleanup;
    for (size_t i = 0; i < CT_NELEM(advisories); i++)
        put_advisory(&b, &advisories[i]);
    if ((rc = write_buf(dir, "advisories.osv.jsonl", &b)) < 0)
        goto cleanup;
    put_customers(&b, o);
    if ((rc = write_buf(dir, "customers.csv", &b)) < 0)
        goto cleanup;
    put_fleet(&b, &b2, o);
    if ((rc = write_buf(dir, "units.csv", &b)) < 0 || (rc = write_buf(dir, "events.csv", &b2)) < 0)
        goto cleanup;
cleanup:
    ct_buf_dispose(&b);
    ct_buf_dispose(&b2);
    ct_buf_dispose(&path);
    if (rc < 0)
        ct_error_prefix("demo %s", dir);
    return rc;
}
