# examples: the six examples of section 5 of docs/query-language.md, each
# with posts that match and posts that do not
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

# 1. overheating touchpads and keyboards, not on Dell's own site
> (dell OR {XPS} OR inspiron) AND ((hot OR overheat*) NEAR/5 (touchpad OR keyboard)) AND NOT site:dell.com
p {"source":"reddit","url":"https://www.reddit.com/r/Dell/1","title":"XPS 15 problem","text":"The keyboard gets really hot after an hour."}
match title:0+3 text:4+8 text:25+3
p {"source":"twitter","text":"My Dell laptop is overheating and now the touchpad is dead"}
match text:3+4 text:18+11 text:42+8
p {"source":"rss","url":"https://www.dell.com/community/1","text":"Dell: keyboard overheating fixed"}
nomatch
p {"source":"twitter","text":"my xps keyboard gets hot"}
nomatch
p {"source":"twitter","text":"Dell keyboard is great. Every other day it is far too hot in this office."}
nomatch

# 2. Dell Cares replies from accounts with 10,000 to 100,000,000 followers
> ("dell cares" OR @DellCares) AND is:reply AND authorFollowers:[10000 TO 100000000]
p {"source":"twitter","kind":"reply","author":{"handle":"bigname","followers":25000},"text":"@DellCares still waiting for my repair"}
match text:0+10
p {"source":"twitter","kind":"reply","author":{"handle":"bigname","followers":25000},"text":"Dell Cares? Not really."}
match text:0+4 text:5+5
p {"source":"twitter","kind":"post","author":{"handle":"bigname","followers":25000},"text":"@DellCares still waiting"}
nomatch
p {"source":"twitter","kind":"reply","author":{"handle":"small","followers":300},"text":"@DellCares still waiting"}
nomatch
p {"source":"twitter","kind":"reply","author":{"handle":"bigname","followers":25000},"text":"#DellCares dellcares"}
nomatch

# 3. "xps 13" in a German title
> title:"xps 13" AND lang:de
p {"source":"rss","lang":"de","title":"Dell XPS 13 im Test","text":"Das Notebook überzeugt."}
match title:5+3 title:9+2
p {"source":"rss","lang":"en","title":"Dell XPS 13 review","text":"Great."}
nomatch
p {"source":"rss","lang":"de","title":"Notebooks im Test","text":"Das XPS 13 überzeugt."}
nomatch
p {"source":"rss","lang":"de","title":"Das XPS-13 im Test","text":"x"}
match title:4+3 title:8+2

# 4. bad reviews of the Inspiron 15
> product:"Inspiron 15" AND rating:[1 TO 2]
p {"source":"review","kind":"review","product":"Dell Inspiron 15 3520","rating":1,"text":"Akku nach zwei Wochen tot."}
match
p {"source":"review","kind":"review","product":"Dell Inspiron 15 3520","rating":5,"text":"Super."}
nomatch
p {"source":"review","kind":"review","product":"Dell Inspiron 14","rating":1,"text":"Inspiron 15 ist besser."}
nomatch

# 5. Linux preinstalled, or Ubuntu before Dell
> "linux preinstalled"~3 OR (ubuntu NEAR/4f dell)
p {"source":"hn","text":"Finally a laptop with Linux actually preinstalled"}
match text:22+5 text:37+12
p {"source":"hn","text":"Preinstalled with Linux, nice"}
match text:0+12 text:18+5
p {"source":"hn","text":"Ubuntu runs great on my Dell"}
match text:0+6 text:24+4
p {"source":"hn","text":"Dell ships Ubuntu"}
nomatch
p {"source":"hn","text":"Linux is not on many laptops that come preinstalled"}
nomatch

# 6. battery incidents, German
> (akku* OR batterie*) AND (brennt OR heiß OR explodiert) AND lang:de   <<< battery incidents, German >>>
p {"source":"twitter","lang":"de","text":"Mein Akku wird heiss und brennt fast"}
match text:5+4 text:15+5 text:25+6
p {"source":"twitter","lang":"de","text":"Der Batteriepack ist explodiert!"}
match text:4+12 text:21+10
p {"source":"twitter","lang":"de","text":"Der Akku hält ewig"}
nomatch
p {"source":"twitter","lang":"en","text":"Akku brennt"}
nomatch
p {"source":"twitter","lang":"de","text":"Der Ersatzakku brennt"}
nomatch
