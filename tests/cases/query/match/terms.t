# terms: every rule of section 1 of docs/query-language.md (words and matching)
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

# R7: tokens, not substrings
> dell
p {"text":"Dell XPS"}
match text:0+4
p {"text":"the dellwood cabin"}
nomatch
p {"text":"a dell."}
match text:2+4

# R7: no stemming; a wildcard is how to get plurals
> laptop
p {"text":"new laptops"}
nomatch
p {"text":"new laptop"}
match text:4+6

> laptop*
p {"text":"new laptops and a laptop"}
match text:4+7 text:18+6

# R3: case and accents are ignored
> munchen
p {"text":"München ist schön"}
match text:0+8
p {"text":"MÜNCHEN"}
match text:0+8
p {"text":"Munchen"}
match text:0+7

> münchen
p {"text":"in Munchen"}
match text:3+7

# R3: ß matches ss, both ways
> straße
p {"text":"Die Strasse ist gesperrt"}
match text:4+7

> strasse
p {"text":"Die Straße ist gesperrt"}
match text:4+7

> STRASSE
p {"text":"GROẞE STRAẞE"}
match text:8+8

# R5: {} is exact case and exact accents
> {XPS}
p {"text":"Dell XPS 13"}
match text:5+3
p {"text":"dell xps 13"}
nomatch
p {"text":"#XPS"}
match text:0+4

> {München}
p {"text":"München"}
match text:0+8
p {"text":"Munchen"}
nomatch
p {"text":"MÜNCHEN"}
nomatch

> {#Dell}
p {"text":"Dell #Dell #dell"}
match text:5+5

# R3: a plain word matches its hashtag and mention forms, not the cashtag
> dell
p {"text":"#Dell"}
match text:0+5
p {"text":"@Dell"}
match text:0+5
p {"text":"$DELL"}
nomatch

# R4: #dell only the hashtag, @dell only the mention, $DELL only the cashtag
> #dell
p {"text":"dell @dell #DELL"}
match text:11+5
p {"text":"dell @dell"}
nomatch

> @dell
p {"text":"dell #dell @Dell"}
match text:11+5

> $DELL
p {"text":"dell #dell $DELL"}
match text:11+5
p {"text":"DELL"}
nomatch

# hashtags with umlauts fold like words
> #grün
p {"text":"#Gruen #GRÜN"}
match text:7+6

# inner punctuation: e-mail is the phrase "e mail"
> e-mail
p {"text":"per E-Mail"}
match text:4+1 text:6+4
p {"text":"per e mail"}
match text:4+1 text:6+4
p {"text":"per email"}
nomatch
p {"text":"e and mail"}
nomatch

> dell.com
p {"text":"visit dell.com today"}
match text:6+4 text:11+3
p {"text":"dell com"}
match text:0+4 text:5+3
p {"text":"dell"}
nomatch

> XPS-13
p {"text":"Das XPS 13 ist da"}
match text:4+3 text:8+2

> z.B.
p {"text":"Akkus, z.B. von Dell"}
match text:7+1 text:9+1

# a URL in the query is one token; it matches that URL token
> www.dell.com
p {"text":"see www.dell.com for more"}
match text:4+12
p {"text":"see dell.com for more"}
nomatch

# emoji are tokens
> 🔥
p {"text":"mein Akku 🔥🔥"}
match text:10+4 text:14+4
p {"text":"mein Akku"}
nomatch

> 🔥 AND akku
p {"text":"Akku🔥"}
match text:0+4 text:4+4

# wildcards: * is zero or more characters, inside or at the end
> akku*
p {"text":"Der Akku ist leer"}
match text:4+4
p {"text":"Akkus und Akkuladegerät"}
match text:0+5 text:10+14
p {"text":"#Akkuschrauber"}
match text:0+14
p {"text":"Ersatzakku"}
nomatch

> customi*ation
p {"text":"customisation and customization"}
match text:0+13 text:18+13
p {"text":"customiation"}
match text:0+12
p {"text":"customizing"}
nomatch

# ? is exactly one character (a character, not a byte)
> customi?e
p {"text":"customise customize"}
match text:0+9 text:10+9
p {"text":"customie customiize"}
nomatch

> m?nchen
p {"text":"München"}
match text:0+8

# ? counts characters of the folded form: Straße is strasse (see choices.t)
> stra?e
p {"text":"Straße"}
nomatch

# a wildcard folds like a word: upper case and ß
> STRAß*
p {"text":"Strassenbahn"}
match text:0+12

# numbers
> 13
p {"text":"XPS 13 and 130"}
match text:4+2
