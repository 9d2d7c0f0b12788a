# choices: where docs/query-language.md is silent, what the reference
# evaluator does (each choice is a rule at the top of tests/unit/query_ref.c)
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

# R1: a phrase or NEAR lies in one part: nothing is adjacent across title
# and text
> "dell xps"
p {"title":"Neu von Dell","text":"XPS 13"}
nomatch

# R2: punctuation takes no position, so a phrase runs over it, also over a
# sentence end
> "dell xps"
p {"text":"Das ist Dell. XPS kommt bald."}
match text:8+4 text:14+3
p {"text":"Dell (XPS)"}
match text:0+4 text:6+3

# R2: a hashtag, mention, URL or emoji takes a position like a word
> dell NEAR/0 akku
p {"text":"Dell 🔥 Akku"}
nomatch
p {"text":"Dell #fail Akku"}
nomatch

# R5: {} ignores the sigil of the post's token: {Dell} matches @Dell
> {Dell}
p {"text":"@Dell @dell"}
match text:0+5

# R6: ? is one character of the folded form: ß folds to ss, two characters
> stra?e
p {"text":"Straße Strase"}
match text:8+6

> stra??e
p {"text":"Straße"}
match text:0+7

# R6: a wildcard matches hashtags and mentions like a plain word
> akku*
p {"text":"@akkuteam"}
match text:0+9

# R9: NEAR counts the words between the ends of a phrase and the word
> "dell xps" NEAR/1 akku
p {"text":"Dell XPS ohne Akku"}
match text:0+4 text:5+3 text:14+4
p {"text":"Akku im Dell XPS"}
match text:0+4 text:8+4 text:13+3
p {"text":"Akku steckt im Dell XPS"}
nomatch

# R11: a hit that runs over a sentence end is in no one sentence
> "dell xps" SENTENCE akku
p {"text":"Neu von Dell. XPS mit Akku"}
nomatch
p {"text":"Dell XPS mit Akku. Gut."}
match text:0+4 text:5+3 text:13+4

# R13: a NOT inside a field looks in that field only
> title:(dell NOT lenovo)
p {"title":"Dell","text":"Lenovo"}
match title:0+4
p {"title":"Dell gegen Lenovo","text":"x"}
nomatch

# R17: links: looks at URLs in the text, not in the title
> links:dell.com
p {"title":"https://dell.com/x","text":"kein Link"}
nomatch

# R21: a rating of 0 is a rating
> rating:[0 TO 1]
p {"kind":"review","rating":0,"text":"x"}
match

# R23: spans come from every matching item of an OR, without duplicates
> dell OR dell* OR {Dell}
p {"text":"Dell dell"}
match text:0+4 text:5+4

# R23: a match in the author streams reports no span
> author:dell AND akku
p {"author":{"handle":"x","name":"Dell"},"text":"Akku"}
match text:0+4

# posts: a post without title or text matches only by its other fields
> dell OR is:review
p {"kind":"review","rating":3,"product":"Dell"}
match

# lenient mode: lower-case operators, NOT > AND > OR
> dell and akku or lenovo
lenient
p {"text":"Lenovo"}
match text:0+6
p {"text":"Dell"}
nomatch
p {"text":"Akku von Dell"}
match text:0+4 text:9+4
