/* SQLite features the browser build leaves out (scripts/lib/env.sh passes this file to clang
 * with -include, so it runs after sqlite-wasm-rs's -D flags). The store needs plain tables, a
 * rollback journal and blobs; full-text search, R-trees, sessions, JSON functions and the
 * introspection tables only cost download size (docs/benchmarks.md, "wasm package size").
 * Cargo does not watch this file: after editing it, rebuild with `cargo clean -p sqlite-wasm-rs`
 * for the wasm target. */
#undef SQLITE_ENABLE_FTS5
#undef SQLITE_ENABLE_RTREE
#undef SQLITE_ENABLE_SESSION
#undef SQLITE_ENABLE_PREUPDATE_HOOK
#undef SQLITE_ENABLE_BYTECODE_VTAB
#undef SQLITE_ENABLE_DBPAGE_VTAB
#undef SQLITE_ENABLE_DBSTAT_VTAB
#undef SQLITE_ENABLE_STMTVTAB
#undef SQLITE_ENABLE_MATH_FUNCTIONS
#undef SQLITE_ENABLE_COLUMN_METADATA
#undef SQLITE_ENABLE_UNKNOWN_SQL_FUNCTION
#undef SQLITE_ENABLE_OFFSET_SQL_FUNC
#define SQLITE_OMIT_JSON 1
#define SQLITE_OMIT_AUTHORIZATION 1
#define SQLITE_OMIT_COMPLETE 1
#define SQLITE_OMIT_GET_TABLE 1
#define SQLITE_OMIT_PROGRESS_CALLBACK 1
#define SQLITE_OMIT_TCL_VARIABLE 1
#define SQLITE_OMIT_DESERIALIZE 1
#define SQLITE_DQS 0
