# words: letters, apostrophes, umlauts, case, scripts
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

# Inner apostrophes, straight and typographic, stay inside the word.
> Don't panic
word	Don't	don't	S
word	panic	panic	-

> geht's gut, it’s fine
word	geht's	geht's	S
word	gut	gut	-
punct	,	,	-
word	it’s	it's	-
word	fine	fine	-

> O'Brien's laptop
word	O'Brien's	o'brien's	S
word	laptop	laptop	-

> l'amour dell'Italia
word	l'amour	l'amour	S
word	dell'Italia	dell'italia	-

# A leading or trailing apostrophe is punctuation.
> 'quoted' and students' work
punct	'	'	S
word	quoted	quoted	-
punct	'	'	-
word	and	and	-
word	students	students	-
punct	'	'	-
word	work	work	-

> rock 'n' roll
word	rock	rock	S
punct	'	'	-
word	n	n	-
punct	'	'	-
word	roll	roll	-

# German: umlauts and ß are letters; the fold drops the dots and makes ss.
> Müller Straße ÄRGER STRAẞE Ökonomie
word	Müller	muller	S
word	Straße	strasse	-
word	ÄRGER	arger	U
word	STRAẞE	strasse	U
word	Ökonomie	okonomie	-

# UPPER needs two letters or more, all upper case; digits do not count.
> NOT XPS13 A I7 ÜBER
word	NOT	not	SU
word	XPS13	xps13	U
word	A	a	-
word	I7	i7	-
word	ÜBER	uber	U

> B2B IoT iPhone
word	B2B	b2b	SU
word	IoT	iot	-
word	iPhone	iphone	-

# Digits mixed with letters make one word.
> mp3 4K i7 1st 2nd 10x 90's
word	mp3	mp3	S
word	4K	4k	-
word	i7	i7	-
word	1st	1st	-
word	2nd	2nd	-
word	10x	10x	-
word	90's	90's	-

# Accents folded away in French, Danish, Swedish.
> naïve façade Ångström
word	naïve	naive	S
word	façade	facade	-
word	Ångström	angstrom	-

# A soft hyphen stays in the word and vanishes from the fold.
> Ver\u{AD}spätung
word	Ver\u{00AD}spätung	verspatung	S

# Han ideographs and hiragana are one word each; katakana and Hangul keep their runs.
> 日本語のテキスト
word	日	日	S
word	本	本	-
word	語	語	-
word	の	の	-
word	テキスト	テキスト	-

> カタカナ語 한국어 문장
word	カタカナ	カタカナ	S
word	語	語	-
word	한국어	한국어	-
word	문장	문장	-

# Font variants and full-width letters fold to plain letters; Greek and Turkish fold.
> Ｄｅｌｌ 𝐃𝐞𝐥𝐥
word	Ｄｅｌｌ	dell	S
word	𝐃𝐞𝐥𝐥	dell	-

> ǅemal ΣΊΣΥΦΟΣ ﬁne İstanbul
word	ǅemal	ǆemal	S
word	ΣΊΣΥΦΟΣ	σισυφοσ	U
word	ﬁne	fine	-
word	İstanbul	istanbul	-

# Marks that spell a script stay (Devanagari vowel signs, dakuten).
> नमस्ते が ガ
word	नमस\u{094D}त\u{0947}	नमस\u{094D}त\u{0947}	S
word	が	が	-
word	ガ	ガ	-
