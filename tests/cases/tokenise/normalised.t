# text that text_normalise() repairs before tokenising
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

# Decomposed accents are composed (NFC).
> Cafe\u{301} Mu\u{308}nchen
word	Café	cafe	S
word	München	munchen	-

# Invalid bytes become U+FFFD, one per maximal invalid sequence.
> a\xFFb
word	a	a	S
punct	�	�	-
word	b	b	-

> \xE2\x82 x
punct	�	�	S
word	x	x	-

# CR LF and CR are line breaks; other controls vanish.
> line\r\nnext\rthird
word	line	line	S
word	next	next	S
word	third	third	S

> a\x01b\x7Fc
word	abc	abc	S

> \u{85}next
word	next	next	S

# Unicode spaces separate; zero-width space and BOM are skipped.
> a\u{A0}b\u{2009}c\u{3000}d
word	a	a	S
word	b	b	-
word	c	c	-
word	d	d	-

> a\u{200B}b
word	a	a	S
word	b	b	-

> \u{FEFF}Hello
word	Hello	hello	S
