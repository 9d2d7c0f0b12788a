# lint warnings: valid queries that are probably not what was meant
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

# implicit AND: each adjacent pair is named
> dell laptop
= (dell AND laptop)
w 6 implicit AND before 'laptop': write AND

> dell laptop overheating
= (dell AND laptop AND overheating)
w 6 implicit AND before 'laptop': write AND
w 13 implicit AND before 'overheating': write AND

> "dell cares" @DellCares
= ("dell cares" AND @dellcares)
w 14 implicit AND before '@DellCares': write AND

> dell (laptop OR notebook)
= (dell AND (laptop OR notebook))
w 6 implicit AND before '(': write AND

# a wildcard with a short stem (fewer than 3 characters before *)
> ab*
= ab*
w 1 wildcard 'ab*' has a short stem: it matches many words

> abc*
= abc*

> ab* OR cd*
= (ab* OR cd*)
w 1 wildcard 'ab*' has a short stem: it matches many words
w 8 wildcard 'cd*' has a short stem: it matches many words

> überhitz* OR üb*
= (uberhitz* OR ub*)
w 15 wildcard 'üb*' has a short stem: it matches many words

# ~n on a single word (or a one-word phrase, or a group of one)
> dell~3
= dell
w 5 ~3 on a single word does nothing

> "dell"~3
= dell
w 1 ~3 on a single word does nothing

> (dell)~3
= dell
w 7 ~3 on a single word does nothing

> {XPS}~2
= {XPS}
w 6 ~2 after {} does nothing; write  "a b"~n

> "e-mail"~2
= "e mail"
w 1 ~2 on a single word does nothing

# several at once, in the order found
> dell ab*~2
= (dell AND ab*)
w 6 implicit AND before 'ab*': write AND
w 6 wildcard 'ab*' has a short stem: it matches many words
w 9 ~2 on a single word does nothing

# none: explicit operators, long stems, ~ on a phrase
> dell AND laptop* AND "a b"~2
= (dell AND laptop* AND "a b"~2)
