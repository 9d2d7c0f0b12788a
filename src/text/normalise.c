/* normalise.c: not yet written */
