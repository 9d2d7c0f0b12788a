/* pipeline.c: not yet written */
