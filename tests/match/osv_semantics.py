#!/usr/bin/python3
"""Independent evaluation of OSV records against SBOM components (issue 6).

Shares no code with cratrace: it reads the OSV records and the SBOMs itself, matches
packages as the OSV schema describes them (docs/schema.md, "affected[].package" and the
ecosystem list) and evaluates `versions` and `ranges[].events` with the pseudo-code of the
schema's "Evaluation" section. Every version comparison goes to the reference oracles
(../shared/oracles/vercmp SCHEME, one batch per scheme). Standard library only.

Commands:
  expect --osv PATH... --sbom FILE... [--excluded OUT]
                                        print "purl<TAB>record-id" for every affected component,
                                        sorted; counts of what was left out go to stderr, and
                                        the pairs no oracle can decide to OUT
  probe OUT [--sample K] [--per-package N] [--distro-sample D] PATH...
  suffix-synth OSV_OUT SBOM_OUT   synthetic records of each ecosystem suffix form and components
                                  placed in each release / repository (see SYNTH_ENTRIES)
                                        CycloneDX 1.5 JSON with a component at every event
                                        version of every package the OSV records name (or of
                                        a deterministic subset: 1 package in K, N versions each);
                                        for release-scoped distro entries (AlmaLinux:9,
                                        Alpine:v3.8, ...) three components per version: in the
                                        release, in another, without a release (1 in D)
  rewrite SBOM OUT                      the SBOM's components (purl, name, version) as CycloneDX
                                        1.5 JSON, for SBOM versions cratrace does not read
  local-python OUT                      CycloneDX 1.5 JSON of the installed Python distributions
  local-go OUT DIR...                   CycloneDX 1.5 JSON of the modules in the Go binaries
                                        under DIR (go version -m), the toolchain as "stdlib"
"""
import glob
import gzip
import json
import os
import re
import subprocess
import sys
import urllib.parse
import zlib
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
VERCMP = os.environ.get("CT_VERCMP") or os.path.normpath(
    os.path.join(HERE, "..", "..", "..", "shared", "oracles", "vercmp"))


def warn(msg):
    print(msg, file=sys.stderr)


# ---------------------------------------------------------------- purls (purl-spec, by hand)

def parse_purl(s):
    """(type, namespace, name, version, qualifiers) or None. purl-spec "How to parse"."""
    if not s or not s.startswith("pkg:"):
        return None
    rest = s[4:].lstrip("/")
    rest = rest.split("#", 1)[0]
    quals = {}
    if "?" in rest:
        rest, q = rest.split("?", 1)
        for kv in q.split("&"):
            if "=" in kv:
                k, v = kv.split("=", 1)
                quals[k.lower()] = urllib.parse.unquote(v)
    version = None
    if "@" in rest:
        rest, version = rest.rsplit("@", 1)
        version = urllib.parse.unquote(version)
    parts = [p for p in rest.strip("/").split("/") if p]
    if len(parts) < 2:
        return None
    ptype = parts[0].lower()
    name = urllib.parse.unquote(parts[-1])
    ns = "/".join(urllib.parse.unquote(p) for p in parts[1:-1]) or None
    return ptype, ns, name, version, quals


def pep503(name):
    return re.sub(r"[-_.]+", "-", name).lower()


# OSV ecosystem (before any ":suffix") -> purl type, and the package name a purl stands for.
# Distributions (purl type, namespace) -> OSV ecosystem. The schema: Debian, Ubuntu and Alpine
# name the *source* package; AlmaLinux's records name binary RPMs (e.g. "openssl-libs"), so an
# rpm component is named by its purl name.
DISTRO_ECOSYSTEMS = {("deb", "debian"): "Debian", ("deb", "ubuntu"): "Ubuntu",
                     ("apk", "alpine"): "Alpine", ("rpm", "almalinux"): "AlmaLinux",
                     ("rpm", "redhat"): "Red Hat"}
SOURCE_NAMED = ("Debian", "Ubuntu", "Alpine")


def osv_name_of_purl(ptype, ns, name, quals=None):
    """(ecosystem, OSV package name) that a purl denotes, or None when no OSV ecosystem fits."""
    quals = quals or {}
    if ptype == "golang":
        return "Go", (ns + "/" + name) if ns else name
    if ptype == "pypi":
        return "PyPI", pep503(name)
    if ptype == "cargo":
        return "crates.io", name
    if ptype == "npm":
        return "npm", ((ns.lower() + "/") if ns else "") + name.lower()
    if ptype == "maven":
        return "Maven", (ns + ":" + name) if ns else name
    if ptype == "gem":
        return "RubyGems", name
    if ptype == "nuget":
        return "NuGet", name.lower()
    if ptype == "composer":
        return "Packagist", ((ns + "/") if ns else "").lower() + name.lower()
    if ptype == "hackage":
        return "Hackage", name
    if ptype == "bitnami":
        return "Bitnami", name
    if ptype == "pub":
        return "Pub", name
    if ptype == "hex":
        return "Hex", name.lower()
    eco = DISTRO_ECOSYSTEMS.get((ptype, (ns or "").lower()))
    if eco:
        up = quals.get("upstream")
        if eco in SOURCE_NAMED and up:
            # syft writes the source package as "name" or "name@version"
            name = re.split(r"[@ ]", up, 1)[0] or name
        return eco, name
    return None


# ---------------------------------------------------------------- ecosystem suffixes
# Schema, "affected[].package.ecosystem" (../shared/conformance/osv/ecosystems.json): Debian
# ":<RELEASE>" (numeric, from distro-info-data; "sid" for the unnumbered), Ubuntu ":YY.MM" with
# a mandatory ":LTS" for LTS releases and an optional ":Pro:" prefix for Ubuntu Pro (ESM)
# fixes, Alpine ":v<major.minor>" (the release branch), AlmaLinux ":<numeric release>", Red Hat
# ":<CPE>" (a product stream), Maven and Packagist ":<REMOTE-REPO-URL>" (no suffix: Maven
# Central / packagist.org). An entry without a suffix covers every release (or the default
# repository); an entry with one covers only components that a purl places there: a distro
# component by its `distro` qualifier (a point release belongs to its release: "debian-12.4"
# is Debian 12, "alpine-3.18.4" is Alpine v3.18), a Maven or Composer component by its
# `repository_url` qualifier (purl-spec). A component whose purl does not say its release is not
# placed in any release: release-scoped entries do not apply to it.
DEBIAN_CODENAMES = {  # distro-info-data debian.csv: series -> version
    "buzz": "1.1", "rex": "1.2", "bo": "1.3", "hamm": "2.0", "slink": "2.1", "potato": "2.2",
    "woody": "3.0", "sarge": "3.1", "etch": "4.0", "lenny": "5.0", "squeeze": "6.0",
    "wheezy": "7", "jessie": "8", "stretch": "9", "buster": "10", "bullseye": "11",
    "bookworm": "12", "trixie": "13", "forky": "14", "duke": "15"}
UBUNTU_CODENAMES = {  # distro-info-data ubuntu.csv (the releases since 14.04)
    "trusty": "14.04", "xenial": "16.04", "yakkety": "16.10", "zesty": "17.04",
    "artful": "17.10", "bionic": "18.04", "cosmic": "18.10", "disco": "19.04",
    "eoan": "19.10", "focal": "20.04", "groovy": "20.10", "hirsute": "21.04",
    "impish": "21.10", "jammy": "22.04", "kinetic": "22.10", "lunar": "23.04",
    "mantic": "23.10", "noble": "24.04", "oracular": "24.10", "plucky": "25.04"}
DEFAULT_REPO = {"Maven": "https://repo.maven.apache.org/maven2",
                "Packagist": "https://packagist.org"}


def component_scope(eco, ptype, ns, quals):
    """Where a purl places its component: the distribution release (lower case, codename as
    number, e.g. "12", "22.04", "3.18.4", "9.3") or the repository URL; None when unsaid."""
    if eco in DEFAULT_REPO:
        return (quals.get("repository_url") or DEFAULT_REPO[eco]).rstrip("/")
    d = quals.get("distro")
    if not d or eco not in ("Debian", "Ubuntu", "Alpine", "AlmaLinux", "Red Hat"):
        return None
    d = d.strip().lower()
    pre = (ns or "").lower() + "-"
    if d.startswith(pre):
        d = d[len(pre):]
    elif eco == "Red Hat":  # "rhel-8.6", "rhel8", "el8" (and "redhat-8" above)
        d = re.sub(r"^(rhel-?|el)(?=[0-9])", "", d)
    if eco == "Debian":
        d = DEBIAN_CODENAMES.get(d, d)
    elif eco == "Ubuntu":
        d = UBUNTU_CODENAMES.get(d, d)
    return d or None


def release_covers(release, comp):
    """A release named by a suffix ("12", "3.18", "9") covers a component release when they are
    equal or the component's is a point release of it (its dotted components extend it)."""
    a, b = release.split("."), comp.split(".")
    return len(b) >= len(a) and b[:len(a)] == a


def in_scope(eco, suffix, scope):
    """Does an entry of ecosystem `eco` with suffix `suffix` ("" when none) apply to a component
    placed at `scope` (component_scope)? True / False, or None when no purl can say (Red Hat
    product streams, Ubuntu Pro, suffixes the schema defines for no ecosystem we match)."""
    if eco in DEFAULT_REPO:
        want = (suffix or DEFAULT_REPO[eco]).rstrip("/")
        return want == scope
    if not suffix:
        return True
    if eco == "Red Hat":
        return redhat_in_scope(suffix, scope)
    if eco in ("Debian", "Alpine", "AlmaLinux", "Ubuntu"):
        parts = suffix.split(":")
        if eco == "Ubuntu":
            if "Pro" in parts:
                return None
            parts = [p for p in parts if p != "LTS"]
        if len(parts) != 1 or not parts[0]:
            return None
        rel = parts[0].lower()
        if eco == "Alpine":
            if not re.match(r"^v[0-9]", rel):
                return rel == scope if scope else False  # "edge"
            rel = rel[1:]
        if scope is None:
            return False
        if eco == "Debian":
            rel = DEBIAN_CODENAMES.get(rel, rel)
        if not re.match(r"^[0-9]", rel):
            return rel == scope
        return release_covers(rel, scope)
    return None


def redhat_in_scope(suffix, scope):
    """Red Hat ":<CPE>" names a product stream; the schema says nothing of how a purl states
    one. cratrace's rule (docs/feeds.md "Distributions"), written here independently: an
    Enterprise Linux stream ("enterprise_linux:9::appstream", "rhel_aus:8.6::appstream", with
    or without "cpe:/a:redhat:") covers a component whose `distro` names the same major release,
    and a component that names no release (name-only match); another product's stream
    ("openshift:4.12::el8") names no RHEL release and covers every component."""
    s = re.sub(r"^cpe:/[aoh]:redhat:", "", suffix)
    nums = [x for x in s.split(":") if re.match(r"^[0-9]", x)]
    if not re.match(r"^(enterprise_linux|rhel_[^:]*|rhel):", s) or not nums:
        return True
    if scope is None:
        return True
    return nums[0].split(".")[0] == scope.split(".")[0]


def osv_package_name(eco, name):
    """The OSV package name as compared (same normalisation as osv_name_of_purl)."""
    if eco == "PyPI":
        return pep503(name)
    if eco in ("npm", "NuGet", "Packagist", "Hex"):
        return name.lower()
    return name


# Which oracle scheme orders the versions of a range, and how versions are spelled for it.
def oracle_scheme(eco, rtype):
    if rtype == "SEMVER":
        if eco == "Go":
            return "golang"  # x/mod/semver: SemVer 2.0 precedence, needs the "v"
        if eco == "npm":
            return "npm"
        return "semver"
    if rtype == "ECOSYSTEM" or rtype == "versions":
        return {
            "PyPI": "pypi", "npm": "npm", "Maven": "maven", "RubyGems": "gem",
            "Go": "golang", "crates.io": "semver", "Bitnami": "semver",
            "AlmaLinux": "rpm", "Rocky Linux": "rpm", "Red Hat": "rpm", "SUSE": "rpm",
            "openSUSE": "rpm", "Mageia": "rpm", "Photon OS": "rpm", "openEuler": "rpm",
            "Azure Linux": "rpm", "Debian": "deb", "Ubuntu": "deb",
        }.get(eco)
    return None


def spell(scheme, v, from_osv):
    """OSV Go versions have no "v" (schema: SEMVER "with no leading v"); x/mod/semver needs it."""
    if scheme == "golang" and not v.startswith("v"):
        return "v" + v
    return v


# ---------------------------------------------------------------- SBOM components

def cdx_json_components(doc):
    out = []

    def walk(lst):
        for c in lst or []:
            if isinstance(c, dict):
                out.append((c.get("purl"), c.get("name"), c.get("version")))
                walk(c.get("components"))
    walk(doc.get("components"))
    return out


def cdx_xml_components(root):
    out = []

    def local(tag):
        return tag.rsplit("}", 1)[-1]

    def child_text(el, name):
        for ch in el:
            if local(ch.tag) == name:
                return (ch.text or "").strip()
        return None

    def walk(el):
        for ch in el:
            if local(ch.tag) == "components":
                for comp in ch:
                    if local(comp.tag) == "component":
                        out.append((child_text(comp, "purl"), child_text(comp, "name"),
                                    child_text(comp, "version")))
                        walk(comp)
    walk(root)
    return out


def spdx_json_components(doc):
    out = []
    for p in doc.get("packages") or []:
        purl = None
        for r in p.get("externalRefs") or []:
            if r.get("referenceCategory") in ("PACKAGE-MANAGER", "PACKAGE_MANAGER") and \
                    r.get("referenceType") == "purl":
                purl = r.get("referenceLocator")
                break
        out.append((purl, p.get("name"), p.get("versionInfo")))
    return out


def spdx_tv_components(text):
    out = []
    cur = None
    for line in text.splitlines():
        if ":" not in line:
            continue
        tag, val = line.split(":", 1)
        tag, val = tag.strip(), val.strip()
        if tag == "PackageName":
            cur = [None, val, None]
            out.append(cur)
        elif cur is not None and tag == "PackageVersion":
            cur[2] = val
        elif cur is not None and tag == "ExternalRef":
            f = val.split()
            if len(f) >= 3 and f[0] in ("PACKAGE-MANAGER", "PACKAGE_MANAGER") and \
                    f[1] == "purl" and cur[0] is None:
                cur[0] = f[2]
        elif tag in ("FileName", "SnippetSPDXID"):
            cur = None
    return [tuple(c) for c in out]


def sbom_components(path):
    """[(purl, name, version)] of a CycloneDX (JSON/XML) or SPDX (JSON/tag-value) document."""
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8", "replace")
    head = text.lstrip()[:1]
    if head == "<":
        return cdx_xml_components(ET.fromstring(data))
    if head in ("{", "["):
        doc, _ = json.JSONDecoder().raw_decode(text.lstrip())
        if not isinstance(doc, dict):
            return []
        if "spdxVersion" in doc:
            return spdx_json_components(doc)
        return cdx_json_components(doc)
    return spdx_tv_components(text)


def write_cdx(path, name, comps):
    bom = {
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "metadata": {"component": {"type": "application", "name": name, "version": "1",
                                   "bom-ref": "root"}},
        "components": [],
    }
    seen = set()
    for i, (purl, cname, ver) in enumerate(comps):
        if not purl or purl in seen:
            continue
        seen.add(purl)
        c = {"type": "library", "bom-ref": "c%d" % i, "name": cname or purl, "purl": purl}
        if ver:
            c["version"] = ver
        bom["components"].append(c)
    with open(path, "w") as f:
        json.dump(bom, f, indent=1)
    return len(bom["components"])


# ---------------------------------------------------------------- installed Python / Go

def dist_metadata(path):
    """(Name, Version) of a *.dist-info / *.egg-info directory or egg-info file."""
    cands = [os.path.join(path, "METADATA"), os.path.join(path, "PKG-INFO")] \
        if os.path.isdir(path) else [path]
    for c in cands:
        if os.path.isfile(c):
            name = ver = None
            with open(c, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if not line.strip():
                        break
                    if line.startswith("Name:") and name is None:
                        name = line[5:].strip()
                    elif line.startswith("Version:") and ver is None:
                        ver = line[8:].strip()
            if name and ver:
                return name, ver
    return None


def python_dirs():
    dirs = ["/usr/lib/python3/dist-packages"]
    dirs += sorted(glob.glob("/usr/local/lib/python3*/dist-packages"))
    dirs += sorted(glob.glob("/usr/lib/python3*/site-packages"))
    dirs += sorted(glob.glob("/usr/local/lib/python3*/site-packages"))
    # the python3 first on PATH may be another installation (pyenv, venv): its site-packages too
    try:
        out = subprocess.run(["python3", "-c", "import site,sys;print('\\n'.join(site.getsitepackages()))"],
                             capture_output=True, text=True, timeout=300).stdout
        dirs += [d for d in out.split("\n") if d]
    except (OSError, subprocess.SubprocessError):
        pass
    res = []
    for d in dirs:
        if os.path.isdir(d) and os.path.realpath(d) not in [os.path.realpath(x) for x in res]:
            res.append(d)
    return res


def cmd_local_python(out):
    comps = []
    for d in python_dirs():
        for e in sorted(os.listdir(d)):
            if e.endswith(".dist-info") or e.endswith(".egg-info"):
                md = dist_metadata(os.path.join(d, e))
                if md:
                    name, ver = md
                    purl = "pkg:pypi/%s@%s" % (urllib.parse.quote(pep503(name), safe=""),
                                               urllib.parse.quote(ver, safe="+"))
                    comps.append((purl, name, ver))
    n = write_cdx(out, "local-python", comps)
    warn("local-python: %d distributions in %s" % (n, ", ".join(python_dirs())))


def cmd_local_go(out, dirs):
    try:
        res = subprocess.run(["go", "version", "-m"] + dirs, capture_output=True, text=True,
                             timeout=300)
    except OSError:
        warn("local-go: no go command")
        return 77
    comps = []
    binaries = 0
    for line in res.stdout.splitlines():
        if not line.startswith("\t"):
            m = re.match(r"^(.+): (go[0-9][^ ]*)", line)
            if m:
                binaries += 1
                gv = re.match(r"^go([0-9]+(?:\.[0-9]+)*)", m.group(2))
                if gv and re.search(r"-|RC|rc|beta", m.group(2)[2:].split(" ")[0]) is None:
                    v = gv.group(1)
                    if v.count(".") == 1:
                        v += ".0"
                    comps.append(("pkg:golang/stdlib@v" + v, "stdlib", "v" + v))
            continue
        f = line.strip().split("\t")
        if f[0] in ("dep", "mod") and len(f) >= 3 and f[2].startswith("v") and f[2] != "(devel)":
            path, ver = f[1], f[2]
            purl = "pkg:golang/%s@%s" % ("/".join(urllib.parse.quote(p, safe="") for p in path.split("/")),
                                         urllib.parse.quote(ver, safe="+"))
            comps.append((purl, path, ver))
    n = write_cdx(out, "local-go", comps)
    warn("local-go: %d modules from %d Go binaries" % (n, binaries))
    return 0


# ---------------------------------------------------------------- OSV records

def osv_files(paths):
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, _, names in sorted(os.walk(p)):
                files += [os.path.join(root, n) for n in sorted(names)
                          if n.endswith((".json", ".jsonl", ".jsonl.gz", ".json.gz"))]
        else:
            files.append(p)
    return files


ID_RE = re.compile(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"')


def read_osv(paths, ecosystems):
    """Records in reading order; files *.json, *.jsonl, *.gz and directories of them.

    JSON lines that name none of `ecosystems` cannot produce a finding: they are not decoded,
    only their id is noted (a later decode happens when the id collides with a decoded record,
    so that "newest modified wins" stays exact). Yields (seq, record-or-None, id)."""
    eco_re = re.compile(r'"ecosystem"\s*:\s*"(?:%s)[:"]' % "|".join(re.escape(e) for e in ecosystems)) \
        if ecosystems else None
    seq = 0
    for f in osv_files(paths):
        opener = gzip.open if f.endswith(".gz") else open
        with opener(f, "rt", encoding="utf-8") as fh:
            text = fh.read()
        s = text.lstrip()
        if s.startswith("["):
            docs = [(None, r) for r in json.loads(s)]
        elif f.endswith((".jsonl", ".jsonl.gz")):
            docs = [(line, None) for line in text.splitlines() if line.strip()]
        else:
            docs = [(None, json.loads(s))]
        for line, rec in docs:
            seq += 1
            if rec is None:
                if eco_re is None or eco_re.search(line):
                    rec = json.loads(line)
                else:
                    m = ID_RE.search(line)
                    yield seq, None, (m.group(1) if m else None), line
                    continue
            yield seq, rec, rec.get("id"), None


class Oracle:
    """Batches comparisons per scheme; one vercmp process per scheme per batch."""

    def __init__(self):
        self.want = {}
        self.res = {}

    def need(self, scheme, a, b):
        if (a, b) not in self.res.get(scheme, {}):
            self.want.setdefault(scheme, set()).add((a, b))

    def run(self):
        for scheme, pairs in self.want.items():
            pairs = sorted(pairs)
            inp = "".join("%s\t%s\n" % p for p in pairs)
            out = subprocess.run([VERCMP, scheme], input=inp, capture_output=True, text=True)
            lines = out.stdout.split("\n")
            if out.returncode != 0 or len(lines) < len(pairs):
                sys.exit("vercmp %s failed (%d): %s" % (scheme, out.returncode, out.stderr[:500]))
            d = self.res.setdefault(scheme, {})
            for p, l in zip(pairs, lines):
                d[p] = int(l) if l in ("-1", "0", "1") else None
        self.want = {}

    def cmp(self, scheme, a, b):
        return self.res[scheme][(a, b)]


def affected_entries(rec):
    """(affected entry, ecosystem without suffix, package name, suffix or "")."""
    for aff in rec.get("affected") or []:
        pkg = aff.get("package")
        if isinstance(pkg, dict) and pkg.get("ecosystem") and pkg.get("name"):
            base, _, suffix = pkg["ecosystem"].partition(":")
            yield aff, base, pkg["name"], suffix


def components_of(sboms):
    """(purl as written, (ecosystem, OSV name), version, scope) of every component with a purl;
    scope: component_scope (release or repository, None when the purl does not say)."""
    comps = []
    for s in sboms:
        for purl, _, ver in sbom_components(s):
            p = parse_purl(purl) if purl else None
            if not p:
                continue
            key = osv_name_of_purl(p[0], p[1], p[2], p[4])
            v = p[3] or ver
            if key and v:
                # purl-spec rpm: the epoch is a qualifier; OSV writes "E:V-R"
                if p[0] == "rpm" and p[4].get("epoch") and ":" not in v:
                    v = p[4]["epoch"] + ":" + v
                comps.append((purl, key, v, component_scope(key[0], p[0], p[1], p[4])))
    return sorted(set(comps), key=lambda c: (c[0], c[1], c[2], c[3] or ""))


def cmd_expect(osv_paths, sboms, excluded_out=None):
    # 1. records: one per id, the newest "modified" (first read on a tie), withdrawn left out
    comps = components_of(sboms)
    ecos = sorted({key[0] for _, key, _, _ in comps})
    decoded, skipped = [], {}
    nrec = 0
    for seq, rec, rid, line in read_osv(osv_paths, ecos):
        nrec += 1
        if rec is not None:
            decoded.append((seq, rec))
        else:
            skipped.setdefault(rid, []).append((seq, line))
    collide = {rec.get("id") for _, rec in decoded} & set(skipped)
    for rid in collide:
        decoded += [(seq, json.loads(line)) for seq, line in skipped[rid]]
    decoded.sort(key=lambda x: x[0])
    recs = {}
    for _, r in decoded:
        old = recs.get(r["id"])
        if old is None or r.get("modified", "") > old.get("modified", ""):
            recs[r["id"]] = r
    withdrawn = sum(1 for r in recs.values() if r.get("withdrawn"))
    # index: (ecosystem, normalised package name) -> [(record id, affected entry)]
    index = {}
    for rid, r in recs.items():
        if r.get("withdrawn"):
            continue
        for aff, eco, name, suffix in affected_entries(r):
            index.setdefault((eco, osv_package_name(eco, name)), []).append((rid, aff, suffix))

    # 3. what to compare: (component, record, entry, evaluable ranges)
    stats = {"no_oracle": {}, "git_only": 0, "unevaluable_ranges": 0, "unevaluable_versions": 0,
             "out_of_scope": 0, "no_scope": {}}
    work = []
    excluded = set()  # (purl, id) pairs decided in part by a range no oracle can order
    oracle = Oracle()
    for purl, key, v, scope in comps:
        for rid, aff, suffix in index.get(key, []):
            eco = key[0]
            sc = in_scope(eco, suffix, scope)
            if sc is False:  # another release or repository, or a purl without a release
                stats["out_of_scope"] += 1
                continue
            if sc is None:  # a product stream (Red Hat CPE, Ubuntu Pro) no purl can state
                k = "%s:%s" % (eco, suffix)
                stats["no_scope"][k] = stats["no_scope"].get(k, 0) + 1
                excluded.add((purl, rid))
                continue
            ranges = []
            for rg in aff.get("ranges") or []:
                t = rg.get("type")
                if t == "GIT":
                    stats["git_only"] += 1
                    continue
                sch = oracle_scheme(eco, t)
                if sch is None:
                    stats["no_oracle"][(eco, t)] = stats["no_oracle"].get((eco, t), 0) + 1
                    excluded.add((purl, rid))
                    continue
                evs = []
                for e in rg.get("events") or []:
                    for k in ("introduced", "fixed", "last_affected", "limit"):
                        if k in e:
                            evs.append((k, e[k]))
                            break
                ranges.append((sch, evs))
                cv = spell(sch, v, False)
                for k, ev in evs:
                    if k == "introduced" and ev == "0":
                        continue
                    if k == "limit" and "*" in ev:
                        continue
                    oracle.need(sch, cv, spell(sch, ev, True))
                    for k2, ev2 in evs:
                        if not (k2 == "introduced" and ev2 == "0") and not (k2 == "limit" and "*" in ev2):
                            oracle.need(sch, spell(sch, ev, True), spell(sch, ev2, True))
            vsch = oracle_scheme(eco, "versions")
            versions = aff.get("versions") or []
            if versions and vsch is None:
                stats["no_oracle"][(eco, "versions")] = stats["no_oracle"].get((eco, "versions"), 0) + 1
                excluded.add((purl, rid))
                versions = []
            for lv in versions:
                oracle.need(vsch, spell(vsch, v, False), spell(vsch, lv, True))
            work.append((purl, v, rid, eco, ranges, vsch, versions))
    oracle.run()

    # 4. evaluate (schema "Evaluation": IncludedInVersions || IncludedInRanges)
    pairs = set()
    for purl, v, rid, eco, ranges, vsch, versions in work:
        hit = False
        for lv in versions:
            c = oracle.cmp(vsch, spell(vsch, v, False), spell(vsch, lv, True))
            if c is None:
                stats["unevaluable_versions"] += 1
            elif c == 0:
                hit = True
        for sch, evs in ranges:
            if hit:
                break
            r = included_in_range(oracle, sch, spell(sch, v, False), evs)
            if r is None:
                stats["unevaluable_ranges"] += 1
            elif r:
                hit = True
        if hit:
            pairs.add((purl, rid))
    pairs -= excluded
    for p in sorted(pairs):
        print("%s\t%s" % p)
    if excluded_out:
        with open(excluded_out, "w") as f:
            for p in sorted(excluded):
                f.write("%s\t%s\n" % p)
    warn("osv_semantics: %d records read, %d decoded (ecosystems %s), %d withdrawn left out; "
         "%d components with an OSV ecosystem; %d (component, affected) candidates; %d findings"
         % (nrec, len(decoded), ",".join(ecos), withdrawn, len(comps), len(work), len(pairs)))
    warn("osv_semantics: %d (component, record) pairs left out of the comparison: a range or "
         "version list of theirs has no oracle comparator" % len(excluded))
    warn("osv_semantics: candidates out of scope of an ecosystem suffix (another release or "
         "repository, or no distro qualifier): %d" % stats["out_of_scope"])
    for k, n in sorted(stats["no_scope"].items()):
        warn("osv_semantics: suffix %s names a product stream no purl states: %d candidates "
             "left out" % (k, n))
    warn("osv_semantics: GIT ranges skipped (versions lists used instead): %d; ranges the oracle "
         "cannot order (left out): %d; listed versions the oracle cannot compare: %d"
         % (stats["git_only"], stats["unevaluable_ranges"], stats["unevaluable_versions"]))
    for (eco, t), n in sorted(stats["no_oracle"].items()):
        warn("osv_semantics: no oracle comparator for %s %s: %d candidate ranges left out" % (eco, t, n))
    return 0


def included_in_range(oracle, sch, v, evs):
    """True/False per the schema's IncludedInRanges for one range; None when unorderable."""
    zero = lambda k, x: k == "introduced" and x == "0"
    inf = lambda k, x: k == "limit" and "*" in x
    # BeforeLimits: no limit events = implicit "*"
    limits = [(k, x) for k, x in evs if k == "limit"]
    if limits:
        before = False
        for k, x in limits:
            if inf(k, x):
                before = True
                continue
            c = oracle.cmp(sch, v, spell(sch, x, True))
            if c is None:
                return None
            if c < 0:
                before = True
        if not before:
            return False
    # sorted(range.events): "0" first, then the scheme's order; stable for equal versions
    order = [e for e in evs if not inf(*e)]
    try:
        import functools

        def key_cmp(a, b):
            if zero(*a) or zero(*b):
                return int(zero(*b)) - int(zero(*a))
            c = oracle.cmp(sch, spell(sch, a[1], True), spell(sch, b[1], True))
            if c is None:
                raise ValueError
            return c
        order = sorted(order, key=functools.cmp_to_key(key_cmp))
    except ValueError:
        return None
    vulnerable = False
    for k, x in order:
        if k == "limit":
            continue
        if zero(k, x):
            vulnerable = True
            continue
        c = oracle.cmp(sch, v, spell(sch, x, True))
        if c is None:
            return None
        if k == "introduced" and c >= 0:
            vulnerable = True
        elif k == "fixed" and c >= 0:
            vulnerable = False
        elif k == "last_affected" and c > 0:
            vulnerable = False
    return vulnerable


PROBE_ECOSYSTEMS = ("Go", "PyPI", "crates.io", "Bitnami", "npm", "Maven", "RubyGems", "NuGet",
                    "Packagist", "Hackage")


def purl_for(eco, name, version):
    q = lambda x: urllib.parse.quote(x, safe="")
    if eco == "Go":
        return "pkg:golang/%s@%s" % ("/".join(q(p) for p in name.split("/")), q(spell("golang", version, True)))
    if eco == "PyPI":
        return "pkg:pypi/%s@%s" % (q(pep503(name)), q(version))
    if eco == "Maven" and ":" in name:
        g, a = name.split(":", 1)
        return "pkg:maven/%s/%s@%s" % (q(g), q(a), q(version))
    if eco == "npm":
        if name.startswith("@") and "/" in name:
            sc, n = name.split("/", 1)
            return "pkg:npm/%s/%s@%s" % (q(sc), q(n), q(version))
        return "pkg:npm/%s@%s" % (q(name), q(version))
    if eco == "Packagist" and "/" in name:
        v, n = name.split("/", 1)
        return "pkg:composer/%s/%s@%s" % (q(v), q(n), q(version))
    t = {"crates.io": "cargo", "Bitnami": "bitnami", "RubyGems": "gem", "NuGet": "nuget",
         "Hackage": "hackage"}.get(eco)
    return "pkg:%s/%s@%s" % (t, q(name), q(version)) if t else None


DISTRO_PROBES = {"AlmaLinux": ("rpm", "almalinux", "x86_64"), "Alpine": ("apk", "alpine", "x86_64"),
                 "Debian": ("deb", "debian", "amd64"), "Ubuntu": ("deb", "ubuntu", "amd64")}


def probe_release(eco, suffix):
    """The release a suffix names, as a purl `distro` qualifier writes it, or None."""
    parts = [x for x in suffix.split(":") if x and x != "LTS"]
    if len(parts) != 1 or "Pro" in parts:
        return None
    r = parts[0]
    if eco == "Alpine" and r.startswith("v"):
        r = r[1:]
    return r


def distro_purl(eco, name, version, release):
    ptype, ns, arch = DISTRO_PROBES[eco]
    q = lambda x: urllib.parse.quote(x, safe="")
    quals = ["arch=" + arch]
    if release is not None:
        quals.append("distro=%s-%s" % (ns, q(release)))
    if ptype == "rpm" and re.match(r"^[0-9]+:", version):
        epoch, version = version.split(":", 1)
        quals.append("epoch=" + epoch)
    return "pkg:%s/%s/%s@%s?%s" % (ptype, ns, q(name), q(version), "&".join(quals))


def distro_probes(entries, sample, per_package):
    """Suffix probes for release-scoped distro entries: at an event version of the entry, one
    component in the entry's release (every other one spelled as a point release, "9.1"),
    one in the next release of that ecosystem the data names, one without a `distro`
    qualifier. sample K / per_package N as for the other probes."""
    releases, per = {}, {}
    for eco, suffix, name, vs in entries:
        rel = probe_release(eco, suffix)
        if rel is None:
            continue
        releases.setdefault(eco, set()).add(rel)
        if sample > 1 and zlib.crc32(("%s/%s" % (eco, name)).encode()) % sample:
            continue
        per.setdefault((eco, rel, name), set()).update(
            v for v in vs if v != "0" and "*" not in v and v.strip())
    comps = set()
    for (eco, rel, name) in sorted(per):
        vs = sorted(per[(eco, rel, name)])
        if per_package and len(vs) > per_package:
            step = (len(vs) - 1) / (per_package - 1) if per_package > 1 else 0
            vs = sorted({vs[round(i * step)] for i in range(per_package)})
        rels = sorted(releases[eco])
        other = rels[(rels.index(rel) + 1) % len(rels)] if len(rels) > 1 else None
        for v in vs:
            point = rel + ".1" if re.match(r"^[0-9.]+$", rel) and zlib.crc32(v.encode()) % 2 else rel
            for r in (point, other, None):
                comps.add((distro_purl(eco, name, v, r), name, v))
    return comps


def cmd_probe(out, osv_paths, sample=1, per_package=0, distro_sample=1):
    """Boundary probes: a component at every event version (and the first and last listed
    version) of every package the records name, for the ecosystems in PROBE_ECOSYSTEMS.
    sample K keeps the packages whose CRC-32 of "ecosystem/name" is 0 modulo K; per_package N
    keeps N of a package's introduced/fixed/listed versions (evenly spread over their sorted
    spellings). Every last_affected and limit version is kept. Release-scoped entries of
    AlmaLinux, Alpine, Debian and Ubuntu get suffix probes (distro_probes, 1 package in
    distro_sample)."""
    comps = set()
    per = {}
    dentries = []
    for _, rec, _, _ in read_osv(osv_paths, PROBE_ECOSYSTEMS + tuple(DISTRO_PROBES)):
        if rec is None:
            continue
        for aff, eco, name, suffix in affected_entries(rec):
            if eco in DISTRO_PROBES:
                dentries.append((eco, suffix, name, [
                    x for rg in aff.get("ranges") or [] if rg.get("type") != "GIT"
                    for e in rg.get("events") or [] for k, x in e.items()
                    if k in ("introduced", "fixed", "last_affected")]))
                continue
            if eco not in PROBE_ECOSYSTEMS:
                continue
            vs, rare = [], []
            for rg in aff.get("ranges") or []:
                if rg.get("type") != "GIT":
                    for e in rg.get("events") or []:
                        vs += [x for k, x in e.items() if k in ("introduced", "fixed")]
                        rare += [x for k, x in e.items() if k in ("last_affected", "limit")]
            lst = aff.get("versions") or []
            vs += lst[:1] + lst[-1:]
            # last_affected and limit events are rare: every one is probed, in any subset
            for v in rare:
                purl = purl_for(eco, name, v) if v != "0" and "*" not in v and v.strip() else None
                if purl:
                    comps.add((purl, name, v))
            if sample > 1 and zlib.crc32(("%s/%s" % (eco, name)).encode()) % sample:
                continue
            for v in vs:
                if v == "0" or "*" in v or not v.strip():
                    continue
                purl = purl_for(eco, name, v)
                if purl:
                    per.setdefault((eco, name), set()).add((purl, name, v))
    dcomps = distro_probes(dentries, distro_sample, per_package)
    comps.update(dcomps)
    for key in sorted(per):
        vs = sorted(per[key])
        if per_package and len(vs) > per_package:
            step = (len(vs) - 1) / (per_package - 1) if per_package > 1 else 0
            vs = sorted({vs[round(i * step)] for i in range(per_package)})
        comps.update(vs)
    n = write_cdx(out, "osv-boundary-probes", sorted(comps))
    warn("probe: %d components at the event versions of the records (%d of them suffix probes "
         "of release-scoped distro entries)" % (n, len(dcomps)))


# ---------------------------------------------------------------- synthetic suffix probes
# The real data has no OSV entry without a distro suffix, none with a Maven or Packagist
# repository URL, and Red Hat streams only for RHEL 8.6: one record per suffix form, and
# components of the same packages placed in each release / repository (and nowhere), at a
# version inside and one outside the ranges. Both sides read the same two files.
SYNTH_ENTRIES = [  # (ecosystem with suffix, package name, fixed)
    ("Debian", "ct-synth-src", "2.0-1"), ("Debian:12", "ct-synth-src", "2.0-1"),
    ("Debian:bookworm", "ct-synth-src", "1.5-1"), ("Ubuntu", "ct-synth-src", "2.0-1"),
    ("Ubuntu:22.04:LTS", "ct-synth-src", "2.0-1"), ("AlmaLinux", "ct-synth-rpm", "2.0-1"),
    ("AlmaLinux:9", "ct-synth-rpm", "2.0-1"), ("Red Hat", "ct-synth-rpm", "2.0-1"),
    ("Red Hat:rhel_aus:8.6::appstream", "ct-synth-rpm", "2.0-1.el8"),
    ("Red Hat:cpe:/a:redhat:enterprise_linux:9::appstream", "ct-synth-rpm", "2.0-1.el9"),
    ("Red Hat:openshift:4.12::el8", "ct-synth-rpm", "2.0-1"),
    ("Maven", "org.ct.synth:lib", "2.0"),
    ("Maven:https://repo.maven.apache.org/maven2/", "org.ct.synth:lib", "2.0"),
    ("Maven:https://maven.google.com", "org.ct.synth:lib", "2.0"),
    ("Maven:https://maven.example.org/releases/", "org.ct.synth:lib", "2.0"),
    ("Packagist", "ct-synth/pkg", "2.0.0"),
    ("Packagist:https://repo.example.com", "ct-synth/pkg", "2.0.0"),
]
SYNTH_PURLS = [  # purl without the version ("%s"), versions
    ("pkg:deb/debian/libct-synth1@%s?arch=amd64&distro=debian-12&upstream=ct-synth-src",
     ("1.0-1", "1.7-1", "3.0-1")),
    ("pkg:deb/debian/libct-synth1@%s?arch=amd64&distro=debian-12.4&upstream=ct-synth-src",
     ("1.0-1",)),
    ("pkg:deb/debian/libct-synth1@%s?arch=amd64&distro=bullseye&upstream=ct-synth-src",
     ("1.0-1", "3.0-1")),
    ("pkg:deb/debian/ct-synth-src@%s?arch=amd64", ("1.0-1", "3.0-1")),
    ("pkg:deb/ubuntu/libct-synth1@%s?arch=amd64&distro=ubuntu-22.04&upstream=ct-synth-src",
     ("1.0-1",)),
    ("pkg:deb/ubuntu/libct-synth1@%s?arch=amd64&distro=jammy&upstream=ct-synth-src",
     ("3.0-1",)),
    ("pkg:deb/ubuntu/libct-synth1@%s?arch=amd64&distro=ubuntu-24.04&upstream=ct-synth-src",
     ("1.0-1",)),
    ("pkg:rpm/almalinux/ct-synth-rpm@%s?arch=x86_64&distro=almalinux-9.3", ("1.0-1", "3.0-1")),
    ("pkg:rpm/almalinux/ct-synth-rpm@%s?arch=x86_64&distro=almalinux-8", ("1.0-1",)),
    ("pkg:rpm/almalinux/ct-synth-rpm@%s?arch=x86_64", ("1.0-1",)),
    ("pkg:rpm/redhat/ct-synth-rpm@%s?arch=x86_64&distro=rhel-8.6", ("1.0-1.el8", "3.0-1.el8")),
    ("pkg:rpm/redhat/ct-synth-rpm@%s?arch=x86_64&distro=rhel-9", ("1.0-1.el9",)),
    ("pkg:rpm/redhat/ct-synth-rpm@%s?arch=x86_64&distro=rhel-7", ("1.0-1.el7",)),
    ("pkg:rpm/redhat/ct-synth-rpm@%s?arch=x86_64", ("1.0-1.el8", "3.0-1.el8")),
    ("pkg:maven/org.ct.synth/lib@%s", ("1.0", "3.0")),
    ("pkg:maven/org.ct.synth/lib@%s?repository_url=https://repo.maven.apache.org/maven2", ("1.0",)),
    ("pkg:maven/org.ct.synth/lib@%s?repository_url=https://maven.google.com/", ("1.0", "3.0")),
    ("pkg:maven/org.ct.synth/lib@%s?repository_url=https://maven.example.org/releases", ("1.0",)),
    ("pkg:maven/org.ct.synth/lib@%s?repository_url=https://jitpack.io", ("1.0",)),
    ("pkg:composer/ct-synth/pkg@%s", ("1.0.0", "3.0.0")),
    ("pkg:composer/ct-synth/pkg@%s?repository_url=https://repo.example.com/", ("1.0.0",)),
    ("pkg:composer/ct-synth/pkg@%s?repository_url=https://other.example.com", ("1.0.0",)),
]


def cmd_suffix_synth(osv_out, sbom_out):
    with open(osv_out, "w") as f:
        for i, (eco, name, fixed) in enumerate(SYNTH_ENTRIES):
            f.write(json.dumps({
                "id": "CT-SYNTH-%02d" % i, "modified": "2026-01-01T00:00:00Z",
                "summary": "synthetic suffix probe: %s" % eco,
                "affected": [{"package": {"ecosystem": eco, "name": name},
                              "ranges": [{"type": "ECOSYSTEM", "events": [
                                  {"introduced": "0"}, {"fixed": fixed}]}]}]}) + "\n")
    comps = sorted({(p % urllib.parse.quote(v, safe=""), p.split("@")[0].split("/")[-1], v)
                    for p, vs in SYNTH_PURLS for v in vs})
    n = write_cdx(sbom_out, "osv-suffix-synth", comps)
    warn("suffix-synth: %d records, %d components" % (len(SYNTH_ENTRIES), n))


def main(argv):
    if len(argv) >= 2 and argv[1] == "expect":
        osv, sboms, excl, cur = [], [], [], None
        for a in argv[2:]:
            if a in ("--osv", "--sbom", "--excluded"):
                cur = {"--osv": osv, "--sbom": sboms, "--excluded": excl}[a]
            elif cur is None:
                sys.exit("usage: expect --osv PATH... --sbom FILE...")
            else:
                cur.append(a)
        return cmd_expect(osv, sboms, excl[0] if excl else None)
    if len(argv) == 4 and argv[1] == "rewrite":
        n = write_cdx(argv[3], os.path.basename(argv[2]), sbom_components(argv[2]))
        warn("rewrite: %d components with a purl" % n)
        return 0
    if len(argv) >= 4 and argv[1] == "probe":
        args, opt = argv[3:], {"--sample": 1, "--per-package": 0, "--distro-sample": 1}
        while args and args[0] in opt:
            opt[args[0]] = int(args[1])
            args = args[2:]
        cmd_probe(argv[2], args, opt["--sample"], opt["--per-package"], opt["--distro-sample"])
        return 0
    if len(argv) == 4 and argv[1] == "suffix-synth":
        cmd_suffix_synth(argv[2], argv[3])
        return 0
    if len(argv) == 3 and argv[1] == "local-python":
        cmd_local_python(argv[2])
        return 0
    if len(argv) >= 4 and argv[1] == "local-go":
        return cmd_local_go(argv[2], argv[3:])
    if len(argv) == 3 and argv[1] == "components":
        for c in sbom_components(argv[2]):
            print("\t".join(x or "" for x in c))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
