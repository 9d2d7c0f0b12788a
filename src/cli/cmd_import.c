/* cmd_import.c: not yet written */
