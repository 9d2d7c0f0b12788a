# sentence boundaries
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

# . ! ? … and runs of them, then white space and no lower-case letter.
> Wow!!! Really?! Yes... ok.
word	Wow	wow	S
punct	!!!	!!!	-
word	Really	really	S
punct	?	?	-
punct	!	!	-
word	Yes	yes	S
punct	...	...	-
word	ok	ok	-
punct	.	.	-

> Hmm... ok? Yes! no.
word	Hmm	hmm	S
punct	...	...	-
word	ok	ok	-
punct	?	?	-
word	Yes	yes	S
punct	!	!	-
word	no	no	-
punct	.	.	-

# Closing quotes and brackets may stand between the terminator and the space.
> He said "Great." Then left.
word	He	he	S
word	said	said	-
punct	"	"	-
word	Great	great	-
punct	.	.	-
punct	"	"	-
word	Then	then	S
word	left	left	-
punct	.	.	-

# Abbreviations from the table and single letters end nothing.
> Dr. Müller kam. Er ging.
word	Dr	dr	S
punct	.	.	-
word	Müller	muller	-
word	kam	kam	-
punct	.	.	-
word	Er	er	S
word	ging	ging	-
punct	.	.	-

> Mr. Smith met Mrs. Jones at St. Louis Inc. yesterday.
word	Mr	mr	S
punct	.	.	-
word	Smith	smith	-
word	met	met	-
word	Mrs	mrs	-
punct	.	.	-
word	Jones	jones	-
word	at	at	-
word	St	st	-
punct	.	.	-
word	Louis	louis	-
word	Inc	inc	-
punct	.	.	-
word	yesterday	yesterday	-
punct	.	.	-

> Das ist z. B. gut. U.S. Army
word	Das	das	S
word	ist	ist	-
word	z	z	-
punct	.	.	-
word	B	b	-
punct	.	.	-
word	gut	gut	-
punct	.	.	-
word	U	u	S
word	S	s	J
punct	.	.	-
word	Army	army	-

# German dates and ordinals: a number and "." before a month, a number or after am/der/zum...
> Ich kam am 3. Oktober. Das war gut.
word	Ich	ich	S
word	kam	kam	-
word	am	am	-
number	3	3	-
punct	.	.	-
word	Oktober	oktober	-
punct	.	.	-
word	Das	das	S
word	war	war	-
word	gut	gut	-
punct	.	.	-

> Wir wurden 3. Das war gut.
word	Wir	wir	S
word	wurden	wurden	-
number	3	3	-
punct	.	.	-
word	Das	das	S
word	war	war	-
word	gut	gut	-
punct	.	.	-

> Es war der 2. Platz. Danach nichts.
word	Es	es	S
word	war	war	-
word	der	der	-
number	2	2	-
punct	.	.	-
word	Platz	platz	-
punct	.	.	-
word	Danach	danach	S
word	nichts	nichts	-
punct	.	.	-

> Sie kam am 24.12. nach Hause.
word	Sie	sie	S
word	kam	kam	-
word	am	am	-
number	24.12	24.12	-
punct	.	.	-
word	nach	nach	-
word	Hause	hause	-
punct	.	.	-

# A line break always ends a sentence.
> Line one\nline two
word	Line	line	S
word	one	one	-
word	line	line	S
word	two	two	-

> First.\n\nSecond.
word	First	first	S
punct	.	.	-
word	Second	second	S
punct	.	.	-

> a\u{2028}b
word	a	a	S
word	b	b	S

# An emoji after a terminator belongs to the sentence it closes.
> Great! 😍 Love it! 😂\nNew
word	Great	great	S
punct	!	!	-
emoji	😍	😍	-
word	Love	love	S
word	it	it	-
punct	!	!	-
emoji	😂	😂	-
word	New	new	S
