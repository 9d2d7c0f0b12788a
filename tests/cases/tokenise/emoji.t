# emoji sequences and emoticons
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

# One token per sequence: modifiers, ZWJ, flags, keycaps, tags; text-default symbols need U+FE0F.
> 😂😂😂 👍🏻👍 👨‍👩‍👧 👩🏽‍💻 🇩🇪🇺🇸🇫 1️⃣ #️⃣ 5⃣ ❤️ ❤ ♥ ☺️ ©️ © ™ Dell™ 🏴󠁧󠁢󠁳󠁣󠁴󠁿 🏻
emoji	😂	😂	S
emoji	😂	😂	-
emoji	😂	😂	-
emoji	👍🏻	👍🏻	-
emoji	👍	👍	-
emoji	👨\u{200D}👩\u{200D}👧	👨\u{200D}👩\u{200D}👧	-
emoji	👩🏽\u{200D}💻	👩🏽\u{200D}💻	-
emoji	🇩🇪	🇩🇪	-
emoji	🇺🇸	🇺🇸	-
emoji	🇫	🇫	-
emoji	1\u{FE0F}\u{20E3}	1\u{20E3}	-
emoji	#\u{FE0F}\u{20E3}	#\u{20E3}	-
emoji	5\u{20E3}	5\u{20E3}	-
emoji	❤\u{FE0F}	❤	-
emoji	❤	❤	-
emoji	♥	♥	-
emoji	☺\u{FE0F}	☺	-
emoji	©\u{FE0F}	©	-
punct	©	©	-
punct	™	™	-
word	Dell	dell	-
punct	™	™	-
emoji	🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}	🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}	-
emoji	🏻	🏻	-

> 😍👍🏼🔥
emoji	😍	😍	S
emoji	👍🏼	👍🏼	-
emoji	🔥	🔥	-

> 🙂\u{FE0F}x
emoji	🙂\u{FE0F}	🙂	S
word	x	x	-

# Emoticons are emoji tokens; not when a letter or digit follows or the last character repeats.
> :) :-( :D <3 ;) :'( </3 ^_^ -_- >:( =) :P great:)) Note:Dell :Dx x<3 <30
emoji	:)	:)	S
emoji	:-(	:-(	-
emoji	:D	:d	-
emoji	<3	<3	-
emoji	;)	;)	-
emoji	:'(	:'(	-
emoji	</3	</3	-
emoji	^_^	^_^	-
emoji	-_-	-_-	-
emoji	>:(	>:(	-
emoji	=)	=)	-
emoji	:P	:p	-
word	great	great	-
emoji	:))	:))	-
word	Note	note	-
punct	:	:	-
word	Dell	dell	-
punct	:	:	-
word	Dx	dx	-
word	x	x	-
emoji	<3	<3	-
punct	<	<	-
number	30	30	-

> http:// :)) :((( ^^^
word	http	http	S
punct	:	:	-
punct	//	//	-
emoji	:))	:))	-
emoji	:(((	:(((	-
punct	^^^	^^^	-
