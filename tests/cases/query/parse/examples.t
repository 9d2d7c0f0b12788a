# every example of the spec (docs/query-language.md section 5), strict mode
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

# Each one of section 5 parses in strict mode, without warnings.
> (dell OR {XPS} OR inspiron) AND ((hot OR overheat*) NEAR/5 (touchpad OR keyboard)) AND NOT site:dell.com
= ((dell OR {XPS} OR inspiron) AND ((hot OR overheat*) NEAR/5 (touchpad OR keyboard)) AND NOT site:dell.com)

> ("dell cares" OR @DellCares) AND is:reply AND authorFollowers:[10000 TO 100000000]
= (("dell cares" OR @dellcares) AND is:reply AND authorFollowers:[10000 TO 100000000])

> title:"xps 13" AND lang:de
= (title:"xps 13" AND lang:de)

> product:"Inspiron 15" AND rating:[1 TO 2]
= (product:"inspiron 15" AND rating:[1 TO 2])

> "linux preinstalled"~3 OR (ubuntu NEAR/4f dell)
= ("linux preinstalled"~3 OR (ubuntu NEAR/4f dell))

> (akku* OR batterie*) AND (brennt OR heiß OR explodiert) AND lang:de   <<< battery incidents, German >>>
= ((akku* OR batterie*) AND (brennt OR heiss OR explodiert) AND lang:de)

# The same in lenient mode give the same trees.
> (dell OR {XPS} OR inspiron) AND ((hot OR overheat*) NEAR/5 (touchpad OR keyboard)) AND NOT site:dell.com
lenient
= ((dell OR {XPS} OR inspiron) AND ((hot OR overheat*) NEAR/5 (touchpad OR keyboard)) AND NOT site:dell.com)

> "linux preinstalled"~3 OR (ubuntu NEAR/4f dell)
lenient
= ("linux preinstalled"~3 OR (ubuntu NEAR/4f dell))

# The error example of section 3.
> dell AND laptop OR notebook
! 10 AND and OR are mixed without brackets
h write  dell AND (laptop OR notebook)

> dell AND (laptop OR notebook)
= (dell AND (laptop OR notebook))
