/* Bearer tokens per request: the Authorization header, a small cache of recently checked
 * token hashes (compared in constant time) and the store's api_token table behind it. */
#include "server_int.h"

#include <sodium.h>
#include <string.h>

#define MAX_TOKEN_BYTES 256

unsigned ct_server__role_bit(const char *role)
{
    static const struct {
        const char *name;
        unsigned bit;
    } bits[] = {
        { "admin", CT_ROLE_ADMIN },     { "analyst", CT_ROLE_ANALYST },
        { "support", CT_ROLE_SUPPORT }, { "auditor", CT_ROLE_AUDITOR },
        { "ci", CT_ROLE_CI },
    };
    for (size_t i = 0; role && i < CT_NELEM(bits); i++)
        if (strcmp(role, bits[i].name) == 0)
            return bits[i].bit;
    return 0;
}

int ct_server__token_cache_init(ct_token_cache *c, unsigned ttl_s)
{
    memset(c, 0, sizeof *c);
    c->ttl_s = ttl_s;
    if (pthread_mutex_init(&c->lock, NULL) != 0)
        return ct_error_set(CT_EFAIL, "pthread_mutex_init failed");
    return 0;
}

void ct_server__token_cache_dispose(ct_token_cache *c)
{
    pthread_mutex_destroy(&c->lock);
    sodium_memzero(c->slot, sizeof c->slot);
}

/* Every live slot is compared (no early exit), so the time taken does not tell where or
 * whether a hash sits in the cache. */
static bool cache_get(ct_token_info *who, ct_token_cache *c, const uint8_t *hash, double now)
{
    bool hit = false;
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < CT_TOKEN_CACHE_SLOTS; i++) {
        bool live = c->slot[i].expires > now;
        if (sodium_memcmp(c->slot[i].hash, hash, CT_STORE_TOKEN_HASH_BYTES) == 0 && live && !hit) {
            *who = c->slot[i].who;
            hit = true;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return hit;
}

static void cache_put(ct_token_cache *c, const uint8_t *hash, const ct_token_info *who,
                      double now)
{
    size_t victim = 0;
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < CT_TOKEN_CACHE_SLOTS; i++)
        if (c->slot[i].expires < c->slot[victim].expires)
            victim = i; /* the empty or the soonest to expire */
    memcpy(c->slot[victim].hash, hash, CT_STORE_TOKEN_HASH_BYTES);
    c->slot[victim].who = *who;
    c->slot[victim].expires = now + c->ttl_s;
    pthread_mutex_unlock(&c->lock);
}

/* RFC 9110 §11.1: the scheme name is case-insensitive. */
static bool bearer_scheme(const char *h)
{
    static const char want[] = "bearer ";
    for (size_t i = 0; i < sizeof want - 1; i++)
        if (!h[i] || ct_ascii_lower(h[i]) != want[i])
            return false;
    return true;
}

int ct_server__authenticate(ct_token_info *who, ct_token_cache *c, ct_store *st,
                            const char *authorization)
{
    uint8_t hash[CT_STORE_TOKEN_HASH_BYTES];
    const char *tok;
    size_t n;
    double now;
    int rc;

    if (!authorization)
        return ct_error_set(CT_EAUTH, "missing 'Authorization: Bearer TOKEN' header");
    if (!bearer_scheme(authorization))
        return ct_error_set(CT_EAUTH, "expected 'Authorization: Bearer TOKEN'");
    tok = authorization + 7;
    while (*tok == ' ')
        tok++;
    n = strlen(tok);
    while (n && tok[n - 1] == ' ')
        n--;
    if (n == 0 || n > MAX_TOKEN_BYTES)
        return ct_error_set(CT_EAUTH, "expected 'Authorization: Bearer TOKEN'");
    if ((rc = ct_store_token_hash(hash, tok, n)) < 0)
        return rc;
    now = ct_clock_mono();
    if (c->ttl_s && cache_get(who, c, hash, now))
        return 0;
    if ((rc = ct_store_token_find(who, st, hash)) < 0)
        return rc;
    if (c->ttl_s)
        cache_put(c, hash, who, now);
    return 0;
}
