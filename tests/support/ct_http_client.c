/* Test HTTP client (ct_http_client.h). */
#include "ct_http_client.h"

#include <stdio.h>

static size_t collect(char *data, size_t size, size_t n, void *payload)
{
    return ct_buf_put(payload, data, size * n) == 0 ? size * n : 0;
}

long ct_test_http_get(CURL *c, const char *base, const char *path, const char *token, ct_buf *b)
{
    char url[512], auth[128];
    struct curl_slist *h = NULL;
    long status = 0;
    snprintf(url, sizeof url, "%s%s", base, path);
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        h = curl_slist_append(h, auth);
    }
    ct_buf_reset(b);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    return status;
}
