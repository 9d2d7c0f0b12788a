# Sentiment of English posts by horch's rules: one case a line, fields
# separated by tabs:
#   lang  label  score  text
# lang is "en", "de", another code, or "-" for none (NULL); label is what
# nlp_sentiment() must say (negative, neutral, positive); score is "-" or a
# range LO..HI that the score must fall in; text takes the escapes of
# tests/unit/cases.h (\n \t \xHH \u{HHHH}) and is normalised and tokenised
# before nlp_sentiment() sees it.  Cases of files named vader*.t run with
# nlp_opts.vader_only (VADER's published rules).  Read by
# tests/unit/test_sentiment.c; a case's name is "sentiment-case FILE:LINE".
# The sentences are written for these tests; none is taken from a data set.

# Lexicon words.
en	positive	0.3..1	The new laptop is great.
en	negative	-1..-0.3	The new laptop is terrible.
en	neutral	-0.05..0.05	The laptop ships on Monday.

# Negation: "not", "never", "no", "n't"; a few words of scope.
en	negative	-1..-0.1	The new laptop is not good.
en	negative	-1..-0.1	The screen is not very good.
en	negative	-1..-0.1	I never liked this keyboard.
en	negative	-1..-0.1	The support agent wasn't helpful at all.
en	neutral	0.1..0.35	The battery is not bad at all.
# A negated complaint leans positive, not enough for the label.
en	neutral	0.1..0.35	No problems since the update.
# Scope ends at punctuation: the second clause is not negated.
en	positive	0.3..1	It did not arrive on Monday, but the service was great.
# "never so good" (VADER): more, not less.
en	positive	0.3..1	The battery has never been so good.

# Customer care: words neutral until negated, and care phrases.
en	negative	-1..-0.1	The update doesn't work on my machine.
en	negative	-1..-0.1	My parcel never arrived.
en	negative	-1..-0.1	I have been on hold for an hour.
en	negative	-1..-0.1	Flight delayed again.
en	negative	-1..-0.1	Still waiting for my refund.
en	negative	-1..-0.1	They lost my bag in Chicago.
en	negative	-1..-0.1	Three emails and no answer.
en	negative	-1..-0.1	Never again.

# Intensifiers and dampeners.
en	positive	0.3..1	The service was very good.
en	positive	0.1..1	The service was kind of good.

# Contrast: the clause after "but" counts more.
en	negative	-1..-0.1	The screen is nice, but the battery is awful.
en	positive	0.1..1	The screen is awful, but the support team was wonderful.
en	negative	-1..-0.1	The design is lovely. However, it broke after a week.

# ALL-CAPS emphasis and exclamation marks.
en	negative	-1..-0.3	The delivery was TERRIBLE.
en	negative	-1..-0.3	The delivery was terrible!!!

# Emoticons and emoji.
en	positive	0.1..1	Got my order today :)
en	negative	-1..-0.1	Got my order today :-(
en	positive	0.1..1	Got my order today :D
en	positive	0.1..1	Got my order today \u{1F60D}
en	negative	-1..-0.1	Got my order today \u{1F621}
en	negative	-1..-0.1	Got my order today \u{1F44E}
en	positive	0.1..1	Got my order today <3

# Elongation: "soooo goooood" is "so good".
en	positive	0.3..1	This is soooo goooood
en	negative	-1..-0.1	This is baaaad

# Hashtags: their words, and compounds of them.
en	negative	-1..-0.1	Three hours at the gate #fail
en	negative	-1..-0.1	Three hours at the gate #epicfail

# Hashtags: the longest known head when no tail is known.
en	positive	0.35..1	Off to the beach #happyfriday

# Written laughter is a sign like an emoticon.
en	positive	0.35..1	Just landed in Boston hahaha
en	positive	0.35..1	Just landed in Boston lool

# Thanks: politeness beside a complaint counts little.
en	positive	0.3..1	Thanks for the quick help!
en	negative	-1..-0.1	My flight was cancelled and my bag is lost, thanks.
en	negative	-1..-0.1	Thanks for nothing.

# Questions are weaker evidence.
en	neutral	-0.05..0.35	Is the new model any good?

# Mentions and links carry no sentiment.
en	neutral	-0.05..0.05	@united see https://example.com/good
