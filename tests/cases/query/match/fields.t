# fields: every field of section 4 of docs/query-language.md that a post has
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
# sentiment:, intent: and is:question look at what the enrich stage derived
# (R22): in a case, the post's "analysis" member gives it, as horch's JSON
# output writes it.  A post without one was not analysed and matches none of
# them.  topic: needs the other topics, which the reference evaluator does
# not have: its cases are in test_match.c.

# title: and text: restrict a query to one part (R14)
> title:dell
p {"title":"Dell XPS 13 im Test","text":"kein Wort"}
match title:0+4
p {"title":"Im Test","text":"Dell"}
nomatch

> text:dell
p {"title":"Dell","text":"Akku"}
nomatch
p {"title":"Dell","text":"Akku von Dell"}
match text:9+4

> content:akku AND message:leer
p {"text":"Akku leer"}
match text:0+4 text:5+4

> title:"xps 13" AND text:(akku OR batterie)
p {"title":"Das XPS 13","text":"Die Batterie hält"}
match title:4+3 title:8+2 text:4+8
p {"title":"Das XPS","text":"13 Batterie"}
nomatch

# a query without a field searches title and text
> dell
p {"title":"Dell","text":"dell"}
match title:0+4 text:0+4

# author: the handle or the display name, words as in text
> author:dellcares
p {"author":{"handle":"DellCares","name":"Dell Support"},"text":"hi"}
match
p {"author":{"handle":"dell","name":"Dell Cares"},"text":"hi"}
nomatch

> author:"dell cares"
p {"author":{"handle":"dell","name":"Dell Cares"},"text":"hi"}
match

# the handle is also searched as a mention: author:@dellcares; a handle
# with punctuation is a phrase of its parts, like a word in text
> author:@dellcares
p {"author":{"handle":"DellCares","name":"Dell Support"},"text":"hi"}
match
p {"author":{"handle":"dell","name":"Dell Cares"},"text":"@DellCares"}
nomatch

> author:dell_cares
p {"author":{"handle":"dell_cares"},"text":"hi"}
match

> author:support
p {"author":{"handle":"DellCares","name":"Dell Support"},"text":"hi"}
match
p {"author":{"handle":"x"},"text":"support"}
nomatch

# site: the host of the post's URL without www., subdomains included
> site:dell.com
p {"url":"https://www.dell.com/de-de/shop","text":"x"}
match
p {"url":"https://community.dell.com/t/123","text":"x"}
match
p {"url":"http://DELL.COM:8080/x","text":"x"}
match
p {"url":"https://notdell.com/x","text":"x"}
nomatch
p {"url":"https://dell.com.evil.org/x","text":"x"}
nomatch
p {"text":"dell.com"}
nomatch

> site:www.dell.com
p {"url":"https://dell.com/","text":"x"}
match

# url: a substring of the post's URL, case ignored
> url:dell.com/de
p {"url":"https://www.Dell.com/DE-de/shop","text":"x"}
match
p {"url":"https://www.dell.com/en-us/shop","text":"x"}
nomatch

> url:reddit.com/r/dell
p {"url":"https://www.reddit.com/r/Dell/comments/1","text":"x"}
match

# links: a URL inside the text, by host or by prefix; its span is reported
> links:dell.com
p {"text":"siehe https://www.dell.com/support/home und mehr"}
match text:6+33
p {"text":"siehe https://notdell.com/x"}
nomatch
p {"text":"Mail an john@support.dell.com bitte"}
match text:8+21
p {"url":"https://dell.com/x","text":"kein Link"}
nomatch

> links:dell.com/support
p {"text":"siehe https://www.dell.com/support/home"}
match text:6+33
p {"text":"siehe www.dell.com/en-us"}
nomatch

# lang:, country:, source: compare codes, case ignored
> lang:de
p {"text":"x","lang":"de"}
match
p {"text":"x","lang":"en"}
nomatch
p {"text":"x"}
nomatch

> language:EN
p {"text":"x","lang":"en"}
match

> country:de
p {"text":"x","country":"DE"}
match
p {"text":"x","country":"AT"}
nomatch

> source:reddit
p {"source":"reddit","text":"x"}
match
p {"source":"twitter","text":"x"}
nomatch

> sourcetype:(mastodon OR bluesky)
p {"source":"bluesky","text":"x"}
match

# authorFollowers:[a TO b], inclusive; an unknown count never matches
> authorFollowers:[100 TO 1000]
p {"author":{"handle":"a","followers":100},"text":"x"}
match
p {"author":{"handle":"a","followers":1000},"text":"x"}
match
p {"author":{"handle":"a","followers":1001},"text":"x"}
nomatch
p {"author":{"handle":"a"},"text":"x"}
nomatch

# rating:[a TO b], inclusive; a post without a rating never matches
> rating:[1 TO 2]
p {"kind":"review","rating":2,"text":"x"}
match
p {"kind":"review","rating":1.5,"text":"x"}
match
p {"kind":"review","rating":3,"text":"x"}
nomatch
p {"text":"x"}
nomatch

# product: the words of the value, consecutive in the post's product
> product:"inspiron 15"
p {"kind":"review","product":"Dell Inspiron 15 3000","text":"x"}
match
p {"kind":"review","product":"Inspiron 15","text":"x"}
match
p {"kind":"review","product":"Inspiron 16","text":"x"}
nomatch
p {"kind":"review","product":"Inspiron15","text":"x"}
nomatch
p {"text":"Inspiron 15"}
nomatch

> itemReview:XPS-13
p {"kind":"review","product":"Dell XPS 13 Plus","text":"x"}
match

# is: the kind of post
> is:retweet
p {"kind":"repost","text":"x"}
match
p {"kind":"post","text":"x"}
nomatch

> is:reply
p {"kind":"reply","text":"x"}
match
p {"kind":"comment","text":"x"}
nomatch

> is:review
p {"kind":"review","rating":4,"text":"x"}
match

# is:question: the derived intent is question (R22)
> is:question
p {"text":"Geht das?","analysis":{"intent":"question"}}
match
p {"text":"Geht das?","analysis":{"intent":"complaint"}}
nomatch
p {"text":"Geht das?"}
nomatch

# hashtag: and mention: only in that form
> hashtag:dell
p {"text":"Dell #Dell"}
match text:5+5
p {"text":"Dell @dell"}
nomatch

> mention:dellcares
p {"text":"#DellCares @DellCares"}
match text:11+10

> hashtag:#grün
p {"text":"#Grün"}
match text:0+6

# sentiment: and intent: compare the derived label (R22); a post that was
# not analysed has none, so NOT of one holds for it
> sentiment:negative
p {"text":"Alles Mist!","analysis":{"sentiment":{"label":"negative","score":-0.6}}}
match
p {"text":"Alles Mist!","analysis":{"sentiment":{"label":"neutral"}}}
nomatch
p {"text":"Alles Mist!"}
nomatch

> intent:complaint
p {"text":"Ich will mein Geld zurück","analysis":{"intent":"complaint"}}
match
p {"text":"Ich will mein Geld zurück","analysis":{"intent":"purchase"}}
nomatch

> intent:praise OR intent:idea
p {"text":"Bitte Dark Mode einbauen","analysis":{"intent":"idea"}}
match

> topic:xps
p {"text":"XPS"}
nomatch

> dell AND NOT sentiment:positive
p {"text":"Dell ist toll","analysis":{"sentiment":{"label":"positive"}}}
nomatch
p {"text":"Dell ist toll","analysis":{"sentiment":{"label":"negative"}}}
match text:0+4
p {"text":"Dell ist toll"}
match text:0+4

# fields mixed with words
> dell AND lang:de AND source:twitter
p {"source":"twitter","lang":"de","text":"Dell!"}
match text:0+4
p {"source":"twitter","lang":"en","text":"Dell!"}
nomatch
