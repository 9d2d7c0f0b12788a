# URLs: http, https, www; trailing punctuation left out
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

# Balanced parentheses stay, a closing one that opens nothing goes.
> See https://en.wikipedia.org/wiki/Dell_(company).
word	See	see	S
url	https://en.wikipedia.org/wiki/Dell_(company)	https://en.wikipedia.org/wiki/dell_(company)	-
punct	.	.	-

> (https://x.com/a?b=c).
punct	(	(	S
url	https://x.com/a?b=c	https://x.com/a?b=c	-
punct	)	)	-
punct	.	.	-

> [link](https://x.com/a_(b)) [a](https://x.com/c)]
punct	[	[	S
word	link	link	-
punct	]	]	-
punct	(	(	-
url	https://x.com/a_(b)	https://x.com/a_(b)	-
punct	)	)	-
punct	[	[	-
word	a	a	-
punct	]	]	-
punct	(	(	-
url	https://x.com/c	https://x.com/c	-
punct	)	)	-
punct	]	]	-

# Any case; the fold is lower case; www. without a scheme.
> HTTP://DELL.COM/XPS, www.dell.de/xps!
url	HTTP://DELL.COM/XPS	http://dell.com/xps	S
punct	,	,	-
url	www.dell.de/xps	www.dell.de/xps	-
punct	!	!	-

# Trailing quotes, ellipsis and guillemets go; an emoji ends a URL.
> https://t.co/abc…
url	https://t.co/abc	https://t.co/abc	S
punct	…	…	-

> „https://x.de/ä“ and https://x.com/a)b) "https://q.com"
punct	„	„	S
url	https://x.de/ä	https://x.de/a	-
punct	“	“	-
word	and	and	-
url	https://x.com/a)b	https://x.com/a)b	-
punct	)	)	-
punct	"	"	-
url	https://q.com	https://q.com	-
punct	"	"	-

> go to https://x.com»
word	go	go	S
word	to	to	-
url	https://x.com	https://x.com	-
punct	»	»	-

> https://x.com/?q=1&r=2#frag';
url	https://x.com/?q=1&r=2#frag	https://x.com/?q=1&r=2#frag	S
punct	'	'	-
punct	;	;	-

# A scheme or www. with nothing after it is not a URL.
> https://x.com😂 http:// www. www.x http://x
url	https://x.com	https://x.com	S
emoji	😂	😂	-
word	http	http	-
punct	:	:	-
punct	//	//	-
word	www	www	-
punct	.	.	-
url	www.x	www.x	-
url	http://x	http://x	-
