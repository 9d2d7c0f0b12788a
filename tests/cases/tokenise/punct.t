# punctuation and symbols
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

# One token per character; a run of the same character is one token.
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

> „Zitat“ «quote» (a) [b] {c} – — … ¿Qué? ¡Sí!
punct	„	„	S
word	Zitat	zitat	-
punct	“	“	-
punct	«	«	-
word	quote	quote	-
punct	»	»	-
punct	(	(	-
word	a	a	-
punct	)	)	-
punct	[	[	-
word	b	b	-
punct	]	]	-
punct	{	{	-
word	c	c	-
punct	}	}	-
punct	–	–	-
punct	—	—	-
punct	…	…	-
punct	¿	¿	S
word	Qué	que	-
punct	?	?	-
punct	¡	¡	S
word	Sí	si	-
punct	!	!	-

> a_b a*b a+b=c 100°C §3
word	a	a	S
punct	_	_	-
word	b	b	-
word	a	a	-
punct	*	*	-
word	b	b	-
word	a	a	-
punct	+	+	-
word	b	b	-
punct	=	=	-
word	c	c	-
number	100	100	-
punct	°	°	-
word	C	c	-
punct	§	§	-
number	3	3	-

# A stray combining mark is a punct token of its own.
> \u{301}x
punct	\u{0301}	\u{0301}	S
word	x	x	-

> x \u{301}
word	x	x	S
punct	\u{0301}	\u{0301}	-
