/* deliver.c - sending alerts out of horch: webhooks (plain JSON, Slack,
 * Microsoft Teams) and e-mail over SMTP, through libcurl, with retries (see
 * deliver.h; docs/internals/alert-delivery.md tells the whole story).
 *
 * deliver_post() renders the payload at once, in the caller's thread, so
 * that a job that cannot be sent is refused there, and so that every
 * attempt sends the very same bytes (a retried mail keeps its Date and
 * Message-ID, and a receiver can tell a repeat).  The job then joins a list
 * under the deliverer's lock.  One thread takes the job that is due first,
 * sends it with the deliverer's one curl easy handle (which keeps the
 * connections to a receiver alive from one job to the next), and then
 * either reports the result or puts the job back with the time of its next
 * attempt; between jobs it sleeps on a condition variable until the
 * earliest due time or a new job.  The list is scanned for the earliest
 * job: it holds at most queue_max jobs, and each scan is followed by a
 * network request that costs far more.
 *
 * What comes from outside here: the receiver's answer (its body, kept up to
 * 64 KiB and quoted in an error only in part; its headers, of which only
 * Retry-After is read) and the strings of the note, which quote posts that
 * strangers wrote.  Every payload is built so that a string cannot leave its
 * place: JSON is written by jansson, Slack's mrkdwn gets its three entities,
 * a mail header never contains CR or LF from the note, and bytes that are
 * not UTF-8 become U+FFFD. */
#include "deliver.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../core/utf8.h"

#define NOTE_MAX (1024u * 1024u)      /* bytes of all a note's strings together */
#define PAYLOAD_MAX (2u * 1024u * 1024u) /* bytes of one rendered payload */
#define RESPONSE_MAX (64u * 1024u)    /* bytes of a response body kept */
#define URL_MAX 4096                  /* bytes of a webhook or SMTP URL */
#define TO_MAX 4096                   /* bytes of a job's list of recipients */
#define RCPT_MAX 100                  /* recipients of one mail */
#define ADDR_MAX 254                  /* bytes of one address (RFC 5321's path) */
#define ERROR_MAX 240                 /* bytes of a result's error message */
#define SNIPPET_MAX 100               /* bytes of a response body quoted in an error */
#define SLACK_HEADER_MAX 150          /* characters of Slack's header block */
#define SLACK_TEXT_MAX 3000           /* characters of a Slack text object */
#define TEAMS_TEXT_MAX 20000          /* characters of a card's text (a card: 28 KB) */
#define LINK_MAX 2000                 /* bytes of a link made clickable */
#define MAIL_LINE_MAX 900             /* body lines are broken before this (RFC 5322: 998) */
#define HEADER_FOLD 78                /* header lines are folded beyond this */
#define WORD_BYTES 42                 /* bytes of text in one encoded-word (56 in base64) */
#define MAX_SECRETS 16                /* strings of a URL or login no message may show */
#define SECRET_PIECE 8                /* path and query pieces this long count on their own */

static const char *const format_names[] = { "json", "slack", "teams", "email" };

/* One job, owned by the deliverer from deliver_post() to its result. */
struct djob {
	struct djob *next;         /* the list of waiting jobs */
	int64_t id;                /* the caller's id */
	enum deliver_format format;
	char *url;                 /* webhook URL; NULL for e-mail */
	char *where;               /* scheme://host[:port], all that a log line shows */
	char *secret[MAX_SECRETS]; /* parts of the URL no message may show */
	struct curl_slist *rcpt;   /* e-mail: the envelope's recipients, "<addr>" */
	int n_rcpt;
	char *payload;             /* the rendered body or message */
	size_t len;
	int attempts;              /* attempts made */
	int64_t due_ns;            /* monotonic time of the next attempt */
	long status;               /* the last HTTP status or SMTP reply; 0: none */
	long retry_after_ms;       /* the last Retry-After; -1: none */
	char error[ERROR_MAX];     /* the last error */
};

struct deliver {
	pthread_mutex_t lock;
	pthread_cond_t wake;        /* a job arrived, or stop */
	pthread_cond_t idle;        /* held fell to 0 */
	pthread_t thread;
	struct djob *head, *tail;   /* jobs waiting: new ones and those due for a retry */
	size_t held;                /* jobs in the list plus the one being sent */
	int stopping;               /* deliver_free() said stop */
	/* Set by deliver_new(), then read only. */
	char *smtp_url;             /* NULL: no e-mail */
	int smtps;                  /* smtps:// (TLS from the start) */
	char *smtp_where;           /* what logs show of smtp_url */
	char *smtp_from;            /* the From header as given */
	char *envelope_from;        /* "<addr>" */
	char *smtp_user;
	char *smtp_password;
	char *secret[MAX_SECRETS];  /* the SMTP URL's parts and credentials */
	char *user_agent;
	long timeout_ms;
	int max_attempts;
	long base_ms;
	long max_backoff_ms;
	size_t queue_max;
	deliver_result_fn fn;
	void *ctx;
	/* The deliver thread's own. */
	CURL *curl;
	uint64_t rng;               /* xorshift state for the jitter */
	/* What deliver_new() set up, for the cleanup. */
	int curl_ready, sync_ready;
};

/* What one attempt gathers from libcurl's callbacks. */
struct xfer {
	struct deliver *d;
	struct buf body;            /* the response body, up to RESPONSE_MAX */
	const char *up;             /* the mail being uploaded */
	size_t up_len, up_off;
	long retry_after_ms;        /* from a Retry-After header; -1: none */
};

enum outcome {
	SENT,
	RETRY,    /* failed; another attempt may succeed */
	FAILED,   /* failed for good: another attempt would fail the same way */
	STOPPED,  /* cut short by deliver_free() */
};

__attribute__((noreturn))
static void oom(void)
{
	horch_log(LOG_ERROR, "alert", "event=out_of_memory where=jansson");
	abort();
}

/* ---- text ---------------------------------------------------------- */

enum clean_mode {
	CLEAN_UTF8 = 0,  /* bytes that are not UTF-8 become U+FFFD; nothing else changes */
	CLEAN_TEXT = 1,  /* also: CR LF and CR become LF; other controls but TAB go */
	CLEAN_LINE = 2,  /* also: CR, LF and TAB become a space; other controls go */
};

/* Copy s, cleaned as mode says.  Returns a new string the caller frees. */
static char *clean(const char *s, enum clean_mode mode)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), n = 0, i = 0, k;
	char *out = horch_xmalloc(len * 3 + 1); /* each bad byte grows to 3 */
	uint32_t cp;

	while (i < len) {
		k = horch_utf8_decode(p + i, len - i, &cp);
		if (k == 0) {
			memcpy(out + n, "\xEF\xBF\xBD", 3);
			n += 3;
			i++;
			continue;
		}
		if (mode != CLEAN_UTF8 && (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))) {
			if (cp == '\r' || cp == '\n' || cp == '\t')
				out[n++] = mode == CLEAN_LINE ? ' ' : cp == '\t' ? '\t' : '\n';
			if (cp == '\r' && i + 1 < len && p[i + 1] == '\n')
				i++;
			i += k;
			continue;
		}
		memcpy(out + n, p + i, k);
		n += k;
		i += k;
	}
	out[n] = '\0';
	return out;
}

/* The length of the UTF-8 sequence that starts with byte c (s is clean). */
static size_t seq_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Cut the clean string s to at most max characters, the last of them an
 * ellipsis when something was cut.  Returns s or a new string (s freed);
 * the caller owns the result. */
static char *cut_chars(char *s, size_t max)
{
	size_t chars = 0, keep = 0, i;
	char *out;

	for (i = 0; s[i]; i += seq_len((unsigned char)s[i])) {
		if (chars == max - 1)
			keep = i;
		chars++;
	}
	if (chars <= max)
		return s;
	out = horch_xmalloc(keep + 4);
	memcpy(out, s, keep);
	memcpy(out + keep, "\xE2\x80\xA6", 4); /* U+2026 and the NUL */
	free(s);
	return out;
}

/* Append s to b with Slack's mrkdwn entities: & as &amp;, < as &lt;, > as
 * &gt; (the three characters Slack reads as control sequences). */
static void slack_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			buf_puts(b, "&amp;");
		else if (*s == '<')
			buf_puts(b, "&lt;");
		else if (*s == '>')
			buf_puts(b, "&gt;");
		else
			buf_putc(b, *s);
	}
}

/* The raw mrkdwn text s (clean), cut to max characters and escaped; the
 * cut comes first so that no entity is cut in half.  Returns a new string. */
static char *mrkdwn(const char *s, size_t max)
{
	struct buf b;
	char *cut = cut_chars(horch_xstrdup(s), max);

	buf_init(&b, BUF_NOLIMIT);
	slack_escape(&b, cut);
	free(cut);
	return buf_take(&b);
}

/* 1 when s is an http or https URL fit to be made a link: no blank, no
 * control character, not too long. */
static int linkable(const char *s)
{
	size_t len = strlen(s);

	if (len > LINK_MAX || (strncasecmp(s, "http://", 7) && strncasecmp(s, "https://", 8)))
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7F)
			return 0;
	return 1;
}

/* A note's title cleaned to one line, or "horch alert ID" when it has
 * none.  Returns a new string. */
static char *note_title(const struct alert_note *n)
{
	char tmp[48];

	if (n->title && n->title[0])
		return clean(n->title, CLEAN_LINE);
	snprintf(tmp, sizeof tmp, "horch alert %lld", (long long)n->id);
	return horch_xstrdup(tmp);
}

/* 1 when the note has a time. */
static int has_time(const struct alert_note *n)
{
	return n->at != HORCH_TIME_NONE && n->at != 0;
}

/* ---- JSON formats -------------------------------------------------- */

/* A JSON string of s cleaned as mode says; json null for NULL. */
static json_t *jstr(const char *s, enum clean_mode mode)
{
	char *c;
	json_t *v;

	if (!s)
		return json_null();
	c = clean(s, mode);
	v = json_string(c);
	free(c);
	if (!v)
		oom();
	return v;
}

/* A JSON string taking over s (a clean string the caller allocated). */
static json_t *jtake(char *s)
{
	json_t *v = json_string(s);

	free(s);
	if (!v)
		oom();
	return v;
}

static json_t *jobj(void)
{
	json_t *o = json_object();

	if (!o)
		oom();
	return o;
}

static json_t *jarr(void)
{
	json_t *a = json_array();

	if (!a)
		oom();
	return a;
}

/* The note's fields as a JSON object (format json without note.json). */
static json_t *note_object(const struct alert_note *n)
{
	static const char *const keys[] = { "kind", "state", "severity", "title", "summary",
					    "topic", "product", "rule" };
	const char *vals[] = { n->kind, n->state, n->severity, n->title, n->summary,
			       n->topic, n->product, n->rule };
	char t[HORCH_TIME_BUFSZ];
	json_t *o = jobj();

	json_object_set_new(o, "id", json_integer(n->id));
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		json_object_set_new(o, keys[i], jstr(vals[i], CLEAN_UTF8));
	json_object_set_new(o, "at", has_time(n) ? jstr(horch_time_format(n->at, t), CLEAN_UTF8)
						 : json_null());
	json_object_set_new(o, "link", jstr(n->link, CLEAN_UTF8));
	return o;
}

/* {"alert": ...}: note.json when it is a JSON object, else the fields. */
static json_t *render_json(const struct alert_note *n)
{
	json_t *root = jobj(), *alert = NULL;

	if (n->json) {
		alert = json_loads(n->json, JSON_REJECT_DUPLICATES, NULL);
		if (alert && !json_is_object(alert)) {
			json_decref(alert);
			alert = NULL;
		}
	}
	json_object_set_new(root, "alert", alert ? alert : note_object(n));
	return root;
}

/* Append " · Label: value" pieces of one line of a Slack section; *first
 * says whether the line has begun. */
static void slack_fact(struct buf *b, int *first, const char *label, const char *value)
{
	char *v;

	if (!value || !value[0])
		return;
	v = clean(value, CLEAN_LINE);
	buf_printf(b, "%s*%s:* %s", *first ? "" : " \xC2\xB7 ", label, v);
	*first = 0;
	free(v);
}

/* A Slack incoming-webhook message: a one-line fallback text, a header
 * with the title, a section with the facts and the summary (mrkdwn), and a
 * context line with the link and the time. */
static json_t *render_slack(const struct alert_note *n)
{
	json_t *root = jobj(), *blocks = jarr(), *block, *text, *elems, *el;
	char *title = note_title(n), *s, t[HORCH_TIME_BUFSZ];
	struct buf raw, ctx;
	int first;

	buf_init(&raw, BUF_NOLIMIT);
	buf_init(&ctx, BUF_NOLIMIT);
	if (n->severity && n->severity[0]) {
		s = clean(n->severity, CLEAN_LINE);
		buf_printf(&raw, "[%s] ", s);
		free(s);
	}
	buf_puts(&raw, title);
	json_object_set_new(root, "text", jtake(mrkdwn(raw.ptr, SLACK_TEXT_MAX)));

	block = jobj();
	text = jobj();
	json_object_set_new(block, "type", json_string("header"));
	json_object_set_new(text, "type", json_string("plain_text"));
	json_object_set_new(text, "text", jtake(cut_chars(horch_xstrdup(title), SLACK_HEADER_MAX)));
	json_object_set_new(text, "emoji", json_true());
	json_object_set_new(block, "text", text);
	json_array_append_new(blocks, block);

	buf_reset(&raw);
	first = 1;
	slack_fact(&raw, &first, "Severity", n->severity);
	slack_fact(&raw, &first, "Kind", n->kind);
	slack_fact(&raw, &first, "State", n->state);
	if (!first)
		buf_putc(&raw, '\n');
	first = 1;
	slack_fact(&raw, &first, "Topic", n->topic);
	slack_fact(&raw, &first, "Product", n->product);
	slack_fact(&raw, &first, "Rule", n->rule);
	if (!first)
		buf_putc(&raw, '\n');
	if (n->summary && n->summary[0]) {
		s = clean(n->summary, CLEAN_TEXT);
		buf_printf(&raw, "%s%s", raw.len ? "\n" : "", s);
		free(s);
	}
	while (raw.len && raw.ptr[raw.len - 1] == '\n')
		raw.ptr[--raw.len] = '\0';
	if (raw.len) {
		block = jobj();
		text = jobj();
		json_object_set_new(block, "type", json_string("section"));
		json_object_set_new(text, "type", json_string("mrkdwn"));
		json_object_set_new(text, "text", jtake(mrkdwn(raw.ptr, SLACK_TEXT_MAX)));
		json_object_set_new(block, "text", text);
		json_array_append_new(blocks, block);
	}

	/* The link is a control sequence of its own: <url|label>.  Its URL
	 * gets the three entities too, and | (which would end it) its
	 * percent form. */
	if (n->link && linkable(n->link)) {
		buf_putc(&ctx, '<');
		for (const char *p = n->link; *p; p++) {
			if (*p == '|')
				buf_puts(&ctx, "%7C");
			else
				slack_escape(&ctx, (char[]){ *p, '\0' });
		}
		buf_puts(&ctx, "|Open in horch>");
	}
	if (has_time(n))
		buf_printf(&ctx, "%s%s", ctx.len ? " \xC2\xB7 " : "", horch_time_format(n->at, t));
	if (ctx.len) {
		block = jobj();
		elems = jarr();
		el = jobj();
		json_object_set_new(block, "type", json_string("context"));
		json_object_set_new(el, "type", json_string("mrkdwn"));
		json_object_set_new(el, "text", jtake(buf_take(&ctx)));
		json_array_append_new(elems, el);
		json_object_set_new(block, "elements", elems);
		json_array_append_new(blocks, block);
	}
	json_object_set_new(root, "blocks", blocks);
	buf_cleanup(&raw);
	buf_cleanup(&ctx);
	free(title);
	return root;
}

/* A Teams incoming-webhook message: a legacy MessageCard (the format Teams'
 * connectors and Power Automate's webhook flows both take), with a colour
 * by severity, the facts and an "Open in horch" action. */
static json_t *render_teams(const struct alert_note *n)
{
	static const char *const labels[] = { "Severity", "Kind", "State", "Topic", "Product",
					      "Rule" };
	const char *vals[] = { n->severity, n->kind, n->state, n->topic, n->product, n->rule };
	json_t *root = jobj(), *facts = jarr(), *fact, *section, *sections, *act, *acts, *target,
	       *targets;
	char *title = note_title(n), t[HORCH_TIME_BUFSZ];
	const char *colour = "6264A7";

	if (n->severity && strcmp(n->severity, "critical") == 0)
		colour = "D13438";
	else if (n->severity && strcmp(n->severity, "warning") == 0)
		colour = "FF8C00";
	else if (n->severity && strcmp(n->severity, "info") == 0)
		colour = "0078D7";
	json_object_set_new(root, "@type", json_string("MessageCard"));
	json_object_set_new(root, "@context", json_string("https://schema.org/extensions"));
	json_object_set_new(root, "summary", jtake(cut_chars(horch_xstrdup(title), 200)));
	json_object_set_new(root, "themeColor", json_string(colour));
	json_object_set_new(root, "title", jtake(title));
	if (n->summary && n->summary[0])
		json_object_set_new(root, "text",
				    jtake(cut_chars(clean(n->summary, CLEAN_TEXT), TEAMS_TEXT_MAX)));
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
		if (!vals[i] || !vals[i][0])
			continue;
		fact = jobj();
		json_object_set_new(fact, "name", json_string(labels[i]));
		json_object_set_new(fact, "value", jstr(vals[i], CLEAN_LINE));
		json_array_append_new(facts, fact);
	}
	if (has_time(n)) {
		fact = jobj();
		json_object_set_new(fact, "name", json_string("Time"));
		json_object_set_new(fact, "value", jstr(horch_time_format(n->at, t), CLEAN_LINE));
		json_array_append_new(facts, fact);
	}
	if (json_array_size(facts)) {
		section = jobj();
		sections = jarr();
		json_object_set_new(section, "facts", facts);
		json_array_append_new(sections, section);
		json_object_set_new(root, "sections", sections);
	} else {
		json_decref(facts);
	}
	if (n->link && linkable(n->link)) {
		act = jobj();
		acts = jarr();
		target = jobj();
		targets = jarr();
		json_object_set_new(act, "@type", json_string("OpenUri"));
		json_object_set_new(act, "name", json_string("Open in horch"));
		json_object_set_new(target, "os", json_string("default"));
		json_object_set_new(target, "uri", jstr(n->link, CLEAN_LINE));
		json_array_append_new(targets, target);
		json_object_set_new(act, "targets", targets);
		json_array_append_new(acts, act);
		json_object_set_new(root, "potentialAction", acts);
	}
	return root;
}

/* ---- e-mail -------------------------------------------------------- */

/* Append base64 of s[0..len) to b. */
static void base64(struct buf *b, const char *s, size_t len)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	char q[4];

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		q[0] = abc[v >> 18 & 63];
		q[1] = abc[v >> 12 & 63];
		q[2] = i + 1 < len ? abc[v >> 6 & 63] : '=';
		q[3] = i + 2 < len ? abc[v & 63] : '=';
		buf_append(b, q, 4);
	}
}

/* Append the header "name: value" (value ASCII, one line) folded at
 * blanks so that its lines stay within HEADER_FOLD where the words allow. */
static void header_ascii(struct buf *b, const char *name, const char *value)
{
	size_t col = strlen(name) + 1, wl;
	const char *p = value, *w;
	int first = 1;

	buf_printf(b, "%s:", name);
	for (;;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && *p != ' ')
			p++;
		wl = (size_t)(p - w);
		if (!first && col + 1 + wl > HEADER_FOLD) {
			buf_puts(b, "\r\n");
			col = 0;
		}
		buf_putc(b, ' ');
		buf_append(b, w, wl);
		col += 1 + wl;
		first = 0;
	}
	buf_puts(b, "\r\n");
}

/* Append the header "name: value" with value (clean UTF-8, one line) as
 * RFC 2047 encoded-words, each of whole characters, one per line: a reader
 * ignores the folding between two encoded-words. */
static void header_encoded(struct buf *b, const char *name, const char *value)
{
	size_t len = strlen(value), i = 0, n, k;

	buf_printf(b, "%s:", name);
	while (i < len) {
		n = 0;
		while (i + n < len) {
			k = seq_len((unsigned char)value[i + n]);
			if (n + k > WORD_BYTES)
				break;
			n += k;
		}
		if (i > 0)
			buf_puts(b, "\r\n");
		buf_puts(b, " =?UTF-8?B?");
		base64(b, value + i, n);
		buf_puts(b, "?=");
		i += n;
	}
	buf_puts(b, "\r\n");
}

/* 1 when the one-line value must go as encoded-words: it has non-ASCII,
 * something a reader would take for an encoded-word, or a word too long to
 * fold. */
static int needs_encoding(const char *s)
{
	size_t run = 0;

	if (strstr(s, "=?"))
		return 1;
	for (; *s; s++) {
		if ((unsigned char)*s >= 0x80)
			return 1;
		run = *s == ' ' ? 0 : run + 1;
		if (run > HEADER_FOLD * 8)
			return 1;
	}
	return 0;
}

/* Append one line of body text s[0..len) with CRLF, broken into lines of at
 * most MAIL_LINE_MAX bytes: at the last blank of the second half, else at a
 * character boundary. */
static void mail_line(struct buf *b, const char *s, size_t len)
{
	size_t cut, sp;

	while (len > MAIL_LINE_MAX) {
		cut = MAIL_LINE_MAX;
		while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
			cut--;
		sp = cut;
		while (sp > MAIL_LINE_MAX / 2 && s[sp] != ' ')
			sp--;
		if (s[sp] == ' ') {
			buf_append(b, s, sp);
			s += sp + 1;
			len -= sp + 1;
		} else {
			buf_append(b, s, cut);
			s += cut;
			len -= cut;
		}
		buf_puts(b, "\r\n");
	}
	buf_append(b, s, len);
	buf_puts(b, "\r\n");
}

/* Append text (clean, LF line ends) as body lines. */
static void mail_text(struct buf *b, const char *text)
{
	const char *p = text, *e;

	while (*p) {
		e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		mail_line(b, p, (size_t)(e - p));
		p = *e ? e + 1 : e;
	}
}

/* Append the body line "Label: value" when value is there. */
static void mail_fact(struct buf *b, const char *label, const char *value)
{
	struct buf line;
	char *v;

	if (!value || !value[0])
		return;
	v = clean(value, CLEAN_LINE);
	buf_init(&line, BUF_NOLIMIT);
	buf_printf(&line, "%s: %s", label, v);
	mail_line(b, line.ptr, line.len);
	buf_cleanup(&line);
	free(v);
}

/* The next item of the comma-separated list at *p (a comma inside double
 * quotes, as in "Doe, Jane" <j@x>, does not split), without the blanks
 * around it: *start and *len.  *p moves past it.  Returns 0 at the end. */
static int next_item(const char **p, const char **start, size_t *len)
{
	const char *s = *p, *e;
	int quoted = 0;

	if (!*s)
		return 0;
	e = s;
	while (*e && (quoted || *e != ',')) {
		if (*e == '\\' && quoted && e[1])
			e++;
		else if (*e == '"')
			quoted = !quoted;
		e++;
	}
	*p = *e ? e + 1 : e;
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*start = s;
	*len = (size_t)(e - s);
	return 1;
}

/* Render an RFC 5322 message into b (unlimited). */
static void render_mail(struct buf *b, const struct alert_note *n, const char *from,
			const char *to, int64_t now_ms)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char *title = note_title(n), *s, t[HORCH_TIME_BUFSZ];
	struct buf subject, list;
	time_t secs = (time_t)(now_ms / 1000 - (now_ms % 1000 < 0));
	struct tm tm;
	const char *p, *item;
	size_t len;

	buf_init(&subject, BUF_NOLIMIT);
	buf_init(&list, BUF_NOLIMIT);
	if (!gmtime_r(&secs, &tm)) {
		secs = 0;
		gmtime_r(&secs, &tm);
	}
	buf_printf(b, "Date: %s, %d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday],
		   tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		   tm.tm_sec);
	if (from) {
		s = clean(from, CLEAN_LINE);
		header_ascii(b, "From", s);
		free(s);
	}
	if (to) {
		s = clean(to, CLEAN_LINE);
		p = s;
		while (next_item(&p, &item, &len)) {
			if (!len)
				continue;
			if (list.len)
				buf_puts(&list, ", ");
			buf_append(&list, item, len);
		}
		header_ascii(b, "To", list.ptr ? list.ptr : "");
		free(s);
	}
	if (n->severity && n->severity[0]) {
		s = clean(n->severity, CLEAN_LINE);
		buf_printf(&subject, "[%s] ", s);
		free(s);
	}
	buf_puts(&subject, title);
	if (needs_encoding(subject.ptr))
		header_encoded(b, "Subject", subject.ptr);
	else
		header_ascii(b, "Subject", subject.ptr);
	buf_printf(b, "Message-ID: <alert-%lld-%lld@horch>\r\n", (long long)n->id,
		   (long long)now_ms);
	buf_puts(b, "MIME-Version: 1.0\r\n"
		    "Content-Type: text/plain; charset=UTF-8\r\n"
		    "Content-Transfer-Encoding: 8bit\r\n"
		    "Auto-Submitted: auto-generated\r\n"
		    "\r\n");
	mail_line(b, title, strlen(title));
	buf_puts(b, "\r\n");
	if (n->summary && n->summary[0]) {
		s = clean(n->summary, CLEAN_TEXT);
		mail_text(b, s);
		buf_puts(b, "\r\n");
		free(s);
	}
	mail_fact(b, "Severity", n->severity);
	mail_fact(b, "Kind", n->kind);
	mail_fact(b, "State", n->state);
	mail_fact(b, "Topic", n->topic);
	mail_fact(b, "Product", n->product);
	mail_fact(b, "Rule", n->rule);
	if (has_time(n))
		mail_fact(b, "Time", horch_time_format(n->at, t));
	mail_fact(b, "Link", n->link);
	buf_cleanup(&subject);
	buf_cleanup(&list);
	free(title);
}

/* ---- the public pure part ------------------------------------------ */

int deliver_format_parse(const char *s, enum deliver_format *out)
{
	for (int f = DELIVER_JSON; f <= DELIVER_TEAMS; f++) {
		if (s && strcmp(s, format_names[f]) == 0) {
			*out = (enum deliver_format)f;
			return 0;
		}
	}
	return HORCH_EINVAL;
}

int deliver_render(struct buf *out, enum deliver_format f, const struct alert_note *note,
		   const char *from, const char *to, int64_t now_ms)
{
	struct buf b;
	json_t *root = NULL;
	char *s;
	int rc;

	buf_init(&b, BUF_NOLIMIT);
	switch (f) {
	case DELIVER_JSON:
		root = render_json(note);
		break;
	case DELIVER_SLACK:
		root = render_slack(note);
		break;
	case DELIVER_TEAMS:
		root = render_teams(note);
		break;
	case DELIVER_EMAIL:
		render_mail(&b, note, from, to, now_ms);
		break;
	default:
		return HORCH_EINVAL;
	}
	if (root) {
		s = json_dumps(root, JSON_COMPACT);
		json_decref(root);
		if (!s)
			oom();
		rc = buf_puts(out, s);
		free(s);
	} else {
		rc = buf_append(out, b.ptr ? b.ptr : "", b.len);
	}
	buf_cleanup(&b);
	return rc;
}

/* ---- jobs ---------------------------------------------------------- */

static void job_free(struct djob *j)
{
	if (!j)
		return;
	free(j->url);
	free(j->where);
	for (int i = 0; i < MAX_SECRETS; i++)
		free(j->secret[i]);
	curl_slist_free_all(j->rcpt);
	free(j->payload);
	free(j);
}

/* Add s (may be NULL) to the list of strings no message may show. */
static void add_secret(char *secret[MAX_SECRETS], const char *s)
{
	if (!s || !s[0])
		return;
	for (int i = 0; i < MAX_SECRETS; i++) {
		if (!secret[i]) {
			secret[i] = horch_xstrdup(s);
			return;
		}
	}
}

/* Add s and, on their own, its pieces (between / & = ;) of SECRET_PIECE
 * bytes or more: an answer may quote a webhook's token without the rest of
 * its path. */
static void add_secret_pieces(char *secret[MAX_SECRETS], const char *s)
{
	char piece[URL_MAX + 1];
	const char *whole = s;
	size_t n;

	add_secret(secret, s);
	while (*s) {
		n = strcspn(s, "/&=;");
		if (n >= SECRET_PIECE && n <= URL_MAX && !(s == whole && !s[n])) {
			memcpy(piece, s, n);
			piece[n] = '\0';
			add_secret(secret, piece);
		}
		s += n;
		if (*s)
			s++;
	}
}

/* Check that url is a URL with one of the two schemes and a host.  On
 * success returns 0, stores in *where what a log may show of it
 * (scheme://host[:port], new), in *tls whether its scheme is the second,
 * and adds to secret the parts that no message may show: user, password,
 * path (webhook services put their token there) and query, and the longer
 * pieces of the last two.  On failure
 * returns HORCH_EINVAL with err filled; the message does not quote the
 * URL. */
static int check_url(const char *url, const char *scheme0, const char *scheme1, char **where,
		     int *tls, char *secret[MAX_SECRETS], const char *what, struct horch_err *err)
{
	static const CURLUPart parts[] = { CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_PATH,
					   CURLUPART_QUERY };
	CURLU *u = NULL;
	char *scheme = NULL, *host = NULL, *port = NULL, *part;
	struct buf w;
	int rc = 0;

	buf_init(&w, BUF_NOLIMIT);
	if (!url || !url[0]) {
		rc = horch_err_set(err, HORCH_EINVAL, "%s: no URL", what);
		goto out;
	}
	if (strlen(url) > URL_MAX) {
		rc = horch_err_set(err, HORCH_EINVAL, "%s: the URL is longer than %d bytes", what,
				   URL_MAX);
		goto out;
	}
	if (!(u = curl_url()))
		oom();
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host[0]) {
		rc = horch_err_set(err, HORCH_EINVAL, "%s: not a valid URL", what);
		goto out;
	}
	if (strcasecmp(scheme, scheme0) && strcasecmp(scheme, scheme1)) {
		rc = horch_err_set(err, HORCH_EINVAL, "%s: the URL must be %s:// or %s://", what,
				   scheme0, scheme1);
		goto out;
	}
	*tls = strcasecmp(scheme, scheme1) == 0;
	buf_printf(&w, "%s://%s", scheme, host);
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
		buf_printf(&w, ":%s", port);
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		part = NULL;
		if (curl_url_get(u, parts[i], &part, 0) == CURLUE_OK && part &&
		    !(parts[i] == CURLUPART_PATH && strcmp(part, "/") == 0))
			add_secret_pieces(secret, part);
		curl_free(part);
	}
	*where = buf_take(&w);
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	buf_cleanup(&w);
	return rc;
}

/* Check one address of a list, "addr" or "Name <addr>" (ASCII, no control
 * characters), and store "<addr>" in out.  Returns 0, or HORCH_EINVAL with
 * err filled. */
static int check_addr(const char *s, size_t len, char out[ADDR_MAX + 3], const char *what,
		      struct horch_err *err)
{
	const char *a = s, *lt = NULL, *at = NULL;
	size_t alen = len;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7F)
			return horch_err_set(err, HORCH_EINVAL,
					     "%s: an address with a control character or "
					     "non-ASCII", what);
		if (c == '<')
			lt = s + i;
	}
	if (lt) {
		if (s[len - 1] != '>')
			return horch_err_set(err, HORCH_EINVAL, "%s: \"Name <address>\" without "
					     "its closing >", what);
		a = lt + 1;
		alen = (size_t)(s + len - 1 - a);
	}
	for (size_t i = 0; i < alen; i++) {
		if (a[i] == ' ' || a[i] == '<' || a[i] == '>' || a[i] == ',' || a[i] == '"')
			return horch_err_set(err, HORCH_EINVAL, "%s: \"%.*s\" is not an address",
					     what, (int)(len > 80 ? 80 : len), s);
		if (a[i] == '@')
			at = a + i;
	}
	if (alen == 0 || alen > ADDR_MAX || !at || at == a || at == a + alen - 1)
		return horch_err_set(err, HORCH_EINVAL, "%s: \"%.*s\" is not an address", what,
				     (int)(len > 80 ? 80 : len), s);
	snprintf(out, ADDR_MAX + 3, "<%.*s>", (int)alen, a);
	return 0;
}

/* The envelope recipients of to: a new list in *out and its length in *n.
 * Returns 0, or HORCH_EINVAL (no recipient, a bad address, too many). */
static int parse_rcpts(const char *to, struct curl_slist **out, int *n, struct horch_err *err)
{
	struct curl_slist *list = NULL, *grown;
	char addr[ADDR_MAX + 3];
	const char *p = to, *item;
	size_t len;
	int rc = 0, count = 0;

	if (!to || strlen(to) > TO_MAX) {
		rc = horch_err_set(err, HORCH_EINVAL, to ? "e-mail: the recipients are longer "
				   "than %d bytes" : "e-mail: no recipients", TO_MAX);
		goto out;
	}
	while (next_item(&p, &item, &len)) {
		if (!len)
			continue;
		if ((rc = check_addr(item, len, addr, "e-mail recipients", err)) != 0)
			goto out;
		if (++count > RCPT_MAX) {
			rc = horch_err_set(err, HORCH_EINVAL, "e-mail: more than %d recipients",
					   RCPT_MAX);
			goto out;
		}
		if (!(grown = curl_slist_append(list, addr)))
			oom();
		list = grown;
	}
	if (!count)
		rc = horch_err_set(err, HORCH_EINVAL, "e-mail: no recipients");
out:
	if (rc) {
		curl_slist_free_all(list);
		return rc;
	}
	*out = list;
	*n = count;
	return 0;
}

/* The bytes of a note's strings together. */
static size_t note_size(const struct alert_note *n)
{
	const char *s[] = { n->kind, n->state, n->severity, n->title, n->summary, n->topic,
			    n->product, n->rule, n->link, n->json };
	size_t total = 0;

	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		if (s[i])
			total += strlen(s[i]);
	return total;
}

int deliver_post(struct deliver *d, const struct deliver_job *job, struct horch_err *err)
{
	struct djob *j = NULL;
	struct buf payload;
	json_t *parsed;
	int rc = 0, tls, is_object;

	buf_init(&payload, PAYLOAD_MAX);
	if (!job || (int)job->format < DELIVER_JSON || (int)job->format > DELIVER_EMAIL) {
		rc = horch_err_set(err, HORCH_EINVAL, "deliver: no job or an unknown format");
		goto out;
	}
	if (note_size(&job->note) > NOTE_MAX) {
		rc = horch_err_set(err, HORCH_ETOOBIG, "deliver: the note is over %u bytes",
				   NOTE_MAX);
		goto out;
	}
	if (job->format == DELIVER_JSON && job->note.json) {
		parsed = json_loads(job->note.json, JSON_REJECT_DUPLICATES, NULL);
		is_object = json_is_object(parsed);
		json_decref(parsed);
		if (!is_object) {
			rc = horch_err_set(err, HORCH_EINVAL, "deliver: note.json is not a JSON "
					   "object");
			goto out;
		}
	}
	j = horch_xcalloc(1, sizeof *j);
	j->id = job->id;
	j->format = job->format;
	j->retry_after_ms = -1;
	if (job->format == DELIVER_EMAIL) {
		if (!d->smtp_url) {
			rc = horch_err_set(err, HORCH_EINVAL, "e-mail: no SMTP server configured");
			goto out;
		}
		if ((rc = parse_rcpts(job->to, &j->rcpt, &j->n_rcpt, err)) != 0)
			goto out;
		j->where = horch_xstrdup(d->smtp_where);
		rc = deliver_render(&payload, DELIVER_EMAIL, &job->note, d->smtp_from, job->to,
				    horch_now());
	} else {
		if ((rc = check_url(job->url, "http", "https", &j->where, &tls, j->secret,
				    "webhook", err)) != 0)
			goto out;
		j->url = horch_xstrdup(job->url);
		rc = deliver_render(&payload, job->format, &job->note, NULL, NULL, 0);
	}
	if (rc) {
		rc = horch_err_set(err, rc, "deliver: the %s payload is over %u bytes",
				   format_names[job->format], PAYLOAD_MAX);
		goto out;
	}
	j->len = payload.len;
	j->payload = buf_take(&payload);

	pthread_mutex_lock(&d->lock);
	if (d->stopping) {
		rc = horch_err_set(err, HORCH_ESTOP, "deliver: stopping");
	} else if (d->held >= d->queue_max) {
		rc = horch_err_set(err, HORCH_ELIMIT, "deliver: the queue is full (%zu jobs)",
				   d->held);
	} else {
		j->due_ns = horch_mono_ns();
		if (d->tail)
			d->tail->next = j;
		else
			d->head = j;
		d->tail = j;
		d->held++;
		pthread_cond_signal(&d->wake);
		j = NULL;
	}
	pthread_mutex_unlock(&d->lock);
out:
	job_free(j);
	buf_cleanup(&payload);
	return rc;
}

size_t deliver_pending(struct deliver *d)
{
	size_t n;

	pthread_mutex_lock(&d->lock);
	n = d->held;
	pthread_mutex_unlock(&d->lock);
	return n;
}

/* ---- the deliver thread -------------------------------------------- */

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n, room = RESPONSE_MAX - x->body.len;

	/* Beyond the cap the body is read and dropped: the status is what
	 * counts, and the start of the body is enough for a message. */
	if (room)
		buf_append(&x->body, p, len < room ? len : room);
	return len;
}

/* The wait a Retry-After value s[0..len) asks for, in ms: delay-seconds or
 * an HTTP-date (a date past gives 0).  Returns -1 when it is neither. */
static long retry_after(const char *s, size_t len)
{
	char v[64];
	int64_t t, ms;
	size_t i;

	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
		       s[len - 1] == '\n'))
		len--;
	if (!len || len >= sizeof v)
		return -1;
	memcpy(v, s, len);
	v[len] = '\0';
	for (i = 0; i < len && v[i] >= '0' && v[i] <= '9'; i++)
		;
	if (i == len) {
		/* Anything over a day is capped by max_backoff_ms anyway. */
		return len > 6 ? 86400000L : strtol(v, NULL, 10) * 1000L;
	}
	if (horch_time_parse(v, len, &t, NULL) != 0)
		return -1;
	ms = t - horch_now();
	return ms < 0 ? 0 : ms > 86400000 ? 86400000L : (long)ms;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0)
		x->retry_after_ms = -1; /* the status line of a new response */
	else if (len > 12 && strncasecmp(p, "Retry-After:", 12) == 0)
		x->retry_after_ms = retry_after(p + 12, len - 12);
	return len;
}

static size_t on_read(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n, left = x->up_len - x->up_off;

	if (len > left)
		len = left;
	memcpy(p, x->up + x->up_off, len);
	x->up_off += len;
	return len;
}

/* libcurl calls this during a transfer: a nonzero return ends it, which
 * deliver_free() uses to stop a job in flight. */
static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct deliver *d = arg;
	int stop;

	pthread_mutex_lock(&d->lock);
	stop = d->stopping;
	pthread_mutex_unlock(&d->lock);
	return stop;
}

/* 1 when text shows one of the secrets. */
static int leaks(const char *text, char *const a[MAX_SECRETS], char *const b[MAX_SECRETS])
{
	for (int i = 0; i < MAX_SECRETS; i++)
		if ((a[i] && strstr(text, a[i])) || (b && b[i] && strstr(text, b[i])))
			return 1;
	return 0;
}

/* Set j->error to text, or to fallback (a constant message) when text
 * would show a secret of the job or the deliverer; one line of printable
 * text without double quotes, so that it fits in a log line's error="...". */
static void set_error(struct deliver *d, struct djob *j, const char *text, const char *fallback)
{
	char *c;
	size_t i, n;

	if (!text || !text[0] || leaks(text, j->secret, j->format == DELIVER_EMAIL ? d->secret
										: NULL))
		text = fallback;
	c = clean(text, CLEAN_LINE);
	n = strlen(c);
	if (n >= ERROR_MAX) {
		n = ERROR_MAX - 1;
		while (n > 0 && ((unsigned char)c[n] & 0xC0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++)
		j->error[i] = c[i] == '"' ? '\'' : c[i];
	j->error[n] = '\0';
	while (n > 0 && j->error[n - 1] == ' ')
		j->error[--n] = '\0';
	free(c);
}

/* Whether a libcurl error is one that another attempt cannot cure. */
static int curl_permanent(CURLcode cc)
{
	return cc == CURLE_URL_MALFORMAT || cc == CURLE_UNSUPPORTED_PROTOCOL ||
	       cc == CURLE_NOT_BUILT_IN || cc == CURLE_LOGIN_DENIED;
}

/* Make one attempt at job j.  Returns what came of it, with j->status,
 * j->error and j->retry_after_ms set. */
static enum outcome attempt(struct deliver *d, struct djob *j)
{
	struct xfer x = { .d = d, .retry_after_ms = -1 };
	char errbuf[CURL_ERROR_SIZE], msg[ERROR_MAX + SNIPPET_MAX];
	struct curl_slist *headers = NULL, *grown;
	CURL *c = d->curl;
	CURLcode cc;
	long status = 0;
	enum outcome o;
	char *snippet;

	buf_init(&x.body, RESPONSE_MAX);
	errbuf[0] = '\0';
	j->error[0] = '\0';
	j->retry_after_ms = -1;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, d->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, d->timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, d);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
	if (j->format == DELIVER_EMAIL) {
		curl_easy_setopt(c, CURLOPT_URL, d->smtp_url);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
		if (!d->smtps)
			curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
		if (d->smtp_user) {
			curl_easy_setopt(c, CURLOPT_USERNAME, d->smtp_user);
			curl_easy_setopt(c, CURLOPT_PASSWORD,
					 d->smtp_password ? d->smtp_password : "");
		}
		curl_easy_setopt(c, CURLOPT_MAIL_FROM, d->envelope_from);
		curl_easy_setopt(c, CURLOPT_MAIL_RCPT, j->rcpt);
		curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(c, CURLOPT_READDATA, &x);
		x.up = j->payload;
		x.up_len = j->len;
	} else {
		if (!(grown = curl_slist_append(headers, "Content-Type: application/json; "
						"charset=utf-8")))
			oom();
		headers = grown;
		/* No "Expect: 100-continue" wait before a larger body. */
		if (!(grown = curl_slist_append(headers, "Expect:")))
			oom();
		headers = grown;
		curl_easy_setopt(c, CURLOPT_URL, j->url);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(c, CURLOPT_USERAGENT, d->user_agent);
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, j->payload);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)j->len);
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
		curl_easy_setopt(c, CURLOPT_HEADERDATA, &x);
	}
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	j->status = status;
	if (cc == CURLE_ABORTED_BY_CALLBACK) {
		set_error(d, j, "stopped", "stopped");
		o = STOPPED;
	} else if (cc != CURLE_OK) {
		set_error(d, j, errbuf[0] ? errbuf : curl_easy_strerror(cc), curl_easy_strerror(cc));
		if (curl_permanent(cc))
			o = FAILED;
		else if (j->format == DELIVER_EMAIL && status >= 500 && status <= 599)
			o = FAILED; /* an SMTP 5xx is a permanent refusal */
		else
			o = RETRY;
	} else if (j->format == DELIVER_EMAIL || (status >= 200 && status <= 299)) {
		o = SENT;
	} else {
		/* A webhook's answer other than 2xx.  Quote the start of the
		 * body when there is one: Slack and Teams say there what
		 * they did not like ("invalid_payload", "no_service"). */
		snprintf(msg, sizeof msg, "HTTP %ld", status);
		if (x.body.len) {
			snippet = clean(x.body.ptr, CLEAN_LINE);
			snprintf(msg, sizeof msg, "HTTP %ld: %.*s", status, SNIPPET_MAX, snippet);
			free(snippet);
			if (leaks(msg, j->secret, NULL))
				snprintf(msg, sizeof msg, "HTTP %ld", status);
		}
		set_error(d, j, msg, "HTTP error");
		if (status == 408 || status == 429 || status >= 500) {
			o = RETRY;
			if ((status == 429 || status == 503) && x.retry_after_ms >= 0)
				j->retry_after_ms = x.retry_after_ms;
		} else {
			/* A redirect (not followed) or a refusal of the request
			 * itself: the next attempt would get the same answer. */
			o = FAILED;
		}
	}
	/* Nothing of this attempt (the error buffer, the headers) stays
	 * referenced by the handle; its connections stay open for the next. */
	curl_easy_reset(c);
	curl_slist_free_all(headers);
	buf_cleanup(&x.body);
	return o;
}

/* A number in [0, 1) from the deliverer's xorshift64* generator. */
static double random01(struct deliver *d)
{
	d->rng ^= d->rng >> 12;
	d->rng ^= d->rng << 25;
	d->rng ^= d->rng >> 27;
	return (double)((d->rng * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0;
}

/* The wait before the next attempt after the attempts-th failed one:
 * base_ms doubled per earlier attempt up to max_backoff_ms, times a random
 * factor in 0.5..1.5, at least a Retry-After, never more than
 * max_backoff_ms. */
static long backoff(struct deliver *d, const struct djob *j)
{
	double ms = (double)d->base_ms;

	for (int i = 1; i < j->attempts && ms < (double)d->max_backoff_ms; i++)
		ms *= 2;
	if (ms > (double)d->max_backoff_ms)
		ms = (double)d->max_backoff_ms;
	ms *= 0.5 + random01(d);
	if (j->retry_after_ms >= 0 && ms < (double)j->retry_after_ms)
		ms = (double)j->retry_after_ms;
	if (ms > (double)d->max_backoff_ms)
		ms = (double)d->max_backoff_ms;
	return (long)ms;
}

/* Give job j's result to the callback and log it.  Called without the lock. */
static void finish(struct deliver *d, struct djob *j, int sent)
{
	struct deliver_result r = { .id = j->id, .ok = sent, .attempts = j->attempts,
				    .status = j->status, .error = sent ? NULL : j->error };

	if (sent)
		horch_log(LOG_INFO, "alert", "deliver job=%lld format=%s to=%s rcpt=%d "
			  "result=sent attempts=%d status=%ld", (long long)j->id,
			  format_names[j->format], j->where, j->n_rcpt, j->attempts, j->status);
	else
		horch_log(LOG_ERROR, "alert", "deliver job=%lld format=%s to=%s rcpt=%d "
			  "result=failed attempts=%d status=%ld error=\"%s\"", (long long)j->id,
			  format_names[j->format], j->where, j->n_rcpt, j->attempts, j->status,
			  j->error);
	if (d->fn)
		d->fn(d->ctx, &r);
}

/* The job of the list that is due first (the earlier one of two due
 * together); NULL when the list is empty.  Called with the lock. */
static struct djob *earliest(struct deliver *d)
{
	struct djob *best = NULL;

	for (struct djob *j = d->head; j; j = j->next)
		if (!best || j->due_ns < best->due_ns)
			best = j;
	return best;
}

static void unlink_job(struct deliver *d, struct djob *j)
{
	struct djob **pp = &d->head, *prev = NULL;

	while (*pp != j) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	*pp = j->next;
	if (d->tail == j)
		d->tail = prev;
	j->next = NULL;
}

/* Take a job from the held count, waking deliver_free() at zero.  Called
 * with the lock. */
static void release(struct deliver *d)
{
	if (--d->held == 0)
		pthread_cond_broadcast(&d->idle);
}

static void deadline_after(struct timespec *ts, int64_t ns)
{
	ts->tv_sec = (time_t)(ns / 1000000000LL);
	ts->tv_nsec = (long)(ns % 1000000000LL);
}

static void *run(void *arg)
{
	struct deliver *d = arg;
	struct djob *j;
	struct timespec ts;
	enum outcome o;
	int64_t now;
	long wait_ms;

	pthread_mutex_lock(&d->lock);
	while (!d->stopping) {
		j = earliest(d);
		if (!j) {
			pthread_cond_wait(&d->wake, &d->lock);
			continue;
		}
		now = horch_mono_ns();
		if (j->due_ns > now) {
			deadline_after(&ts, j->due_ns);
			pthread_cond_timedwait(&d->wake, &d->lock, &ts);
			continue;
		}
		unlink_job(d, j);
		pthread_mutex_unlock(&d->lock);

		j->attempts++;
		o = attempt(d, j);
		wait_ms = -1;
		if (o == RETRY && j->attempts < d->max_attempts)
			wait_ms = backoff(d, j);
		if (o != SENT && o != STOPPED)
			horch_log(LOG_WARN, "alert", "deliver job=%lld format=%s to=%s attempt=%d/%d "
				  "status=%ld error=\"%s\" retry_ms=%ld", (long long)j->id,
				  format_names[j->format], j->where, j->attempts, d->max_attempts,
				  j->status, j->error, wait_ms);

		pthread_mutex_lock(&d->lock);
		if (wait_ms >= 0 && !d->stopping) {
			j->due_ns = horch_mono_ns() + (int64_t)wait_ms * 1000000LL;
			if (d->tail)
				d->tail->next = j;
			else
				d->head = j;
			d->tail = j;
			continue;
		}
		if (o != SENT && (o == STOPPED || wait_ms >= 0))
			set_error(d, j, "stopped", "stopped");
		pthread_mutex_unlock(&d->lock);
		finish(d, j, o == SENT);
		job_free(j);
		pthread_mutex_lock(&d->lock);
		release(d);
	}
	/* Stopped: what is left gets its result now. */
	while ((j = d->head) != NULL) {
		unlink_job(d, j);
		pthread_mutex_unlock(&d->lock);
		set_error(d, j, "stopped", "stopped");
		finish(d, j, 0);
		job_free(j);
		pthread_mutex_lock(&d->lock);
		release(d);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

/* ---- the deliverer ------------------------------------------------- */

/* Free d and what deliver_new() set up in it (the thread has ended or was
 * never started). */
static void destroy(struct deliver *d)
{
	struct djob *j;

	while ((j = d->head) != NULL) {
		d->head = j->next;
		job_free(j);
	}
	if (d->curl)
		curl_easy_cleanup(d->curl);
	if (d->curl_ready)
		curl_global_cleanup();
	if (d->sync_ready) {
		pthread_mutex_destroy(&d->lock);
		pthread_cond_destroy(&d->wake);
		pthread_cond_destroy(&d->idle);
	}
	if (d->smtp_password) {
		/* The password does not outlive the deliverer in freed memory. */
		memset(d->smtp_password, 0, strlen(d->smtp_password));
		free(d->smtp_password);
	}
	for (int i = 0; i < MAX_SECRETS; i++) {
		if (d->secret[i]) {
			memset(d->secret[i], 0, strlen(d->secret[i]));
			free(d->secret[i]);
		}
	}
	free(d->smtp_url);
	free(d->smtp_where);
	free(d->smtp_from);
	free(d->envelope_from);
	free(d->smtp_user);
	free(d->user_agent);
	free(d);
}

/* 1 when s has a control character (a header value must not). */
static int has_control(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return 1;
	return 0;
}

int deliver_new(struct deliver **out, const struct deliver_opts *o, deliver_result_fn fn,
		void *ctx, struct horch_err *err)
{
	static const struct deliver_opts none;
	struct deliver *d;
	pthread_condattr_t attr;
	char addr[ADDR_MAX + 3];
	const char *p, *item;
	size_t len;
	int rc = 0, e;

	if (!o)
		o = &none;
	d = horch_xcalloc(1, sizeof *d);
	if (o->timeout_ms < 0 || o->max_attempts < 0 || o->base_ms < 0 || o->max_backoff_ms < 0) {
		rc = horch_err_set(err, HORCH_EINVAL, "deliver: negative timeout, attempts or "
				   "back-off");
		goto out;
	}
	d->timeout_ms = o->timeout_ms ? o->timeout_ms : 10000;
	d->max_attempts = o->max_attempts ? o->max_attempts : 6;
	d->base_ms = o->base_ms ? o->base_ms : 1000;
	d->max_backoff_ms = o->max_backoff_ms ? o->max_backoff_ms : 300000;
	d->queue_max = o->queue_max ? o->queue_max : 10000;
	if (has_control(o->user_agent)) {
		rc = horch_err_set(err, HORCH_EINVAL, "deliver: a control character in the "
				   "user agent");
		goto out;
	}
	d->user_agent = horch_xstrdup(o->user_agent ? o->user_agent : "horch");
	if (o->smtp_url) {
		if ((rc = check_url(o->smtp_url, "smtp", "smtps", &d->smtp_where, &d->smtps,
				    d->secret, "smtp_url", err)) != 0)
			goto out;
		p = o->smtp_from ? o->smtp_from : "";
		if (!next_item(&p, &item, &len) || !len || *p) {
			rc = horch_err_set(err, HORCH_EINVAL, "smtp_from: one address is needed");
			goto out;
		}
		if ((rc = check_addr(item, len, addr, "smtp_from", err)) != 0)
			goto out;
		if (has_control(o->smtp_user) || has_control(o->smtp_password)) {
			rc = horch_err_set(err, HORCH_EINVAL, "smtp_user or smtp_password: a "
					   "control character");
			goto out;
		}
		d->smtp_url = horch_xstrdup(o->smtp_url);
		d->smtp_from = horch_xstrdup(o->smtp_from);
		d->envelope_from = horch_xstrdup(addr);
		d->smtp_user = horch_xstrdup(o->smtp_user);
		d->smtp_password = horch_xstrdup(o->smtp_password);
		add_secret(d->secret, o->smtp_password);
	}
	d->fn = fn;
	d->ctx = ctx;
	d->rng = (uint64_t)horch_now() ^ ((uint64_t)horch_mono_ns() << 17) ^ (uint64_t)(uintptr_t)d;
	if (!d->rng)
		d->rng = 0x9E3779B97F4A7C15ULL;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		rc = horch_err_set(err, HORCH_EIO, "deliver: libcurl did not start");
		goto out;
	}
	d->curl_ready = 1;
	if (!(d->curl = curl_easy_init())) {
		rc = horch_err_set(err, HORCH_EIO, "deliver: libcurl did not start");
		goto out;
	}
	pthread_mutex_init(&d->lock, NULL);
	/* Due times are monotonic, so that a clock jump neither fires a
	 * retry early nor holds it for hours. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&d->wake, &attr);
	pthread_cond_init(&d->idle, &attr);
	pthread_condattr_destroy(&attr);
	d->sync_ready = 1;
	if ((e = pthread_create(&d->thread, NULL, run, d)) != 0) {
		rc = horch_err_set(err, HORCH_EIO, "deliver: no thread: %s", strerror(e));
		goto out;
	}
out:
	if (rc) {
		destroy(d);
		return rc;
	}
	*out = d;
	return 0;
}

void deliver_free(struct deliver *d, long wait_ms)
{
	struct timespec ts;

	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	deadline_after(&ts, horch_mono_ns() + (wait_ms > 0 ? (int64_t)wait_ms * 1000000LL : 0));
	while (d->held > 0 && pthread_cond_timedwait(&d->idle, &d->lock, &ts) != ETIMEDOUT)
		;
	d->stopping = 1;
	pthread_cond_broadcast(&d->wake);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	destroy(d);
}
