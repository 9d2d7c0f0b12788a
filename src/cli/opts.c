/* opts.c: not yet written */
