/* Unit tests for src/store/token.c (API tokens: creation, hashing, lookup, revocation,
 * listing) and src/server/auth.c (the Authorization header and the token cache).
 * CT_TEST_USES_STORE: runs on SQLite and PostgreSQL. */
#include "ct_store_fixture.h"

#include "server/server_int.h"

#include <stdio.h>
#include <string.h>

typedef ct_store_fixture fixture;

static void hash_of(uint8_t h[CT_STORE_TOKEN_HASH_BYTES], const char *tok)
{
    assert_int_equal(ct_store_token_hash(h, tok, strlen(tok)), 0);
}

static void hex(char out[65], const uint8_t h[CT_STORE_TOKEN_HASH_BYTES])
{
    for (size_t i = 0; i < CT_STORE_TOKEN_HASH_BYTES; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

/* BLAKE2b-256 vectors computed with Python's hashlib.blake2b(digest_size=32). */
static void test_token_hash__blake2b_256(void **state)
{
    uint8_t h[CT_STORE_TOKEN_HASH_BYTES];
    char x[65];
    (void)state;
    hash_of(h, "abc");
    hex(x, h);
    assert_string_equal(x, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    hash_of(h, "ct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    hex(x, h);
    assert_string_equal(x, "eb2986386fa2b5ab54d882123bf375300d74de722d2657686833d4bc77c232e2");
}

static void test_token_create__random_once_and_only_hash_stored(void **state)
{
    fixture *f = *state;
    char a[CT_STORE_TOKEN_SIZE], b[CT_STORE_TOKEN_SIZE];
    uint8_t h[CT_STORE_TOKEN_HASH_BYTES];
    ct_token_info who;
    ct_buf list = CT_BUF_INIT;

    assert_int_equal(ct_store_token_create(a, f->st, "ci-bot", "ci"), 0);
    assert_int_equal(ct_store_token_create(b, f->st, "alice", "analyst"), 0);
    assert_int_equal(strlen(a), 46);
    assert_memory_equal(a, "ct_", 3);
    for (size_t i = 3; i < 46; i++)
        assert_true(ct_ascii_isalnum(a[i]) || a[i] == '-' || a[i] == '_');
    assert_string_not_equal(a, b);

    hash_of(h, a);
    assert_int_equal(ct_store_token_find(&who, f->st, h), 0);
    assert_string_equal(who.name, "ci-bot");
    assert_string_equal(who.role, "ci");
    hash_of(h, b);
    assert_int_equal(ct_store_token_find(&who, f->st, h), 0);
    assert_string_equal(who.name, "alice");
    assert_string_equal(who.role, "analyst");

    /* a token one character off is unknown */
    a[10] = a[10] == 'A' ? 'B' : 'A';
    hash_of(h, a);
    assert_int_equal(ct_store_token_find(&who, f->st, h), CT_EAUTH);

    /* the listing has names and roles, never a token */
    assert_int_equal(ct_store_tokens_json(&list, f->st), 0);
    assert_string_equal(list.ptr,
                        "[{\"name\":\"alice\",\"role\":\"analyst\",\"created\":"
                        "\"2025-01-01T00:00:00Z\",\"revoked\":null},{\"name\":\"ci-bot\","
                        "\"role\":\"ci\",\"created\":\"2025-01-01T00:00:00Z\",\"revoked\":null}]");
    assert_null(strstr(list.ptr, b + 3));
    ct_buf_dispose(&list);
}

static void test_token_create__bad_input(void **state)
{
    fixture *f = *state;
    char tok[CT_STORE_TOKEN_SIZE];
    assert_int_equal(ct_store_token_create(tok, f->st, "ops", "root"), CT_EINVAL);
    assert_non_null(strstr(ct_error_last()->message, CT_STORE_TOKEN_ROLES));
    assert_int_equal(ct_store_token_create(tok, f->st, "", "admin"), CT_EINVAL);
    assert_int_equal(ct_store_token_create(tok, f->st, "a b", "admin"), CT_EINVAL);
    assert_int_equal(ct_store_token_create(tok, f->st, "x'; DROP TABLE api_token;--", "admin"),
                     CT_EINVAL);
    assert_int_equal(ct_store_token_create(tok, f->st, "ops", "admin"), 0);
    assert_int_equal(ct_store_token_create(tok, f->st, "ops", "ci"), CT_EEXISTS);
}

static void test_token_revoke__refused_afterwards_and_name_kept(void **state)
{
    fixture *f = *state;
    char tok[CT_STORE_TOKEN_SIZE];
    uint8_t h[CT_STORE_TOKEN_HASH_BYTES];
    ct_token_info who;
    ct_buf list = CT_BUF_INIT;

    assert_int_equal(ct_store_token_create(tok, f->st, "support-1", "support"), 0);
    hash_of(h, tok);
    assert_int_equal(ct_store_token_find(&who, f->st, h), 0);
    ct_ctx_set_now(f->ctx, ct_time_from_civil(2025, 2, 1, 12, 0, 0));
    assert_int_equal(ct_store_token_revoke(f->st, "support-1"), 0);
    assert_int_equal(ct_store_token_find(&who, f->st, h), CT_EAUTH);
    assert_int_equal(ct_store_token_revoke(f->st, "support-1"), CT_EINVAL);
    assert_int_equal(ct_store_token_revoke(f->st, "nobody"), CT_ENOTFOUND);
    assert_int_equal(ct_store_token_create(tok, f->st, "support-1", "support"), CT_EEXISTS);
    assert_int_equal(ct_store_tokens_json(&list, f->st), 0);
    assert_non_null(strstr(list.ptr, "\"revoked\":\"2025-02-01T12:00:00Z\""));
    ct_buf_dispose(&list);
}

static void test_authenticate__header_forms(void **state)
{
    fixture *f = *state;
    char tok[CT_STORE_TOKEN_SIZE], h[128];
    ct_token_cache c;
    ct_token_info who;

    assert_int_equal(ct_store_token_create(tok, f->st, "aud", "auditor"), 0);
    assert_int_equal(ct_server__token_cache_init(&c, 0), 0);
    snprintf(h, sizeof h, "Bearer %s", tok);
    assert_int_equal(ct_server__authenticate(&who, &c, f->st, h), 0);
    assert_string_equal(who.role, "auditor");
    snprintf(h, sizeof h, "bearer   %s ", tok); /* scheme in any case, spaces around */
    assert_int_equal(ct_server__authenticate(&who, &c, f->st, h), 0);
    assert_int_equal(ct_server__authenticate(&who, &c, f->st, NULL), CT_EAUTH);
    assert_non_null(strstr(ct_error_last()->message, "missing"));
    snprintf(h, sizeof h, "Basic %s", tok);
    assert_int_equal(ct_server__authenticate(&who, &c, f->st, h), CT_EAUTH);
    assert_int_equal(ct_server__authenticate(&who, &c, f->st, "Bearer "), CT_EAUTH);
    assert_int_equal(ct_server__authenticate(&who, &c, f->st, tok), CT_EAUTH); /* no scheme */
    assert_int_equal(ct_server__authenticate(&who, &c, f->st, "Bearer ct_unknown"), CT_EAUTH);
    ct_server__token_cache_dispose(&c);
}

/* With a TTL a checked token is trusted from the cache (a revocation shows after the TTL);
 * without one every request asks the store. */
static void test_authenticate__cache_and_revocation(void **state)
{
    fixture *f = *state;
    char tok[CT_STORE_TOKEN_SIZE], other[CT_STORE_TOKEN_SIZE], h[128], ho[128];
    ct_token_cache cached, uncached;
    ct_token_info who;

    assert_int_equal(ct_store_token_create(tok, f->st, "t1", "admin"), 0);
    assert_int_equal(ct_store_token_create(other, f->st, "t2", "ci"), 0);
    snprintf(h, sizeof h, "Bearer %s", tok);
    snprintf(ho, sizeof ho, "Bearer %s", other);
    assert_int_equal(ct_server__token_cache_init(&cached, 3600), 0);
    assert_int_equal(ct_server__token_cache_init(&uncached, 0), 0);
    assert_int_equal(ct_server__authenticate(&who, &cached, f->st, h), 0);
    assert_int_equal(ct_server__authenticate(&who, &cached, f->st, ho), 0);
    assert_string_equal(who.name, "t2");
    assert_int_equal(ct_server__authenticate(&who, &uncached, f->st, h), 0);
    assert_int_equal(ct_store_token_revoke(f->st, "t1"), 0);
    assert_int_equal(ct_server__authenticate(&who, &uncached, f->st, h), CT_EAUTH);
    assert_int_equal(ct_server__authenticate(&who, &cached, f->st, h), 0);
    assert_string_equal(who.name, "t1");
    assert_string_equal(who.role, "admin");
    /* the cache answers each token with its own identity */
    assert_int_equal(ct_server__authenticate(&who, &cached, f->st, ho), 0);
    assert_string_equal(who.name, "t2");
    ct_server__token_cache_dispose(&cached);
    ct_server__token_cache_dispose(&uncached);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_hash__blake2b_256),
        cmocka_unit_test_setup_teardown(test_token_create__random_once_and_only_hash_stored,
                                        ct_store_fixture_setup, ct_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_token_create__bad_input, ct_store_fixture_setup,
                                        ct_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_token_revoke__refused_afterwards_and_name_kept,
                                        ct_store_fixture_setup, ct_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_authenticate__header_forms, ct_store_fixture_setup,
                                        ct_store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_authenticate__cache_and_revocation,
                                        ct_store_fixture_setup, ct_store_fixture_teardown),
    };
    if (!ct_test_backend_available()) {
        printf("skipped: CT_TEST_PG_DSN not set\n");
        return CT_TEST_SKIP;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
