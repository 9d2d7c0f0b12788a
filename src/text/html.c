/* html.c - the text a person would read in an HTML document or fragment.
 *
 * gumbo parses the HTML the way a browser does (entities decoded, broken
 * markup repaired); this file walks the tree and writes the text:
 *
 *   - script, style, template, noscript, head, iframe, noembed, noframes,
 *     object and embed are left out with everything inside them;
 *   - block elements (p, div, li, h1-h6, tr, blockquote, pre, ...) start and
 *     end a line, br breaks a line, and at most one blank line stands in a
 *     row;
 *   - outside pre, every run of white space (and a no-break space) becomes
 *     one space; inside pre, lines and indentation are kept;
 *   - table cells are kept apart by a space, img contributes " alt ";
 *   - leading and trailing white space is trimmed.
 *
 * Three things make this safe on hostile input.  The walk keeps its own
 * stack on the heap, so a document nested a million levels deep is just a
 * long array.  gumbo allocates from a private pool with a cap: gumbo cannot
 * handle a failed allocation, so when the cap is reached the allocator
 * longjmps back to text_html_to_text(), which frees the whole pool at once
 * and returns HORCH_ETOOBIG.  Freeing the pool in one call also means the
 * tree is never handed to gumbo_destroy_output(), whose recursion over the
 * tree would exhaust the C stack on deep documents.  And the same allocator
 * watches the clock: gumbo's tree building is quadratic in the nesting
 * depth (300,000 nested <div> take over three minutes, a real page of 2 MB
 * a quarter of a second), so a parse that uses more CPU time than
 * POOL_CPU_BASE plus POOL_CPU_PER_MIB per MiB of input is abandoned the
 * same way, with HORCH_ETOOBIG. */
#include "text.h"

#include <gumbo.h>
#include <setjmp.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/alloc.h"
#include "../core/err.h"

/* gumbo's pool is a chain of chunks handed out by bumping a pointer.
 * Chunks start small (a post's HTML needs a few dozen KiB) and double, up
 * to POOL_CHUNK_MAX; glibc serves the small ones without mmap(). */
#define POOL_CHUNK_MIN (16u * 1024)
#define POOL_CHUNK_MAX (1024u * 1024)
/* What gumbo may use, per input byte and at least: measured use is 20-30
 * bytes per byte on pages and long documents, up to 70 on deep nesting. */
#define POOL_PER_BYTE 160u
#define POOL_MIN (8u * 1024 * 1024)
#define POOL_MAX ((size_t)1024 * 1024 * 1024)
/* The CPU time gumbo may take, in nanoseconds: about ten times what real
 * pages need on one core of a small server (0.13 s per MiB). */
#define POOL_CPU_BASE 500000000LL
#define POOL_CPU_PER_MIB 1000000000LL
/* Look at the clock every this many allocations, and only for inputs
 * larger than POOL_CLOCK_MIN_LEN: reading a thread's CPU clock is a system
 * call, and the worst that gumbo can do with 16 KiB is about 0.1 s. */
#define POOL_CLOCK_EVERY 64u
#define POOL_CLOCK_MIN_LEN (16u * 1024)

struct chunk {
	struct chunk *next;
	size_t size;            /* usable bytes in data */
	size_t used;            /* bytes handed out */
	max_align_t data[];
};

struct pool {
	struct chunk *head;     /* newest chunk first */
	size_t total;           /* bytes of all chunks */
	size_t cap;             /* the most total may reach */
	unsigned calls;         /* allocations since the clock was last read */
	long long deadline;     /* thread CPU time (ns) by which gumbo must be done; 0: no limit */
	jmp_buf fail;           /* where to go when a cap is reached */
};

static long long cpu_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *pool_alloc(void *userdata, size_t size)
{
	struct pool *pool = userdata;
	struct chunk *c = pool->head;
	const size_t align = alignof(max_align_t);
	size_t need = (size + align - 1) / align * align;
	void *p;

	if (need < size)
		longjmp(pool->fail, 1);         /* size near SIZE_MAX */
	if (need == 0)
		need = align;
	if (pool->deadline && ++pool->calls >= POOL_CLOCK_EVERY) {
		pool->calls = 0;
		if (cpu_now() > pool->deadline)
			longjmp(pool->fail, 1);
	}
	if (!c || c->size - c->used < need) {
		size_t csize = c ? c->size * 2 : POOL_CHUNK_MIN;

		if (csize > POOL_CHUNK_MAX)
			csize = POOL_CHUNK_MAX;
		if (csize < need)
			csize = need;
		if (csize > pool->cap - pool->total)
			longjmp(pool->fail, 1);
		c = horch_xmalloc(sizeof *c + csize);
		c->next = pool->head;
		c->size = csize;
		c->used = 0;
		pool->head = c;
		pool->total += csize;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	return p;
}

/* Memory goes back with the whole pool; see the top of the file. */
static void pool_free(void *userdata, void *ptr)
{
	(void)userdata;
	(void)ptr;
}

static void pool_release(struct pool *pool)
{
	struct chunk *c = pool->head;

	while (c) {
		struct chunk *next = c->next;

		free(c);
		c = next;
	}
	pool->head = NULL;
	pool->total = 0;
}

/* What an element means for the text. */
enum {
	T_INLINE = 0,   /* its text runs on */
	T_BLOCK,        /* on lines of its own */
	T_SKIP,         /* left out with its content */
	T_CELL,         /* a table cell: set apart by spaces */
	T_PRE,          /* a block whose white space is kept */
};

static const unsigned char tag_kind[GUMBO_TAG_LAST + 1] = {
	[GUMBO_TAG_HEAD] = T_SKIP, [GUMBO_TAG_TITLE] = T_SKIP,
	[GUMBO_TAG_STYLE] = T_SKIP, [GUMBO_TAG_SCRIPT] = T_SKIP,
	[GUMBO_TAG_NOSCRIPT] = T_SKIP, [GUMBO_TAG_TEMPLATE] = T_SKIP,
	[GUMBO_TAG_IFRAME] = T_SKIP, [GUMBO_TAG_NOEMBED] = T_SKIP,
	[GUMBO_TAG_NOFRAMES] = T_SKIP, [GUMBO_TAG_OBJECT] = T_SKIP,
	[GUMBO_TAG_EMBED] = T_SKIP,

	[GUMBO_TAG_P] = T_BLOCK, [GUMBO_TAG_DIV] = T_BLOCK,
	[GUMBO_TAG_LI] = T_BLOCK, [GUMBO_TAG_UL] = T_BLOCK,
	[GUMBO_TAG_OL] = T_BLOCK, [GUMBO_TAG_H1] = T_BLOCK,
	[GUMBO_TAG_H2] = T_BLOCK, [GUMBO_TAG_H3] = T_BLOCK,
	[GUMBO_TAG_H4] = T_BLOCK, [GUMBO_TAG_H5] = T_BLOCK,
	[GUMBO_TAG_H6] = T_BLOCK, [GUMBO_TAG_HGROUP] = T_BLOCK,
	[GUMBO_TAG_TR] = T_BLOCK, [GUMBO_TAG_TABLE] = T_BLOCK,
	[GUMBO_TAG_CAPTION] = T_BLOCK, [GUMBO_TAG_BLOCKQUOTE] = T_BLOCK,
	[GUMBO_TAG_SECTION] = T_BLOCK, [GUMBO_TAG_ARTICLE] = T_BLOCK,
	[GUMBO_TAG_HEADER] = T_BLOCK, [GUMBO_TAG_FOOTER] = T_BLOCK,
	[GUMBO_TAG_NAV] = T_BLOCK, [GUMBO_TAG_ASIDE] = T_BLOCK,
	[GUMBO_TAG_MAIN] = T_BLOCK, [GUMBO_TAG_ADDRESS] = T_BLOCK,
	[GUMBO_TAG_HR] = T_BLOCK, [GUMBO_TAG_DL] = T_BLOCK,
	[GUMBO_TAG_DT] = T_BLOCK, [GUMBO_TAG_DD] = T_BLOCK,
	[GUMBO_TAG_FIGURE] = T_BLOCK, [GUMBO_TAG_FIGCAPTION] = T_BLOCK,
	[GUMBO_TAG_FORM] = T_BLOCK, [GUMBO_TAG_FIELDSET] = T_BLOCK,
	[GUMBO_TAG_LEGEND] = T_BLOCK, [GUMBO_TAG_DETAILS] = T_BLOCK,
	[GUMBO_TAG_SUMMARY] = T_BLOCK, [GUMBO_TAG_MENU] = T_BLOCK,
	[GUMBO_TAG_DIR] = T_BLOCK, [GUMBO_TAG_CENTER] = T_BLOCK,
	[GUMBO_TAG_OPTION] = T_BLOCK,

	[GUMBO_TAG_TD] = T_CELL, [GUMBO_TAG_TH] = T_CELL,

	[GUMBO_TAG_PRE] = T_PRE, [GUMBO_TAG_LISTING] = T_PRE,
	[GUMBO_TAG_XMP] = T_PRE, [GUMBO_TAG_PLAINTEXT] = T_PRE,
	[GUMBO_TAG_TEXTAREA] = T_PRE,
};

/* The writer: white space is held back as "pending" and written only when
 * text follows, which is what collapses runs and trims both ends. */
struct writer {
	struct buf *out;
	int nl;         /* pending line breaks, 0..2 */
	int sp;         /* a pending space */
	int any;        /* something has been written */
	int pre;        /* depth of elements that keep white space */
	char ws[64];    /* blanks held back inside pre */
	size_t n_ws;    /* bytes in ws */
	int rc;         /* first error */
};

static void put(struct writer *w, const char *s, size_t n)
{
	if (w->rc || n == 0)
		return;
	if (w->any) {
		if (w->nl)
			w->rc = buf_append(w->out, "\n\n", (size_t)w->nl);
		else if (w->sp)
			w->rc = buf_putc(w->out, ' ');
	}
	w->nl = 0;
	w->sp = 0;
	if (!w->rc)
		w->rc = buf_append(w->out, s, n);
	w->any = 1;
}

static void line_break(struct writer *w, int hard)
{
	if (hard)
		w->nl = w->nl < 2 ? w->nl + 1 : 2;
	else if (w->nl == 0)
		w->nl = 1;
}

/* Write the text of a text node (entities already decoded by gumbo)
 * outside pre: every run of white space is one pending space. */
static void text_flow(struct writer *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (p[i]) {
		size_t run = i;
		unsigned c;

		while ((c = p[i]) != 0 && c != ' ' && c != '\t' && c != '\n' &&
		       c != '\r' && c != '\f' && !(c == 0xC2 && p[i + 1] == 0xA0))
			i++;
		put(w, s + run, i - run);
		if (!c)
			break;
		w->sp = 1;
		i += c == 0xC2 ? 2 : 1;         /* a no-break space counts too */
	}
}

/* Inside pre: lines and indentation stay; blanks at the end of a line and
 * blank lines beyond one in a row go.  Blanks are held in w->ws until
 * something visible follows them on the same line. */
static void text_pre(struct writer *w, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (p[i]) {
		size_t run = i;
		unsigned c;

		while ((c = p[i]) != 0 && c != ' ' && c != '\t' && c != '\n' &&
		       c != '\r' && c != '\f' && !(c == 0xC2 && p[i + 1] == 0xA0))
			i++;
		if (i > run) {
			if (w->n_ws) {
				put(w, w->ws, w->n_ws);
				w->n_ws = 0;
			}
			put(w, s + run, i - run);
		}
		if (!c)
			break;
		if (c == '\n') {
			w->n_ws = 0;
			line_break(w, 1);
		} else if (w->any) {
			if (w->n_ws == sizeof w->ws) {
				put(w, w->ws, w->n_ws);
				w->n_ws = 0;
			}
			w->ws[w->n_ws++] = c == '\t' ? '\t' : ' ';
		}
		i += c == 0xC2 ? 2 : 1;
	}
}

static void text(struct writer *w, const char *s)
{
	if (w->pre)
		text_pre(w, s);
	else
		text_flow(w, s);
}

/* An img's alt text, set apart by spaces. */
static void alt_text(struct writer *w, const GumboElement *el)
{
	const GumboAttribute *alt = gumbo_get_attribute(&el->attributes, "alt");

	if (!alt || !alt->value[0])
		return;
	w->sp = 1;
	text_flow(w, alt->value);
	w->sp = 1;
}

struct frame {
	const GumboNode *node;
	unsigned int next;      /* index of the next child to visit */
};

static const GumboVector *children_of(const GumboNode *node)
{
	if (node->type == GUMBO_NODE_DOCUMENT)
		return &node->v.document.children;
	return &node->v.element.children;
}

/* Walk the tree without recursion, writing its text through w. */
static void walk(struct writer *w, const GumboNode *root)
{
	struct frame *stack = NULL;
	size_t n = 0, cap = 0;

	stack = horch_xgrow(stack, &cap, 16, sizeof *stack);
	stack[n].node = root;
	stack[n].next = 0;
	n++;
	while (n && !w->rc) {
		struct frame *top = &stack[n - 1];
		const GumboVector *kids = children_of(top->node);
		const GumboNode *child;
		int kind;

		if (top->next >= kids->length) {
			/* Leaving an element. */
			if (top->node->type != GUMBO_NODE_DOCUMENT) {
				kind = tag_kind[top->node->v.element.tag];
				if (kind == T_BLOCK || kind == T_PRE)
					line_break(w, 0);
				else if (kind == T_CELL)
					w->sp = 1;
				if (kind == T_PRE) {
					w->pre--;
					w->n_ws = 0;
				}
			}
			n--;
			continue;
		}
		child = kids->data[top->next++];
		switch (child->type) {
		case GUMBO_NODE_TEXT:
		case GUMBO_NODE_CDATA:
		case GUMBO_NODE_WHITESPACE:
			text(w, child->v.text.text);
			continue;
		case GUMBO_NODE_ELEMENT:
			break;
		default:
			continue;       /* comments, templates */
		}
		switch (child->v.element.tag) {
		case GUMBO_TAG_BR:
			line_break(w, 1);
			continue;
		case GUMBO_TAG_IMG:
			alt_text(w, &child->v.element);
			continue;
		default:
			break;
		}
		kind = tag_kind[child->v.element.tag];
		if (kind == T_SKIP)
			continue;
		if (kind == T_BLOCK || kind == T_PRE)
			line_break(w, 0);
		else if (kind == T_CELL)
			w->sp = 1;
		if (kind == T_PRE)
			w->pre++;
		if (n == cap)
			stack = horch_xgrow(stack, &cap, n + 1, sizeof *stack);
		stack[n].node = child;
		stack[n].next = 0;
		n++;
	}
	free(stack);
}

/* Everything that changes between setjmp() and a longjmp() out of gumbo
 * lives on the heap, where its value survives the jump (automatic variables
 * that change in between would be indeterminate afterwards). */
struct job {
	struct pool pool;
	struct writer w;
};

/* Parse html[0..len) in the pool and write its text through job->w. */
static int parse_and_walk(struct job *job, const char *html, size_t len)
{
	GumboOptions opts = kGumboDefaultOptions;
	GumboOutput *doc;

	opts.allocator = pool_alloc;
	opts.deallocator = pool_free;
	opts.userdata = &job->pool;
	opts.max_errors = 0;
	doc = gumbo_parse_with_options(&opts, html, len);
	if (!doc || !doc->document)
		return HORCH_EPARSE;
	walk(&job->w, doc->document);
	return job->w.rc;
}

int text_html_to_text(struct buf *out, const char *html, size_t len)
{
	struct job *job;
	size_t start = out->len;
	int rc;

	if (len > TEXT_MAX)
		return HORCH_ETOOBIG;
	job = horch_xcalloc(1, sizeof *job);
	job->pool.cap = POOL_MIN + len * POOL_PER_BYTE;
	if (job->pool.cap > POOL_MAX)
		job->pool.cap = POOL_MAX;
	if (len > POOL_CLOCK_MIN_LEN)
		job->pool.deadline = cpu_now() + POOL_CPU_BASE +
				     (long long)(len * (double)POOL_CPU_PER_MIB / (1024.0 * 1024.0));
	job->w.out = out;
	if (setjmp(job->pool.fail) == 0)
		rc = parse_and_walk(job, html, len);
	else
		rc = HORCH_ETOOBIG;
	pool_release(&job->pool);
	free(job);
	if (rc) {
		out->len = start;
	} else {
		/* A run of blanks inside pre longer than the writer holds
		 * back (with the line break before it) may have been written
		 * before the end came. */
		while (out->len > start && (out->ptr[out->len - 1] == ' ' ||
					    out->ptr[out->len - 1] == '\t' ||
					    out->ptr[out->len - 1] == '\n'))
			out->len--;
	}
	if (out->ptr)
		out->ptr[out->len] = '\0';
	return rc;
}
