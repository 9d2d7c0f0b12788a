/* store.c: not yet written */
