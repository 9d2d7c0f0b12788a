# errors: every rule of section 3 and the syntax around it, with column and hint
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

# ~ must touch its operand and carry a number
> "a b" ~3
! 7 ~ must touch its operand
h write  "a b"~3  without a space before ~

> "a b"~
! 6 ~ needs a number
h write  "a b"~5  (within 5 words)

> "a b"~x
! 6 ~ needs a number
h write  "a b"~5  (within 5 words)

> dell ~3
! 6 ~ must touch its operand
h write  "a b"~3  without a space before ~

> ~3 dell
! 1 ~ must follow a phrase or a bracketed group
h write  "a b"~5  or  (a OR b)~5

> "a b"~101
! 7 ~ distance is above the limit of 100
h use a distance of at most 100

> "a b"~100
= "a b"~100

> (a OR b) ~2
! 10 ~ must touch its operand
h write  "a b"~2  without a space before ~

# NEAR needs a distance of at most 100
> a NEAR b
! 3 NEAR needs a distance
h write  a NEAR/5 b  (at most 5 words between a and b)

> a NEAR/ b
! 3 NEAR needs a distance
h write  a NEAR/5 b  (at most 5 words between a and b)

> a NEAR/x b
! 8 NEAR/ needs a number
h write  a NEAR/5 b

> a NEAR/5g b
! 9 unexpected 'g' after NEAR/5
h write  a NEAR/5 b,  a NEAR/5f b  or  a ONEAR/5 b

> a NEAR/101 b
! 8 NEAR distance is above the limit of 100
h use a distance of at most 100

> a ONEAR/5f b
! 10 unexpected 'f' after ONEAR/5
h write  a NEAR/5 b,  a NEAR/5f b  or  a ONEAR/5 b

> a NEAR/99999999999 b
! 8 NEAR distance is above the limit of 100
h use a distance of at most 100

> NEARBY dell
= (nearby AND dell)
w 8 implicit AND before 'dell': write AND

# operators need operands
> AND dell
! 1 AND needs a term before it
h write a term before AND

> OR dell
! 1 OR needs a term before it
h write a term before OR

> dell AND
! 6 AND needs a term after it
h write a term after AND

> dell OR
! 6 OR needs a term after it
h write a term after OR

> dell AND OR hp
! 10 AND needs a term after it
h write a term after AND

> dell NEAR/3
! 6 NEAR/3 needs a term after it
h write a term after NEAR/3

> NEAR/3 dell
! 1 NEAR/3 needs a term before it
h write a term before NEAR/3

> dell NOT
! 6 NOT needs a term after it
h write what to leave out:  dell NOT spam

> dell AND NOT
! 10 NOT needs a term after it
h write what to leave out:  dell NOT spam

> NOT NOT dell
! 5 double negation
h remove one of the two negations

> dell - -spam
! 6 '-' has nothing to match
h write words, numbers, hashtags or emoji
w 6 implicit AND before '-': write AND

# brackets and quotes
> (dell
! 1 '(' is not closed
h close it with )

> dell)
! 5 ')' without '('
h remove it, or open it with (

> ()
! 1 empty brackets
h put a term inside the brackets, or remove them

> (dell OR ())
! 10 empty brackets
h put a term inside the brackets, or remove them

> "dell
! 1 phrase is not closed
h close it with "

> dell "
! 6 phrase is not closed
h close it with "

> {dell
! 1 exact term { is not closed
h close it with }

> dell}
! 5 '}' without '{'
h write an exact term as  {XPS}

> [1 TO 2]
! 1 '[' outside a range field
h a range goes with a field:  rating:[1 TO 2]

> dell ]
! 6 ']' outside a range field
h a range goes with a field:  rating:[1 TO 2]
w 6 implicit AND before ']': write AND

# comments
> dell <<< not closed
! 6 comment <<< is not closed
h close the comment with >>>

> dell <<< >>
! 6 comment <<< is not closed
h close the comment with >>>

> <<< >>>
! 1 the query is empty
h write a query, as in  dell AND laptop

> \t
! 1 the query is empty
h write a query, as in  dell AND laptop

# a word with nothing to match
> dell AND ...
! 10 '...' has nothing to match
h write words, numbers, hashtags or emoji

> dell AND -
! 10 '-' has nothing to match
h write words, numbers, hashtags or emoji
