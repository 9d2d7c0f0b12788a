/* cmd_launch.c - being written. */
#include <stdlib.h>
#include "cli.h"
int cmd_launch(struct cli_args *a) { cli_error(a, "not built"); return EXIT_USAGE; }
