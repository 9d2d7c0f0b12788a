/* test_core.c - buf, arena, err, queue and alloc. */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/queue.h"

static void test_buf(void)
{
	struct buf b;
	char *s;

	buf_init(&b, 10);
	is_int(buf_append(&b, "hello", 5), 0, "buf-1.1 append within the cap");
	is_int(buf_puts(&b, "world"), 0, "buf-1.2 append up to the cap exactly");
	is_mem(b.ptr, b.len, "helloworld", "buf-1.3 content");
	is_int(buf_putc(&b, '!'), HORCH_ETOOBIG, "buf-1.4 one byte over the cap fails");
	is_mem(b.ptr, b.len, "helloworld", "buf-1.5 a failed append changes nothing");
	is_int(b.ptr[b.len], '\0', "buf-1.6 always NUL-terminated");
	buf_reset(&b);
	is_int((long long)b.len, 0, "buf-1.7 reset empties");
	is_int(buf_printf(&b, "%d-%s", 42, "x"), 0, "buf-1.8 printf");
	is_str(b.ptr, "42-x", "buf-1.9 printf content");
	is_int(buf_printf(&b, "%s", "0123456789"), HORCH_ETOOBIG, "buf-1.10 printf over the cap fails");
	is_str(b.ptr, "42-x", "buf-1.11 and changes nothing");
	s = buf_take(&b);
	is_str(s, "42-x", "buf-1.12 take hands over the bytes");
	ok(b.ptr == NULL && b.len == 0, "buf-1.13 take leaves the buffer empty");
	free(s);
	s = buf_take(&b);
	is_str(s, "", "buf-1.14 take of an empty buffer is an empty string");
	free(s);
	buf_cleanup(&b);
	buf_cleanup(NULL);

	buf_init(&b, BUF_NOLIMIT);
	for (int i = 0; i < 100000; i++)
		buf_putc(&b, 'a' + i % 26);
	is_int((long long)b.len, 100000, "buf-2.1 grows past many doublings");
	ok(b.ptr[25] == 'z' && b.ptr[99999] == 'a' + 99999 % 26, "buf-2.2 content kept while growing");
	ok(buf_reserve(&b, (size_t)-1) == HORCH_ETOOBIG, "buf-2.3 reserve that would overflow fails");
	buf_cleanup(&b);
}

static void test_arena(void)
{
	struct arena a;
	char *p, *q;
	int aligned = 1;

	arena_init(&a, 64);
	p = arena_strndup(&a, "abcdef", 3);
	is_str(p, "abc", "arena-1.1 strndup copies and terminates");
	for (int i = 0; i < 1000; i++) {
		void *x = arena_alloc(&a, (size_t)(i % 37) + 1);

		if ((uintptr_t)x % _Alignof(max_align_t))
			aligned = 0;
		memset(x, 0xab, (size_t)(i % 37) + 1);
	}
	ok(aligned, "arena-1.2 every allocation is aligned");
	q = arena_alloc(&a, 100000);
	memset(q, 1, 100000);
	ok(q != NULL, "arena-1.3 an allocation larger than a block");
	arena_reset(&a);
	q = arena_strndup(&a, "again", 5);
	ok(q == p, "arena-1.4 reset keeps the first block and reuses it");
	is_str(q, "again", "arena-1.5 usable after reset");
	arena_cleanup(&a);
	ok(a.head == NULL, "arena-1.6 cleanup frees every block");
	arena_cleanup(NULL);
}

static void test_err(void)
{
	struct horch_err err;

	horch_err_clear(&err);
	is_int(err.code, 0, "err-1.1 clear");
	is_int(horch_err_set(&err, HORCH_EPARSE, "bad %s", "thing"), HORCH_EPARSE,
	       "err-1.2 set returns the code");
	is_str(err.msg, "bad thing", "err-1.3 message");
	is_int(horch_err_at(&err, HORCH_EINVAL, 3, 7, "x"), HORCH_EINVAL, "err-1.4 at");
	ok(err.line == 3 && err.col == 7, "err-1.5 line and column kept");
	is_int(horch_err_set(NULL, HORCH_EIO, "ignored"), HORCH_EIO, "err-1.6 NULL err is fine");
	is_str(horch_strerror(HORCH_ETOOBIG), "too big", "err-1.7 strerror");
}

struct qctx {
	struct queue *q;
	int from, to;
	long long sum;
};

static void *producer(void *arg)
{
	struct qctx *c = arg;

	for (intptr_t i = c->from; i < c->to; i++)
		queue_push(c->q, (void *)i);
	return NULL;
}

static void *consumer(void *arg)
{
	struct qctx *c = arg;
	void *items[7];
	size_t n;

	while ((n = queue_pop_many(c->q, items, 7, -1)) > 0)
		for (size_t i = 0; i < n; i++)
			c->sum += (intptr_t)items[i];
	return NULL;
}

static void test_queue(void)
{
	struct queue *q = queue_new(3);
	void *items[8];
	pthread_t pt[4], ct[3];
	struct qctx pc[4], cc[3];
	long long sum = 0;

	is_int(queue_push(q, (void *)1), 0, "queue-1.1 push");
	queue_push(q, (void *)2);
	is_int((long long)queue_pop_many(q, items, 8, 0), 2, "queue-1.2 pop takes what is there");
	ok(items[0] == (void *)1 && items[1] == (void *)2, "queue-1.3 in order");
	is_int((long long)queue_pop_many(q, items, 8, 20), 0, "queue-1.4 time-out on empty");
	queue_push(q, (void *)3);
	queue_close(q);
	is_int(queue_push(q, (void *)4), HORCH_ESTOP, "queue-1.5 push after close fails");
	is_int((long long)queue_pop_many(q, items, 8, -1), 1, "queue-1.6 drain after close");
	is_int((long long)queue_pop_many(q, items, 8, -1), 0, "queue-1.7 then the end");
	ok(queue_closed(q), "queue-1.8 closed and empty");
	queue_free(q);

	/* 4 producers and 3 consumers through a queue of 5: every item
	 * arrives exactly once (the sum tells) while producers wait. */
	q = queue_new(5);
	for (int i = 0; i < 3; i++) {
		cc[i] = (struct qctx){ .q = q };
		pthread_create(&ct[i], NULL, consumer, &cc[i]);
	}
	for (int i = 0; i < 4; i++) {
		pc[i] = (struct qctx){ .q = q, .from = i * 25000 + 1, .to = (i + 1) * 25000 + 1 };
		pthread_create(&pt[i], NULL, producer, &pc[i]);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(pt[i], NULL);
	queue_close(q);
	for (int i = 0; i < 3; i++) {
		pthread_join(ct[i], NULL);
		sum += cc[i].sum;
	}
	is_int(sum, 100000LL * 100001 / 2, "queue-2.1 many producers and consumers: each item once");
	queue_free(q);
}

static void test_alloc(void)
{
	int *v = NULL;
	size_t cap = 0;
	char *s;

	v = horch_xgrow(v, &cap, 1000, sizeof *v);
	ok(cap >= 1000, "alloc-1.1 grow reaches the need");
	v[999] = 7;
	v = horch_xgrow(v, &cap, 10, sizeof *v);
	ok(cap >= 1000 && v[999] == 7, "alloc-1.2 grow never shrinks");
	free(v);
	s = horch_xstrndup("abc", 2);
	is_str(s, "ab", "alloc-1.3 strndup");
	free(s);
	ok(horch_xstrdup(NULL) == NULL, "alloc-1.4 strdup(NULL) is NULL");
}

int main(void)
{
	test_buf();
	test_arena();
	test_err();
	test_queue();
	test_alloc();
	return tap_done();
}
