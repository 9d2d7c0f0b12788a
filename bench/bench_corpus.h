/* bench_corpus.h - the shared benchmark posts as the benchmarks of bench/
 * read them: the "text" (and the "lang", where a line has one) of every
 * line of posts.jsonl (63,907 real English and German tweets and review
 * sentences), each text as the file has it or normalised, and tokenised
 * when a benchmark times what comes after the tokenizer.
 *
 * The file is $HORCH_SHARED/../bench/posts.jsonl when HORCH_SHARED is set
 * (`make bench` sets it to ../shared/data), else, or when that is not
 * readable, ../shared/bench/posts.jsonl beside the source tree.  A
 * benchmark without it says so, naming where it looked (struct
 * bench_corpus's where), and exits 0, or uses a corpus of its own. */
#ifndef HORCH_BENCH_CORPUS_H
#define HORCH_BENCH_CORPUS_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "text/text.h"

#ifndef HORCH_BENCH_SOURCE_ROOT
#define HORCH_BENCH_SOURCE_ROOT "."
#endif

/* What bench_corpus_load() makes of each line. */
enum {
	BENCH_CORPUS_NORMALISE = 1 << 0,  /* text_normalise() the text */
	BENCH_CORPUS_TOKENS = 1 << 1,     /* text_tokenise() the (normalised) text */
	BENCH_CORPUS_NEED_LANG = 1 << 2,  /* leave out lines without a "lang" */
};

/* One post. */
struct bench_item {
	char *text;             /* NUL-terminated, owned */
	size_t len;             /* its byte length */
	char lang[8];           /* the file's "lang" ("en", "de"), "" without one */
	struct tokens tk;       /* its tokens, with BENCH_CORPUS_TOKENS */
};

struct bench_corpus {
	struct bench_item *v;
	size_t n, cap;
	unsigned flags;         /* BENCH_CORPUS_* it was loaded with */
	char path[4096];        /* the file read */
	char where[8192];       /* where it was looked for, for a message */
};

/* Append the text s[0..len) with the language lang (NULL: none) to c, as
 * it is: not normalised, not tokenised.  The text is copied. */
static inline struct bench_item *bench_corpus_add(struct bench_corpus *c, const char *s,
						  size_t len, const char *lang)
{
	struct bench_item *it;

	c->v = horch_xgrow(c->v, &c->cap, c->n + 1, sizeof *c->v);
	it = &c->v[c->n++];
	memset(it, 0, sizeof *it);
	it->text = horch_xstrndup(s, len);
	it->len = len;
	if (lang)
		snprintf(it->lang, sizeof it->lang, "%s", lang);
	return it;
}

/* Find posts.jsonl (see the top of this file) into c->path, and the places
 * looked at into c->where.  Returns 0 when it is readable, else -1. */
static inline int bench_corpus_find(struct bench_corpus *c)
{
	const char *shared = getenv("HORCH_SHARED");

	c->where[0] = '\0';
	if (shared && *shared) {
		snprintf(c->path, sizeof c->path, "%s/../bench/posts.jsonl", shared);
		if (access(c->path, R_OK) == 0)
			return 0;
		snprintf(c->where, sizeof c->where, "%s, ", c->path);
	}
	snprintf(c->path, sizeof c->path, "%s/../shared/bench/posts.jsonl",
		 HORCH_BENCH_SOURCE_ROOT);
	if (access(c->path, R_OK) == 0)
		return 0;
	snprintf(c->where + strlen(c->where), sizeof c->where - strlen(c->where), "%s",
		 c->path);
	return -1;
}

/* Read posts.jsonl into c (zeroed by the caller or by this function),
 * each line whose "text" is a string (and, with BENCH_CORPUS_NEED_LANG,
 * whose "lang" is one) as a bench_item made as flags say.  Returns 0, or
 * -1 when the file is not there or holds no such line; c->where then says
 * where it was looked for, and c holds nothing.  bench_corpus_free()
 * frees c either way. */
static inline int bench_corpus_load(struct bench_corpus *c, unsigned flags)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	struct buf norm;

	memset(c, 0, sizeof *c);
	c->flags = flags;
	if (bench_corpus_find(c) != 0 || !(f = fopen(c->path, "r"))) {
		if (!c->where[0])
			snprintf(c->where, sizeof c->where, "%s", c->path);
		return -1;
	}
	buf_init(&norm, BUF_NOLIMIT);
	while ((n = getline(&line, &cap, f)) > 0) {
		json_error_t jerr;
		json_t *o = json_loadb(line, (size_t)n, 0, &jerr);
		json_t *text = o ? json_object_get(o, "text") : NULL;
		json_t *lang = o ? json_object_get(o, "lang") : NULL;
		const char *s = json_string_value(text);
		size_t len = json_string_length(text);
		struct bench_item *it;

		if (!json_is_string(text) ||
		    ((flags & BENCH_CORPUS_NEED_LANG) && !json_is_string(lang))) {
			json_decref(o);
			continue;
		}
		if (flags & BENCH_CORPUS_NORMALISE) {
			buf_reset(&norm);
			text_normalise(&norm, s, len, NULL);
			s = norm.ptr ? norm.ptr : "";
			len = norm.len;
		}
		it = bench_corpus_add(c, s, len,
				      json_is_string(lang) ? json_string_value(lang) : NULL);
		if (flags & BENCH_CORPUS_TOKENS) {
			tokens_init(&it->tk);
			text_tokenise(&it->tk, it->text, it->len);
		}
		json_decref(o);
	}
	buf_cleanup(&norm);
	free(line);
	fclose(f);
	if (c->n == 0) {
		snprintf(c->where, sizeof c->where, "%s", c->path);
		return -1;
	}
	return 0;
}

/* Free what c holds (its texts, and its tokens when it was loaded with
 * BENCH_CORPUS_TOKENS); its path and where stay.  c may then be loaded
 * again. */
static inline void bench_corpus_free(struct bench_corpus *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].text);
		if (c->flags & BENCH_CORPUS_TOKENS)
			tokens_cleanup(&c->v[i].tk);
	}
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}

#endif
