# numbers: digits with inner . , : separators
#
# Format (read by tests/unit/test_tokenise.c):
#   > input text, with escapes \n \t \r \\ \xHH \u{HHHH}; it is run
#     through text_normalise() and then text_tokenise()
#   kind  text  fold  flags      one line per expected token, in order
#   a blank line ends the case
# kind: word number hashtag mention cashtag url emoji punct.  text and fold
# use the same escapes.  flags: "-" or letters, S first token of a sentence,
# J joined to the part before, U upper case.  The harness also checks that
# TOKEN_F_ASCII is set exactly for ASCII tokens and that token.sentence
# counts the S flags.  Regenerate a block with
#   build/tests/unit/test_tokenise --dump 'input'
# and read it before you paste it.

# Decimals, thousands, times, dates.
> 42 3.5 1,000 12:30 24.12.2026
number	42	42	S
number	3.5	3.5	-
number	1,000	1,000	-
number	12:30	12:30	-
number	24.12.2026	24.12.2026	-

> 1.000,50 192.168.1.1
number	1.000,50	1.000,50	S
number	192.168.1.1	192.168.1.1	-

> 0,5
number	0,5	0,5	S

# Prices and signs: the currency and the sign are punctuation.
> 4,99€ 4,99 € $5 -5 +49 30%
number	4,99	4,99	S
punct	€	€	-
number	4,99	4,99	-
punct	€	€	-
punct	$	$	-
number	5	5	-
punct	-	-	-
number	5	5	-
punct	+	+	-
number	49	49	-
number	30	30	-
punct	%	%	-

# A number with separators ends where letters begin.
> 3.5GHz 12:30pm 1,5l
number	3.5	3.5	S
word	GHz	ghz	-
number	12:30	12:30	-
word	pm	pm	-
number	1,5	1,5	-
word	l	l	-

# A separator followed by a space is punctuation.
> Version 2.0.
word	Version	version	S
number	2.0	2.0	-
punct	.	.	-

> 3, 4 and 5
number	3	3	S
punct	,	,	-
number	4	4	-
word	and	and	-
number	5	5	-

# Scores; digits of other scripts; superscripts are symbols.
> 1:0 2:1-Sieg
number	1:0	1:0	S
number	2:1	2:1	-
word	Sieg	sieg	J

> ٣٤ ١٢
number	٣٤	٣٤	S
number	١٢	١٢	-

> x²
word	x	x	S
punct	²	²	-
