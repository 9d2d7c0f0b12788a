/* eval_ratings.c - being written. */
#include <stdlib.h>
#include "cli.h"
int cli_eval_ratings(struct cli_args *a) { cli_error(a, "not built"); return EXIT_USAGE; }
