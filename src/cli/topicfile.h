/* topicfile.h - the reader of topic files, as `horch topic import` takes
 * them: one topic per line, either NAME<TAB>QUERY or a JSON object
 * {"name":...,"query":...,"team":...,"color":...}; blank lines and lines
 * starting with # are skipped, a CR before the LF is dropped, and a UTF-8
 * byte order mark at the start of the file is skipped.
 *
 * The reader needs no store: it checks each line on its own (the fields'
 * sizes, the name as the store checks it, the query as `topic lint` does)
 * and hands every good line to a callback and every problem, with its line
 * and byte column (1-based, in the line), to another.  Whether a name is
 * in the file twice or stored already is the caller's business.  It is
 * fed by files from outside, so every size is capped and nothing in the
 * input can make it abort (tests/fuzz/fuzz_topicfile.c).  Single-threaded
 * per call; no globals. */
#ifndef HORCH_CLI_TOPICFILE_H
#define HORCH_CLI_TOPICFILE_H

#include <stddef.h>

struct query;

/* The longest line read (bytes): a name, a query at their caps, and room
 * for JSON escapes, team and colour. */
#define TOPICFILE_LINE_MAX (128u + 16u * 1024 + 4096)

/* One good line.  Every pointer is owned by whoever holds the struct:
 * free it with topicfile_entry_cleanup(). */
struct topicfile_entry {
	long line;       /* 1-based line in the file */
	char *name;      /* the name as the store saves it (store_topic_name_canon()) */
	char *query;     /* the query to save: as written, or canonical when lenient */
	char *team;      /* or NULL */
	char *color;     /* or NULL */
	int has_team;    /* 1: the line gives a team (JSON "team", null included) */
	int has_color;   /* 1: the line gives a colour (JSON "color", null included) */
	struct query *q; /* the parsed query (query_free()) */
};

void topicfile_entry_cleanup(struct topicfile_entry *e);  /* NULL-safe; zeroes e */

/* Called for each good line; takes ownership of *e (the callback must
 * keep it or call topicfile_entry_cleanup()). */
typedef void (*topicfile_entry_fn)(void *ctx, struct topicfile_entry *e);
/* Called for each problem: kind is "error" (the line is bad) or
 * "warning" (the query is valid but probably not meant). */
typedef void (*topicfile_problem_fn)(void *ctx, long line, long col, const char *kind,
				     const char *msg);

/* Read the topic file text[0..len).  The bytes are changed in place (each
 * line end becomes a NUL) and text[len] must exist (the caller puts a NUL
 * there).  flags are query_parse() flags (QUERY_LENIENT: queries are saved
 * in canonical form).  Returns the number of bad lines; never fails
 * otherwise. */
size_t topicfile_read(char *text, size_t len, unsigned flags, topicfile_entry_fn on_entry,
		      topicfile_problem_fn on_problem, void *ctx);

#endif
