// The libcurl calls the client uses, declared here rather than taken from <curl/curl.h>: the
// runtime library (libcurl.so.4) ships with every Swift toolchain's FoundationNetworking, the
// headers (libcurl4-openssl-dev) do not, and a fresh machine must build with `swift build`
// alone. The values are libcurl's stable ABI (unchanged since 7.x; checked against 7.88's
// header). Swift cannot call C variadic functions such as curl_easy_setopt, so typed wrappers
// do it.
#include <stddef.h>

typedef void CURL;
typedef long long curl_off_t;
struct curl_slist {
    char *data;
    struct curl_slist *next;
};

typedef enum { CURLE_OK = 0 } CURLcode;

typedef enum {
    CURLOPT_TIMEOUT = 13,
    CURLOPT_LOW_SPEED_LIMIT = 19,
    CURLOPT_LOW_SPEED_TIME = 20,
    CURLOPT_POSTFIELDSIZE = 60,
    CURLOPT_CONNECTTIMEOUT = 78,
    CURLOPT_NOSIGNAL = 99,
    CURLOPT_WRITEDATA = 10001,
    CURLOPT_URL = 10002,
    CURLOPT_POSTFIELDS = 10015,
    CURLOPT_HTTPHEADER = 10023,
    CURLOPT_CUSTOMREQUEST = 10036,
    CURLOPT_WRITEFUNCTION = 20011
} CURLoption;

typedef enum {
    CURLINFO_RESPONSE_CODE = 0x200000 + 2,
    CURLINFO_CONTENT_LENGTH_DOWNLOAD_T = 0x600000 + 15
} CURLINFO;

#define CURL_GLOBAL_DEFAULT 3

CURLcode curl_global_init(long flags);
CURL *curl_easy_init(void);
CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...);
CURLcode curl_easy_perform(CURL *curl);
CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...);
void curl_easy_cleanup(CURL *curl);
const char *curl_easy_strerror(CURLcode code);
struct curl_slist *curl_slist_append(struct curl_slist *list, const char *data);
void curl_slist_free_all(struct curl_slist *list);

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
