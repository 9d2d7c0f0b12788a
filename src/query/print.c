/* print.c - a query back as text: the canonical form, and errors and
 * warnings as a person reads them.
 *
 * The canonical form brackets every compound, writes operators in upper
 * case, terms in their folded form (quoted when the bare form would read
 * as something else), fields by their canonical name; it parses back to
 * the same tree, which the fuzz target checks.  Tests compare against it
 * and `horch topic explain` shows it. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "../text/text.h"
#include "query_int.h"

static const char *sigil(int form)
{
	switch (form) {
	case QFORM_HASHTAG: return "#";
	case QFORM_MENTION: return "@";
	case QFORM_CASHTAG: return "$";
	default: return "";
	}
}

/* Whether the bare text s[0..len) would be read as something other than
 * one word: it holds syntax, or is an operator or a field. */
static int needs_quotes(const char *s, size_t len)
{
	static const char *const ops[] = { "and", "or", "not", "sentence", "to", NULL };
	size_t i;

	if (len == 0 || s[0] == '-')
		return 1;
	for (i = 0; i < len; i++)
		if (strchr(" \t\n\r\f\v()\"{}[]~*?:<", s[i]) && s[i])
			return 1;
	for (i = 0; ops[i]; i++)
		if (strlen(ops[i]) == len && strncasecmp(s, ops[i], len) == 0)
			return 1;
	if ((len >= 4 && strncasecmp(s, "near", 4) == 0 && (len == 4 || s[4] == '/')) ||
	    (len >= 5 && strncasecmp(s, "onear", 5) == 0 && (len == 5 || s[5] == '/')))
		return 1;
	return 0;
}

/* The text of a term: its fold, with the sigil of its form.  An emoji
 * token is written as it was: the fold of an emoticon (:D to :d) would
 * not read back as one. */
static int put_term_text(const struct qnode *n, struct buf *out)
{
	if ((n->tkind == TOKEN_EMOJI || (n->flags & QN_F_TEXT)) && n->text)
		return buf_puts(out, n->text);
	return buf_printf(out, "%s%s", sigil(n->form), n->fold);
}

/* A term alone (not in a phrase). */
static int print_term(const struct qnode *n, struct buf *out)
{
	if (n->flags & QN_F_EXACT)
		return buf_printf(out, "{%s}", n->exact);
	if (n->flags & QN_F_WILDCARD)
		return buf_puts(out, n->fold);
	if (n->form == QFORM_ANY && ((n->tkind == TOKEN_EMOJI || (n->flags & QN_F_TEXT)) ?
				     needs_quotes(n->text, n->text_len) :
				     needs_quotes(n->fold, n->fold_len))) {
		int rc = buf_putc(out, '"');

		if (!rc)
			rc = put_term_text(n, out);
		return rc ? rc : buf_putc(out, '"');
	}
	return put_term_text(n, out);
}

/* Whether a node is a term that can stand inside quotes. */
static int plain_term(const struct qnode *n)
{
	return n->kind == QN_TERM && !(n->flags & (QN_F_EXACT | QN_F_WILDCARD));
}

static int print_kids(const struct qnode *n, const char *sep, struct buf *out)
{
	uint32_t i;
	int rc = 0;

	for (i = 0; i < n->n_kids && !rc; i++) {
		if (i)
			rc = buf_puts(out, sep);
		if (!rc)
			rc = query__print_node(n->kids[i], out);
	}
	return rc;
}

int query__print_node(const struct qnode *n, struct buf *out)
{
	uint32_t i;
	int rc = 0, all_plain;

	switch (n->kind) {
	case QN_TERM:
		return print_term(n, out);
	case QN_PHRASE:
		if (n->n_kids && (n->kids[0]->flags & QN_F_EXACT)) {
			rc = buf_putc(out, '{');
			for (i = 0; i < n->n_kids && !rc; i++)
				rc = buf_printf(out, "%s%s", i ? " " : "", n->kids[i]->exact);
			return rc ? rc : buf_putc(out, '}');
		}
		rc = buf_putc(out, '"');
		for (i = 0; i < n->n_kids && !rc; i++) {
			if (i)
				rc = buf_putc(out, ' ');
			if (!rc)
				rc = put_term_text(n->kids[i], out);
		}
		return rc ? rc : buf_putc(out, '"');
	case QN_PROX:
		all_plain = 1;
		for (i = 0; i < n->n_kids; i++)
			if (!plain_term(n->kids[i]))
				all_plain = 0;
		if (all_plain) {
			rc = buf_putc(out, '"');
			for (i = 0; i < n->n_kids && !rc; i++) {
				if (i)
					rc = buf_putc(out, ' ');
				if (!rc)
					rc = put_term_text(n->kids[i], out);
			}
			return rc ? rc : buf_printf(out, "\"~%u", (unsigned)n->dist);
		}
		rc = buf_putc(out, '(');
		if (!rc)
			rc = print_kids(n, " AND ", out);
		return rc ? rc : buf_printf(out, ")~%u", (unsigned)n->dist);
	case QN_AND:
	case QN_OR:
		rc = buf_putc(out, '(');
		if (!rc)
			rc = print_kids(n, n->kind == QN_AND ? " AND " : " OR ", out);
		return rc ? rc : buf_putc(out, ')');
	case QN_NOT:
		rc = buf_puts(out, "NOT ");
		return rc ? rc : query__print_node(n->kids[0], out);
	case QN_NEAR:
	case QN_SENTENCE: {
		char op[32];

		if (n->kind == QN_SENTENCE)
			snprintf(op, sizeof op, " SENTENCE ");
		else
			snprintf(op, sizeof op, " NEAR/%u%s ", (unsigned)n->dist,
				 (n->flags & QN_F_ORDERED) ? "f" : "");
		rc = buf_putc(out, '(');
		if (!rc)
			rc = print_kids(n, op, out);
		return rc ? rc : buf_putc(out, ')');
	}
	case QN_FIELD:
		rc = buf_printf(out, "%s:", query__field_name(n->field));
		return rc ? rc : query__print_node(n->kids[0], out);
	case QN_KEYWORD:
		if (needs_quotes(n->fold, n->fold_len) || n->fold[0] == '-' || n->fold[0] == '#' ||
		    n->fold[0] == '@' || n->fold[0] == '$')
			return buf_printf(out, "%s:\"%s\"", query__field_name(n->field), n->fold);
		return buf_printf(out, "%s:%s", query__field_name(n->field), n->fold);
	case QN_RANGE:
		return buf_printf(out, "%s:[%lld TO %lld]", query__field_name(n->field),
				  (long long)n->lo, (long long)n->hi);
	default:
		return 0;
	}
}

int query_print(const struct query *q, struct buf *out)
{
	size_t len = out->len;
	int rc = query__print_node(q->root, out);

	if (rc) {
		out->len = len;
		if (out->ptr)
			out->ptr[len] = '\0';
	}
	return rc;
}

/* ---- errors and warnings ---- */

#define WINDOW 100 /* bytes of a long query shown around the column */

/* Step back from i to the start of a UTF-8 character. */
static size_t char_start(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

/* Display width of s[0..len): utf8proc's width, 1 for anything unknown. */
static size_t width(const char *s, size_t len)
{
	size_t i = 0, w = 0;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(len - i), &cp);

		if (k <= 0) {
			w++;
			i++;
			continue;
		}
		if (cp >= 0x20 && cp != 0x7f)
			w += (size_t)(utf8proc_charwidth(cp) > 0 ? utf8proc_charwidth(cp) :
				      (utf8proc_category(cp) == UTF8PROC_CATEGORY_MN ? 0 : 1));
		else
			w++;
		i += (size_t)k;
	}
	return w;
}

/* The query line and the caret line for byte offset off. */
static int show_place(const char *src, size_t len, size_t off, struct buf *out)
{
	size_t a = 0, b = len, i, caret;
	int rc;

	if (off > len)
		off = len;
	if (len > WINDOW) {
		a = off > WINDOW / 2 ? char_start(src, off - WINDOW / 2) : 0;
		b = a + WINDOW < len ? char_start(src, a + WINDOW) : len;
		if (off > b)
			b = off;
	}
	rc = buf_puts(out, a > 0 ? "  ..." : "  ");
	for (i = a; i < b && !rc; i++)
		rc = buf_putc(out, src[i] == '\t' || src[i] == '\n' || src[i] == '\r' ? ' ' : src[i]);
	if (!rc && b < len)
		rc = buf_puts(out, "...");
	if (!rc)
		rc = buf_putc(out, '\n');
	caret = 2 + (a > 0 ? 3 : 0) + width(src + a, off - a);
	for (i = 0; i < caret && !rc; i++)
		rc = buf_putc(out, ' ');
	return rc ? rc : buf_puts(out, "^\n");
}

int query_format_error(const char *src, size_t len, const struct horch_err *err,
		       const char *hint, struct buf *out)
{
	size_t old = out->len;
	size_t off = err->col > 0 ? (size_t)err->col - 1 : 0;
	int rc;

	rc = buf_printf(out, "error: %s (col %ld)\n", err->msg, err->col);
	if (!rc)
		rc = show_place(src, len, off, out);
	if (!rc && hint && *hint)
		rc = buf_printf(out, "  hint: %s\n", hint);
	if (rc) {
		out->len = old;
		if (out->ptr)
			out->ptr[old] = '\0';
	}
	return rc;
}

int query_format_warning(const char *src, size_t len, const struct query_warning *w,
			 struct buf *out)
{
	size_t old = out->len;
	int rc;

	rc = buf_printf(out, "warning: %s (col %ld)\n", w->msg, w->col);
	if (!rc)
		rc = show_place(src, len, w->col > 0 ? (size_t)w->col - 1 : 0, out);
	if (rc) {
		out->len = old;
		if (out->ptr)
			out->ptr[old] = '\0';
	}
	return rc;
}
