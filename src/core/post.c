/* post.c: not yet written */
