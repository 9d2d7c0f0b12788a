# operators: every operator of section 2 of docs/query-language.md
#
# Format (read by tests/unit/test_query_match.c):
#   > QUERY        starts a case: the query, as written (strict mode)
#   lenient        parse the query in lenient mode
#   p JSON         a post, one line of horch's JSON (docs/post-format.md)
#   match SPANS    the post above matches; SPANS are all the spans the
#                  reference evaluator reports, "title:OFF+LEN" or
#                  "text:OFF+LEN" (byte offset and length), in order; a match
#                  without spans (a keyword or range field) is just "match"
#   nomatch        the post above does not match
#   Several p lines, each followed by its result, may follow one query; a
#   blank line ends the case; lines starting with # are comments.
# The rules (R1..R23) are listed at the top of tests/unit/query_ref.c.
# Print a result line with  build/tests/unit/test_query_match --dump 'QUERY' 'JSON'
# and check it by hand before you paste it.

# AND, and adjacent terms (an implicit AND)
> dell AND akku
p {"text":"Dell: der Akku ist leer"}
match text:0+4 text:10+4
p {"text":"Dell ist gut"}
nomatch

> dell akku
p {"text":"Akku von Dell"}
match text:0+4 text:9+4

# AND across title and text: each term anywhere in either (R1)
> dell AND akku
p {"title":"Dell XPS","text":"Der Akku"}
match title:0+4 text:4+4

# OR reports every item that matches
> dell OR lenovo
p {"text":"Lenovo und Dell"}
match text:0+6 text:11+4
p {"text":"HP"}
nomatch

# NOT, AND NOT and -
> dell NOT lenovo
p {"text":"Dell"}
match text:0+4
p {"text":"Dell und Lenovo"}
nomatch

> dell AND NOT lenovo
p {"text":"Dell und #Lenovo"}
nomatch
p {"text":"Dell und Acer"}
match text:0+4

> dell -lenovo
p {"text":"Dell und Lenovo"}
nomatch
p {"text":"Dell und Acer"}
match text:0+4

# a NOT inside a bracket applies there only
> dell AND (akku OR NOT spam)
p {"text":"Dell ohne Spam"}
nomatch
p {"text":"Dell ohne Werbung"}
match text:0+4
p {"text":"Dell Spam Akku"}
match text:0+4 text:10+4
p {"text":"Dell Spam"}
nomatch

# exact phrase: consecutive tokens in that order
> "dell xps"
p {"text":"Das Dell XPS ist neu"}
match text:4+4 text:9+3
p {"text":"XPS von Dell"}
nomatch
p {"text":"Dell neues XPS"}
nomatch

> "der akku ist leer"
p {"text":"Mist, der Akku ist leer!"}
match text:6+3 text:10+4 text:15+3 text:19+4
p {"text":"der Akku ist fast leer"}
nomatch

# inside quotes * and {} are punctuation (the parser warns about *): the
# phrase is "akku leer", "dell xps"
> "akku* leer"
p {"text":"Akkus leer"}
nomatch
p {"text":"Akku leer"}
match text:0+4 text:5+4

> "{Dell} xps"
p {"text":"dell XPS"}
match text:0+4 text:5+3

# {} beside a word: NEAR/0 is "next to each other"
> {Dell} NEAR/0f xps
p {"text":"dell XPS, Dell xps"}
match text:10+4 text:15+3

# "a b"~n: within n positions, either order (R10)
> "dell akku"~3
p {"text":"Dell und der Akku"}
match text:0+4 text:13+4
p {"text":"Dell und der alte Akku"}
nomatch
p {"text":"Akku von Dell"}
match text:0+4 text:9+4

> "dell akku"~1
p {"text":"Akku Dell"}
match text:0+4 text:5+4
p {"text":"Akku, Dell"}
match text:0+4 text:6+4
p {"text":"Akku x Dell"}
nomatch

# three words: the latest start minus the earliest end
> "dell akku leer"~2
p {"text":"leer Dell Akku"}
match text:0+4 text:5+4 text:10+4
p {"text":"Dell x Akku leer"}
nomatch
p {"text":"Dell x Akku y leer"}
nomatch

# (a OR b)~n: one hit of each item within n words
> (dell OR akku)~2
p {"text":"Akku von Dell"}
match text:0+4 text:9+4
p {"text":"Akku ist von Dell"}
nomatch

# a ~ item may be a phrase: "e-mail x"~3 keeps "e mail" together
> "e-mail dell"~2
p {"text":"Dell per E-Mail"}
match text:0+4 text:9+1 text:11+4
p {"text":"Dell per E x Mail"}
nomatch

# NEAR/n: at most n words between, either order
> dell NEAR/2 akku
p {"text":"Dell mit neuem Akku"}
match text:0+4 text:15+4
p {"text":"Dell mit dem neuen Akku"}
nomatch
p {"text":"Akku, sagt Dell"}
match text:0+4 text:11+4
p {"text":"Dell Akku"}
match text:0+4 text:5+4

# NEAR/0: adjacent, either order
> dell NEAR/0 akku
p {"text":"Akku Dell"}
match text:0+4 text:5+4
p {"text":"Akku von Dell"}
nomatch

# NEAR/nf and ONEAR/n: a before b
> dell NEAR/2f akku
p {"text":"Dell mit Akku"}
match text:0+4 text:9+4
p {"text":"Akku von Dell"}
nomatch

> dell ONEAR/2 akku
p {"text":"Dell mit Akku"}
match text:0+4 text:9+4
p {"text":"Akku von Dell"}
nomatch

# NEAR operands: phrases, wildcards, OR groups, and every pair is reported
> "dell xps" NEAR/3 (akku* OR batterie)
p {"text":"Dell XPS: Akkus und Batterie"}
match text:0+4 text:5+3 text:10+5 text:20+8
p {"text":"Dell XPS: neue Lenovo und alle Batterie"}
nomatch

# a NEAR operand may be a bracketed NEAR
> (dell NEAR/1 xps) NEAR/2 akku
p {"text":"XPS von Dell, sein Akku"}
match text:0+3 text:8+4 text:19+4
p {"text":"XPS von Dell, sein ganz alter Akku"}
nomatch

# NEAR inside one stream: nothing is near across title and text (R1)
> dell NEAR/5 akku
p {"title":"Dell","text":"Akku"}
nomatch

# NEAR needs two hits that do not overlap: dell NEAR dell needs two dells
> dell NEAR/3 dell
p {"text":"Dell und nochmal Dell"}
match text:0+4 text:17+4
p {"text":"nur Dell"}
nomatch

# SENTENCE: both in one sentence
> akku SENTENCE leer
p {"text":"Der Akku ist leer. Schade."}
match text:4+4 text:13+4
p {"text":"Der Akku. Er ist leer."}
nomatch

> (akku OR batterie) SENTENCE "geht nicht"
p {"text":"Hallo. Die Batterie geht nicht! Der Akku auch nicht."}
match text:11+8 text:20+4 text:25+5

# comments are ignored
> dell <<< the brand >>> AND akku
p {"text":"Dell Akku"}
match text:0+4 text:5+4

# brackets and nesting
> (dell OR hp) AND (akku OR (batterie AND NOT neu))
p {"text":"HP Batterie alt"}
match text:0+2 text:3+8
p {"text":"HP Batterie neu"}
nomatch
p {"text":"HP Akku neu"}
match text:0+2 text:3+4
