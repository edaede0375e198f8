/* API tokens of `cratrace serve`: random tokens printed once, stored as BLAKE2b-256 hashes
 * (hex), looked up by hash and compared in constant time; revocation and listing. */
#include "store_int.h"

#include <sodium.h>
#include <string.h>

static const char *const roles[] = { "admin", "analyst", "support", "auditor", "ci" };

bool ct_store_token_role_valid(const char *role)
{
    for (size_t i = 0; role && i < CT_NELEM(roles); i++)
        if (strcmp(role, roles[i]) == 0)
            return true;
    return false;
}

static bool name_valid(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!ct_ascii_isalnum(name[i]) && name[i] != '.' && name[i] != '_' && name[i] != '-')
            return false;
    return true;
}

int ct_store_token_hash(uint8_t out[CT_STORE_TOKEN_HASH_BYTES], const char *token, size_t len)
{
    if (!out || (!token && len))
        return ct_error_set(CT_EINVAL, "ct_store_token_hash: invalid argument");
    if (crypto_generichash(out, CT_STORE_TOKEN_HASH_BYTES, (const unsigned char *)token, len,
                           NULL, 0) != 0)
        return ct_error_set(CT_EFAIL, "hashing a token failed");
    return 0;
}

static void hash_hex(char hex[2 * CT_STORE_TOKEN_HASH_BYTES + 1],
                     const uint8_t hash[CT_STORE_TOKEN_HASH_BYTES])
{
    sodium_bin2hex(hex, 2 * CT_STORE_TOKEN_HASH_BYTES + 1, hash, CT_STORE_TOKEN_HASH_BYTES);
}

int ct_store_token_create(char token_out[CT_STORE_TOKEN_SIZE], ct_store *st, const char *name,
                          const char *role)
{
    uint8_t raw[32], hash[CT_STORE_TOKEN_HASH_BYTES];
    char token[CT_STORE_TOKEN_SIZE], hex[2 * CT_STORE_TOKEN_HASH_BYTES + 1];
    ct_stmt *q;
    int rc;

    if (!token_out || !st)
        return ct_error_set(CT_EINVAL, "ct_store_token_create: invalid argument");
    if (!name_valid(name))
        return ct_error_set(CT_EINVAL, "token name '%s': expected 1-64 characters of A-Z a-z 0-9 "
                                       ". _ -", name ? name : "");
    if (!ct_store_token_role_valid(role))
        return ct_error_set(CT_EINVAL, "unknown role '%s' (expected one of %s)", role ? role : "",
                            CT_STORE_TOKEN_ROLES);
    if (sodium_init() < 0)
        return ct_error_set(CT_EFAIL, "sodium_init failed");
    randombytes_buf(raw, sizeof raw);
    memcpy(token, "ct_", 3);
    sodium_bin2base64(token + 3, sizeof token - 3, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    if ((rc = ct_store_token_hash(hash, token, strlen(token))) < 0)
        goto done;
    hash_hex(hex, hash);
    if ((rc = ct_store__prepare(&q, st, CT_Q_TOKEN_INSERT)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, name)) < 0 || (rc = ct_stmt_bind_text(q, 2, role)) < 0 ||
        (rc = ct_stmt_bind_text(q, 3, hex)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 4, ct_ctx_now(st->ctx))) < 0 || (rc = ct_stmt_step(q)) < 0)
        goto done;
    st->drv->reset(q);
    if (rc == 0) {
        rc = ct_error_set(CT_EEXISTS, "a token named '%s' exists (names are never reused)", name);
        goto done;
    }
    memcpy(token_out, token, sizeof token);
    rc = 0;
done:
    sodium_memzero(token, sizeof token);
    return rc;
}

int ct_store_token_revoke(ct_store *st, const char *name)
{
    ct_stmt *q;
    int rc;

    if (!st || !name)
        return ct_error_set(CT_EINVAL, "ct_store_token_revoke: invalid argument");
    if ((rc = ct_store__prepare(&q, st, CT_Q_TOKEN_REVOKE)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, name)) < 0 ||
        (rc = ct_stmt_bind_int64(q, 2, ct_ctx_now(st->ctx))) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    st->drv->reset(q);
    if (rc == 1)
        return 0;
    if ((rc = ct_store__prepare(&q, st, CT_Q_TOKEN_BY_NAME)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, name)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    st->drv->reset(q);
    return rc == 1 ? ct_error_set(CT_EINVAL, "token '%s' is already revoked", name)
                   : ct_error_set(CT_ENOTFOUND, "no token named '%s'", name);
}

static int token_row(ct_buf *out, ct_stmt *q, void *payload)
{
    (void)payload;
    ct_buf_puts(out, "{\"name\":");
    ct_buf_json_str(out, ct_stmt_text(q, 0));
    ct_buf_puts(out, ",\"role\":");
    ct_buf_json_str(out, ct_stmt_text(q, 1));
    ct_buf_puts(out, ",\"created\":");
    ct_store__json_col_time(out, q, 2);
    ct_buf_puts(out, ",\"revoked\":");
    ct_store__json_col_time(out, q, 3);
    ct_buf_putc(out, '}');
    return 0;
}

int ct_store_tokens_json(ct_buf *out, ct_store *st)
{
    ct_stmt *q;
    int rc;

    if (!out || !st)
        return ct_error_set(CT_EINVAL, "ct_store_tokens_json: invalid argument");
    if ((rc = ct_store__prepare(&q, st, CT_Q_TOKEN_LIST)) < 0 ||
        (rc = ct_store__json_rows(out, st, q, token_row, NULL)) < 0)
        return rc;
    return out->failed ? ct_error_set(CT_ENOMEM, "out of memory") : 0;
}

int ct_store_token_find(ct_token_info *out, ct_store *st,
                        const uint8_t hash[CT_STORE_TOKEN_HASH_BYTES])
{
    char hex[2 * CT_STORE_TOKEN_HASH_BYTES + 1];
    ct_stmt *q;
    int rc;

    if (!out || !st || !hash)
        return ct_error_set(CT_EINVAL, "ct_store_token_find: invalid argument");
    hash_hex(hex, hash);
    if ((rc = ct_store__prepare(&q, st, CT_Q_TOKEN_BY_HASH)) < 0 ||
        (rc = ct_stmt_bind_text(q, 1, hex)) < 0 || (rc = ct_stmt_step(q)) < 0)
        return rc;
    /* The index finds the row by equality; the hash it holds is compared again in constant
     * time, so no answer depends on how many leading bytes of a guess were right. */
    const char *stored = rc == 1 ? ct_stmt_text(q, 2) : NULL;
    const char *name = rc == 1 ? ct_stmt_text(q, 0) : NULL;
    const char *role = rc == 1 ? ct_stmt_text(q, 1) : NULL;
    bool ok = stored && name && role && strlen(stored) == sizeof hex - 1 &&
              sodium_memcmp(stored, hex, sizeof hex - 1) == 0 && strlen(name) < sizeof out->name &&
              strlen(role) < sizeof out->role;
    if (ok) {
        memcpy(out->name, name, strlen(name) + 1);
        memcpy(out->role, role, strlen(role) + 1);
    }
    st->drv->reset(q);
    return ok ? 0 : ct_error_set(CT_EAUTH, "unknown or revoked token");
}
