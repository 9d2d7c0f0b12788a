/* cmd_stats.c: not yet written */
