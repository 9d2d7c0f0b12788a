/* cmd_search.c: not yet written */
