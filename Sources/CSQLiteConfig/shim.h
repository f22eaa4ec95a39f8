// sqlite3_db_config is a C variadic function, which Swift cannot call: typed wrappers do it.
// The header is the system's (libsqlite3-dev), the library the one GRDB links.
#include <sqlite3.h>

/// Whether closing the last connection leaves the write-ahead log as it is (1) or copies it
/// into the database file first (0, SQLite's default). SQLITE_OK, or an error code on a SQLite
/// older than 3.16, which then keeps its default.
static inline int brief_sqlite_no_checkpoint_on_close(sqlite3 *db, int on) {
#ifdef SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, on, (int *)0);
#else
    return SQLITE_ERROR;
#endif
}
