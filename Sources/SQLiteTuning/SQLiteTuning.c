#include "SQLiteTuning.h"

// SQLiteNIO's vendored SQLite, linked into the same binary; declared here rather than included, since its header is
// not exported to other packages.
extern int sqlite_nio_sqlite3_db_config(void *connection, int option, ...);

// SQLITE_DBCONFIG_ENABLE_QPSG in sqlite3.h.
#define STOCKROOM_SQLITE_DBCONFIG_ENABLE_QPSG 1007

int stockroom_sqlite_plan_once(void *connection) {
    int enabled = 0;
    return sqlite_nio_sqlite3_db_config(connection, STOCKROOM_SQLITE_DBCONFIG_ENABLE_QPSG, 1, &enabled);
}
