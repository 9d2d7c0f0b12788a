/* topic_gen.h - topics shaped like the shared benchmark's, made from posts.
 *
 * The shared workload (../shared/bench/topics_1000.tsv and
 * topics_10000.tsv) holds 11,000 topics; bench_match also needs 100,000
 * and 225,000.  topic_gen makes as many as asked "the same way": the
 * vocabulary (words, handles and hashtags, adjacent word pairs, words that
 * occur near each other) is taken from the posts given to
 * topic_vocab_add(), and the mix of query shapes (OR lists, AND of OR
 * lists, NOT exclusions, NEAR/n, lang: filters, phrases, wildcards), the
 * sizes of the OR lists and the document frequencies of the words follow
 * the measured mix of topics_10000.tsv.  A fixed seed gives the same topics
 * on every machine: the output depends only on the posts, their order, the
 * seed and the count.  Every query it writes parses in strict mode.
 *
 * Used by bench_match (in memory) and by gen_topics (the command behind
 * scripts/gen-topics).  Single-threaded: a struct topic_vocab belongs to
 * one thread. */
#ifndef HORCH_TOPIC_GEN_H
#define HORCH_TOPIC_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/post.h"

struct topic_vocab;

/* A new, empty vocabulary.  Never NULL (out of memory aborts). */
struct topic_vocab *topic_vocab_new(void);

void topic_vocab_free(struct topic_vocab *v); /* NULL-safe */

/* Add the words of one post: text[0..len) must be normalised UTF-8
 * (text_normalise()); de is 1 for a German post, 0 for any other.  Texts
 * longer than 64 KiB are skipped. */
void topic_vocab_add(struct topic_vocab *v, const char *text, size_t len, int de);

/* Append n topics to out, one a line, "NAME<TAB>QUERY\n", named
 * "gen-000000", "gen-000001", ...  The topics are those
 * of the random stream started by seed: the first k of a call for n > k are
 * the topics of a call for k.  Returns 0, or HORCH_EINVAL when the
 * vocabulary is too small to make topics from (fewer than 100 distinct
 * words), or HORCH_ETOOBIG (out's cap). */
int topic_gen(struct topic_vocab *v, size_t n, uint64_t seed, struct buf *out);

/* Read the shared benchmark's posts from path (JSON Lines:
 * {"id": N, "text": "...", "lang": "en"|"de", ...}) into *out, an array of
 * *n new posts in file order, each with its text normalised
 * (text_normalise()), its lang, source "bench" and external_id the id.
 * The caller owns the posts and the array (topic_gen_free_posts()).
 * Returns 0, or HORCH_EIO (unreadable) or HORCH_EPARSE (a line that is not
 * such an object, or longer than 1 MiB; err->line names it), *out then
 * NULL. */
int topic_gen_load_posts(const char *path, struct post ***out, size_t *n, struct horch_err *err);

void topic_gen_free_posts(struct post **posts, size_t n); /* NULL-safe */

/* Find file (e.g. "posts.jsonl") of the shared benchmark workload: in
 * $HORCH_SHARED/../bench (HORCH_SHARED names shared/data, as for the
 * tests), else in ../shared/bench beside the source tree.  Writes the path
 * to out[0..cap) and returns 0, or returns HORCH_ENOTFOUND (no readable
 * file; out then holds the last place tried). */
int topic_gen_data_path(char *out, size_t cap, const char *file);

#endif
