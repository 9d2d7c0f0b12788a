/* cases.h - shared by the unit tests that read data-driven case files
 * (tests/cases/MODULE/NAME.t): the escapes the files use for bytes that a
 * text file cannot show, and the list of a module's case files.
 * Header-only like tap.h; single-threaded. */
#ifndef HORCH_CASES_H
#define HORCH_CASES_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/buf.h"

/* Append the unescaped form of s[0..n) to out: \n \t \r \\ \xHH (one
 * byte) and \u{HHHH} (a code point in UTF-8).  Returns 0, or -1 on a bad
 * escape. */
__attribute__((unused))
static int cases_unescape(struct buf *out, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		char c = s[i++];

		if (c != '\\') {
			buf_putc(out, c);
			continue;
		}
		if (i >= n)
			return -1;
		c = s[i++];
		if (c == 'n') {
			buf_putc(out, '\n');
		} else if (c == 't') {
			buf_putc(out, '\t');
		} else if (c == 'r') {
			buf_putc(out, '\r');
		} else if (c == '\\') {
			buf_putc(out, '\\');
		} else if (c == 'x') {
			char hex[3] = { 0 };

			if (i + 2 > n)
				return -1;
			memcpy(hex, s + i, 2);
			buf_putc(out, (int)strtol(hex, NULL, 16));
			i += 2;
		} else if (c == 'u') {
			char hex[9] = { 0 };
			size_t k = 0;
			utf8proc_uint8_t enc[4];
			long cp;

			if (i >= n || s[i] != '{')
				return -1;
			i++;
			while (i < n && s[i] != '}' && k < 8)
				hex[k++] = s[i++];
			if (i >= n || s[i] != '}')
				return -1;
			i++;
			cp = strtol(hex, NULL, 16);
			buf_append(out, enc, (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, enc));
		} else {
			return -1;
		}
	}
	return 0;
}

static int cases__cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.t files of tests/cases/SUB under $HORCH_SOURCE_ROOT (default "."),
 * sorted by name.  Writes the directory's path into dir and up to max
 * names (malloc'd; the caller frees them) into names.  Returns how many,
 * or -1 when the directory cannot be opened. */
__attribute__((unused))
static int cases_list(const char *sub, char *dir, size_t dir_len, char **names, size_t max)
{
	const char *root = getenv("HORCH_SOURCE_ROOT");
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	snprintf(dir, dir_len, "%s/tests/cases/%s", root && *root ? root : ".", sub);
	d = opendir(dir);
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL && n < max) {
		size_t len = strlen(e->d_name);

		if (len > 2 && strcmp(e->d_name + len - 2, ".t") == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cases__cmp);
	return (int)n;
}

#endif
