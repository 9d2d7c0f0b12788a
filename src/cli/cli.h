/* cli.h - shared by the files of the command-line interface.
 *
 * Every subcommand is described once, in the table in opts.c: its options,
 * its synopsis, its help text and examples.  The same table parses the
 * command line, prints --help, and generates the COMMANDS section of the man
 * page (`horch --man`), so the three never disagree.  Single-threaded. */
#ifndef HORCH_CLI_H
#define HORCH_CLI_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "../core/err.h"
#include "../query/match.h"

/* Exit codes (documented in the man page). */
enum {
	EXIT_OK = 0,       /* success */
	EXIT_RUNTIME = 1,  /* runtime error: a file, the database, bad input rows */
	EXIT_USAGE = 2,    /* the command line is wrong */
};

struct cli_opt {
	const char *name;   /* long name, without "--" */
	char short_name;    /* one-letter alias, or 0 */
	const char *arg;    /* placeholder of the value ("PATH"), NULL for a flag */
	const char *help;   /* one sentence */
};

#define CLI_MAX_OPTS 32

/* A parsed command line. */
struct cli_args {
	const struct cli_cmd *cmd;         /* the subcommand */
	const char *value[CLI_MAX_OPTS];   /* value of option i of cmd->opts ("" for a set flag) */
	const char *global[CLI_MAX_OPTS];  /* value of global option i */
	char **pos;                        /* positional arguments */
	int n_pos;
};

struct cli_cmd {
	const char *name;          /* "import" */
	const char *args;          /* synopsis of the positional arguments: "FILE..." */
	int min_pos, max_pos;      /* how many positional arguments (max -1: any) */
	const char *summary;       /* one line, for `horch --help` */
	const char *description;   /* paragraphs, separated by blank lines */
	const struct cli_opt *opts;/* terminated by an entry with name NULL */
	const char *examples;      /* lines: "command  # what it does" */
	int (*run)(struct cli_args *a);
};

/* The value of option name, NULL when not given; "" for a set flag.
 * Looks at the command's options, then at the global ones. */
const char *cli_get(const struct cli_args *a, const char *name);
int cli_flag(const struct cli_args *a, const char *name);

/* Print "horch: CMD: message" on stderr (one line). */
void cli_error(const struct cli_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Report err as "horch: CMD: message" and return the exit code for it. */
int cli_fail(const struct cli_args *a, const struct horch_err *err);

/* The database path: --db, else $HORCH_DB, else ./horch.db. */
const char *cli_db_path(const struct cli_args *a);

/* Parse --since/--until (absolute or "7d"); HORCH_TIME_NONE if absent.
 * Returns 0 or EXIT_USAGE after printing the error. */
int cli_time_opt(const struct cli_args *a, const char *name, int64_t *out);

/* A count option --NAME from min to max: leaves *out as it is when the
 * option is absent.  Returns 0, or EXIT_USAGE after printing the error. */
/* A command with subcommands (topic, launch): refuse an option given that
 * the subcommand a->pos[0] does not take.  allowed lists its options'
 * names separated by spaces ("json table"); usage is its usage line.
 * Returns 0, or EXIT_USAGE after printing the problem. */
int cli_sub_opts(const struct cli_args *a, const char *allowed, const char *usage);

int cli_count_opt(const struct cli_args *a, const char *name, size_t min, size_t max,
		  size_t *out);

struct store_query;
/* Fill q's filters from --since, --until, --source, --lang and --author
 * (q initialised by the caller).  Returns 0 or EXIT_USAGE. */
int cli_filters(const struct cli_args *a, struct store_query *q);

/* How results are printed. */
enum cli_format { CLI_TABLE, CLI_JSON, CLI_CSV };
/* --json / --csv / --table; both --json and --csv is a usage error (-1). */
int cli_format(const struct cli_args *a);

/* Parse argv; returns 0 with *out filled, or an exit code after printing
 * the problem (EXIT_OK after --help or --version). */
int cli_parse(int argc, char **argv, struct cli_args *out);

/* Write the man page's COMMANDS section in scdoc syntax. */
void cli_print_man(FILE *f);

/* The subcommands. */
int cmd_import(struct cli_args *a);
int cmd_search(struct cli_args *a);
int cmd_stats(struct cli_args *a);
int cmd_topic(struct cli_args *a);
int cmd_eval(struct cli_args *a);
int cmd_train(struct cli_args *a);
int cmd_product(struct cli_args *a);
int cmd_simulate(struct cli_args *a);
int cmd_replay(struct cli_args *a);
int cmd_user(struct cli_args *a);
int cmd_token(struct cli_args *a);
int cmd_serve(struct cli_args *a);
int cmd_launch(struct cli_args *a);
int cmd_alert(struct cli_args *a);
int cmd_source(struct cli_args *a);

/* horch eval ratings FILE (eval_ratings.c) and horch eval response FILE
 * (eval_response.c): the rating and first-response figures of signal.h on
 * a file of reviews and on one of support conversations. */
int cli_eval_ratings(struct cli_args *a);
int cli_eval_response(struct cli_args *a);

/* The readers of those two files by themselves, for their fuzz targets
 * (tests/fuzz/fuzz_ratings.c and fuzz_response.c). */

/* What horch eval ratings found in a file of reviews. */
struct cli_ratings_counts {
	size_t records;      /* records after the header (lines of blanks are none) */
	size_t reviews;      /* reviews kept */
	size_t duplicates;   /* syndicated copies dropped */
	size_t no_name;      /* records left out: without a product name, */
	size_t no_rating;    /* without a rating, */
	size_t no_date;      /* without a date */
	size_t products;     /* products of the kept reviews */
	size_t pulled;       /* products the two-star rule pulls */
	int64_t now;         /* the newest review's time (ms UTC): the summaries' now */
};

struct rating_rule;
struct rating_summary;
/* Read the CSV text data[0..len) as horch eval ratings reads a file of
 * reviews (path names it in messages) and summarise its products and all
 * its reviews together (into *all, unless NULL) under rule as the command
 * does.  Returns 0 with *out filled, or the command's error (HORCH_EPARSE,
 * HORCH_ETOOBIG) with err naming the line and column; *out and *all are
 * untouched then. */
int cli_eval_ratings_read(const char *path, const char *data, size_t len,
			  const struct rating_rule *rule, struct cli_ratings_counts *out,
			  struct rating_summary *all, struct horch_err *err);

/* One post of a file of support conversations (horch eval response). */
struct cli_response_row {
	const char *id;      /* normalised ("3.0" -> "3"), in the arena */
	const char *author;  /* without a leading '@' */
	const char *parent;  /* normalised, NULL: none */
	const char *text;    /* customer posts only, else NULL */
	int64_t t;           /* created_at, ms UTC */
	int inbound;         /* the file's inbound column */
};

struct arena;
/* Read the posts of the CSV file path as horch eval response does into
 * *rows and *n: the caller frees the array with free(), its strings are in
 * arena (the caller's).  Returns 0, or HORCH_EIO, HORCH_EPARSE or
 * HORCH_ETOOBIG with err naming the line and column; *rows is NULL and *n
 * 0 then (what was put in arena stays there). */
int cli_eval_response_read(const char *path, struct arena *arena,
			   struct cli_response_row **rows, size_t *n, struct horch_err *err);

/* ---- the analysis models (cmd_product.c) ---- */

struct nlp;
struct store;
/* Load the models of the enrich stage for a command that stores posts:
 * the lexicons, the product catalogue of st, and the model of
 * --sentiment-model when a has one.  Returns 0 with *out set (free with
 * nlp_free()), or an error. */
int cli_load_nlp(const struct cli_args *a, struct store *st, struct nlp **out,
		 struct horch_err *err);
/* The same with the sentiment model's path given (NULL: the rules). */
int cli_load_nlp_model(const char *model, struct store *st, struct nlp **out,
		       struct horch_err *err);

/* ---- topics (topics.c) ---- */

struct matcher;
struct query;
struct store;
struct store_topic;

/* Draw a progress line on stderr (the caller checked that stderr is a
 * terminal): label, the fraction done as a bar when frac >= 0, count units
 * done, their rate and the time left. */
void cli_bar(const char *label, double frac, uint64_t count, const char *unit,
	     int64_t started_ns);
/* Take a progress line off the screen if *shown, and clear *shown. */
void cli_bar_clear(int *shown);

/* Copy the name s into out[0..size) for a message as the store quotes
 * names (store_topic_name_quote()): control and invalid bytes as \xNN,
 * invisible code points as \uXXXX, cut with "..." when it does not fit. */
void cli_quote(char *out, size_t size, const char *s);

/* store_refs_fn for struct store_opts: the topic:NAME references of a
 * stored query (parsed strictly, as cli_topic_parse() does). */
int cli_topic_refs(const char *query, void (*found)(void *fctx, const char *name, size_t len),
		   void *fctx);

/* Does the parsed query q (may be NULL) refer to a topic (topic:NAME)?  A
 * topic that does not always passes matcher_check_refs(), so the checks
 * skip it (they cost a pass over every topic's name each). */
int cli_query_has_refs(const struct query *q);

/* Call found() for each topic:NAME of the parsed query q (may be NULL),
 * with the name as written. */
void cli_query_refs(const struct query *q, void (*found)(void *fctx, const char *name,
							  size_t len), void *fctx);

/* Parse the stored query of t (strict: a query saved with --lenient is
 * stored in its canonical form).  Returns 0 with *out set (the caller frees
 * it with query_free()), or HORCH_EPARSE/HORCH_ETOOBIG naming the topic. */
int cli_topic_parse(const struct store_topic *t, struct query **out, struct horch_err *err);

/* Every stored topic, parsed (cli_topics_load()). */
struct matcher_topic;
struct cli_topics {
	struct matcher_topic *mt; /* id, query and name of each, in name order */
	struct query **q;         /* the queries of mt (owned) */
	int64_t *matched_to;      /* the history progress of each */
	int64_t *revision;        /* the revision of each (store_topic.revision) */
	size_t n, cap_mt, cap_q, cap_to, cap_rev;
	int rc;                   /* private to the loader */
	struct horch_err *err;
};

/* Load and parse every stored topic into *out (names and queries copied;
 * cli_topics_cleanup() frees them).  Returns 0 or an error naming the
 * topic whose stored query does not parse. */
int cli_topics_load(struct store *st, struct cli_topics *out, struct horch_err *err);
void cli_topics_cleanup(struct cli_topics *t); /* NULL-safe; zeroes t */
/* The index of the topic with id in t, or -1. */
ssize_t cli_topics_find(const struct cli_topics *t, int64_t id);

/* Word statistics of up to 5,000 stored posts sampled in ten ranges over
 * the table, for matcher_build_with(); NULL (no statistics) when fewer
 * than 100 posts are stored.  The caller frees it with
 * match_stats_free(). */
struct match_stats;
struct match_stats *cli_match_stats(struct store *st);

/* Build the matcher of every stored topic (names included, so that
 * topic:NAME references resolve) into *out (the caller owns it), their
 * number into *n_topics and the topics version it was built from into
 * *version (both may be NULL), with word statistics of the stored posts
 * when with_stats.  Returns 0 or an error. */
int cli_build_matcher(struct store *st, struct matcher **out, size_t *n_topics,
		      int64_t *version, int with_stats, struct horch_err *err);

/* Finish any unfinished history pass (cli_resume_history()), then
 * cli_build_matcher() with statistics.  Returns 0 or an error. */
int cli_load_matcher(struct store *st, struct matcher **out, size_t *n_topics,
		     int64_t *version, struct horch_err *err);

/* What cli_finish_history() did. */
struct cli_rematch_stats {
	size_t n_topics;           /* topics whose history was matched */
	uint64_t n_posts;          /* posts read */
	uint64_t n_matched_posts;  /* of them, posts that matched a topic */
	uint64_t n_matches;        /* matches found (stored unless the pair was already) */
	double secs;               /* time taken */
};

/* Match the stored history of every topic whose history is unfinished
 * (matched_to is not STORE_HISTORY_DONE: just saved, its query changed, or
 * a pass cut short by a crash) from where each stands, and store the
 * matches with the topics' progress, a chunk of posts per transaction
 * (store_put_history()), with a progress line on a terminal (unless a is
 * NULL or has --quiet).  Returns 0 (stats filled; n_topics 0 when nothing
 * was unfinished), or the store's error (the chunks before it stay stored,
 * and the next call goes on after them). */
int cli_finish_history(const struct cli_args *a, struct store *st,
		       struct cli_rematch_stats *stats, struct horch_err *err);

/* cli_finish_history(), saying on stderr what it finished when there was
 * anything (unless a has --quiet).  Every topic command and import call it
 * before anything else.  Returns 0 or the store's error. */
int cli_resume_history(const struct cli_args *a, struct store *st, struct horch_err *err);

/* Fill *out with the topic called name (store_topic_get()).  Returns 0, or
 * an exit code after printing the problem ("no topic named 'X'"). */
int cli_topic_get(const struct cli_args *a, struct store *st, const char *name,
		  struct store_topic *out);

/* --topic NAME: set q->topic to the topic's id.  Returns 0 (also when the
 * option is absent), or EXIT_RUNTIME after printing "no topic named". */
int cli_topic_id(const struct cli_args *a, struct store *st, struct store_query *q);

/* A table printed to a terminal or a pipe: columns sized to their widest
 * cell; the last column is cut to the terminal's width on a terminal. */
struct table;
struct table *table_new(FILE *f, int n_cols, const char *const *headers);
/* Add a row of n_cols cells (NULL prints as empty); cells are copied. */
void table_add(struct table *t, const char *const *cells);
/* Print and free.  Right-aligns columns whose name is in right_cols (a
 * bitmask by column index). */
void table_print(struct table *t, unsigned right_cols);
/* Free without printing (after an error).  NULL-safe. */
void table_free(struct table *t);

/* Write s as one RFC 4180 CSV field (quoted when needed). */
void csv_field(FILE *f, const char *s);
/* Write s as a JSON string (json_put_string(): always valid JSON). */
void json_field(FILE *f, const char *s);

/* A thousands-separated number: 14640 -> "14,640" (into out, returned). */
const char *cli_num(uint64_t n, char out[32]);

/* ---- names by id (topics.c): of topics, of products, read once ---- */

struct store_product;

struct cli_names {
	int64_t *id;
	char **name;
	size_t n, cap_id, cap_name;
	int loaded;             /* the caller's: 1 once filled */
};

/* Add id's name (copied). */
void cli_names_add(struct cli_names *nm, int64_t id, const char *name);
/* store_topic_fn and store_product_fn adding each one's id and name to the
 * struct cli_names ctx. */
int cli_names_topic(void *ctx, const struct store_topic *t);
int cli_names_product(void *ctx, const struct store_product *p);
/* The name of id, or NULL (id 0, or none); owned by nm. */
const char *cli_names_find(const struct cli_names *nm, int64_t id);
void cli_names_cleanup(struct cli_names *nm); /* NULL-safe; zeroes nm */

/* ---- backtest (topics.c): a query tried on the stored posts ---- */

/* A post the backtested query matched. */
struct cli_hit {
	int64_t created_at;
	int64_t id;
};

struct cli_backtest {
	const struct matcher *m;   /* the query (with the topics it refers to) */
	int64_t topic;             /* the query's id in m */
	struct match_doc *doc;     /* scratch, owned */
	struct match_result res;   /* scratch: the last post's matches */
	struct cli_hit *hits;      /* the matching posts, newest first after a scan */
	size_t n_hits, cap_hits;
	uint64_t n_posts;          /* posts read */
	int capped;                /* the scan stopped at max_posts */
};

void cli_backtest_init(struct cli_backtest *bt, const struct matcher *m, int64_t topic);
void cli_backtest_cleanup(struct cli_backtest *bt); /* NULL-safe; zeroes bt */

/* The hit of topic in r, or NULL (the other topics of a matcher are there
 * for the query's references only). */
const struct match_hit *cli_backtest_hit(const struct match_result *r, int64_t topic);

/* Match every stored post created at or after since (HORCH_TIME_NONE: all)
 * against bt->m, in id order, reading at most max_posts (0: no cap), and
 * keep the posts topic matched, newest first (16 bytes each).  Returns 0
 * or the store's error. */
int cli_backtest_scan(struct cli_backtest *bt, struct store *st, int64_t since,
		      uint64_t max_posts, struct horch_err *err);

#endif
