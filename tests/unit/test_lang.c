/* test_lang.c - language identification: nlp_lang_detect() and the CLD2
 * wrapper under it.
 *
 * Every sentence here was written for this test; none comes from the data
 * sets in ../shared/data (those measure accuracy: bench_lang and
 * docs/internals/nlp-lang.md).  The checks: the major languages, short
 * posts, "und" for what cannot be told, quotes in another language than
 * the author's, hashtags and mentions that must not decide, links and
 * addresses left out, invalid UTF-8, a 1 MiB text, the range of the
 * confidence, and the same answers from four threads at once. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nlp/lang_cld2.h"
#include "nlp/nlp.h"
#include "tap.h"

/* The code nlp_lang_detect() gives s; *conf gets the confidence. */
static const char *lang_of(const char *s, float *conf)
{
	static struct nlp_lang l;

	nlp_lang_detect(s, strlen(s), &l);
	if (conf)
		*conf = l.conf;
	return l.code;
}

static void major_languages(void)
{
	static const struct {
		char code[4];
		const char *text;
	} v[] = {
		{ "en", "The new laptop arrived yesterday and the battery lasts the whole day." },
		{ "de", "Das neue Notebook kam gestern an und der Akku hält den ganzen Tag." },
		{ "fr", "Le nouvel ordinateur est arrivé hier et la batterie tient toute la journée." },
		{ "es", "El portátil nuevo llegó ayer y la batería dura todo el día sin problemas." },
		{ "it", "Il portatile nuovo è arrivato ieri e la batteria dura tutta la giornata." },
		{ "nl", "De nieuwe laptop kwam gisteren aan en de accu gaat de hele dag mee." },
		{ "pt", "O computador novo chegou ontem e a bateria dura o dia inteiro sem parar." },
		{ "pl", "Nowy laptop przyszedł wczoraj, a bateria wytrzymuje cały dzień pracy." },
		{ "tr", "Yeni dizüstü bilgisayar dün geldi ve pil bütün gün dayanıyor." },
		{ "ru", "Новый ноутбук пришёл вчера, и батареи хватает на весь день." },
		{ "sv", "Den nya datorn kom i går och batteriet räcker hela dagen utan problem." },
		{ "da", "Jeg har ventet på min pakke i over to uger, og kundeservice svarer slet ikke." },
		{ "ja", "新しいノートパソコンが昨日届きました。バッテリーは一日中持ちます。" },
		{ "zh", "新的笔记本电脑昨天到了，电池可以用一整天，我非常满意。" },
		{ "ko", "새 노트북이 어제 도착했고 배터리가 하루 종일 갑니다." },
		{ "ar", "وصل الحاسوب الجديد أمس والبطارية تدوم طوال اليوم." },
		{ "el", "Ο νέος υπολογιστής έφτασε χθες και η μπαταρία κρατάει όλη μέρα." },
	};
	size_t i;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		float conf;

		is_str(lang_of(v[i].text, &conf), v[i].code, "lang-1.%zu a sentence in %s", i + 1,
		       v[i].code);
		ok(conf >= 0.8f && conf <= 1.0f, "lang-1.%zu.1 confident in %s (%.2f)", i + 1,
		   v[i].code, conf);
	}
	/* Traditional Chinese is still "zh": ISO 639-1 has no script. */
	is_str(lang_of("我們昨天買了新的電腦，螢幕很漂亮，價格也還可以。", NULL), "zh",
	       "lang-1.20 traditional Chinese is zh");
}

static void short_posts(void)
{
	float conf;

	is_str(lang_of("my flight got cancelled again today", NULL), "en",
	       "lang-2.1 six English words");
	is_str(lang_of("mein Flug wurde heute schon wieder gestrichen", NULL), "de",
	       "lang-2.2 seven German words");
	is_str(lang_of("@DellCares the keyboard stopped working", NULL), "en",
	       "lang-2.3 five words after a mention");
	is_str(lang_of("Warum dauert die Lieferung so lange?", NULL), "de",
	       "lang-2.4 a short German question");
	is_str(lang_of("Merci beaucoup pour votre aide rapide", NULL), "fr",
	       "lang-2.5 six French words");
	lang_of("Absolutely wonderful", &conf);
	ok(conf > 0 && conf < 0.95f, "lang-2.6 two words: a language, but less sure (%.2f)",
	   conf);
}

static void undetermined(void)
{
	static const char *const v[] = {
		"ok", "lol", "OK!", "thx", "😂😂😂", "👍🏻❤️🔥",
		"https://example.com/a/very/long/path/with/words/in/it?and=query&more=things",
		"www.example.org/produkte/notebooks/alle-modelle",
		"@DellCares @Airline_Support @someone", "12:30 4,99 100% !!! ???", "", " \n\t ",
		"info.support@example.com", "...", ":-) ;-)",
	};
	size_t i;
	struct nlp_lang l;

	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		float conf = 1;

		is_str(lang_of(v[i], &conf), "und", "lang-3.%zu \"%.12s\" is und", i + 1,
		       v[i][0] == ' ' ? "blanks" : v[i]);
		is_dbl(conf, 0, 0, "lang-3.%zu.1 with confidence 0", i + 1);
	}
	nlp_lang_detect(NULL, 0, &l);
	is_str(l.code, "und", "lang-3.20 NULL text is und");
}

static void quotes(void)
{
	is_str(lang_of("Heute in der Besprechung sagte mein Chef wörtlich: \"We need to ship "
		       "this product before the end of the quarter no matter what it costs\". "
		       "Ich war sprachlos.", NULL),
	       "de", "lang-4.1 German quoting English in \"...\" is de");
	is_str(lang_of("Mein Kollege schrieb mir gestern „The customer service team never "
		       "called me back and I waited on hold for two hours“ und ich konnte "
		       "es kaum glauben.", NULL),
	       "de", "lang-4.2 German quoting English in „...“ is de");
	is_str(lang_of("My German neighbour keeps saying »Das Wetter ist heute wieder "
		       "einmal furchtbar schlecht und kalt« every single morning when we "
		       "meet at the bus stop.", NULL),
	       "en", "lang-4.3 English quoting German in »...« is en");
	is_str(lang_of("The sign at the station said “Der Zug fällt heute wegen einer "
		       "Störung im Betriebsablauf leider aus” and nobody could tell us "
		       "when the next one would come.", NULL),
	       "en", "lang-4.4 English quoting German in “...” is en");
	is_str(lang_of("> The update broke the wireless driver on every machine we have\n"
		       "> and the rollback does not work either.\n"
		       "Genau das gleiche Problem haben wir auch seit dem letzten Update.",
		       NULL),
	       "de", "lang-4.5 German answer below an English '>' quote is de");
	is_str(lang_of("Er meinte nur ‚It works on my machine, so it is not our problem‘ "
		       "und legte dann einfach auf.", NULL),
	       "de", "lang-4.6 German quoting English in ‚...‘ is de");
	is_str(lang_of("Le client a écrit «I want my money back right now, this is the "
		       "worst purchase I have ever made» dans son courriel de ce matin.",
		       NULL),
	       "fr", "lang-4.7 French quoting English in «...» is fr");
	/* A quote mark that is not a quote: the inch mark of 15" opens nothing,
	 * and a stray “ never closed gives its words back to the author. */
	is_str(lang_of("Das 15\" Display ist hell und der Akku hält wirklich den ganzen "
		       "Arbeitstag durch.", NULL),
	       "de", "lang-4.8 an inch mark is not a quote");
	is_str(lang_of("Ich habe “keine Ahnung, warum die Lieferung schon wieder so lange "
		       "dauert, seit drei Wochen warte ich", NULL),
	       "de", "lang-4.9 an unclosed quote is the author's own text");
	/* Almost all quote: the author's few words still decide when CLD2
	 * finds their language in the whole. */
	is_str(lang_of("\"The battery is dead after two days and support does not answer "
		       "any of my mails\" so ist es leider", NULL),
	       "de", "lang-4.10 a short German remark under a long English quote is de");
	/* Only a quote: then the quote is all there is. */
	is_str(lang_of("\"The battery is dead after two days and support does not answer "
		       "any of my mails\"", NULL),
	       "en", "lang-4.11 a post that is only a quote has the quote's language");
}

static void tags_and_links(void)
{
	is_str(lang_of("Endlich ist das neue Notebook da und es läuft super "
		       "#happy #newlaptop #bestdayever #love #tech #unboxing #instagood",
		       NULL),
	       "de", "lang-5.1 English hashtags do not make a German post English");
	is_str(lang_of("@Kundenservice_Deutschland @Bahn_Hilfe @Verspaetung_Heute the train "
		       "was late again and nobody told us why", NULL),
	       "en", "lang-5.2 German-looking mentions do not make an English post German");
	is_str(lang_of("Wir haben heute unsere Preise gesenkt, alle Details unter "
		       "https://example.com/the-best-summer-sale-with-great-offers-for-everyone "
		       "und in jeder Filiale", NULL),
	       "de", "lang-5.3 an English URL does not decide");
	is_str(lang_of("Schreiben Sie uns bitte an customer.happiness.team@example.com "
		       "wenn das Problem weiterhin besteht", NULL),
	       "de", "lang-5.4 an English e-mail address does not decide");
	is_str(lang_of("#Kundenservice #Deutschland", NULL), "de",
	       "lang-5.5 hashtags alone: their words are all there is");
	is_str(lang_of("Tolle Aktion von $DELL heute wieder, die Aktie steigt und steigt",
		       NULL),
	       "de", "lang-5.6 a cashtag does not decide");
}

static void invalid_utf8(void)
{
	static const char de[] = "Der Kundendienst hat \xff\xfe mir sehr schnell \xc3 und "
				 "freundlich \xe2\x82 geholfen, vielen \xed\xa0\x80 Dank dafür!";
	static const char junk[] = "\xff\xfe\xfd\x80\x81\xc0\xc1\xf5\xf8";
	struct nlp_lang l;
	struct nlp__cld2_result r;

	nlp_lang_detect(de, sizeof de - 1, &l);
	is_str(l.code, "de", "lang-6.1 invalid bytes between German words are skipped");
	nlp_lang_detect(junk, sizeof junk - 1, &l);
	is_str(l.code, "und", "lang-6.2 only invalid bytes is und");
	/* A noncharacter and a C1 control are valid UTF-8 but not for CLD2. */
	nlp_lang_detect("Das ist \xef\xb7\x90 ein ganz \xc2\x85 normaler deutscher Satz mit "
			"\xef\xbf\xbe vielen Wörtern", 70, &l);
	is_str(l.code, "de", "lang-6.3 noncharacters and C1 controls are skipped");
	nlp__cld2_detect("abc def\xff ghi", 12, 0, &r);
	is_int(r.valid_len, 7, "lang-6.4 CLD2 wrapper: the valid prefix before an invalid byte");
	nlp__cld2_detect("abc \xef\xb7\x90", 7, 0, &r);
	is_int(r.valid_len, 4, "lang-6.5 CLD2 wrapper: a noncharacter ends the valid prefix");
	nlp__cld2_detect("Der Kundendienst hat sehr schnell geholfen", 42, 0, &r);
	is_int(r.valid_len, 42, "lang-6.6 CLD2 wrapper: valid text is taken whole");
	is_str(r.code[0], "de", "lang-6.7 CLD2 wrapper: German");
	/* Cut in the middle of a character: the end is dropped, not read past. */
	nlp_lang_detect("Ein Satz über die Größe", 22, &l);
	is_str(l.code, "de", "lang-6.8 a text cut inside a character");
}

static void long_text(void)
{
	static const char *const sentence =
		"The support team answered quickly and replaced the broken screen for free. ";
	size_t n = 1024 * 1024, k = strlen(sentence), i;
	char *s = malloc(n);
	struct nlp_lang l;
	clock_t t0;
	double ms;

	if (!s) {
		ok(0, "lang-7.1 malloc");
		return;
	}
	for (i = 0; i < n; i++)
		s[i] = sentence[i % k];
	t0 = clock();
	nlp_lang_detect(s, n, &l);
	ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC;
	is_str(l.code, "en", "lang-7.1 a 1 MiB text");
	ok(ms < 50, "lang-7.2 reads a bounded sample of it (%.2f ms)", ms);
	/* The same megabyte, all of it inside one quote that never closes. */
	s[0] = '"';
	for (i = 1; i < n; i++)
		if (s[i] == '"')
			s[i] = ' ';
	t0 = clock();
	nlp_lang_detect(s, n, &l);
	ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC;
	is_str(l.code, "en", "lang-7.3 a 1 MiB unclosed quote");
	ok(ms < 50, "lang-7.4 in bounded time (%.2f ms)", ms);
	/* A megabyte of quotation marks and hashtags: no quadratic path. */
	for (i = 0; i < n; i++)
		s[i] = "\"#@ a\xe2\x80\x9e"[i % 8];
	t0 = clock();
	nlp_lang_detect(s, n, &l);
	ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC;
	is_str(l.code, "und", "lang-7.5 a 1 MiB of marks is und");
	ok(ms < 50, "lang-7.6 in bounded time (%.2f ms)", ms);
	free(s);
}

static void confidence(void)
{
	float c_long, c_short, c_mid;

	lang_of("Yesterday I called the hotline three times, and every time the line went "
		"dead after twenty minutes of waiting music.", &c_long);
	lang_of("waiting for my refund", &c_mid);
	lang_of("great phone", &c_short);
	ok(c_long >= 0.9f && c_long <= 1.0f, "lang-8.1 a long sentence: confidence >= 0.9 (%.2f)",
	   c_long);
	ok(c_short > 0 && c_short < c_long, "lang-8.2 two words: lower (%.2f < %.2f)", c_short,
	   c_long);
	ok(c_mid >= c_short && c_mid <= c_long, "lang-8.3 four words: between (%.2f)", c_mid);
}

/* Texts for the threads: one answer each, whichever thread asks. */
static const char *const thread_texts[] = {
	"The engineer finally came and fixed the printer after three weeks.",
	"Der Techniker kam endlich und hat den Drucker nach drei Wochen repariert.",
	"Le technicien est enfin venu réparer l'imprimante après trois semaines.",
	("Mein Kollege sagte \"the printer is broken again and nobody cares about it\" "
	 "und ging nach Hause."),
	"ok",
	"Новый принтер наконец-то работает без ошибок.",
};
#define N_THREAD_TEXTS (sizeof thread_texts / sizeof thread_texts[0])
static struct nlp_lang thread_want[N_THREAD_TEXTS];

/* Detect every text 300 times; returns (void *)1 on a different answer. */
static void *thread_run(void *arg)
{
	size_t start = (size_t)(uintptr_t)arg;

	for (int round = 0; round < 300; round++) {
		size_t i = (start + (size_t)round) % N_THREAD_TEXTS;
		struct nlp_lang l;

		nlp_lang_detect(thread_texts[i], strlen(thread_texts[i]), &l);
		if (strcmp(l.code, thread_want[i].code) != 0 || l.conf != thread_want[i].conf)
			return (void *)1;
	}
	return NULL;
}

static void threads(void)
{
	pthread_t t[4];
	int started = 0, differ = 0;
	size_t i;

	for (i = 0; i < N_THREAD_TEXTS; i++)
		nlp_lang_detect(thread_texts[i], strlen(thread_texts[i]), &thread_want[i]);
	for (i = 0; i < 4; i++)
		if (pthread_create(&t[i], NULL, thread_run, (void *)(uintptr_t)i) == 0)
			started++;
	for (i = 0; i < (size_t)started; i++) {
		void *rv = NULL;

		pthread_join(t[i], &rv);
		differ += rv != NULL;
	}
	is_int(started, 4, "lang-9.1 four threads started");
	is_int(differ, 0, "lang-9.2 every thread got the answers of one thread alone");
	is_str(thread_want[3].code, "de", "lang-9.3 (the quoting text is de)");
}

int main(void)
{
	major_languages();
	short_posts();
	undetermined();
	quotes();
	tags_and_links();
	invalid_utf8();
	long_text();
	confidence();
	threads();
	return tap_done();
}
