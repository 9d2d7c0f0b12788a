# VADER's published rules (nlp_opts.vader_only), on the examples of
# VADER's own documentation (the demo of vaderSentiment.py and its README,
# https://github.com/cjhutto/vaderSentiment, MIT, the licence of the lexicon
# in data/vader/ - quoted here as the reference that pins the baseline to
# VADER's published scores, not taken from any labelled data set),
# each with a range around the compound score VADER prints for it; the
# ranges allow +-0.01 for horch's tokens, which differ in small ways from
# VADER's split at white space.  The format is described at the top of
# en.t.

en	positive	0.43..0.45	The book was good.
en	positive	0.37..0.39	The book was only kind of good.
en	positive	0.82..0.84	VADER is smart, handsome, and funny.
en	positive	0.83..0.85	VADER is smart, handsome, and funny!
en	positive	0.84..0.86	VADER is very smart, handsome, and funny.
en	positive	0.91..0.93	VADER is VERY SMART, handsome, and FUNNY.
en	positive	0.92..0.94	VADER is VERY SMART, handsome, and FUNNY!!!
en	positive	0.94..0.95	VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!
en	negative	-0.75..-0.73	VADER is not smart, handsome, nor funny.
en	positive	0.42..0.44	At least it isn't a horrible book.
en	negative	-0.71..-0.69	The plot was good, but the characters are uncompelling and the dialog is not great.
en	negative	-0.55..-0.53	Today SUX!
en	positive	0.51..0.53	Today only kinda sux! But I'll get by, lol
en	positive	0.86..0.87	Make sure you :) or :D today!
en	positive	0.42..0.44	Not bad at all
en	negative	-0.35..-0.33	Sentiment analysis has never been good.
en	positive	0.56..0.58	Sentiment analysis has never been this good!
en	negative	-0.56..-0.55	Most automated sentiment analysis tools are shit.
en	positive	0.64..0.65	With VADER, sentiment analysis is the shit!
en	negative	-0.59..-0.58	Other sentiment analysis tools can be quite bad.
en	positive	0.79..0.81	On the other hand, VADER is quite bad ass
en	positive	0.39..0.41	VADER is such a badass!
en	positive	0.69..0.71	Without a doubt, excellent idea.
en	positive	0.29..0.30	Roger Dodger is one of the most compelling variations on this theme.
en	positive	0.22..0.23	Roger Dodger is at least compelling as a variation on the theme.
en	negative	-0.17..-0.16	Roger Dodger is one of the least compelling variations on this theme.
en	negative	-0.26..-0.25	Not such a badass after all.
