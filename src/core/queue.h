/* queue.h - a bounded, blocking, many-producer many-consumer queue of
 * pointers.
 *
 * The pipeline's stages talk through these: a producer that finds the queue
 * full waits (back-pressure), it never drops.  Closing the queue wakes every
 * waiter: producers then fail, consumers drain what is left and then see the
 * end.  All calls are thread-safe. */
#ifndef HORCH_QUEUE_H
#define HORCH_QUEUE_H

#include <stddef.h>

struct queue;

struct queue *queue_new(size_t cap);   /* cap >= 1 */
void queue_free(struct queue *q);      /* NULL-safe; the items left are not freed */

/* Append item, waiting while the queue is full.  Returns 0, or HORCH_ESTOP
 * when the queue is (or becomes) closed; the item is then not taken. */
int queue_push(struct queue *q, void *item);

/* Take up to max items into items[], waiting for at least one.  With
 * timeout_ms >= 0, give up after that many milliseconds and return 0.
 * Returns the number taken, or 0 when the queue is closed and empty (or on
 * time-out). */
size_t queue_pop_many(struct queue *q, void **items, size_t max, int timeout_ms);

/* No more pushes: producers fail from now on, consumers drain and finish. */
void queue_close(struct queue *q);
int queue_closed(struct queue *q);  /* 1 once closed and empty */
size_t queue_len(struct queue *q);  /* items waiting now (for metrics) */

#endif
