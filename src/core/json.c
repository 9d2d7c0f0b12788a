/* json.c - writing JSON values (see json.h).  Reading JSON is jansson's
 * job; writing is done here so that output is exact and never allocates
 * per value. */
#include "json.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

int json_put_string(struct buf *out, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, len = strlen(s);
	int rc;

	if ((rc = buf_putc(out, '"')))
		return rc;
	while (u[i]) {
		unsigned c = u[i];
		size_t n = 0;
		char esc[8];
		const char *e = NULL;

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			run++;
			continue;
		}
		if (c >= 0x80) {
			uint32_t cp;

			n = horch_utf8_decode(u + i, len - i, &cp);
			if (n == 0)
				goto invalid;
			if (cp != 0x2028 && cp != 0x2029) {
				i += n;
				run += n;
				continue;
			}
			snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
			e = esc;
			goto flush;
invalid:
			e = "\\ufffd";
			n = 1;
			goto flush;
		}
		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		default:
			snprintf(esc, sizeof esc, "\\u%04x", c);
			e = esc;
		}
		n = 1;
flush:
		if (run && (rc = buf_append(out, s + i - run, run)))
			return rc;
		run = 0;
		if ((rc = buf_puts(out, e)))
			return rc;
		i += n;
	}
	if (run && (rc = buf_append(out, s + i - run, run)))
		return rc;
	return buf_putc(out, '"');
}
