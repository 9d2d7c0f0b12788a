/* bus_local.c - the in-process bus (bus.h): subscribers are called on the
 * publishing thread, one after the other.  The default of `horch serve`;
 * a bus between machines (NATS) would be another file behind bus.h. */
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "bus.h"

#define BUS_MAX_SUBSCRIBERS 16

struct bus {
	struct {
		bus_fn fn;
		void *ctx;
	} sub[BUS_MAX_SUBSCRIBERS];
	size_t n_sub;
	atomic_uint_fast64_t n_published;
};

struct bus_event *bus_event_new(enum bus_kind kind, int64_t id, int is_spam,
				const int64_t *topics, size_t n_topics,
				const char *json, size_t len)
{
	struct bus_event *e = horch_xcalloc(1, sizeof *e);

	atomic_init(&e->refs, 1);
	e->kind = kind;
	e->id = id;
	e->is_spam = is_spam;
	e->n_topics = n_topics;
	if (n_topics) {
		e->topics = horch_xmalloc(n_topics * sizeof *e->topics);
		memcpy(e->topics, topics, n_topics * sizeof *e->topics);
	}
	e->len = len;
	e->json = horch_xstrndup(json, len);
	return e;
}

void bus_event_ref(struct bus_event *e)
{
	atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
}

void bus_event_unref(struct bus_event *e)
{
	if (!e || atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) != 1)
		return;
	free(e->topics);
	free(e->json);
	free(e);
}

int bus_open(struct bus **out, const char *name, struct horch_err *err)
{
	if (name && *name && strcmp(name, "local") != 0)
		return horch_err_set(err, HORCH_EINVAL,
				     "bus \"%.64s\" is not available: this build has \"local\"",
				     name);
	*out = horch_xcalloc(1, sizeof **out);
	return 0;
}

void bus_close(struct bus *b)
{
	free(b);
}

int bus_subscribe(struct bus *b, bus_fn fn, void *ctx, struct horch_err *err)
{
	if (b->n_sub == BUS_MAX_SUBSCRIBERS)
		return horch_err_set(err, HORCH_ETOOBIG, "bus: more than %d subscribers",
				     BUS_MAX_SUBSCRIBERS);
	b->sub[b->n_sub].fn = fn;
	b->sub[b->n_sub].ctx = ctx;
	b->n_sub++;
	return 0;
}

void bus_publish(struct bus *b, struct bus_event *const *events, size_t n)
{
	if (!n)
		return;
	for (size_t i = 0; i < b->n_sub; i++)
		b->sub[i].fn(b->sub[i].ctx, events, n);
	atomic_fetch_add(&b->n_published, n);
}

uint64_t bus_published(const struct bus *b)
{
	return atomic_load(&((struct bus *)b)->n_published);
}
