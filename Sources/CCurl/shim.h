// The libcurl calls the client uses. Swift cannot call C variadic functions such as
// curl_easy_setopt, so these typed wrappers do it.
#include <curl/curl.h>

static inline CURLcode briefsync_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode briefsync_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode briefsync_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*briefsync_write_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode briefsync_setopt_write(CURL *handle, briefsync_write_callback callback, void *context) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_WRITEDATA, context);
}

static inline long briefsync_response_code(CURL *handle) {
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

/// The Content-Length the server announced, or -1 if it announced none.
static inline long long briefsync_content_length(CURL *handle) {
    curl_off_t length = -1;
    if (curl_easy_getinfo(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) != CURLE_OK) return -1;
    return (long long)length;
}
