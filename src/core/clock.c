/* clock.c: not yet written */
