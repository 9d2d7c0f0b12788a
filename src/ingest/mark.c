/* mark.c - a cursor's mark (mark.h): a time and the ids of the items
 * stored at that time, noted as a connector walks a listing, asked whether
 * it covers an item, and read from and written to the cursor's JSON.
 *
 * The connectors that keep marks (hn.c, reddit.c, reviews.c) differ only
 * in how many ids one may hold, which its caps say, and in what their
 * cursors keep beside the marks. */
#include "mark.h"

#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/json.h"

void source_mark_init(struct source_mark *m, const struct source_mark_caps *caps)
{
	memset(m, 0, sizeof *m);
	m->t = SOURCE_MARK_NONE;
	m->caps = *caps;
}

void source_mark_cleanup(struct source_mark *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_ids; i++)
		free(m->ids[i]);
	free(m->ids);
	m->ids = NULL;
	m->n_ids = 0;
	m->ids_bytes = 0;
	m->t = SOURCE_MARK_NONE;
}

static int named(const struct source_mark *m, const char *id)
{
	for (size_t i = 0; i < m->n_ids; i++)
		if (!strcmp(m->ids[i], id))
			return 1;
	return 0;
}

/* Add id to the ids of m's time, unless it is there already or the caps
 * leave no room for it. */
static void add(struct source_mark *m, const char *id)
{
	size_t len = strlen(id);

	/* Each id takes its bytes and three more in the JSON (quotes, comma). */
	if ((m->caps.ids && m->n_ids >= m->caps.ids) || (m->caps.id_len && len > m->caps.id_len) ||
	    (m->caps.bytes && m->ids_bytes + len + 3 > m->caps.bytes) || named(m, id))
		return;
	m->ids = horch_xrealloc(m->ids, (m->n_ids + 1) * sizeof *m->ids);
	m->ids[m->n_ids++] = horch_xstrdup(id);
	m->ids_bytes += len + 3;
}

int source_mark_has(const struct source_mark *m, int64_t t, const char *id)
{
	return m->t != SOURCE_MARK_NONE && t == m->t && named(m, id);
}

int source_mark_covers(const struct source_mark *m, int64_t t, const char *id)
{
	if (m->t == SOURCE_MARK_NONE || t == SOURCE_MARK_NONE)
		return 0;
	return t < m->t || (t == m->t && named(m, id));
}

void source_mark_newest(struct source_mark *m, int64_t t, const char *id)
{
	if (t == SOURCE_MARK_NONE || t < m->t)
		return;
	/* An empty mark's time is below every t. */
	if (t > m->t) {
		source_mark_cleanup(m);
		m->t = t;
	}
	add(m, id);
}

void source_mark_oldest(struct source_mark *m, int64_t t, const char *id)
{
	if (t == SOURCE_MARK_NONE || (m->t != SOURCE_MARK_NONE && t > m->t))
		return;
	if (m->t == SOURCE_MARK_NONE || t < m->t) {
		source_mark_cleanup(m);
		m->t = t;
	}
	add(m, id);
}

void source_mark_advance(struct source_mark *seen, struct source_mark *top)
{
	if (top->t == SOURCE_MARK_NONE)
		return;
	if (top->t == seen->t)
		for (size_t i = 0; i < seen->n_ids; i++)
			add(top, seen->ids[i]);
	source_mark_cleanup(seen);
	*seen = *top;
	/* seen owns the ids now: top forgets them without freeing. */
	top->ids = NULL;
	top->n_ids = 0;
	source_mark_cleanup(top);
}

int source_mark_cursor(json_t **out, const char *s, struct horch_err *err)
{
	json_error_t jerr;
	json_t *root;

	*out = NULL;
	if (!s || !*s)
		return 0;
	root = json_loads(s, 0, &jerr);
	if (!root)
		return horch_err_set(err, HORCH_EPARSE, "cursor: not JSON at byte %d: %s",
				     jerr.position, jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return horch_err_set(err, HORCH_EPARSE, "cursor: not an object");
	}
	*out = root;
	return 0;
}

int source_mark_read(struct source_mark *m, const json_t *o, const char *tkey,
		     const char *idskey, int (*valid)(const char *id), struct horch_err *err)
{
	const json_t *t = json_object_get(o, tkey), *ids = json_object_get(o, idskey);

	if (!t)
		return ids ? horch_err_set(err, HORCH_EPARSE, "cursor: ids without a time") : 0;
	if (!json_is_integer(t) || json_integer_value(t) < 0 ||
	    json_integer_value(t) >= SOURCE_MARK_SECONDS_MAX)
		return horch_err_set(err, HORCH_EPARSE, "cursor: a time is not a number of seconds");
	m->t = json_integer_value(t);
	if (!ids)
		return 0;
	if (!json_is_array(ids) || (m->caps.ids && json_array_size(ids) > m->caps.ids))
		return m->caps.ids ? horch_err_set(err, HORCH_EPARSE, "cursor: a list of ids is not "
						   "an array of at most %zu", m->caps.ids)
				   : horch_err_set(err, HORCH_EPARSE, "cursor: a list of ids is not "
						   "an array");
	for (size_t i = 0; i < json_array_size(ids); i++) {
		const json_t *v = json_array_get(ids, i);

		if (!json_is_string(v) || !valid(json_string_value(v)))
			return horch_err_set(err, HORCH_EPARSE, "cursor: a list of ids holds "
					     "something else");
		add(m, json_string_value(v));
	}
	return 0;
}

int source_mark_write(struct buf *out, const char *tkey, const char *idskey,
		      const struct source_mark *m, int *first)
{
	int rc;

	if (m->t == SOURCE_MARK_NONE)
		return 0;
	rc = buf_printf(out, "%s\"%s\":%lld,\"%s\":[", *first ? "" : ",", tkey, (long long)m->t,
			idskey);
	*first = 0;
	for (size_t i = 0; rc == 0 && i < m->n_ids; i++) {
		if (i)
			rc = buf_putc(out, ',');
		if (rc == 0)
			rc = json_put_string(out, m->ids[i]);
	}
	return rc ? rc : buf_putc(out, ']');
}
