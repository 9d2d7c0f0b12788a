/* queue.c - bounded blocking queue (see queue.h).
 *
 * A ring of pointers under one mutex with two condition variables.  The
 * pipeline moves posts through it in batches (queue_pop_many), so the lock
 * is taken once per batch on the consumer side, not once per post. */
#include "queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "alloc.h"
#include "err.h"

struct queue {
	pthread_mutex_t lock;
	pthread_cond_t not_empty;  /* signalled when an item arrives or on close */
	pthread_cond_t not_full;   /* signalled when room appears or on close */
	void **ring;               /* cap slots */
	size_t cap;                /* slots in ring */
	size_t head;               /* index of the oldest item */
	size_t len;                /* items in the ring */
	int closed;                /* 1 after queue_close() */
};

struct queue *queue_new(size_t cap)
{
	struct queue *q = horch_xcalloc(1, sizeof *q);
	pthread_condattr_t attr;

	q->cap = cap ? cap : 1;
	q->ring = horch_xcalloc(q->cap, sizeof *q->ring);
	pthread_mutex_init(&q->lock, NULL);
	/* Timed waits use the monotonic clock so that a clock jump does not
	 * stall a batch. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&q->not_empty, &attr);
	pthread_condattr_destroy(&attr);
	pthread_cond_init(&q->not_full, NULL);
	return q;
}

void queue_free(struct queue *q)
{
	if (!q)
		return;
	pthread_mutex_destroy(&q->lock);
	pthread_cond_destroy(&q->not_empty);
	pthread_cond_destroy(&q->not_full);
	free(q->ring);
	free(q);
}

int queue_push(struct queue *q, void *item)
{
	int rc = 0;

	pthread_mutex_lock(&q->lock);
	while (q->len == q->cap && !q->closed)
		pthread_cond_wait(&q->not_full, &q->lock);
	if (q->closed) {
		rc = HORCH_ESTOP;
	} else {
		q->ring[(q->head + q->len) % q->cap] = item;
		q->len++;
		pthread_cond_signal(&q->not_empty);
	}
	pthread_mutex_unlock(&q->lock);
	return rc;
}

size_t queue_pop_many(struct queue *q, void **items, size_t max, int timeout_ms)
{
	struct timespec deadline;
	size_t n = 0;

	if (timeout_ms >= 0) {
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_sec += timeout_ms / 1000;
		deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
	}
	pthread_mutex_lock(&q->lock);
	while (q->len == 0 && !q->closed) {
		if (timeout_ms < 0) {
			pthread_cond_wait(&q->not_empty, &q->lock);
		} else if (pthread_cond_timedwait(&q->not_empty, &q->lock,
						  &deadline) == ETIMEDOUT) {
			break;
		}
	}
	while (n < max && q->len > 0) {
		items[n++] = q->ring[q->head];
		q->head = (q->head + 1) % q->cap;
		q->len--;
	}
	if (n)
		pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->lock);
	return n;
}

void queue_close(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = 1;
	pthread_cond_broadcast(&q->not_empty);
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->lock);
}

int queue_closed(struct queue *q)
{
	int closed;

	pthread_mutex_lock(&q->lock);
	closed = q->closed && q->len == 0;
	pthread_mutex_unlock(&q->lock);
	return closed;
}

size_t queue_len(struct queue *q)
{
	size_t len;

	pthread_mutex_lock(&q->lock);
	len = q->len;
	pthread_mutex_unlock(&q->lock);
	return len;
}
