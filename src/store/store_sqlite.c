/* store_sqlite.c: not yet written */
