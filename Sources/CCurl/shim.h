// The libcurl calls the client uses, declared here rather than taken from <curl/curl.h>: the
// runtime library (libcurl.so.4) ships with every Swift toolchain's FoundationNetworking, the
// headers (libcurl4-openssl-dev) do not, and a fresh machine must build with `swift build`
// alone. The values are libcurl's stable ABI (unchanged since 7.x; checked against 7.88's
// header). Swift cannot call C variadic functions such as curl_easy_setopt, so typed wrappers
// do it.
//
// libcurl is opened on first use (dlopen), not linked: it brings ~30 shared libraries (TLS,
// Kerberos, LDAP, …) that every `brief` command would otherwise load at start although only
// those that talk to a server need them (issue 12: `brief --help` paid ~30 % of its time in the
// dynamic linker). Missing, the calls fail as libcurl's own would (NULL handle, an error code).
#include <stddef.h>
#include <dlfcn.h>
#include <pthread.h>

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
#define BRIEFSYNC_CURLE_FAILED_INIT 2

struct briefsync_curl_api {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    int loaded;
};

// The loaded entry points, one set for the whole program. Kept as function-local statics of
// weak functions: Swift's importer emits the functions a module calls (and their statics), but
// not a header's global variables.
__attribute__((weak)) struct briefsync_curl_api *briefsync_curl_state(void) {
    static struct briefsync_curl_api api;
    return &api;
}

__attribute__((weak)) pthread_once_t *briefsync_curl_once(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    return &once;
}

__attribute__((weak)) void briefsync_curl_load(void) {
    struct briefsync_curl_api *api = briefsync_curl_state();
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return;
    api->global_init = (CURLcode(*)(long))dlsym(lib, "curl_global_init");
    api->easy_init = (CURL * (*)(void)) dlsym(lib, "curl_easy_init");
    api->easy_setopt = (CURLcode(*)(CURL *, CURLoption, ...))dlsym(lib, "curl_easy_setopt");
    api->easy_perform = (CURLcode(*)(CURL *))dlsym(lib, "curl_easy_perform");
    api->easy_getinfo = (CURLcode(*)(CURL *, CURLINFO, ...))dlsym(lib, "curl_easy_getinfo");
    api->easy_cleanup = (void (*)(CURL *))dlsym(lib, "curl_easy_cleanup");
    api->easy_reset = (void (*)(CURL *))dlsym(lib, "curl_easy_reset");
    api->easy_strerror = (const char *(*)(CURLcode))dlsym(lib, "curl_easy_strerror");
    api->slist_append = (struct curl_slist * (*)(struct curl_slist *, const char *)) dlsym(lib, "curl_slist_append");
    api->slist_free_all = (void (*)(struct curl_slist *))dlsym(lib, "curl_slist_free_all");
    api->loaded = api->global_init && api->easy_init && api->easy_setopt && api->easy_perform && api->easy_getinfo
        && api->easy_cleanup && api->easy_reset && api->easy_strerror && api->slist_append && api->slist_free_all;
}

static inline int briefsync_curl_ready(void) {
    pthread_once(briefsync_curl_once(), briefsync_curl_load);
    return briefsync_curl_state()->loaded;
}

static inline CURLcode curl_global_init(long flags) {
    return briefsync_curl_ready() ? briefsync_curl_state()->global_init(flags) : (CURLcode)BRIEFSYNC_CURLE_FAILED_INIT;
}
static inline CURL *curl_easy_init(void) { return briefsync_curl_ready() ? briefsync_curl_state()->easy_init() : NULL; }
static inline CURLcode curl_easy_perform(CURL *curl) { return briefsync_curl_state()->easy_perform(curl); }
static inline void curl_easy_cleanup(CURL *curl) { briefsync_curl_state()->easy_cleanup(curl); }
static inline void curl_easy_reset(CURL *curl) { briefsync_curl_state()->easy_reset(curl); }
static inline const char *curl_easy_strerror(CURLcode code) {
    return briefsync_curl_ready() ? briefsync_curl_state()->easy_strerror(code) : "libcurl.so.4 could not be loaded";
}
static inline struct curl_slist *curl_slist_append(struct curl_slist *list, const char *data) {
    return briefsync_curl_ready() ? briefsync_curl_state()->slist_append(list, data) : NULL;
}
static inline void curl_slist_free_all(struct curl_slist *list) {
    if (list && briefsync_curl_ready()) briefsync_curl_state()->slist_free_all(list);
}
#define curl_easy_setopt briefsync_curl_state()->easy_setopt
#define curl_easy_getinfo briefsync_curl_state()->easy_getinfo

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
