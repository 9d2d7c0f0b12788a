/* tmpdir.h - a temporary directory for the files of one unit test (the
 * store's and the model's tests).  The test makes it into tmpdir with
 * mkdtemp() (under $TMPDIR, else /tmp), names its files with tpath() and
 * removes them and it with remove_tmpdir().  The directory holds files
 * only. */
#ifndef HORCH_TEST_TMPDIR_H
#define HORCH_TEST_TMPDIR_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[256];

/* The path of name inside the temporary directory, in a static buffer that
 * the call after the next overwrites (two paths can be used together). */
static const char *tpath(const char *name)
{
	static char path[2][512];
	static int which;

	which ^= 1;
	snprintf(path[which], sizeof path[which], "%s/%s", tmpdir, name);
	return path[which];
}

/* Remove the directory and the files in it. */
static void remove_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(tpath(e->d_name));
	closedir(d);
	rmdir(tmpdir);
}

#endif
