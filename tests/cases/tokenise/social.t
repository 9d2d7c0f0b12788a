# hashtags, mentions, cashtags, e-mail addresses
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

# A hashtag needs a letter; after a letter (C#) the # is punctuation.
> #Dell #dell_cares #XPS13 #Müller #1 # ## C# #日本
hashtag	#Dell	dell	S
hashtag	#dell_cares	dell_cares	-
hashtag	#XPS13	xps13	U
hashtag	#Müller	muller	-
punct	#	#	-
number	1	1	-
punct	#	#	-
punct	##	##	-
word	C	c	-
punct	#	#	-
hashtag	#日本	日本	-

# Mentions, with fediverse and Bluesky handles; a handle without a dot stops at "-" and a second "@".
> @DellCares @user@mastodon.social @alice.bsky.social @dell. @dell-fans @a@b @ @_x
mention	@DellCares	dellcares	S
mention	@user@mastodon.social	user@mastodon.social	-
mention	@alice.bsky.social	alice.bsky.social	-
mention	@dell	dell	-
punct	.	.	-
mention	@dell	dell	S
punct	-	-	-
word	fans	fans	-
mention	@a	a	-
punct	@	@	-
word	b	b	-
punct	@	@	-
mention	@_x	_x	-

> (@dell)
punct	(	(	S
mention	@dell	dell	-
punct	)	)	-

> RT @dell: great
word	RT	rt	SU
mention	@dell	dell	-
punct	:	:	-
word	great	great	-

# Cashtags: one to six letters, no digits.
> $DELL $aapl $5 $TOOLONG US$5 $ $Dell's
cashtag	$DELL	dell	SU
cashtag	$aapl	aapl	-
punct	$	$	-
number	5	5	-
punct	$	$	-
word	TOOLONG	toolong	U
word	US	us	U
punct	$	$	-
number	5	5	-
punct	$	$	-
cashtag	$Dell	dell	-
punct	'	'	-
word	s	s	-

# E-mail addresses are one url token; "@" inside a word is never a mention.
> a@b.com john.smith@dell.com first_last@x.co.uk foo@bar x@y.1 mail: support@dell.com.
url	a@b.com	a@b.com	S
url	john.smith@dell.com	john.smith@dell.com	-
url	first_last@x.co.uk	first_last@x.co.uk	-
word	foo	foo	-
punct	@	@	-
word	bar	bar	-
word	x	x	-
punct	@	@	-
word	y	y	-
number	1	1	J
word	mail	mail	-
punct	:	:	-
url	support@dell.com	support@dell.com	-
punct	.	.	-

> müller@dell.de #tag@x.com o'brien@x.com
url	müller@dell.de	muller@dell.de	S
hashtag	#tag	tag	-
punct	@	@	-
word	x	x	-
word	com	com	J
url	o'brien@x.com	o'brien@x.com	-

# Addresses glued together stay apart; punctuation before an address is not part of it.
> a@b.cc_d@e.ff x.._y@z.com
url	a@b.cc	a@b.cc	S
punct	_	_	-
url	d@e.ff	d@e.ff	-
url	x.._y@z.com	x.._y@z.com	-
