/* main.c - the horch binary: parse the command line, run the subcommand.
 *
 * Exit status: 0 ok, 1 runtime error, 2 usage error (see cli.h).  Errors go
 * to stderr as one line that says what and where. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int main(int argc, char **argv)
{
	struct cli_args args;
	int rc;

	/* `horch --man` writes the generated part of the man page (build use). */
	if (argc == 2 && strcmp(argv[1], "--man") == 0) {
		cli_print_man(stdout);
		return EXIT_OK;
	}
	rc = cli_parse(argc, argv, &args);
	if (rc || !args.cmd)
		return rc;
	rc = args.cmd->run(&args);
	if (fflush(stdout) != 0 && rc == EXIT_OK) {
		cli_error(&args, "cannot write the output");
		rc = EXIT_RUNTIME;
	}
	return rc;
}
