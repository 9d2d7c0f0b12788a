# terms: folded as posts are (text_tokenise), forms, exact {}, emoji
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

# case and accents fold; ß to ss (section 1)
> MÜNCHEN
= munchen

> münchen OR Munchen
= (munchen OR munchen)

> Straße
= strasse

> STRASSE
= strasse

> Café
= cafe

> heiß AND Akku
= (heiss AND akku)

# apostrophes stay inside a word; typographic ones become '
> don't
= don't

> geht’s
= geht's

> O'Brien
= o'brien

> "it's broken"
= "it's broken"

# inner punctuation: a phrase of the parts
> e-mail
= "e mail"

> dell.com
= "dell com"

> Deutsche-Bahn-Verspätung
= "deutsche bahn verspatung"

> AT&T
= "at t"

> and/or
= "and or"

> COVID-19
= "covid 19"

> "buy an e-mail"
= "buy an e mail"

# numbers
> 3.5 AND 1,000
= (3.5 AND 1,000)

> XPS13
= xps13

# hashtags, mentions, cashtags: only that form; a plain word matches all
> #Dell
= #dell

> @DellCares
= @dellcares

> $DELL
= $dell

> #Müller
= #muller

> @user@mastodon.social
= @user@mastodon.social

> @alice.bsky.social
= @alice.bsky.social

> dell OR #dell OR @dell OR $dell
= (dell OR #dell OR @dell OR $dell)

> #1
! 1 '#1' is not a hashtag
h a hashtag needs a letter, as in  #dell

> $5
! 1 '$5' is not a cashtag
h a cashtag is $ and 1 to 6 letters, as in  $DELL

> @
! 1 '@' has nothing to match
h write words, numbers, hashtags or emoji

# a hashtag with a hyphen: the hashtag and the word after it
> #dell-fans
= "#dell fans"

# exact: case and accents kept
> {XPS}
= {XPS}

> {München}
= {München}

> {Dell XPS}
= {Dell XPS}

> {e-mail}
= {e mail}

> {#Dell}
= {#Dell}

> {}
! 1 empty {}
h write a term inside, or remove them

> { }
! 1 ' ' has nothing to match
h write words, numbers, hashtags or emoji

> {XPS
! 1 exact term { is not closed
h close it with }

> XPS}
! 4 '}' without '{'
h write an exact term as  {XPS}

# emoji and emoticons are terms; punctuation alone is not
> 🔥
= 🔥

> 🔥🔥
= "🔥 🔥"

> 👍🏻 OR 👨‍👩‍👧 OR 🇩🇪
= (👍🏻 OR 👨‍👩‍👧 OR 🇩🇪)

> ❤️
= ❤️

> dell AND 😡
= (dell AND 😡)

> :)
! 1 ':' has nothing to match
h write words, numbers, hashtags or emoji

> !!!
! 1 '!!!' has nothing to match
h write words, numbers, hashtags or emoji

> "!!!"
! 1 '!!!' has nothing to match
h write words, numbers, hashtags or emoji

> ""
! 1 empty phrase
h write a term inside, or remove them

# a URL or e-mail address is one term
> www.dell.com
= www.dell.com

> john.smith@dell.com
= john.smith@dell.com

# other scripts
> 東京
= "東 京"

> ΣΊΣΥΦΟΣ
= σισυφοσ

# the tokenizer's punctuation around a word is dropped
> dell!
= dell

> (dell, hp)
= (dell AND hp)
w 8 implicit AND before 'hp': write AND

# a term whose fold would read differently alone prints as written (U+02BC folds to ')
> Chsst\u{2BC}
= Chsstʼ

# an emoticon prints as written: its fold :d is no emoticon
> ":D" OR "<3"
= (":D" OR "<3")

> dell=D
= "dell =D"
