/* tokenise.c: not yet written */
