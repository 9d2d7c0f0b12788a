/* file.c: not yet written */
