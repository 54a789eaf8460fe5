// The leaderboard database's schema history. Each migration moves the database one version up
// inside the caller's write transaction; PRAGMA user_version holds the version reached and
// schema_migrations records when each step ran.
#pragma once

#ifdef IMAXBENCH_HAVE_SQLITE

#include "results/sqlite_db.h"

namespace imaxbench {

// Migrates `db` to `target` (at most kStoreSchemaVersion) in one write transaction; returns the
// version found first. A concurrent process that migrated first leaves nothing to do.
int migrate_schema(SqliteDb& db, int target);

}  // namespace imaxbench

#endif  // IMAXBENCH_HAVE_SQLITE
