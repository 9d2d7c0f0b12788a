# wildcards: * zero or more characters, ? exactly one (section 1)
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

> akku*
= akku*

> Akku*
= akku*

> customi?e
= customi?e

> customi*ation
= customi*ation

> overheat* OR überhitz*
= (overheat* OR uberhitz*)

> STRAßE*
= strasse*

> lap?op*
= lap?op*

> ab*
= ab*
w 1 wildcard 'ab*' has a short stem: it matches many words

> ab?*
= ab?*

> a?c
= a?c

# refused: leading wildcard, fewer than 2 characters before *
> *akku
! 1 a wildcard cannot start a word
h a wildcard needs at least 2 characters before it, as in  akku*

> ?akku
! 1 a wildcard cannot start a word
h a wildcard needs at least 2 characters before it, as in  akku*

> a*
! 2 '*' needs at least 2 characters before it
h write at least 2 characters before *, as in  akku*

> ä*
! 3 '*' needs at least 2 characters before it
h write at least 2 characters before *, as in  akku*

> dell AND a*b
! 11 '*' needs at least 2 characters before it
h write at least 2 characters before *, as in  akku*

# refused: a wildcard on a hashtag, mention, cashtag, or over several words
> #akku*
! 1 wildcards work only on plain words, not on hashtags, mentions or cashtags
h write  #akku*  without the wildcard, or a plain word with it

> @dell*
! 1 wildcards work only on plain words, not on hashtags, mentions or cashtags
h write  @dell*  without the wildcard, or a plain word with it

> e-mail*
! 1 'e-mail' in a wildcard term is not one word
h use a wildcard on one word only, as in  akku*  or  customi?e

> dell.c*
! 1 'dell.c' in a wildcard term is not one word
h use a wildcard on one word only, as in  akku*  or  customi?e

# inside quotes * is no wildcard: a warning says so
> "akku* brennt"
= "akku brennt"
w 1 * inside quotes is not a wildcard (the phrase is matched without it)

# wildcards in NEAR operands and OR groups
> (akku* OR batterie*) NEAR/3 brenn*
= ((akku* OR batterie*) NEAR/3 brenn*)

# each literal part, and its fold, must be one word
> ab\u{2BC}c*
= ab'c*

> abc\u{2BC}*
! 1 'abcʼ' in a wildcard term is not one word
h use a wildcard on one word only, as in  akku*  or  customi?e

> akku*\u{200B}
! 6 '​' in a wildcard term is not one word
h use a wildcard on one word only, as in  akku*  or  customi?e


# the characters before * are counted after folding: a stray accent does not count
> l\u{32D}*uind
! 4 '*' needs at least 2 characters before it
h write at least 2 characters before *, as in  akku*

> ab\u{32D}*
= ab*
w 1 wildcard 'ab̭*' has a short stem: it matches many words
