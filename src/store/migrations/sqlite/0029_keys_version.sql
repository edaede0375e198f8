-- 0029_keys_version: the package-key rules the stored keys (component.pkg_key,
-- affected_range.pkg_key) were written with; the code's rules are CT_STORE_KEYS_VERSION
-- (store/distro_verdict.c). 1 = the rules of 0026: release-less distro keys, Maven/Packagist
-- repository keys, Red Hat streams. A store that holds keyed rows when this migration runs may
-- hold keys of older rules and starts at 0: the first write that matches (SBOM or advisory
-- import, `match`, a VEX statement) re-keys every row and, when a key changed, rematches, in its
-- own transaction, and raises the value (store/match_store.c keys_ready). An empty store starts
-- at 1.
INSERT INTO store_state (name, value)
    SELECT 'keys_version',
           CASE WHEN EXISTS (SELECT 1 FROM component WHERE pkg_key IS NOT NULL)
                  OR EXISTS (SELECT 1 FROM affected_range) THEN 0 ELSE 1 END;
