/* cmd_alert.c - being written. */
#include <stdlib.h>
#include "cli.h"
int cmd_alert(struct cli_args *a) { cli_error(a, "not built"); return EXIT_USAGE; }
