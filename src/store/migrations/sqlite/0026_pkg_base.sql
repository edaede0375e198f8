-- 0026_pkg_base: the release-less package key of a component whose key names a distribution
-- release ("deb/debian/openssl" of "deb/debian/openssl?distro=debian-12"), NULL otherwise.
-- Data without a release (an OSV "Debian" entry without suffix, a CSAF purl whose release is
-- unknown) applies to every release of its distribution: a new advisory's release-less range
-- finds the components of every release through this column (store/match_store.c,
-- docs/feeds.md "Distributions"). Computed from pkg_key, so it never disagrees with it.
ALTER TABLE component ADD COLUMN pkg_base TEXT GENERATED ALWAYS AS
    (CASE WHEN instr(pkg_key, '?distro=') > 0
          THEN substr(pkg_key, 1, instr(pkg_key, '?distro=') - 1) END) VIRTUAL;
CREATE INDEX component_pkg_base ON component(pkg_base) WHERE pkg_base IS NOT NULL;
