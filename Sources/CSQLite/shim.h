/* SQLite: the quarantine records. */
#include <sqlite3.h>
