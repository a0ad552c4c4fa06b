#ifndef STOCKROOM_SQLITE_TUNING_H
#define STOCKROOM_SQLITE_TUNING_H

/// Turns on SQLite's query planner stability guarantee on `connection` (an `sqlite3 *` of the SQLite library that
/// SQLiteNIO vendors): a statement is planned once, when it is prepared, and not again each time a bound value it
/// looked at changes. Returns SQLite's result code. (`sqlite3_db_config` is variadic, which Swift cannot call.)
int stockroom_sqlite_plan_once(void *connection);

#endif
