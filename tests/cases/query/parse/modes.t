# strict mode (the default) against lenient mode (section 3)
#
# Format (read by tests/unit/test_query.c):
#   > QUERY        starts a case; escapes \n \t \r \\ \xHH \u{HHHH}
#   lenient        parse in lenient mode (default: strict)
#   = PRINT        it parses and prints exactly this canonical form
#   ! COL MESSAGE  it is refused at byte column COL; the message contains MESSAGE
#   h HINT         the hint contains HINT
#   w COL MESSAGE  one warning (one line per warning, in order; a case with
#                  no w line must give no warning)
#   a blank line ends the case; lines starting with # are comments.
# Every case that parses is also printed, parsed again and printed again.
# Regenerate a block with  build/tests/unit/test_query --dump [--lenient] 'QUERY'
# and read it before you paste it.

# AND and OR at one level: an error in strict mode, a warning in lenient
# mode, which reads NOT > AND > OR
> dell AND laptop OR notebook
! 10 AND and OR are mixed without brackets
h write  dell AND (laptop OR notebook)

> dell AND laptop OR notebook
lenient
= ((dell AND laptop) OR notebook)
w 10 AND and OR are mixed without brackets (strict mode refuses this)

> dell OR laptop AND notebook
! 9 AND and OR are mixed without brackets
h write  dell OR (laptop AND notebook)

> dell OR laptop AND notebook
lenient
= (dell OR (laptop AND notebook))
w 9 AND and OR are mixed without brackets (strict mode refuses this)

> a OR b c
! 6 AND and OR are mixed without brackets
h write  a OR (b c)
w 8 implicit AND before 'c': write AND

> a OR b c
lenient
= (a OR (b AND c))
w 8 implicit AND before 'c': write AND
w 6 AND and OR are mixed without brackets (strict mode refuses this)

> a OR b NOT c
! 6 AND and OR are mixed without brackets
h write  a OR (b NOT c)

> a OR b NOT c
lenient
= (a OR (b AND NOT c))
w 6 AND and OR are mixed without brackets (strict mode refuses this)

> a AND b OR c AND d
! 7 AND and OR are mixed without brackets
h write  a AND (b OR c) AND d

> a AND b OR c AND d
lenient
= ((a AND b) OR (c AND d))
w 7 AND and OR are mixed without brackets (strict mode refuses this)

> a OR b AND c OR d
! 6 AND and OR are mixed without brackets
h write  a OR (b AND c) OR d

> a AND (b OR c) AND d
= (a AND (b OR c) AND d)

> (a OR b) AND (c OR d)
= ((a OR b) AND (c OR d))

> (a AND b) OR (c AND d)
= ((a AND b) OR (c AND d))

# NEAR alone at its level; no NEAR chain
> a AND b NEAR/3 c
! 7 NEAR/3 is mixed with AND without brackets
h write  a AND (b NEAR/3 c)

> a AND b NEAR/3 c
lenient
= (a AND (b NEAR/3 c))
w 7 NEAR/3 is mixed with AND without brackets (strict mode refuses this)

> a NEAR/3 b OR c
! 1 NEAR/3 is mixed with OR without brackets
h write  (a NEAR/3 b) OR c

> a NEAR/3 b OR c
lenient
= ((a NEAR/3 b) OR c)
w 1 NEAR/3 is mixed with OR without brackets (strict mode refuses this)

> a NEAR/3 b NEAR/3 c
! 10 an OR or NEAR inside a NEAR operand must be bracketed
h write  (a NEAR/3 b) NEAR/3 c

> a NEAR/3 b NEAR/3 c
lenient
= ((a NEAR/3 b) NEAR/3 c)
w 10 an OR or NEAR inside a NEAR operand must be bracketed (strict mode refuses this)

> a SENTENCE b NEAR/2 c
! 12 an OR or NEAR inside a NEAR operand must be bracketed
h write  (a SENTENCE b) NEAR/2 c

> a AND (b NEAR/3 c)
= (a AND (b NEAR/3 c))

> (a NEAR/3 b) NEAR/3 c
= ((a NEAR/3 b) NEAR/3 c)

# NEAR operands never contain AND, NOT or a field (both modes)
> (a AND b) NEAR/3 c
! 1 NEAR operands may not contain AND
h NEAR takes words, phrases, wildcards and bracketed OR groups; put AND, NOT and fields outside:  ((a OR b) NEAR/5 c) AND lang:de

> (a AND b) NEAR/3 c
lenient
! 1 NEAR operands may not contain AND
h NEAR takes words, phrases, wildcards and bracketed OR groups; put AND, NOT and fields outside:  ((a OR b) NEAR/5 c) AND lang:de

> (a b) NEAR/3 c
! 1 NEAR operands may not contain AND
h NEAR takes words, phrases, wildcards and bracketed OR groups; put AND, NOT and fields outside:  ((a OR b) NEAR/5 c) AND lang:de
w 4 implicit AND before 'b': write AND

> a NEAR/3 NOT b
! 10 NEAR operands may not contain NOT
h NEAR takes words, phrases, wildcards and bracketed OR groups; put AND, NOT and fields outside:  ((a OR b) NEAR/5 c) AND lang:de

> a NEAR/3 (b OR NOT c)
! 16 NEAR operands may not contain NOT
h NEAR takes words, phrases, wildcards and bracketed OR groups; put AND, NOT and fields outside:  ((a OR b) NEAR/5 c) AND lang:de

> title:a NEAR/3 b
! 1 NEAR operands may not contain a field
h NEAR takes words, phrases, wildcards and bracketed OR groups; put AND, NOT and fields outside:  ((a OR b) NEAR/5 c) AND lang:de

> a NEAR/3 lang:de
! 10 NEAR operands may not contain a field
h NEAR takes words, phrases, wildcards and bracketed OR groups; put AND, NOT and fields outside:  ((a OR b) NEAR/5 c) AND lang:de

> (a OR (b AND c)) SENTENCE d
! 7 SENTENCE operands may not contain AND
h SENTENCE takes words, phrases, wildcards and bracketed OR groups; put AND, NOT and fields outside:  ((a OR b) SENTENCE c) AND lang:de

> ("a b" OR cam*) NEAR/3 (d OR (e NEAR/2 f))
= (("a b" OR cam*) NEAR/3 (d OR (e NEAR/2 f)))

# operators are upper case: in strict mode a lower-case one is a word
> dell and laptop
= (dell AND "and" AND laptop)
w 6 implicit AND before 'and': write AND
w 10 implicit AND before 'laptop': write AND

> dell and laptop
lenient
= (dell AND laptop)
w 6 lower-case 'and' read as an operator (strict mode reads it as a word)

> dell or hp
= (dell AND "or" AND hp)
w 6 implicit AND before 'or': write AND
w 9 implicit AND before 'hp': write AND

> dell or hp
lenient
= (dell OR hp)
w 6 lower-case 'or' read as an operator (strict mode reads it as a word)

> dell not spam
lenient
= (dell AND NOT spam)
w 6 lower-case 'not' read as an operator (strict mode reads it as a word)

> dell near/5 laptop
lenient
= (dell NEAR/5 laptop)
w 6 lower-case 'near/5' read as an operator (strict mode reads it as a word)

> dell Near/5F laptop
lenient
= (dell NEAR/5f laptop)
w 6 lower-case 'Near/5F' read as an operator (strict mode reads it as a word)

> hotel near airport
lenient
= (hotel AND "near" AND airport)
w 7 implicit AND before 'near': write AND
w 12 implicit AND before 'airport': write AND

> hotel near/ airport
lenient
! 7 NEAR needs a distance
h write  a NEAR/5 b  (at most 5 words between a and b)

> dell onear/5 laptop
lenient
= (dell NEAR/5f laptop)
w 6 lower-case 'onear/5' read as an operator (strict mode reads it as a word)

> akku sentence brennt
lenient
= (akku SENTENCE brennt)
w 6 lower-case 'sentence' read as an operator (strict mode reads it as a word)

> dell AND laptop
lenient
= (dell AND laptop)

# only-negative queries are refused in both modes
> NOT spam
! 1 the query is only negative: it would match almost every post
h add a term it must contain:  dell NOT spam

> NOT spam
lenient
! 1 the query is only negative: it would match almost every post
h add a term it must contain:  dell NOT spam

> -spam
! 1 the query is only negative: it would match almost every post
h add a term it must contain:  dell NOT spam

> NOT spam AND NOT scam
! 1 the query is only negative: it would match almost every post
h add a term it must contain:  dell NOT spam

> dell OR NOT spam
! 1 the query is only negative: it would match almost every post
h add a term it must contain:  dell NOT spam

> (NOT spam)
! 1 the query is only negative: it would match almost every post
h add a term it must contain:  dell NOT spam

> NOT (dell AND laptop)
! 1 the query is only negative: it would match almost every post
h add a term it must contain:  dell NOT spam

> title:(NOT spam)
! 7 title: is only negative
h say what title: must contain, e.g.  title:(dell NOT spam)

> dell AND (laptop OR NOT spam)
= (dell AND (laptop OR NOT spam))
