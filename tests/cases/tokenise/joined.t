# joined parts: - . / & between two parts split the word and set J
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

# The query language reads e-mail as the phrase "e mail".
> e-mail
word	e	e	S
word	mail	mail	J

> e-mail-Adresse
word	e	e	S
word	mail	mail	J
word	Adresse	adresse	J

> Deutsche-Bahn-Verspätung
word	Deutsche	deutsche	S
word	Bahn	bahn	J
word	Verspätung	verspatung	J

> Wi-Fi-fähig
word	Wi	wi	S
word	Fi	fi	J
word	fähig	fahig	J

# Domains, ampersands, slashes.
> dell.com
word	dell	dell	S
word	com	com	J

> AT&T
word	AT	at	SU
word	T	t	J

> R&D U.S. e.g. i.e.
word	R	r	S
word	D	d	J
word	U	u	-
word	S	s	J
punct	.	.	-
word	e	e	-
word	g	g	J
punct	.	.	-
word	i	i	-
word	e	e	J
punct	.	.	-

> and/or 24/7
word	and	and	S
word	or	or	J
number	24	24	-
number	7	7	J

# z.B.: two joined letters and a final dot.
> z.B. so
word	z	z	S
word	B	b	J
punct	.	.	-
word	so	so	-

# Letters and numbers join too.
> COVID-19
word	COVID	covid	SU
number	19	19	J

> v1.2.3 1.FC
word	v1	v1	S
number	2.3	2.3	J
number	1	1	-
word	FC	fc	JU

# The Unicode hyphen U+2010 joins like "-".
> Dell\u{2010}Support
word	Dell	dell	S
word	Support	support	J

# Doubled, mixed, leading and trailing separators do not join.
> a--b
word	a	a	S
punct	--	--	-
word	b	b	-

> a-.b
word	a	a	S
punct	-	-	-
punct	.	.	-
word	b	b	-

> end-
word	end	end	S
punct	-	-	-

> -start
punct	-	-	S
word	start	start	-

> x-🙂
word	x	x	S
punct	-	-	-
emoji	🙂	🙂	-
