/* post_json.c: not yet written */
