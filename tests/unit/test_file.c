/* test_file.c - unit tests for ingest/file.c: JSON Lines and CSV readers
 * (blank lines, BOMs, CRLF, bad records with their lines while good ones
 * are read, over-long records, quoting, embedded newlines, records across
 * the read block's boundary, maps and their errors), post_map_parse(), and
 * the two real data sets when HORCH_SHARED is set.  Test files are written
 * into a mkdtemp() directory that is removed at the end. */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/post.h"
#include "ingest/ingest.h"
#include "ingest/ingest_int.h"
#include "tap.h"

static char dir[64];
static char made[64][128];
static int n_made;

/* Write len bytes to dir/name; returns the path (static storage). */
static const char *write_file(const char *name, const char *data, size_t len)
{
	char *path = made[n_made++];
	FILE *f;

	snprintf(path, sizeof made[0], "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len) {
		diag("cannot write %s", path);
		exit(1);
	}
	fclose(f);
	return path;
}

static const char *write_str(const char *name, const char *data)
{
	return write_file(name, data, strlen(data));
}

/* What reading one record gave. */
struct outcome {
	int rc;
	long line;
	char msg[512];
	struct post post;
};

#define MAX_OUT 16

/* Read every record of path; returns how many outcomes (at most MAX_OUT;
 * the count of records past that is in *n_more).  The open code goes to
 * *open_rc and its message to open_msg. */
static int read_all(const char *path, const struct file_opts *opts, struct outcome *out,
		    int *open_rc, char *open_msg)
{
	struct file_reader *r = NULL;
	struct horch_err err;
	int n = 0, rc;

	horch_err_clear(&err);
	*open_rc = file_reader_open(&r, path, opts, &err);
	if (open_msg)
		strcpy(open_msg, err.msg);
	if (*open_rc)
		return 0;
	for (;;) {
		struct post p;

		post_init(&p);
		horch_err_clear(&err);
		rc = file_reader_next(r, &p, &err);
		if (rc == 0)
			break;
		if (n < MAX_OUT) {
			out[n].rc = rc;
			out[n].line = err.line;
			strcpy(out[n].msg, err.msg);
			out[n].post = p;
			n++;
		} else {
			post_cleanup(&p);
		}
	}
	is_int(file_reader_offset(r), file_reader_size(r), "file-0.1 %s: the offset reaches the size",
	       strrchr(path, '/') + 1);
	is_int(file_reader_next(r, &(struct post){ 0 }, &err), 0, "file-0.2 %s: the end stays the end",
	       strrchr(path, '/') + 1);
	file_reader_close(r);
	return n;
}

/* a and b both given and equal. */
static int same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static void free_outcomes(struct outcome *out, int n)
{
	while (n-- > 0)
		post_cleanup(&out[n].post);
}

static void test_jsonl(void)
{
	struct outcome o[MAX_OUT];
	struct file_opts opts = { 0 };
	const char *path;
	char msg[512];
	int n, orc;
	int64_t before = horch_now();

	path = write_str("basic.jsonl",
			 "\xEF\xBB\xBF{\"source\":\"s\",\"external_id\":\"1\",\"text\":\"one\"}\r\n"
			 "\r\n"
			 "   \t \n"
			 "{\"text\": }\n"
			 "{\"source\":\"s\",\"external_id\":\"2\",\"text\":\"two\",\"likes\":4}\n"
			 "{\"source\":\"s\",\"external_id\":\"3\",\"text\":5}\n"
			 "{\"source\":\"s\",\"external_id\":\"4\"}\n"
			 "{\"text\":\"last\",\"author\":\"amy\",\"created_at\":\"2015-02-24T19:35:52Z\"}");
	n = read_all(path, &opts, o, &orc, msg);
	is_int(orc, 0, "file-1.1 JSON Lines opens");
	is_int(n, 6, "file-1.2 six records, blank lines skipped");
	is_int(o[0].rc, 1, "file-1.3 first line read (BOM, CRLF)");
	is_int(o[0].line, 1, "file-1.4 its line");
	is_str(o[0].post.text, "one", "file-1.5 its text");
	is_str(o[0].post.external_id, "1", "file-1.6 its id");
	is_int(o[1].rc, HORCH_EPARSE, "file-1.7 line 4 is bad JSON");
	is_int(o[1].line, 4, "file-1.8 reported on line 4");
	is_str(o[1].msg, "bad JSON: unexpected token near '}' at column 10", "file-1.9 message");
	is_int(o[2].rc, 1, "file-1.10 line 5 read after the bad one");
	is_int(o[2].line, 5, "file-1.11 its line");
	is_int(o[2].post.likes, 4, "file-1.12 its likes");
	is_int(o[3].rc, HORCH_EINVAL, "file-1.13 line 6 has a wrong type");
	is_int(o[3].line, 6, "file-1.14 reported on line 6");
	is_str(o[3].msg, "field \"text\": expected a string, got an integer", "file-1.15 message");
	is_int(o[4].rc, HORCH_EINVAL, "file-1.16 line 7 has no text");
	is_int(o[4].line, 7, "file-1.17 reported on line 7");
	is_str(o[4].msg, "no text, html or title", "file-1.18 message");
	is_int(o[5].rc, 1, "file-1.19 last line without a newline");
	is_int(o[5].line, 8, "file-1.20 its line");
	is_str(o[5].post.source, "import", "file-1.21 default source");
	ok(o[5].post.external_id && strncmp(o[5].post.external_id, "h:", 2) == 0 &&
	   strlen(o[5].post.external_id) == 18, "file-1.22 derived external id (%s)",
	   o[5].post.external_id);
	ok(o[5].post.fetched_at >= before && o[5].post.fetched_at <= horch_now(),
	   "file-1.23 fetched_at is the time of reading");
	is_int(o[0].post.fetched_at >= before, 1, "file-1.24 fetched_at on the first too");
	free_outcomes(o, n);

	opts.source = "webhook";
	n = read_all(path, &opts, o, &orc, NULL);
	is_str(n == 6 ? o[5].post.source : NULL, "webhook", "file-1.26 --source for records without");
	is_str(n == 6 ? o[0].post.source : NULL, "s", "file-1.27 a record's own source wins");
	free_outcomes(o, n);
}

static void test_jsonl_derived_id_stable(void)
{
	struct outcome a[MAX_OUT], b[MAX_OUT];
	struct file_opts opts = { 0 };
	const char *path = write_str("derive.jsonl",
				     "{\"text\":\"same\",\"author\":\"amy\",\"created_at\":1424806552}\n");
	int orc, na = read_all(path, &opts, a, &orc, NULL), nb = read_all(path, &opts, b, &orc, NULL);

	ok(na == 1 && nb == 1 && a[0].rc == 1 && b[0].rc == 1, "file-1.28 read twice");
	if (na == 1 && nb == 1)
		is_str(a[0].post.external_id, b[0].post.external_id,
		       "file-1.29 the same row gets the same derived id");
	else
		tap_skip(1, "not read");
	free_outcomes(a, na);
	free_outcomes(b, nb);
}

static void test_jsonl_long_lines(void)
{
	struct outcome o[MAX_OUT];
	struct file_opts opts = { 0 };
	struct buf b;
	size_t i;
	int n, orc;

	buf_init(&b, BUF_NOLIMIT);
	buf_puts(&b, "{\"source\":\"s\",\"external_id\":\"1\",\"text\":\"a\"}\n{\"text\":\"");
	for (i = 0; i < POST_JSON_MAX; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "\"}\n{\"source\":\"s\",\"external_id\":\"3\",\"text\":\"c\"}\n");
	n = read_all(write_file("long.jsonl", b.ptr, b.len), &opts, o, &orc, NULL);
	is_int(n, 3, "file-1.30 three records around an over-long line");
	is_int(o[1].rc, HORCH_ETOOBIG, "file-1.31 the long line is too big");
	is_int(o[1].line, 2, "file-1.32 on line 2");
	is_str(o[1].msg, "longer than 4194304 bytes", "file-1.33 message");
	is_int(o[2].rc, 1, "file-1.34 the next line is read");
	is_int(o[2].line, 3, "file-1.35 on line 3");
	is_str(o[2].post.external_id, "3", "file-1.36 its id");
	free_outcomes(o, n);

	/* A line that crosses the read block's boundary. */
	buf_reset(&b);
	buf_puts(&b, "{\"source\":\"s\",\"external_id\":\"1\",\"text\":\"");
	while (b.len < FILE_READ_BLOCK - 20)
		buf_putc(&b, 'p');
	buf_puts(&b, "\"}\n{\"source\":\"s\",\"external_id\":\"2\",\"text\":\"across the boundary\"}\n");
	n = read_all(write_file("block.jsonl", b.ptr, b.len), &opts, o, &orc, NULL);
	is_int(n, 2, "file-1.37 two records");
	is_str(n == 2 ? o[1].post.text : NULL, "across the boundary",
	       "file-1.38 the record across the block boundary");
	is_int(n == 2 ? o[1].line : 0, 2, "file-1.39 on line 2");
	free_outcomes(o, n);
	buf_cleanup(&b);
}

static void test_jsonl_map(void)
{
	struct outcome o[MAX_OUT];
	struct file_opts opts = { 0 };
	struct post_map map;
	struct horch_err err;
	int n, orc;

	is_int(post_map_parse(&map, "external_id=id,source=src", &err), 0, "file-1.40 map parses");
	opts.map = &map;
	n = read_all(write_str("map.jsonl", "{\"id\": 0, \"text\": \"hi\", \"lang\": \"en\", "
			       "\"src\": \"tse\"}\n"), &opts, o, &orc, NULL);
	is_int(n, 1, "file-1.41 one record");
	is_str(n ? o[0].post.external_id : NULL, "0", "file-1.42 id 0 is the external id");
	is_str(n ? o[0].post.source : NULL, "tse", "file-1.43 src is the source");
	free_outcomes(o, n);
	post_map_cleanup(&map);
}

static void test_csv(void)
{
	struct outcome o[MAX_OUT];
	struct file_opts opts = { 0 };
	int n, orc;
	char msg[512];
	const char *path;

	path = write_str("basic.csv",
			 "external_id,text,author,created_at,likes\n"
			 "1,\"hello, world\",@amy,2015-02-24 11:35:52 -0800,3\n"
			 "2,\"she said \"\"hi\"\"\",bob,,\n"
			 "3,\"multi\nline\ntext\",carl,,1\n"
			 "4,after,dan,,\n"
			 "\n"
			 "5,too,few\n"
			 "6,x,y,2015-13-01,0\n"
			 "7,\"bad\"quote,z,,\n"
			 "8,ok,eve,,12\n"
			 "9,\"unterminated,x,,\n"
			 "10,z,z,,\n");
	n = read_all(path, &opts, o, &orc, msg);
	is_int(orc, 0, "file-2.1 CSV opens");
	is_int(n, 9, "file-2.2 nine outcomes");
	is_int(o[0].rc, 1, "file-2.3 quoted comma");
	is_str(o[0].post.text, "hello, world", "file-2.4 text with a comma");
	is_str(o[0].post.author, "amy", "file-2.5 author without '@'");
	is_int(o[0].post.created_at, 1424806552000LL, "file-2.6 created_at");
	is_int(o[0].post.likes, 3, "file-2.7 likes");
	is_int(o[0].line, 2, "file-2.8 line 2");
	is_str(o[0].post.source, "import", "file-2.9 default source");
	is_str(o[1].post.text, "she said \"hi\"", "file-2.10 doubled quotes");
	is_int(o[1].post.likes, POST_COUNT_NONE, "file-2.11 empty cell is not given");
	is_int(o[1].post.created_at, HORCH_TIME_NONE, "file-2.12 empty time is not given");
	is_str(o[2].post.text, "multi\nline\ntext", "file-2.13 embedded newlines");
	is_int(o[2].line, 4, "file-2.14 the record starts on line 4");
	is_int(o[3].line, 7, "file-2.15 the next record is on line 7");
	is_str(o[3].post.text, "after", "file-2.16 its text");
	is_int(o[4].rc, HORCH_EPARSE, "file-2.17 too few fields");
	is_int(o[4].line, 9, "file-2.18 on line 9 (after a blank line)");
	is_str(o[4].msg, "3 fields, header has 5", "file-2.19 message");
	is_int(o[5].rc, HORCH_EINVAL, "file-2.20 a bad cell");
	is_int(o[5].line, 10, "file-2.21 on line 10");
	is_str(o[5].msg, "field \"created_at\": bad time \"2015-13-01\": "
	       "month 13 out of range at column 6", "file-2.22 message names the field");
	is_int(o[6].rc, HORCH_EPARSE, "file-2.23 bad quoting");
	is_int(o[6].line, 11, "file-2.24 on line 11");
	is_str(o[6].msg, "bad quoting on line 11: a quote inside an unquoted field, or text "
	       "after a closing quote", "file-2.25 message");
	is_int(o[7].rc, 1, "file-2.26 reading goes on after bad quoting");
	is_int(o[7].line, 12, "file-2.27 on line 12");
	is_int(o[7].post.likes, 12, "file-2.28 its likes");
	is_int(o[8].rc, HORCH_EPARSE, "file-2.29 an unclosed quote");
	is_int(o[8].line, 13, "file-2.30 reported where it opened");
	is_str(o[8].msg, "a quoted field is not closed at the end of the file", "file-2.31 message");
	free_outcomes(o, n);
}

static void test_csv_forms(void)
{
	struct outcome o[MAX_OUT];
	struct file_opts opts = { 0 };
	struct post_map map;
	struct horch_err err;
	char msg[512];
	int n, orc;

	/* BOM, CRLF, semicolons, a last record without a line end. */
	opts.delimiter = ';';
	opts.source = "reviews";
	n = read_all(write_str("semi.csv", "\xEF\xBB\xBFtext;rating;kind;country\r\n"
			       "\"Gut; sehr gut\";4.5;review;de\r\n"
			       "  spaces around  ; 3 ;review;at"), &opts, o, &orc, msg);
	is_int(orc, 0, "file-3.1 semicolon CSV with a BOM opens");
	is_int(n, 2, "file-3.2 two records");
	is_str(o[0].post.text, "Gut; sehr gut", "file-3.3 quoted semicolon");
	is_dbl(o[0].post.rating, 4.5, 0, "file-3.4 rating");
	is_int(o[0].post.kind, POST_KIND_REVIEW, "file-3.5 kind");
	is_str(o[0].post.country, "DE", "file-3.6 country");
	is_str(o[0].post.source, "reviews", "file-3.7 --source");
	is_int(o[0].line, 2, "file-3.8 line 2");
	is_str(n == 2 ? o[1].post.text : NULL, "spaces around", "file-3.9 unquoted blanks trimmed");
	is_int(n == 2 ? o[1].line : 0, 3, "file-3.10 last record without a line end");
	free_outcomes(o, n);
	opts.delimiter = 0;
	opts.source = NULL;

	/* Maps. */
	is_int(post_map_parse(&map, "text=body,external_id=tweet_id,author=name", &err), 0,
	       "file-3.11 map parses");
	opts.map = &map;
	n = read_all(write_str("mapped.csv", "tweet_id,name,body,text\n"
			       "17,amy,from body,not this\n"), &opts, o, &orc, msg);
	is_int(n, 1, "file-3.12 mapped CSV");
	is_str(n ? o[0].post.text : NULL, "from body", "file-3.13 the map beats the column name");
	is_str(n ? o[0].post.external_id : NULL, "17", "file-3.14 mapped id");
	is_str(n ? o[0].post.author : NULL, "amy", "file-3.15 mapped author");
	free_outcomes(o, n);
	n = read_all(write_str("mapbad.csv", "tweet_id,name,body\n17,amy,\n"), &opts, o, &orc,
		     msg);
	is_int(n ? o[0].rc : 0, HORCH_EINVAL, "file-3.15a a mapped record without text");
	{
		struct post_map m2;
		struct file_opts o2 = { 0 };

		post_map_parse(&m2, "created_at=tweet_created,text=body", &err);
		o2.map = &m2;
		n = read_all(write_str("mapbad2.csv", "tweet_created,body\n2015-13-01,x\n"), &o2,
			     o, &orc, msg);
		is_str(n ? o[0].msg : NULL, "column \"tweet_created\": field \"created_at\": bad time "
		       "\"2015-13-01\": month 13 out of range at column 6",
		       "file-3.15b a cell error names the column and the field");
		is_int(n ? o[0].line : 0, 2, "file-3.15c on line 2");
		post_map_cleanup(&m2);
	}
	n = read_all(write_str("tweets.csv", "tweet_id,airline_sentiment,name,text\n1,x,y,z\n"),
		     &opts, o, &orc, msg);
	is_int(orc, HORCH_EINVAL, "file-3.16 a map naming a missing column");
	ok(strstr(msg, "--map: column \"body\" not in the header of ") == msg,
	   "file-3.17 message starts (%s)", msg);
	ok(strstr(msg, "tweets.csv (columns: tweet_id, airline_sentiment, name, text)") != NULL,
	   "file-3.18 message lists the columns");
	post_map_cleanup(&map);
	opts.map = NULL;

	n = read_all(write_str("empty.csv", ""), &opts, o, &orc, msg);
	is_int(orc, HORCH_EPARSE, "file-3.19 an empty CSV has no header");
	ok(strstr(msg, "empty.csv: no header row") != NULL, "file-3.20 message (%s)", msg);
	n = read_all(write_str("dup.csv", "text,text\na,b\n"), &opts, o, &orc, msg);
	is_int(orc, HORCH_EPARSE, "file-3.21 a used column twice");
	ok(strstr(msg, "column \"text\" appears twice in the header") != NULL,
	   "file-3.22 message (%s)", msg);
	n = read_all(write_str("dup2.csv", "x,x,text,external_id\na,b,c,1\n"), &opts, o, &orc, msg);
	is_int(orc, 0, "file-3.23 an unused column twice is fine");
	is_int(n, 1, "file-3.24 and its record is read");
	free_outcomes(o, n);
	n = read_all(write_str("badhead.csv", "a,\"b\"c\n1,2\n"), &opts, o, &orc, msg);
	is_int(orc, HORCH_EPARSE, "file-3.25 a header with bad quoting");
	opts.delimiter = '"';
	n = read_all(write_str("quote.csv", "a\n"), &opts, o, &orc, msg);
	is_int(orc, HORCH_EINVAL, "file-3.26 a quote as the delimiter");
	opts.delimiter = 0;
	n = read_all(write_str("nocsv", "text\n"), &opts, o, &orc, msg);
	is_int(orc, 0, "file-3.27 no .csv suffix: read as JSON Lines");
	is_int(n, 1, "file-3.28 one record");
	is_int(n ? o[0].rc : 0, HORCH_EPARSE, "file-3.29 which is bad JSON");
	free_outcomes(o, n);
	n = read_all(write_str("upper.CSV", "text\nhi\n"), &opts, o, &orc, msg);
	is_int(n, 1, "file-3.30 .CSV is CSV too");
	is_str(n ? o[0].post.text : NULL, "hi", "file-3.31 its text");
	free_outcomes(o, n);
	opts.format = FILE_FORMAT_CSV;
	n = read_all(write_str("forced", "text\nforced\n"), &opts, o, &orc, msg);
	is_str(n ? o[0].post.text : NULL, "forced", "file-3.32 format CSV forced");
	free_outcomes(o, n);
	opts.format = FILE_FORMAT_AUTO;

	n = read_all("/nonexistent/x.csv", &opts, o, &orc, msg);
	is_int(orc, HORCH_EIO, "file-3.33 a missing file");
	is_str(msg, "/nonexistent/x.csv: No such file or directory", "file-3.34 message");
	n = read_all(dir, &opts, o, &orc, msg);
	is_int(orc, HORCH_EIO, "file-3.35 a directory");

	n = read_all(write_str("crlfq.csv", "text,likes\r\n\"a\r\nb\",1\r\n\"c\",2\r\n"), &opts, o,
		     &orc, msg);
	is_int(n, 2, "file-3.36 CRLF inside quotes");
	is_str(n == 2 ? o[0].post.text : NULL, "a\r\nb", "file-3.37 kept as written");
	is_int(n == 2 ? o[1].line : 0, 4, "file-3.38 the next record's line");
	free_outcomes(o, n);

	n = read_all(write_str("toomany.csv", "text\na,b\n"), &opts, o, &orc, msg);
	is_str(n ? o[0].msg : NULL, "2 fields, header has 1", "file-3.39 too many fields");

	/* Old Mac line ends (bare CR) and CRLF after a bad record. */
	n = read_all(write_str("cr.csv", "text,likes\ra,1\r\"b\rc\",2\rd,3"), &opts, o, &orc, msg);
	is_int(n, 3, "file-3.40 CR-only file");
	ok(n == 3 && o[0].line == 2 && o[1].line == 3 && o[2].line == 5,
	   "file-3.41 CR line ends are counted (%ld %ld %ld)", o[0].line, o[1].line,
	   n == 3 ? o[2].line : 0);
	free_outcomes(o, n);
	n = read_all(write_str("crlfbad.csv", "text,likes\r\n\"a\"x,1\r\nb,2\r\n\r\nc,3\r\n"),
		     &opts, o, &orc, msg);
	is_int(n, 3, "file-3.42 CRLF file with bad quoting");
	ok(n == 3 && o[0].rc == HORCH_EPARSE && o[0].line == 2 && o[1].rc == 1 &&
	   o[1].line == 3 && o[2].line == 5, "file-3.43 lines after resync (%ld %ld %ld)",
	   o[0].line, n > 1 ? o[1].line : 0, n > 2 ? o[2].line : 0);
	free_outcomes(o, n);
}

static void test_csv_blocks(void)
{
	struct outcome o[MAX_OUT];
	struct file_opts opts = { 0 };
	struct buf b;
	size_t i;
	int n, orc;

	/* A quoted field with newlines that crosses the block boundary. */
	buf_init(&b, BUF_NOLIMIT);
	buf_puts(&b, "external_id,text\n1,\"");
	while (b.len < FILE_READ_BLOCK - 10)
		buf_putc(&b, 'a');
	buf_puts(&b, "\"\n2,\"x\ny\nz, across the boundary\n\"\n3,after\n");
	n = read_all(write_file("block.csv", b.ptr, b.len), &opts, o, &orc, NULL);
	is_int(n, 3, "file-4.1 three records");
	is_str(n == 3 ? o[1].post.text : NULL, "x\ny\nz, across the boundary\n",
	       "file-4.2 the record across the boundary");
	is_int(n == 3 ? o[1].line : 0, 3, "file-4.3 starts on line 3");
	is_int(n == 3 ? o[2].line : 0, 7, "file-4.4 the next one on line 7");
	free_outcomes(o, n);

	/* A record over the cap, then a good one. */
	buf_reset(&b);
	buf_puts(&b, "external_id,text\n1,\"");
	for (i = 0; i < POST_JSON_MAX; i++)
		buf_putc(&b, 'b');
	buf_puts(&b, "\"\n2,fine\n");
	n = read_all(write_file("huge.csv", b.ptr, b.len), &opts, o, &orc, NULL);
	is_int(n, 2, "file-4.5 two outcomes");
	is_int(o[0].rc, HORCH_ETOOBIG, "file-4.6 the huge record is too big");
	is_int(o[0].line, 2, "file-4.7 on line 2");
	is_str(o[0].msg, "record longer than 4194304 bytes", "file-4.8 message");
	is_int(n == 2 ? o[1].rc : 0, 1, "file-4.9 the next record is read");
	is_str(n == 2 ? o[1].post.text : NULL, "fine", "file-4.10 its text");
	is_int(n == 2 ? o[1].line : 0, 3, "file-4.11 on line 3");
	free_outcomes(o, n);

	/* A text cell just over POST_TEXT_MAX: a field error, not a crash. */
	buf_reset(&b);
	buf_puts(&b, "external_id,text\n1,");
	for (i = 0; i <= POST_TEXT_MAX; i++)
		buf_putc(&b, 'c');
	buf_puts(&b, "\n");
	n = read_all(write_file("bigtext.csv", b.ptr, b.len), &opts, o, &orc, NULL);
	is_int(n ? o[0].rc : 0, HORCH_ETOOBIG, "file-4.12 text cell over its cap");
	is_str(n ? o[0].msg : NULL, "field \"text\": 262145 bytes, more than "
	       "the cap of 262144", "file-4.13 message");
	buf_cleanup(&b);
}

static void test_stdin(void)
{
	struct file_reader *r = NULL;
	struct file_opts opts = { 0 };
	struct horch_err err;
	struct post p;
	const char *path = write_str("stdin.jsonl", "{\"source\":\"s\",\"external_id\":\"9\","
				     "\"text\":\"from stdin\"}\n");

	if (!freopen(path, "rb", stdin)) {
		tap_skip(4, "cannot redirect stdin");
		return;
	}
	is_int(file_reader_open(&r, "-", &opts, &err), 0, "file-5.1 \"-\" opens stdin");
	is_str(file_reader_name(r), "-", "file-5.2 its name");
	post_init(&p);
	is_int(file_reader_next(r, &p, &err), 1, "file-5.3 a record from stdin");
	is_str(p.text, "from stdin", "file-5.4 its text");
	post_cleanup(&p);
	file_reader_close(r);
}

static void test_map_parse(void)
{
	struct post_map m = { 0 };
	struct horch_err err;

	is_int(post_map_parse(&m, "text=text, created_at = tweet_created,external_id=tweet_id,"
			      "author=name", &err), 0, "file-6.1 the airline map");
	is_int(m.n, 4, "file-6.2 four renames");
	ok(m.n == 4 && !strcmp(m.canonical[1], "created_at") && !strcmp(m.input[1], "tweet_created"),
	   "file-6.3 blanks around names trimmed");
	ok(m.n == 4 && !strcmp(m.canonical[3], "author") && !strcmp(m.input[3], "name"),
	   "file-6.4 last entry");
	post_map_cleanup(&m);
	is_int(m.n, 0, "file-6.5 cleanup empties the map");
	post_map_cleanup(&m);

	is_int(post_map_parse(&m, "text=body,colour=c", &err), HORCH_EUSAGE, "file-6.6 unknown field");
	is_str(err.msg, "unknown field \"colour\" (fields: external_id, source, url, author, "
	       "author_name, author_followers, author_verified, created_at, fetched_at, title, "
	       "text, html, lang, parent, kind, rating, product, likes, reposts, replies, views, "
	       "country)", "file-6.7 message lists the fields");
	is_int(m.n, 0, "file-6.8 nothing left after a failure");
	is_int(post_map_parse(&m, "text", &err), HORCH_EUSAGE, "file-6.9 no '='");
	is_str(err.msg, "\"text\" has no '=' (write canonical=input, e.g. text=body)",
	       "file-6.10 message");
	is_int(post_map_parse(&m, "text=a,,lang=b", &err), HORCH_EUSAGE, "file-6.11 empty entry");
	is_int(post_map_parse(&m, "text=", &err), HORCH_EUSAGE, "file-6.12 no input name");
	is_int(post_map_parse(&m, "text=a,text=b", &err), HORCH_EUSAGE, "file-6.13 mapped twice");
	is_str(err.msg, "field \"text\" is mapped twice", "file-6.14 message");
	is_int(post_map_parse(&m, "", &err), HORCH_EUSAGE, "file-6.15 empty spec");
}

/* The real data sets: the airline tweets (CSV) and the matcher workload
 * (JSON Lines).  Counted, and a few exact values checked. */
static void test_shared(void)
{
	const char *shared = tap_shared_dir();
	struct file_reader *r = NULL;
	struct file_opts opts = { 0 };
	struct post_map map;
	struct horch_err err;
	struct post p, first, last;
	char path[1024];
	long n_good = 0, n_bad = 0, last_line = 0;
	int rc;

	if (!shared) {
		tap_skip(16, "HORCH_SHARED not set");
		return;
	}
	snprintf(path, sizeof path, "%s/airline-tweets/Tweets.csv", shared);
	post_map_parse(&map, "text=text,created_at=tweet_created,external_id=tweet_id,author=name",
		       &err);
	opts.map = &map;
	opts.source = "twitter";
	rc = file_reader_open(&r, path, &opts, &err);
	is_int(rc, 0, "file-7.1 Tweets.csv opens");
	if (rc) {
		diag("  %s", err.msg);
		tap_skip(7, "cannot open");
		post_map_cleanup(&map);
		goto jsonl;
	}
	post_init(&first);
	post_init(&last);
	for (;;) {
		post_init(&p);
		rc = file_reader_next(r, &p, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			if (n_bad++ < 3)
				diag("  line %ld: %s", err.line, err.msg);
			continue;
		}
		if (n_good++ == 0) {
			first = p;
		} else {
			post_cleanup(&last);
			last = p;
			last_line = err.line;
		}
	}
	is_int(n_good, 14640, "file-7.2 14,640 posts");
	is_int(n_bad, 0, "file-7.3 no bad record");
	ok(same(first.external_id, "570306133677760513") &&
	   same(first.author, "cairdin") && same(first.source, "twitter") &&
	   same(first.text, "@VirginAmerica What @dhepburn said.") &&
	   first.created_at == 1424806552000LL, "file-7.4 the first tweet, exactly");
	ok(same(last.external_id, "569587140490866689") && same(last.author, "daviddtwu") &&
	   same(last.text, "@AmericanAir we have 8 ppl so we need 2 know how many seats are "
		     "on the next flight. Plz put us on standby for 4 people on the next flight?") &&
	   last.created_at == 1424635131000LL, "file-7.5 the last tweet, exactly");
	is_int(last_line, 14873, "file-7.6 the last tweet starts on line 14873");
	is_int(file_reader_offset(r), 3421420, "file-7.7 every byte consumed");
	is_int(file_reader_size(r), 3421420, "file-7.8 the size");
	post_cleanup(&first);
	post_cleanup(&last);
	file_reader_close(r);
	post_map_cleanup(&map);

jsonl:
	snprintf(path, sizeof path, "%s/../bench/posts.jsonl", shared);
	if (access(path, R_OK) != 0) {
		tap_skip(8, "bench/posts.jsonl not present");
		return;
	}
	post_map_parse(&map, "external_id=id,source=src", &err);
	opts.map = &map;
	opts.source = NULL;
	rc = file_reader_open(&r, path, &opts, &err);
	is_int(rc, 0, "file-7.9 posts.jsonl opens");
	if (rc) {
		tap_skip(7, "cannot open");
		post_map_cleanup(&map);
		return;
	}
	n_good = n_bad = 0;
	post_init(&first);
	post_init(&last);
	for (;;) {
		post_init(&p);
		rc = file_reader_next(r, &p, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			if (n_bad++ < 3)
				diag("  line %ld: %s", err.line, err.msg);
			continue;
		}
		if (n_good++ == 0) {
			first = p;
		} else {
			post_cleanup(&last);
			last = p;
			last_line = err.line;
		}
	}
	is_int(n_good, 63907, "file-7.10 63,907 posts");
	is_int(n_bad, 0, "file-7.11 no bad record");
	is_str(first.external_id, "0", "file-7.12 the first post's id");
	is_str(first.source, "tse", "file-7.13 its source");
	is_str(first.lang, "en", "file-7.14 its language");
	is_str(last.external_id, "63906", "file-7.15 the last post's id");
	is_int(last_line, 63907, "file-7.16 on the last line");
	post_cleanup(&first);
	post_cleanup(&last);
	file_reader_close(r);
	post_map_cleanup(&map);
}

int main(void)
{
	int i;

	strcpy(dir, "/tmp/horch-test-file-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_jsonl();
	test_jsonl_derived_id_stable();
	test_jsonl_long_lines();
	test_jsonl_map();
	test_csv();
	test_csv_forms();
	test_csv_blocks();
	test_stdin();
	test_map_parse();
	test_shared();
	for (i = 0; i < n_made; i++)
		unlink(made[i]);
	rmdir(dir);
	return tap_done();
}
