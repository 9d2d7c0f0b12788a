/* bus.h - the in-process bus: what the writer committed, to whoever
 * listens (the live streams now; the signal detectors and the alert
 * dispatcher later).
 *
 *   writer ──bus_publish(events)──► subscriber callbacks (in order)
 *
 * An event is immutable and reference-counted: a subscriber that keeps one
 * (a stream's queue) takes a reference with bus_event_ref() and drops it
 * with bus_event_unref(); nothing is copied per subscriber.  One interface,
 * one file per backend (DESIGN.md): bus_local.c calls the subscribers on
 * the publishing thread, in subscription order, so a subscriber must not
 * block (a stream only queues).
 *
 * Threads: bus_subscribe() before publishing starts; bus_publish() from any
 * thread: the writer publishes posts, the signal engine and the API's
 * acknowledgements publish alerts, and the subscribers take their own locks
 * (a stream's hub serialises them); the events from any thread. */
#ifndef HORCH_BUS_H
#define HORCH_BUS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/err.h"

enum bus_kind {
	BUS_POST = 0,   /* a post was stored */
	BUS_ALERT = 1,  /* an alert was raised */
};

struct bus_event {
	atomic_uint refs;
	enum bus_kind kind;
	int64_t id;          /* the post's row id (BUS_POST); ids only grow */
	int is_spam;         /* the post is marked spam */
	size_t n_topics;     /* the topics it matched, ascending */
	int64_t *topics;
	size_t len;          /* bytes of json */
	char *json;          /* the event's data: one line of JSON, NUL-terminated */
};

/* A new event with one reference; topics and json are copied. */
struct bus_event *bus_event_new(enum bus_kind kind, int64_t id, int is_spam,
				const int64_t *topics, size_t n_topics,
				const char *json, size_t len);
void bus_event_ref(struct bus_event *e);
void bus_event_unref(struct bus_event *e); /* NULL-safe; frees at zero */

/* Called with the events of one committed batch, ascending by id. */
typedef void (*bus_fn)(void *ctx, struct bus_event *const *events, size_t n);

struct bus;

/* A bus by name: "local" (the default; NULL means it).  Returns 0 and sets
 * *out, or HORCH_EINVAL for a bus this build does not have. */
int bus_open(struct bus **out, const char *name, struct horch_err *err);
void bus_close(struct bus *b); /* NULL-safe */

/* Add a subscriber.  Returns 0 or HORCH_ETOOBIG (more than 16). */
int bus_subscribe(struct bus *b, bus_fn fn, void *ctx, struct horch_err *err);

/* Hand events[0..n) to every subscriber.  The caller keeps its references. */
void bus_publish(struct bus *b, struct bus_event *const *events, size_t n);

/* Events published so far. */
uint64_t bus_published(const struct bus *b);

#endif
