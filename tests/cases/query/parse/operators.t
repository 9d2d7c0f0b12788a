# every operator of section 2
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

# AND, explicit and implicit (the implicit one is warned)
> dell AND laptop
= (dell AND laptop)

> dell AND laptop AND notebook
= (dell AND laptop AND notebook)

> dell laptop
= (dell AND laptop)
w 6 implicit AND before 'laptop': write AND

# OR
> dell OR hp OR lenovo
= (dell OR hp OR lenovo)

# NOT, AND NOT, -word: all three are "a and not b"
> dell NOT spam
= (dell AND NOT spam)

> dell AND NOT spam
= (dell AND NOT spam)

> dell -spam
= (dell AND NOT spam)

> dell -"free gift" -(spam OR scam)
= (dell AND NOT "free gift" AND NOT (spam OR scam))

> NOT spam AND dell
= (NOT spam AND dell)

# a lone '-' before a space is no operator: it is punctuation with nothing to match
> dell - spam
! 6 '-' has nothing to match
h write words, numbers, hashtags or emoji
w 6 implicit AND before '-': write AND

# phrases
> "dell cares"
= "dell cares"

> "Dell XPS 13 Plus"
= "dell xps 13 plus"

> "dell"
= dell

# proximity: "a b"~n and the Brandwatch (a OR b)~n
> "linux preinstalled"~3
= "linux preinstalled"~3

> "dell laptop overheating"~10
= "dell laptop overheating"~10

> (dell OR laptop)~5
= "dell laptop"~5

> ((dell OR hp) (laptop OR notebook))~5
= ((dell OR hp) AND (laptop OR notebook))~5
w 15 implicit AND before '(': write AND

> ("e-mail" OR support)~4
= ("e mail" AND support)~4

> "e-mail support"~4
= ("e mail" AND support)~4

> "linux preinstalled"~0
= "linux preinstalled"~0

# NEAR/n, NEAR/nf, ONEAR/n
> dell NEAR/5 laptop
= (dell NEAR/5 laptop)

> dell NEAR/5f laptop
= (dell NEAR/5f laptop)

> dell ONEAR/5 laptop
= (dell NEAR/5f laptop)

> dell NEAR/0 laptop
= (dell NEAR/0 laptop)

> dell NEAR/100 laptop
= (dell NEAR/100 laptop)

> (hot OR overheat*) NEAR/5 (touchpad OR keyboard)
= ((hot OR overheat*) NEAR/5 (touchpad OR keyboard))

> "dell cares" NEAR/3 @DellCares
= ("dell cares" NEAR/3 @dellcares)

> (dell NEAR/2 xps) NEAR/5 (hot OR heiß)
= ((dell NEAR/2 xps) NEAR/5 (hot OR heiss))

> "linux preinstalled"~3 NEAR/5 dell
= ("linux preinstalled"~3 NEAR/5 dell)

# SENTENCE (Talkwalker)
> akku SENTENCE brennt
= (akku SENTENCE brennt)

> (akku OR batterie) SENTENCE "zu heiß"
= ((akku OR batterie) SENTENCE "zu heiss")

# brackets
> ((dell))
= dell

> (dell AND (laptop OR (notebook AND NOT tablet)))
= (dell AND (laptop OR (notebook AND NOT tablet)))

# comments are left out wherever they stand
> dell <<< the brand >>> AND <<< and >>> laptop
= (dell AND laptop)

> <<< only a comment at first >>> dell
= dell

> dell<<<no space>>>AND laptop
= (dell AND laptop)

> <<< nested <<< is text >>> dell
= dell

> dell <<< a > and >> inside >>>
= dell
