/* table.c - printing results as an aligned table, CSV fields, numbers.
 *
 * Widths are display columns (utf8proc_charwidth: an emoji or a CJK
 * character takes two), so that a table of German, English and emoji posts
 * lines up.  On a terminal the last column is cut to the terminal's width
 * with an ellipsis; in a pipe nothing is cut.  Control characters and line
 * breaks inside a cell print as spaces. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <utf8proc.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "../core/json.h"

struct table {
	FILE *f;
	int n_cols;
	char **cells;      /* rows * n_cols, row 0 is the header */
	size_t n_rows;     /* including the header */
	size_t cap_rows;
};

/* Display width of s, or of its first max_cols columns: *cut receives the
 * byte length that fits. */
static size_t width(const char *s, size_t max_cols, size_t *cut)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t cols = 0, off = 0, len = strlen(s);

	while (off < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p + off, (utf8proc_ssize_t)(len - off), &cp);
		int w;

		if (n <= 0) {
			n = 1;
			cp = '?';
		}
		w = utf8proc_charwidth(cp);
		if (w < 0)
			w = 0;
		if (cols + (size_t)w > max_cols)
			break;
		cols += (size_t)w;
		off += (size_t)n;
	}
	if (cut)
		*cut = off;
	return cols;
}

/* A copy of s with control characters (line breaks, tabs) as spaces. */
static char *clean(const char *s)
{
	char *c = horch_xstrdup(s ? s : "");

	for (char *p = c; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return c;
}

struct table *table_new(FILE *f, int n_cols, const char *const *headers)
{
	struct table *t = horch_xcalloc(1, sizeof *t);

	t->f = f;
	t->n_cols = n_cols;
	table_add(t, headers);
	return t;
}

void table_add(struct table *t, const char *const *cells)
{
	t->cells = horch_xgrow(t->cells, &t->cap_rows, t->n_rows + 1,
			       sizeof *t->cells * (size_t)t->n_cols);
	for (int i = 0; i < t->n_cols; i++)
		t->cells[t->n_rows * (size_t)t->n_cols + (size_t)i] = clean(cells[i]);
	t->n_rows++;
}

static size_t terminal_width(FILE *f)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");

	if (!isatty(fileno(f)))
		return 0;
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (env && atoi(env) > 0)
		return (size_t)atoi(env);
	return 80;
}

void table_print(struct table *t, unsigned right_cols)
{
	size_t *w = horch_xcalloc((size_t)t->n_cols, sizeof *w);
	size_t term = terminal_width(t->f), used = 0;
	int tty = term > 0;

	for (size_t r = 0; r < t->n_rows; r++)
		for (int c = 0; c < t->n_cols; c++) {
			size_t cw = width(t->cells[r * (size_t)t->n_cols + (size_t)c], (size_t)-1, NULL);

			if (cw > w[c])
				w[c] = cw;
		}
	for (int c = 0; c + 1 < t->n_cols; c++)
		used += w[c] + 2;
	for (size_t r = 0; r < t->n_rows; r++) {
		for (int c = 0; c < t->n_cols; c++) {
			const char *cell = t->cells[r * (size_t)t->n_cols + (size_t)c];
			int last = c + 1 == t->n_cols;
			size_t cw, cut;

			if (last && tty && term > used + 10) {
				size_t room = term - used - 1;

				cw = width(cell, room, &cut);
				if (cell[cut]) {
					/* Leave room for the ellipsis. */
					cw = width(cell, room - 1, &cut);
					fprintf(t->f, "%.*s…", (int)cut, cell);
				} else {
					fputs(cell, t->f);
				}
			} else {
				cw = width(cell, (size_t)-1, NULL);
				if (right_cols & (1u << c))
					fprintf(t->f, "%*s%s", (int)(w[c] - cw), "", cell);
				else
					fprintf(t->f, "%s%*s", cell, last ? 0 : (int)(w[c] - cw), "");
			}
			if (!last)
				fputs("  ", t->f);
		}
		fputc('\n', t->f);
		if (r == 0 && tty) {
			/* A rule under the header on a terminal. */
			size_t rule = used + w[t->n_cols - 1];

			if (rule > term - 1)
				rule = term - 1;
			for (size_t i = 0; i < rule; i++)
				fputs("─", t->f);
			fputc('\n', t->f);
		}
	}
	free(w);
	table_free(t);
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_rows * (size_t)t->n_cols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

void csv_field(FILE *f, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void json_field(FILE *f, const char *s)
{
	struct buf b;

	buf_init(&b, BUF_NOLIMIT);
	json_put_string(&b, s ? s : "");
	fwrite(b.ptr, 1, b.len, f);
	buf_cleanup(&b);
}

const char *cli_num(uint64_t n, char out[32])
{
	char digits[24];
	int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
	int o = 0;

	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return out;
}
