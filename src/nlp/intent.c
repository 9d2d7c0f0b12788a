/* intent.c - what the author of a post wants: to complain, to ask, to
 * praise, to buy, to suggest, or none of these.
 *
 * Rules, per language (English and German), over the tokens of the post.
 * Cue phrases written below in plain words ("how do I", "wäre schön,
 * wenn", "bitte ... einbauen") are tokenised and folded once, at load, and
 * grouped by their first word in an open addressing hash, longest first.
 * A post's tokens are walked once; at each word the longest cue that
 * matches wins and the walk goes on after it, so a longer phrase overrides
 * a shorter one that starts at the same word ("no problem" is not
 * "problem", "should I get a refund" is not "should I get").  Inside a
 * phrase, punctuation is skipped ("wäre schön wenn" and "wäre schön, wenn"
 * are one cue) and "..." lets up to GAP_MAX other tokens stand between two
 * words; no cue reaches over the end of a sentence.
 *
 * The cues are counted by class, the sentences with a question mark and
 * those that open with a question word are counted, and the sentiment of
 * the post (an input: struct nlp_sentiment) decides the rest.  The
 * precedence, first that applies:
 *
 *   1. purchase   a buying cue ("looking to buy", "Kaufempfehlung"), or a
 *                 weak one ("buy", "kaufen") in a question or beside a
 *                 wish ("ich will ... kaufen") in a post that is not
 *                 negative: a lead is rare and worth most;
 *   2. idea       a suggestion ("you should add", "bitte ... einbauen"),
 *                 or a weak one ("I wish") in a post that is not negative;
 *   3. complaint  negative sentiment, or a problem cue ("not working",
 *                 "Verspätung") that no "works fine" undoes, unless the
 *                 post is positive and thanks or praises, or only asks
 *                 about one problem ("is my flight delayed?"); or a
 *                 why-question in a post that is not positive;
 *                 a question about one's own trouble ("why is my flight
 *                 delayed again??") is a complaint: it needs a fix, not
 *                 an answer;
 *   4. question   a help-seeking phrase ("can anyone help", "weiß
 *                 jemand"), or a question mark in a post that is not
 *                 positive, or in a sentence that opens with a question
 *                 word ("Does it come in black?");
 *   5. praise     positive sentiment, or thanks and praise words in a
 *                 post that is not negative;
 *   6. other.
 *
 * Other languages have no cues: a question mark makes a question, else
 * negative is a complaint and positive praise.  A post whose language is
 * unknown ("und", NULL) is read with the English and German cues both.
 * docs/internals/nlp-intent.md has the rules with examples and measured
 * figures.
 *
 * The compiled cues are read-only after load and shared by every thread;
 * nlp_intent() allocates nothing and takes time linear in the tokens. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/buf.h"
#include "nlp_int.h"

/* Tokens that "..." in a cue lets stand between two of its words. */
#define GAP_MAX 5

enum cue_class {
	CUE_NONE = 0,      /* a blocker: matches, and counts for nothing ("no idea") */
	CUE_HELP,          /* asks for help or information */
	CUE_QWORD,         /* a question word; counts only opening a sentence with '?' */
	CUE_WHY,           /* "why": a question word that asks for a reason */
	CUE_PROBLEM,       /* something went wrong */
	CUE_FINE,          /* nothing went wrong ("works fine"): undoes a problem */
	CUE_PRAISE,        /* thanks, praise */
	CUE_PURCHASE,      /* a lead */
	CUE_PURCHASE_WEAK, /* a lead in a question or beside a wish */
	CUE_WANT,          /* a wish, for CUE_PURCHASE_WEAK */
	CUE_IDEA,          /* a suggestion */
	CUE_IDEA_WEAK,     /* a suggestion unless the post is negative */
	CUE_N
};

#define L_EN 1u
#define L_DE 2u

struct cue {
	uint8_t lang;      /* L_EN, L_DE or both */
	uint8_t cls;       /* enum cue_class */
	const char *text;  /* the phrase, as people write it; "..." is a gap */
};

/* The cues.  Written as people write them: the loader folds them as the
 * tokenizer folds a post (case, accents, ß), so "wäre" also finds "ware"
 * and "WÄRE".  Where people often drop an apostrophe both forms are
 * listed. */
static const struct cue cues[] = {
	/* ---- English: help-seeking ---- */
	{ L_EN, CUE_HELP, "how do i" }, { L_EN, CUE_HELP, "how can i" },
	{ L_EN, CUE_HELP, "how do you" },
	{ L_EN, CUE_HELP, "can you help" }, { L_EN, CUE_HELP, "could you help" },
	{ L_EN, CUE_HELP, "can someone help" }, { L_EN, CUE_HELP, "can anyone help" },
	{ L_EN, CUE_HELP, "can somebody help" }, { L_EN, CUE_HELP, "can you tell me" },
	{ L_EN, CUE_HELP, "could you tell me" }, { L_EN, CUE_HELP, "please help" },
	{ L_EN, CUE_HELP, "pls help" }, { L_EN, CUE_HELP, "plz help" },
	{ L_EN, CUE_HELP, "help me" }, { L_EN, CUE_HELP, "need help" },
	{ L_EN, CUE_HELP, "need some help" }, { L_EN, CUE_HELP, "any idea" },
	{ L_EN, CUE_HELP, "any ideas" }, { L_EN, CUE_HELP, "anyone know" },
	{ L_EN, CUE_HELP, "does anyone know" }, { L_EN, CUE_HELP, "anybody know" },
	{ L_EN, CUE_HELP, "is there a way" }, { L_EN, CUE_HELP, "is it possible to" },
	{ L_EN, CUE_HELP, "what should i do" }, { L_EN, CUE_HELP, "who do i contact" },
	{ L_EN, CUE_HELP, "who should i contact" }, { L_EN, CUE_HELP, "where can i find" },
	{ L_EN, CUE_HELP, "please advise" }, { L_EN, CUE_HELP, "pls advise" },
	{ L_EN, CUE_HELP, "plz advise" }, { L_EN, CUE_HELP, "any update" },
	{ L_EN, CUE_HELP, "any updates" }, { L_EN, CUE_HELP, "any news" },
	{ L_EN, CUE_HELP, "i was wondering" }, { L_EN, CUE_HELP, "wondering if" },
	{ L_EN, CUE_HELP, "quick question" }, { L_EN, CUE_HELP, "thanks in advance" },
	{ L_EN, CUE_HELP, "thank you in advance" },
	{ L_EN, CUE_NONE, "no idea" },

	/* ---- English: question words opening a sentence ---- */
	{ L_EN, CUE_QWORD, "how" }, { L_EN, CUE_QWORD, "what" }, { L_EN, CUE_WHY, "why" },
	{ L_EN, CUE_WHY, "how come" },
	{ L_EN, CUE_QWORD, "where" }, { L_EN, CUE_QWORD, "when" }, { L_EN, CUE_QWORD, "who" },
	{ L_EN, CUE_QWORD, "which" }, { L_EN, CUE_QWORD, "can" }, { L_EN, CUE_QWORD, "could" },
	{ L_EN, CUE_QWORD, "would" }, { L_EN, CUE_QWORD, "will" }, { L_EN, CUE_QWORD, "do" },
	{ L_EN, CUE_QWORD, "does" }, { L_EN, CUE_QWORD, "did" }, { L_EN, CUE_QWORD, "is" },
	{ L_EN, CUE_QWORD, "are" }, { L_EN, CUE_QWORD, "am" }, { L_EN, CUE_QWORD, "was" },
	{ L_EN, CUE_QWORD, "were" }, { L_EN, CUE_QWORD, "should" }, { L_EN, CUE_QWORD, "may" },
	{ L_EN, CUE_QWORD, "have" }, { L_EN, CUE_QWORD, "has" }, { L_EN, CUE_QWORD, "any" },
	{ L_EN, CUE_QWORD, "anyone" }, { L_EN, CUE_QWORD, "anybody" },
	{ L_EN, CUE_QWORD, "what's" }, { L_EN, CUE_QWORD, "whats" },
	{ L_EN, CUE_QWORD, "where's" }, { L_EN, CUE_QWORD, "how's" },
	{ L_EN, CUE_QWORD, "isn't" }, { L_EN, CUE_QWORD, "doesn't" }, { L_EN, CUE_QWORD, "don't" },

	/* ---- English: problems ---- */
	{ L_EN, CUE_PROBLEM, "not working" }, { L_EN, CUE_PROBLEM, "isn't working" },
	{ L_EN, CUE_PROBLEM, "doesn't work" }, { L_EN, CUE_PROBLEM, "doesnt work" },
	{ L_EN, CUE_PROBLEM, "does not work" }, { L_EN, CUE_PROBLEM, "don't work" },
	{ L_EN, CUE_PROBLEM, "didn't work" }, { L_EN, CUE_PROBLEM, "won't work" },
	{ L_EN, CUE_PROBLEM, "stopped working" }, { L_EN, CUE_PROBLEM, "no longer works" },
	{ L_EN, CUE_PROBLEM, "won't turn on" }, { L_EN, CUE_PROBLEM, "won't start" },
	{ L_EN, CUE_PROBLEM, "won't let me" }, { L_EN, CUE_PROBLEM, "wont let me" },
	{ L_EN, CUE_PROBLEM, "can't get" }, { L_EN, CUE_PROBLEM, "cant get" },
	{ L_EN, CUE_PROBLEM, "cannot get" }, { L_EN, CUE_PROBLEM, "can't log in" },
	{ L_EN, CUE_PROBLEM, "can't find" }, { L_EN, CUE_PROBLEM, "unable to" },
	{ L_EN, CUE_PROBLEM, "broken" }, { L_EN, CUE_PROBLEM, "broke" },
	{ L_EN, CUE_PROBLEM, "defective" }, { L_EN, CUE_PROBLEM, "faulty" },
	{ L_EN, CUE_PROBLEM, "crashed" }, { L_EN, CUE_PROBLEM, "crashes" },
	{ L_EN, CUE_PROBLEM, "crashing" }, { L_EN, CUE_PROBLEM, "freezes" },
	{ L_EN, CUE_PROBLEM, "error" }, { L_EN, CUE_PROBLEM, "errors" },
	{ L_EN, CUE_PROBLEM, "bug" }, { L_EN, CUE_PROBLEM, "buggy" },
	{ L_EN, CUE_PROBLEM, "glitch" }, { L_EN, CUE_PROBLEM, "issue" },
	{ L_EN, CUE_PROBLEM, "issues" }, { L_EN, CUE_PROBLEM, "problem" },
	{ L_EN, CUE_PROBLEM, "problems" }, { L_EN, CUE_PROBLEM, "trouble" },
	{ L_EN, CUE_PROBLEM, "failed" }, { L_EN, CUE_PROBLEM, "fails" },
	{ L_EN, CUE_PROBLEM, "failure" }, { L_EN, CUE_PROBLEM, "fail" },
	{ L_EN, CUE_PROBLEM, "delayed" }, { L_EN, CUE_PROBLEM, "delay" },
	{ L_EN, CUE_PROBLEM, "delays" }, { L_EN, CUE_PROBLEM, "late" },
	{ L_EN, CUE_PROBLEM, "cancelled" }, { L_EN, CUE_PROBLEM, "canceled" },
	{ L_EN, CUE_PROBLEM, "cancellation" }, { L_EN, CUE_PROBLEM, "diverted" },
	{ L_EN, CUE_PROBLEM, "missed" }, { L_EN, CUE_PROBLEM, "stuck" },
	{ L_EN, CUE_PROBLEM, "stranded" }, { L_EN, CUE_PROBLEM, "lost" },
	{ L_EN, CUE_PROBLEM, "missing" }, { L_EN, CUE_PROBLEM, "damaged" },
	{ L_EN, CUE_PROBLEM, "never arrived" }, { L_EN, CUE_PROBLEM, "hasn't arrived" },
	{ L_EN, CUE_PROBLEM, "still waiting" }, { L_EN, CUE_PROBLEM, "still not" },
	{ L_EN, CUE_PROBLEM, "still no" }, { L_EN, CUE_PROBLEM, "still haven't" },
	{ L_EN, CUE_PROBLEM, "not fixed" }, { L_EN, CUE_PROBLEM, "on hold" },
	{ L_EN, CUE_PROBLEM, "been waiting" }, { L_EN, CUE_PROBLEM, "no response" },
	{ L_EN, CUE_PROBLEM, "no reply" }, { L_EN, CUE_PROBLEM, "no answer" },
	{ L_EN, CUE_PROBLEM, "nobody" }, { L_EN, CUE_PROBLEM, "no one" },
	{ L_EN, CUE_PROBLEM, "refund" }, { L_EN, CUE_PROBLEM, "compensation" },
	{ L_EN, CUE_PROBLEM, "overcharged" }, { L_EN, CUE_PROBLEM, "charged me" },
	{ L_EN, CUE_PROBLEM, "rude" }, { L_EN, CUE_PROBLEM, "unacceptable" },
	{ L_EN, CUE_PROBLEM, "ridiculous" }, { L_EN, CUE_PROBLEM, "terrible" },
	{ L_EN, CUE_PROBLEM, "horrible" }, { L_EN, CUE_PROBLEM, "awful" },
	{ L_EN, CUE_PROBLEM, "worst" }, { L_EN, CUE_PROBLEM, "disappointed" },
	{ L_EN, CUE_PROBLEM, "disappointing" }, { L_EN, CUE_PROBLEM, "frustrated" },
	{ L_EN, CUE_PROBLEM, "frustrating" }, { L_EN, CUE_PROBLEM, "useless" },
	{ L_EN, CUE_PROBLEM, "never again" }, { L_EN, CUE_PROBLEM, "waste" },
	{ L_EN, CUE_PROBLEM, "wasted" }, { L_EN, CUE_PROBLEM, "sucks" },
	{ L_EN, CUE_PROBLEM, "hung up" }, { L_EN, CUE_PROBLEM, "overbooked" },
	{ L_EN, CUE_PROBLEM, "not happy" }, { L_EN, CUE_PROBLEM, "not impressed" },
	{ L_EN, CUE_PROBLEM, "thanks for nothing" }, { L_EN, CUE_PROBLEM, "should i get a refund" },
	{ L_EN, CUE_PROBLEM, "how do i get a refund" }, { L_EN, CUE_PROBLEM, "#fail" },
	{ L_EN, CUE_PROBLEM, "waiting" }, { L_EN, CUE_PROBLEM, "hour wait" },
	{ L_EN, CUE_PROBLEM, "wait time" }, { L_EN, CUE_PROBLEM, "hangs up" },
	{ L_EN, CUE_PROBLEM, "hanging up" }, { L_EN, CUE_PROBLEM, "double charged" },
	{ L_EN, CUE_PROBLEM, "charged twice" }, { L_EN, CUE_PROBLEM, "where is my" },
	{ L_EN, CUE_PROBLEM, "where's my" }, { L_EN, CUE_PROBLEM, "where are my" },
	{ L_EN, CUE_PROBLEM, "no help" }, { L_EN, CUE_PROBLEM, "not helpful" },
	{ L_EN, CUE_PROBLEM, "unhelpful" }, { L_EN, CUE_PROBLEM, "never received" },
	{ L_EN, CUE_PROBLEM, "haven't received" }, { L_EN, CUE_PROBLEM, "didn't receive" },
	{ L_EN, CUE_PROBLEM, "still on the ground" }, { L_EN, CUE_PROBLEM, "slow" },

	/* ---- English: nothing went wrong ---- */
	{ L_EN, CUE_FINE, "no problem" }, { L_EN, CUE_FINE, "no problems" },
	{ L_EN, CUE_FINE, "no issue" }, { L_EN, CUE_FINE, "no issues" },
	{ L_EN, CUE_FINE, "not a problem" }, { L_EN, CUE_FINE, "works fine" },
	{ L_EN, CUE_FINE, "works great" }, { L_EN, CUE_FINE, "works perfectly" },
	{ L_EN, CUE_FINE, "working fine" }, { L_EN, CUE_FINE, "problem solved" },
	{ L_EN, CUE_FINE, "issue resolved" }, { L_EN, CUE_FINE, "fixed it" },
	{ L_EN, CUE_FINE, "not late" }, { L_EN, CUE_FINE, "on time" },
	{ L_EN, CUE_FINE, "solved" }, { L_EN, CUE_FINE, "resolved" },
	{ L_EN, CUE_FINE, "fixed" }, { L_EN, CUE_FINE, "no complaints" },

	/* ---- English: thanks and praise ---- */
	{ L_EN, CUE_PRAISE, "thank you" }, { L_EN, CUE_PRAISE, "thanks" },
	{ L_EN, CUE_PRAISE, "thank" }, { L_EN, CUE_PRAISE, "thx" },
	{ L_EN, CUE_PRAISE, "love" }, { L_EN, CUE_PRAISE, "loved" },
	{ L_EN, CUE_PRAISE, "loving" }, { L_EN, CUE_PRAISE, "great" },
	{ L_EN, CUE_PRAISE, "awesome" }, { L_EN, CUE_PRAISE, "amazing" },
	{ L_EN, CUE_PRAISE, "excellent" }, { L_EN, CUE_PRAISE, "fantastic" },
	{ L_EN, CUE_PRAISE, "wonderful" }, { L_EN, CUE_PRAISE, "perfect" },
	{ L_EN, CUE_PRAISE, "best" }, { L_EN, CUE_PRAISE, "kudos" },
	{ L_EN, CUE_PRAISE, "shoutout" }, { L_EN, CUE_PRAISE, "shout out" },
	{ L_EN, CUE_PRAISE, "appreciate" }, { L_EN, CUE_PRAISE, "appreciated" },
	{ L_EN, CUE_PRAISE, "well done" }, { L_EN, CUE_PRAISE, "good job" },
	{ L_EN, CUE_PRAISE, "impressed" }, { L_EN, CUE_PRAISE, "helpful" },
	{ L_EN, CUE_PRAISE, "can't wait" }, { L_EN, CUE_PRAISE, "cant wait" },
	{ L_EN, CUE_PRAISE, "good idea" }, { L_EN, CUE_PRAISE, "great idea" },

	/* ---- English: buying ---- */
	{ L_EN, CUE_PURCHASE, "looking to buy" }, { L_EN, CUE_PURCHASE, "looking to get" },
	{ L_EN, CUE_PURCHASE, "looking for a new" }, { L_EN, CUE_PURCHASE, "looking at buying" },
	{ L_EN, CUE_PURCHASE, "want to buy" }, { L_EN, CUE_PURCHASE, "wanna buy" },
	{ L_EN, CUE_PURCHASE, "going to buy" }, { L_EN, CUE_PURCHASE, "gonna buy" },
	{ L_EN, CUE_PURCHASE, "planning to buy" }, { L_EN, CUE_PURCHASE, "plan to buy" },
	{ L_EN, CUE_PURCHASE, "thinking of buying" }, { L_EN, CUE_PURCHASE, "thinking about buying" },
	{ L_EN, CUE_PURCHASE, "thinking of getting" }, { L_EN, CUE_PURCHASE, "thinking about getting" },
	{ L_EN, CUE_PURCHASE, "considering buying" }, { L_EN, CUE_PURCHASE, "considering getting" },
	{ L_EN, CUE_PURCHASE, "should i buy" }, { L_EN, CUE_PURCHASE, "should i get" },
	{ L_EN, CUE_PURCHASE, "which one should i" }, { L_EN, CUE_PURCHASE, "where can i buy" },
	{ L_EN, CUE_PURCHASE, "where can i get" }, { L_EN, CUE_PURCHASE, "where to buy" },
	{ L_EN, CUE_PURCHASE, "where do i buy" }, { L_EN, CUE_PURCHASE, "can i buy" },
	{ L_EN, CUE_PURCHASE, "can i order" }, { L_EN, CUE_PURCHASE, "worth buying" },
	{ L_EN, CUE_PURCHASE, "worth the money" }, { L_EN, CUE_PURCHASE, "in the market for" },
	{ L_EN, CUE_PURCHASE, "about to buy" }, { L_EN, CUE_PURCHASE, "ready to buy" },
	{ L_EN, CUE_PURCHASE, "shopping for" }, { L_EN, CUE_PURCHASE, "need a new" },
	{ L_EN, CUE_PURCHASE, "buying a new" }, { L_EN, CUE_PURCHASE, "can you recommend" },
	{ L_EN, CUE_PURCHASE, "any recommendations" }, { L_EN, CUE_PURCHASE, "do you sell" },
	{ L_EN, CUE_PURCHASE, "how much is the" }, { L_EN, CUE_PURCHASE, "how much does the" },
	{ L_EN, CUE_PURCHASE, "is it in stock" }, { L_EN, CUE_PURCHASE, "back in stock" },
	{ L_EN, CUE_PURCHASE_WEAK, "buy" }, { L_EN, CUE_PURCHASE_WEAK, "purchase" },
	{ L_EN, CUE_PURCHASE_WEAK, "preorder" }, { L_EN, CUE_PURCHASE_WEAK, "pre-order" },
	{ L_EN, CUE_NONE, "my purchase" }, { L_EN, CUE_NONE, "not looking to buy" },
	{ L_EN, CUE_NONE, "don't want to buy" }, { L_EN, CUE_PROBLEM, "never buy" },
	{ L_EN, CUE_PROBLEM, "will never buy" }, { L_EN, CUE_PROBLEM, "would never buy" },
	{ L_EN, CUE_PROBLEM, "wouldn't buy" }, { L_EN, CUE_PROBLEM, "won't buy" },
	{ L_EN, CUE_NONE, "no thanks" }, { L_EN, CUE_NONE, "no thank you" },
	{ L_EN, CUE_NONE, "thanks but no thanks" },
	{ L_EN, CUE_WANT, "want" }, { L_EN, CUE_WANT, "wanna" },
	{ L_EN, CUE_WANT, "would like" }, { L_EN, CUE_WANT, "i'd like" },
	{ L_EN, CUE_WANT, "planning" }, { L_EN, CUE_WANT, "considering" },
	{ L_EN, CUE_WANT, "hoping" },

	/* ---- English: ideas ---- */
	{ L_EN, CUE_IDEA, "you should add" }, { L_EN, CUE_IDEA_WEAK, "you guys should" },
	{ L_EN, CUE_IDEA, "you should make" }, { L_EN, CUE_IDEA, "you should offer" },
	{ L_EN, CUE_IDEA, "you should consider" }, { L_EN, CUE_IDEA, "you should bring" },
	{ L_EN, CUE_IDEA, "you should have an option" }, { L_EN, CUE_IDEA, "should add" },
	{ L_EN, CUE_IDEA, "please add" }, { L_EN, CUE_IDEA, "pls add" },
	{ L_EN, CUE_IDEA, "plz add" }, { L_EN, CUE_IDEA, "please bring back" },
	{ L_EN, CUE_IDEA, "bring back" }, { L_EN, CUE_IDEA, "please consider" },
	{ L_EN, CUE_IDEA, "please offer" }, { L_EN, CUE_IDEA, "please allow" },
	{ L_EN, CUE_IDEA, "please make it" }, { L_EN, CUE_IDEA, "please let us" },
	{ L_EN, CUE_IDEA_WEAK, "it would be great if" }, { L_EN, CUE_IDEA_WEAK, "would be great if" },
	{ L_EN, CUE_IDEA_WEAK, "it would be nice if" }, { L_EN, CUE_IDEA_WEAK, "would be nice if" },
	{ L_EN, CUE_IDEA_WEAK, "would be awesome if" }, { L_EN, CUE_IDEA_WEAK, "would be cool if" },
	{ L_EN, CUE_IDEA_WEAK, "would be nice to have" }, { L_EN, CUE_IDEA_WEAK, "would be great to have" },
	{ L_EN, CUE_IDEA_WEAK, "would love to see" }, { L_EN, CUE_IDEA_WEAK, "i'd love to see" },
	{ L_EN, CUE_IDEA_WEAK, "would love it if" }, { L_EN, CUE_IDEA, "feature request" },
	{ L_EN, CUE_IDEA_WEAK, "suggestion" }, { L_EN, CUE_IDEA, "my suggestion" },
	{ L_EN, CUE_IDEA, "i suggest" },
	{ L_EN, CUE_IDEA, "i'd suggest" }, { L_EN, CUE_IDEA, "how about adding" },
	{ L_EN, CUE_IDEA, "what about adding" }, { L_EN, CUE_IDEA, "why not add" },
	{ L_EN, CUE_IDEA, "why don't you add" }, { L_EN, CUE_IDEA, "consider adding" },
	{ L_EN, CUE_IDEA, "add an option" }, { L_EN, CUE_IDEA, "add support for" },
	{ L_EN, CUE_IDEA, "#ideastorm" },
	{ L_EN, CUE_IDEA, "#featurerequest" },
	{ L_EN, CUE_IDEA_WEAK, "i wish" }, { L_EN, CUE_IDEA_WEAK, "wish you" },
	{ L_EN, CUE_IDEA_WEAK, "wish there was" }, { L_EN, CUE_IDEA_WEAK, "hope you" },
	{ L_EN, CUE_IDEA_WEAK, "would be better if" },
	{ L_EN, CUE_NONE, "you should be" }, { L_EN, CUE_NONE, "you guys should be" },
	{ L_EN, CUE_NONE, "please add me" }, { L_EN, CUE_NONE, "please add my" },

	/* ---- German: help-seeking ---- */
	{ L_DE, CUE_HELP, "wie kann ich" }, { L_DE, CUE_HELP, "wie kann man" },
	{ L_DE, CUE_HELP, "wie bekomme ich" }, { L_DE, CUE_HELP, "wie geht das" },
	{ L_DE, CUE_HELP, "was kann ich tun" }, { L_DE, CUE_HELP, "was soll ich tun" },
	{ L_DE, CUE_HELP, "kann mir jemand" }, { L_DE, CUE_HELP, "kann mir einer" },
	{ L_DE, CUE_HELP, "könnt ihr mir" }, { L_DE, CUE_HELP, "könnt ihr helfen" },
	{ L_DE, CUE_HELP, "könnten sie mir" }, { L_DE, CUE_HELP, "kannst du mir" },
	{ L_DE, CUE_HELP, "weiß jemand" }, { L_DE, CUE_HELP, "hat jemand" },
	{ L_DE, CUE_HELP, "hat einer" }, { L_DE, CUE_HELP, "gibt es eine möglichkeit" },
	{ L_DE, CUE_HELP, "gibt es einen weg" }, { L_DE, CUE_HELP, "brauche hilfe" },
	{ L_DE, CUE_HELP, "bitte um hilfe" }, { L_DE, CUE_HELP, "hilfe" },
	{ L_DE, CUE_HELP, "kurze frage" }, { L_DE, CUE_HELP, "an wen kann ich mich" },
	{ L_DE, CUE_HELP, "an wen wende ich mich" }, { L_DE, CUE_HELP, "wo finde ich" },
	{ L_DE, CUE_HELP, "danke im voraus" }, { L_DE, CUE_HELP, "vielen dank im voraus" },
	{ L_DE, CUE_HELP, "ist es möglich" }, { L_DE, CUE_HELP, "gibt es neuigkeiten" },

	/* ---- German: question words opening a sentence ---- */
	{ L_DE, CUE_QWORD, "wie" }, { L_DE, CUE_QWORD, "was" }, { L_DE, CUE_WHY, "warum" },
	{ L_DE, CUE_WHY, "wieso" }, { L_DE, CUE_WHY, "weshalb" }, { L_DE, CUE_QWORD, "wo" },
	{ L_DE, CUE_QWORD, "wohin" }, { L_DE, CUE_QWORD, "woher" }, { L_DE, CUE_QWORD, "wann" },
	{ L_DE, CUE_QWORD, "wer" }, { L_DE, CUE_QWORD, "wen" }, { L_DE, CUE_QWORD, "wem" },
	{ L_DE, CUE_QWORD, "welche" }, { L_DE, CUE_QWORD, "welcher" },
	{ L_DE, CUE_QWORD, "welches" }, { L_DE, CUE_QWORD, "welchen" },
	{ L_DE, CUE_QWORD, "kann" }, { L_DE, CUE_QWORD, "kannst" }, { L_DE, CUE_QWORD, "könnt" },
	{ L_DE, CUE_QWORD, "könnte" }, { L_DE, CUE_QWORD, "könnten" },
	{ L_DE, CUE_QWORD, "können" }, { L_DE, CUE_QWORD, "habt" }, { L_DE, CUE_QWORD, "hat" },
	{ L_DE, CUE_QWORD, "hast" }, { L_DE, CUE_QWORD, "haben" }, { L_DE, CUE_QWORD, "gibt" },
	{ L_DE, CUE_QWORD, "ist" }, { L_DE, CUE_QWORD, "sind" }, { L_DE, CUE_QWORD, "bin" },
	{ L_DE, CUE_QWORD, "seid" }, { L_DE, CUE_QWORD, "wird" }, { L_DE, CUE_QWORD, "werden" },
	{ L_DE, CUE_QWORD, "weiß" }, { L_DE, CUE_QWORD, "soll" }, { L_DE, CUE_QWORD, "sollte" },
	{ L_DE, CUE_QWORD, "muss" }, { L_DE, CUE_QWORD, "darf" }, { L_DE, CUE_QWORD, "geht" },
	{ L_DE, CUE_QWORD, "funktioniert" }, { L_DE, CUE_QWORD, "klappt" },

	/* ---- German: problems ---- */
	{ L_DE, CUE_PROBLEM, "funktioniert nicht" }, { L_DE, CUE_PROBLEM, "funktioniert nicht mehr" },
	{ L_DE, CUE_PROBLEM, "geht nicht" }, { L_DE, CUE_PROBLEM, "geht nicht mehr" },
	{ L_DE, CUE_PROBLEM, "geht gar nicht" }, { L_DE, CUE_PROBLEM, "klappt nicht" },
	{ L_DE, CUE_PROBLEM, "läuft nicht" }, { L_DE, CUE_PROBLEM, "startet nicht" },
	{ L_DE, CUE_PROBLEM, "lädt nicht" }, { L_DE, CUE_PROBLEM, "kaputt" },
	{ L_DE, CUE_PROBLEM, "defekt" }, { L_DE, CUE_PROBLEM, "fehler" },
	{ L_DE, CUE_PROBLEM, "fehlermeldung" }, { L_DE, CUE_PROBLEM, "problem" },
	{ L_DE, CUE_PROBLEM, "probleme" }, { L_DE, CUE_PROBLEM, "absturz" },
	{ L_DE, CUE_PROBLEM, "stürzt ab" }, { L_DE, CUE_PROBLEM, "abgestürzt" },
	{ L_DE, CUE_PROBLEM, "verspätung" }, { L_DE, CUE_PROBLEM, "verspätungen" },
	{ L_DE, CUE_PROBLEM, "verspätet" }, { L_DE, CUE_PROBLEM, "ausgefallen" },
	{ L_DE, CUE_PROBLEM, "fällt aus" }, { L_DE, CUE_PROBLEM, "ausfall" },
	{ L_DE, CUE_PROBLEM, "zugausfall" }, { L_DE, CUE_PROBLEM, "gestrichen" },
	{ L_DE, CUE_PROBLEM, "storniert" }, { L_DE, CUE_PROBLEM, "verpasst" },
	{ L_DE, CUE_PROBLEM, "verloren" }, { L_DE, CUE_PROBLEM, "beschädigt" },
	{ L_DE, CUE_PROBLEM, "nicht angekommen" }, { L_DE, CUE_PROBLEM, "nie angekommen" },
	{ L_DE, CUE_PROBLEM, "immer noch nicht" }, { L_DE, CUE_PROBLEM, "noch immer nicht" },
	{ L_DE, CUE_PROBLEM, "immer noch kein" }, { L_DE, CUE_PROBLEM, "schon wieder" },
	{ L_DE, CUE_PROBLEM, "warte seit" }, { L_DE, CUE_PROBLEM, "warten seit" },
	{ L_DE, CUE_PROBLEM, "warteschleife" }, { L_DE, CUE_PROBLEM, "keine antwort" },
	{ L_DE, CUE_PROBLEM, "keine rückmeldung" }, { L_DE, CUE_PROBLEM, "niemand" },
	{ L_DE, CUE_PROBLEM, "erstattung" }, { L_DE, CUE_PROBLEM, "rückerstattung" },
	{ L_DE, CUE_PROBLEM, "geld zurück" }, { L_DE, CUE_PROBLEM, "entschädigung" },
	{ L_DE, CUE_PROBLEM, "reklamation" }, { L_DE, CUE_PROBLEM, "beschwerde" },
	{ L_DE, CUE_PROBLEM, "ärgerlich" }, { L_DE, CUE_PROBLEM, "unverschämt" },
	{ L_DE, CUE_PROBLEM, "unverschämtheit" }, { L_DE, CUE_PROBLEM, "frechheit" },
	{ L_DE, CUE_PROBLEM, "katastrophe" }, { L_DE, CUE_PROBLEM, "katastrophal" },
	{ L_DE, CUE_PROBLEM, "enttäuscht" }, { L_DE, CUE_PROBLEM, "enttäuschend" },
	{ L_DE, CUE_PROBLEM, "nie wieder" }, { L_DE, CUE_PROBLEM, "nervt" },
	{ L_DE, CUE_PROBLEM, "zu spät" }, { L_DE, CUE_PROBLEM, "überfüllt" },
	{ L_DE, CUE_PROBLEM, "danke für nichts" }, { L_DE, CUE_PROBLEM, "wo bleibt" },
	{ L_DE, CUE_PROBLEM, "wo ist mein" }, { L_DE, CUE_PROBLEM, "wo ist meine" },
	{ L_DE, CUE_PROBLEM, "nicht erhalten" }, { L_DE, CUE_PROBLEM, "nie erhalten" },
	{ L_DE, CUE_PROBLEM, "keine hilfe" }, { L_DE, CUE_PROBLEM, "doppelt abgebucht" },
	{ L_DE, CUE_PROBLEM, "warte immer noch" },

	/* ---- German: nothing went wrong ---- */
	{ L_DE, CUE_FINE, "kein problem" }, { L_DE, CUE_FINE, "keine probleme" },
	{ L_DE, CUE_FINE, "problemlos" }, { L_DE, CUE_FINE, "funktioniert einwandfrei" },
	{ L_DE, CUE_FINE, "funktioniert super" }, { L_DE, CUE_FINE, "läuft einwandfrei" },
	{ L_DE, CUE_FINE, "pünktlich" }, { L_DE, CUE_FINE, "behoben" },

	/* ---- German: thanks and praise ---- */
	{ L_DE, CUE_PRAISE, "danke" }, { L_DE, CUE_PRAISE, "dankeschön" },
	{ L_DE, CUE_PRAISE, "vielen dank" }, { L_DE, CUE_PRAISE, "super" },
	{ L_DE, CUE_PRAISE, "toll" }, { L_DE, CUE_PRAISE, "klasse" },
	{ L_DE, CUE_PRAISE, "spitze" }, { L_DE, CUE_PRAISE, "genial" },
	{ L_DE, CUE_PRAISE, "großartig" }, { L_DE, CUE_PRAISE, "hervorragend" },
	{ L_DE, CUE_PRAISE, "perfekt" }, { L_DE, CUE_PRAISE, "begeistert" },
	{ L_DE, CUE_PRAISE, "zufrieden" }, { L_DE, CUE_PRAISE, "lob" },
	{ L_DE, CUE_PRAISE, "loben" },
	{ L_DE, CUE_PRAISE, "gut gemacht" }, { L_DE, CUE_PRAISE, "weiter so" },
	{ L_DE, CUE_PRAISE, "freue mich" }, { L_DE, CUE_PRAISE, "empfehlenswert" },
	{ L_DE, CUE_PRAISE, "gute idee" }, { L_DE, CUE_PRAISE, "danke für die hilfe" },
	{ L_DE, CUE_PRAISE, "danke für eure hilfe" }, { L_DE, CUE_PRAISE, "danke für ihre hilfe" },
	{ L_DE, CUE_PRAISE, "danke für deine hilfe" },

	/* ---- German: buying ---- */
	{ L_DE, CUE_PURCHASE, "kaufempfehlung" }, { L_DE, CUE_PURCHASE, "kaufberatung" },
	{ L_DE, CUE_PURCHASE, "soll ich ... kaufen" }, { L_DE, CUE_PURCHASE, "soll ich mir ... holen" },
	{ L_DE, CUE_PURCHASE, "soll ich ... nehmen" }, { L_DE, CUE_PURCHASE, "wo kann ich ... kaufen" },
	{ L_DE, CUE_PURCHASE, "wo kann man ... kaufen" }, { L_DE, CUE_PURCHASE, "wo bekomme ich" },
	{ L_DE, CUE_PURCHASE, "lohnt sich" }, { L_DE, CUE_PURCHASE, "lohnt es sich" },
	{ L_DE, CUE_PURCHASE, "überlege ... zu kaufen" }, { L_DE, CUE_PURCHASE, "suche ein neues" },
	{ L_DE, CUE_PURCHASE, "suche einen neuen" }, { L_DE, CUE_PURCHASE, "suche eine neue" },
	{ L_DE, CUE_PURCHASE, "auf der suche nach" }, { L_DE, CUE_PURCHASE, "brauche ein neues" },
	{ L_DE, CUE_PURCHASE, "brauche einen neuen" }, { L_DE, CUE_PURCHASE, "brauche eine neue" },
	{ L_DE, CUE_PURCHASE, "was kostet" }, { L_DE, CUE_PURCHASE, "wie teuer" },
	{ L_DE, CUE_PURCHASE, "vorbestellen" }, { L_DE, CUE_PURCHASE, "wieder lieferbar" },
	{ L_DE, CUE_PURCHASE_WEAK, "kaufen" }, { L_DE, CUE_PURCHASE_WEAK, "kaufe" },
	{ L_DE, CUE_PURCHASE_WEAK, "bestellen" }, { L_DE, CUE_PURCHASE_WEAK, "anschaffen" },
	{ L_DE, CUE_WANT, "will" }, { L_DE, CUE_WANT, "möchte" },
	{ L_DE, CUE_WANT, "würde gern" }, { L_DE, CUE_WANT, "würde gerne" },
	{ L_DE, CUE_WANT, "überlege" }, { L_DE, CUE_WANT, "plane" },
	{ L_DE, CUE_NONE, "nein danke" }, { L_DE, CUE_PROBLEM, "nie wieder kaufen" },
	{ L_DE, CUE_PROBLEM, "kaufe nie wieder" }, { L_DE, CUE_PROBLEM, "kaufe ich nie wieder" },

	/* ---- German: ideas ---- */
	{ L_DE, CUE_IDEA_WEAK, "wäre schön, wenn" }, { L_DE, CUE_IDEA_WEAK, "wäre toll, wenn" },
	{ L_DE, CUE_IDEA_WEAK, "wäre super, wenn" }, { L_DE, CUE_IDEA_WEAK, "wäre cool, wenn" },
	{ L_DE, CUE_IDEA_WEAK, "wäre klasse, wenn" }, { L_DE, CUE_IDEA_WEAK, "wäre gut, wenn" },
	{ L_DE, CUE_IDEA_WEAK, "wäre nett, wenn" }, { L_DE, CUE_IDEA, "wäre es möglich" },
	{ L_DE, CUE_IDEA_WEAK, "es wäre schön" }, { L_DE, CUE_IDEA_WEAK, "es wäre toll" },
	{ L_DE, CUE_IDEA, "bitte ... einbauen" }, { L_DE, CUE_IDEA, "bitte ... hinzufügen" },
	{ L_DE, CUE_IDEA, "bitte ... ergänzen" }, { L_DE, CUE_IDEA, "bitte ... anbieten" },
	{ L_DE, CUE_IDEA, "bitte ... einführen" }, { L_DE, CUE_IDEA, "bitte ... zurückbringen" },
	{ L_DE, CUE_IDEA, "könntet ihr ... einbauen" }, { L_DE, CUE_IDEA, "könntet ihr ... hinzufügen" },
	{ L_DE, CUE_IDEA, "könntet ihr ... anbieten" }, { L_DE, CUE_IDEA, "ihr solltet" },
	{ L_DE, CUE_IDEA_WEAK, "vorschlag" }, { L_DE, CUE_IDEA, "verbesserungsvorschlag" },
	{ L_DE, CUE_IDEA, "mein vorschlag" }, { L_DE, CUE_IDEA, "anregung" },
	{ L_DE, CUE_IDEA_WEAK, "wünsche mir" }, { L_DE, CUE_IDEA_WEAK, "würde mich freuen, wenn" },
	{ L_DE, CUE_IDEA, "wie wäre es mit" }, { L_DE, CUE_IDEA, "feature-wunsch" },
	{ L_DE, CUE_IDEA_WEAK, "wünschenswert" }, { L_DE, CUE_IDEA_WEAK, "ihr könntet" },
};

/* One word of a compiled cue: its fold in intent_rules.pool. */
struct cword {
	uint32_t off;           /* offset of the fold in pool */
	uint16_t len;           /* its byte length */
	uint8_t gap;            /* 1: up to GAP_MAX tokens may come before it */
};

/* One compiled cue. */
struct cphrase {
	uint32_t word;          /* its first word in intent_rules.words */
	uint8_t n_words;        /* >= 1 */
	uint8_t cls;            /* enum cue_class */
	uint8_t lang;           /* L_EN | L_DE */
};

/* The cues that start with one word. */
struct cslot {
	uint32_t hash;          /* hash of the word (0: the slot is free) */
	uint32_t first;         /* its cues: phrases[first .. first+n) */
	uint32_t n;
};

struct intent_rules {
	char *pool;             /* folds of every cue's words */
	struct cword *words;
	struct cphrase *phrases;/* grouped by first word, longest first */
	size_t n_phrases;
	struct cslot *slots;    /* mask + 1 of them */
	size_t mask;
};

/* Words of a post that cues are made of: words, numbers and hashtags (the
 * cue "#fail" is compiled to the word "fail", the fold of the hashtag, so
 * "#fail" and "fail" both match it). */
static int is_word(const struct token *t)
{
	return t->kind == TOKEN_WORD || t->kind == TOKEN_NUMBER || t->kind == TOKEN_HASHTAG;
}

/* A cue with its first word's fold and its place in cues[] beside it, so
 * that the sort needs no context (qsort has no argument for one, and a
 * global would be shared by two threads loading at once). */
struct phrase_key {
	const char *fold;       /* the first word's fold */
	uint16_t len;           /* its length */
	uint32_t index;         /* the cue's place in cues[]: ties keep table order */
	struct cphrase ph;
};

/* Order cues by first word, then longest first, then as in cues[]. */
static int phrase_cmp(const void *pa, const void *pb)
{
	const struct phrase_key *a = pa, *b = pb;
	size_t len = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->fold, b->fold, len);

	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	if (a->ph.n_words != b->ph.n_words)
		return a->ph.n_words > b->ph.n_words ? -1 : 1;
	return (a->index > b->index) - (a->index < b->index);
}

/* Sort r's cues with phrase_cmp(). */
static void sort_phrases(struct intent_rules *r)
{
	struct phrase_key *k = horch_xmalloc((r->n_phrases ? r->n_phrases : 1) * sizeof *k);
	size_t i;

	for (i = 0; i < r->n_phrases; i++) {
		const struct cword *w = &r->words[r->phrases[i].word];

		k[i].fold = r->pool + w->off;
		k[i].len = w->len;
		k[i].index = (uint32_t)i;
		k[i].ph = r->phrases[i];
	}
	qsort(k, r->n_phrases, sizeof *k, phrase_cmp);
	for (i = 0; i < r->n_phrases; i++)
		r->phrases[i] = k[i].ph;
	free(k);
}

void nlp__intent_free(struct intent_rules *r)
{
	if (!r)
		return;
	free(r->pool);
	free(r->words);
	free(r->phrases);
	free(r->slots);
	free(r);
}

/* Compile cues[] into m->intent: each phrase tokenised and folded as a
 * post would be, "..." turned into a gap before the next word, other
 * punctuation dropped.  Returns 0, or HORCH_EINVAL when a phrase of the
 * table has no word or starts with a gap (a mistake in this file, caught
 * by the unit tests). */
int nlp__intent_load(struct nlp *m, struct horch_err *err)
{
	size_t n_cues = sizeof cues / sizeof cues[0], i, k, n_words = 0, cap_words = 0;
	struct intent_rules *r = horch_xcalloc(1, sizeof *r);
	struct tokens tk;
	struct buf pool;
	size_t n_slots;
	int rc = 0;

	tokens_init(&tk);
	buf_init(&pool, BUF_NOLIMIT);
	r->phrases = horch_xcalloc(n_cues, sizeof *r->phrases);
	for (i = 0; i < n_cues; i++) {
		struct cphrase *ph = &r->phrases[r->n_phrases];
		int gap = 0;

		text_tokenise(&tk, cues[i].text, strlen(cues[i].text));
		ph->word = (uint32_t)n_words;
		ph->n_words = 0;
		ph->cls = cues[i].cls;
		ph->lang = cues[i].lang;
		for (k = 0; k < tk.n; k++) {
			const struct token *t = &tk.v[k];
			struct cword *w;

			if (t->kind == TOKEN_PUNCT) {
				if (t->fold_len == 3 && memcmp(tk.fold.ptr + t->fold_off, "...", 3) == 0)
					gap = 1;
				continue;
			}
			if ((gap && ph->n_words == 0) || ph->n_words == UINT8_MAX)
				break;
			r->words = horch_xgrow(r->words, &cap_words, n_words + 1, sizeof *r->words);
			w = &r->words[n_words++];
			w->off = (uint32_t)pool.len;
			w->len = (uint16_t)t->fold_len;
			w->gap = (uint8_t)gap;
			buf_append(&pool, tk.fold.ptr + t->fold_off, t->fold_len);
			ph->n_words++;
			gap = 0;
		}
		if (ph->n_words == 0 || k < tk.n || gap) {
			rc = horch_err_set(err, HORCH_EINVAL, "intent cue \"%s\" is malformed",
					   cues[i].text);
			goto out;
		}
		r->n_phrases++;
	}
	r->pool = buf_take(&pool);
	sort_phrases(r);
	for (n_slots = 16; n_slots < 2 * r->n_phrases; n_slots *= 2)
		;
	r->mask = n_slots - 1;
	r->slots = horch_xcalloc(n_slots, sizeof *r->slots);
	for (i = 0; i < r->n_phrases;) {
		const struct cword *w = &r->words[r->phrases[i].word];
		uint32_t h = nlp__word_hash(r->pool + w->off, w->len);
		size_t j = i + 1, s = h & r->mask;

		while (j < r->n_phrases) {
			const struct cword *o = &r->words[r->phrases[j].word];

			if (o->len != w->len || memcmp(r->pool + o->off, r->pool + w->off, w->len))
				break;
			j++;
		}
		while (r->slots[s].hash)
			s = (s + 1) & r->mask;
		r->slots[s].hash = h;
		r->slots[s].first = (uint32_t)i;
		r->slots[s].n = (uint32_t)(j - i);
		i = j;
	}
	m->intent = r;
	r = NULL;
out:
	nlp__intent_free(r);
	buf_cleanup(&pool);
	tokens_cleanup(&tk);
	return rc;
}

/* The slot of the cues whose first word is the fold s[0..len), or NULL. */
static const struct cslot *cue_lookup(const struct intent_rules *r, const char *s, size_t len)
{
	uint32_t h = nlp__word_hash(s, len);
	size_t i = h & r->mask;

	for (;; i = (i + 1) & r->mask) {
		const struct cslot *sl = &r->slots[i];
		const struct cword *w;

		if (sl->hash == 0)
			return NULL;
		if (sl->hash != h)
			continue;
		w = &r->words[r->phrases[sl->first].word];
		if (w->len == len && memcmp(r->pool + w->off, s, len) == 0)
			return sl;
	}
}

/* 1 if the token t of tk is a word and its fold is the cue word w. */
static int word_eq(const struct intent_rules *r, const struct cword *w, const struct tokens *tk,
		   const struct token *t)
{
	return is_word(t) && w->len == t->fold_len &&
	       memcmp(r->pool + w->off, tk->fold.ptr + t->fold_off, w->len) == 0;
}

/* Match cue ph against the tokens of tk whose first word is token i.
 * Returns the index of the cue's last token, or 0 when it does not match
 * (a cue of several words never ends at token 0). */
static size_t phrase_match(const struct intent_rules *r, const struct cphrase *ph,
			   const struct tokens *tk, size_t i)
{
	uint32_t sentence = tk->v[i].sentence;
	size_t k, j = i;

	for (k = 1; k < ph->n_words; k++) {
		const struct cword *w = &r->words[ph->word + k];
		size_t skipped = 0;

		for (j++; j < tk->n && tk->v[j].sentence == sentence; j++) {
			const struct token *t = &tk->v[j];

			if (word_eq(r, w, tk, t))
				break;
			if (t->kind == TOKEN_PUNCT)
				continue;
			if (!w->gap || ++skipped > GAP_MAX)
				return 0;
		}
		if (j >= tk->n || tk->v[j].sentence != sentence)
			return 0;
	}
	return j;
}

/* What the cues and question marks of a post add up to. */
struct tally {
	unsigned n[CUE_N];      /* cues matched, by class */
	unsigned n_qmark;       /* sentences with a question mark */
	unsigned n_qopen;       /* ... of them opening with a question word */
	unsigned n_why;         /* ... of them asking why */
	unsigned n_purchase_q;  /* sentences with a weak buying cue and a '?' or a wish */
};

/* 1 if the punctuation token t holds a question mark ('?', a full-width
 * one, or a Spanish opening one). */
static int has_qmark(const struct tokens *tk, const struct token *t)
{
	const char *s = tk->fold.ptr + t->fold_off;

	return memchr(s, '?', t->fold_len) != NULL ||
	       (t->fold_len >= 2 && (memcmp(s, "\xc2\xbf", 2) == 0 ||
				     (t->fold_len >= 3 && memcmp(s, "\xef\xbc\x9f", 3) == 0)));
}

/* Walk the tokens once, counting cues of the languages in mask (0: none)
 * and question marks per sentence into *ty. */
static void scan(const struct intent_rules *r, unsigned mask, const struct tokens *tk,
		 struct tally *ty)
{
	size_t i, skip_to = 0;
	int qmark = 0, qopen = 0, why = 0, weak = 0, want = 0, first_word = 1;
	uint32_t sentence = 0;

	for (i = 0; i <= tk->n; i++) {
		const struct token *t = i < tk->n ? &tk->v[i] : NULL;
		const struct cslot *sl;
		size_t k;

		if (!t || t->sentence != sentence) {
			/* A sentence ends: what it asked. */
			if (qmark) {
				ty->n_qmark++;
				ty->n_qopen += (unsigned)qopen;
				ty->n_why += (unsigned)why;
			}
			if (weak && (qmark || want))
				ty->n_purchase_q++;
			if (!t)
				break;
			sentence = t->sentence;
			qmark = qopen = why = weak = want = 0;
			first_word = 1;
		}
		if (t->kind == TOKEN_PUNCT) {
			/* A question word may open a clause too: "I missed
			 * my flight - can I still use the return?" */
			if (has_qmark(tk, t))
				qmark = 1;
			first_word = 1;
			continue;
		}
		if (!mask || !is_word(t))
			continue;
		if (i < skip_to || t->kind == TOKEN_NUMBER) {
			/* No cue starts with a number. */
			first_word = 0;
			continue;
		}
		sl = r ? cue_lookup(r, tk->fold.ptr + t->fold_off, t->fold_len) : NULL;
		for (k = 0; sl && k < sl->n; k++) {
			const struct cphrase *ph = &r->phrases[sl->first + k];
			size_t end;

			if (!(ph->lang & mask))
				continue;
			if (ph->cls == CUE_QWORD || ph->cls == CUE_WHY) {
				/* A question word counts where it opens the
				 * sentence or a clause, and does not hide what
				 * follows. */
				if (!first_word)
					continue;
				qopen = 1;
				why |= ph->cls == CUE_WHY;
				break;
			}
			end = ph->n_words == 1 ? i : phrase_match(r, ph, tk, i);
			if (end == 0 && ph->n_words > 1)
				continue;
			ty->n[ph->cls]++;
			if (ph->cls == CUE_PURCHASE_WEAK)
				weak = 1;
			else if (ph->cls == CUE_WANT)
				want = 1;
			skip_to = end + 1;
			break;
		}
		first_word = 0;
	}
}

/* The language mask of lang: English, German, both when unknown, none for
 * another language. */
static unsigned lang_mask(const char *lang)
{
	if (!lang || !*lang || strcmp(lang, "und") == 0)
		return L_EN | L_DE;
	if (strncmp(lang, "en", 2) == 0 && (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_'))
		return L_EN;
	if (strncmp(lang, "de", 2) == 0 && (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_'))
		return L_DE;
	return 0;
}

/* The intent of text[0..len) tokenised as tk in lang, given its
 * sentiment s (NULL: neutral).  m may be NULL or have no cues: then only
 * question marks and the sentiment count.  Returns an enum post_intent,
 * never POST_INTENT_NONE.  The text itself is not read: its tokens carry
 * all the rules need.  Any thread; allocates nothing. */
int nlp_intent(const struct nlp *m, const char *text, size_t len, const struct tokens *tk,
	       const char *lang, const struct nlp_sentiment *s)
{
	const struct intent_rules *r = m ? m->intent : NULL;
	unsigned mask = r ? lang_mask(lang) : 0;
	int neg = s && s->label == POST_SENT_NEGATIVE;
	int pos = s && s->label == POST_SENT_POSITIVE;
	struct tally ty;
	int problem, asks;

	memset(&ty, 0, sizeof ty);
	if (tk)
		scan(r, mask, tk, &ty);
	if (!mask) {
		if (ty.n_qmark)
			return POST_INTENT_QUESTION;
		return neg ? POST_INTENT_COMPLAINT : pos ? POST_INTENT_PRAISE : POST_INTENT_OTHER;
	}
	if (ty.n[CUE_PURCHASE] || (ty.n_purchase_q && !neg))
		return POST_INTENT_PURCHASE;
	if (ty.n[CUE_IDEA] || (ty.n[CUE_IDEA_WEAK] && !neg))
		return POST_INTENT_IDEA;
	problem = ty.n[CUE_PROBLEM] > ty.n[CUE_FINE];
	asks = ty.n[CUE_HELP] || ty.n_qopen;
	if (pos)
		problem = ty.n[CUE_PROBLEM] >= 1 + ty.n[CUE_FINE] && !ty.n[CUE_PRAISE];
	if (neg || (problem && (!asks || ty.n[CUE_PROBLEM] >= 2)) || (ty.n_why && !pos))
		return POST_INTENT_COMPLAINT;
	if (asks || (ty.n_qmark && !pos))
		return POST_INTENT_QUESTION;
	if (pos || ty.n[CUE_PRAISE])
		return POST_INTENT_PRAISE;
	return POST_INTENT_OTHER;
}
