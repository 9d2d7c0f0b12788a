# fields of section 4, their aliases and value kinds
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

# sub-query fields: a word, phrase, {exact}, wildcard or bracketed query on that part
> title:dell
= title:dell

> title:"xps 13"
= title:"xps 13"

> title:(dell OR hp)
= title:(dell OR hp)

> title:{XPS}
= title:{XPS}

> title:akku*
= title:akku*

> title:"linux preinstalled"~3
= title:"linux preinstalled"~3

> title:(dell NEAR/3 xps)
= title:(dell NEAR/3 xps)

> text:dell
= text:dell

> content:dell
= text:dell

> message:dell
= text:dell

> author:dellcares
= author:dellcares

> author:"Michael Dell"
= author:"michael dell"

> Title:dell
= title:dell

# keyword fields
> site:dell.com
= site:dell.com

> site:www.Dell.com
= site:dell.com

> site:support.dell.com.
= site:support.dell.com

> site:(dell.com OR hp.com)
= (site:dell.com OR site:hp.com)

> site:dell.com/support
! 1 site: takes a host name
h write a host name, as in  site:dell.com  (url: matches paths)

> url:dell.com/support
= url:dell.com/support

> url:https://www.dell.com/de-de/shop?x=1
= url:"https://www.dell.com/de-de/shop?x=1"

> links:amazon.de
= links:amazon.de

> lang:de
= lang:de

> language:EN
= lang:en

> lang:deu
! 1 lang: takes a two-letter code
h write an ISO 639-1 code, as in  lang:de

> source:twitter
= source:twitter

> sourcetype:mastodon
= source:mastodon

> source:(reddit OR hn OR rss)
= (source:reddit OR source:hn OR source:rss)

> source:bluesky OR source:review OR source:webhook OR source:file
= (source:bluesky OR source:review OR source:webhook OR source:file)

> source:tiktok
! 1 unknown value 'tiktok' for source:
h source: takes one of  twitter mastodon bluesky reddit hn rss review webhook file

> country:DE
= country:de

> country:deu
! 1 country: takes a two-letter code
h write an ISO 3166 code, as in  country:de

> product:"Inspiron 15"
= product:"inspiron 15"

> itemReview:"XPS 13 Plus"
= product:"xps 13 plus"

> product:XPS
= product:xps

> is:retweet OR is:reply OR is:review OR is:question
= (is:retweet OR is:reply OR is:review OR is:question)

> is:quote
! 1 unknown value 'quote' for is:
h is: takes one of  retweet reply review question

> sentiment:negative OR sentiment:neutral OR sentiment:positive
= (sentiment:negative OR sentiment:neutral OR sentiment:positive)

> sentiment:angry
! 1 unknown value 'angry' for sentiment:
h sentiment: takes one of  negative neutral positive

> intent:complaint OR intent:question OR intent:praise OR intent:purchase OR intent:idea
= (intent:complaint OR intent:question OR intent:praise OR intent:purchase OR intent:idea)

> intent:rant
! 1 unknown value 'rant' for intent:
h intent: takes one of  complaint question praise purchase idea other

> topic:battery-de
= topic:battery-de

> topic:"competitor: Lenovo"
= topic:"competitor: Lenovo"

# form fields: hashtag: and mention: are terms of that form
> hashtag:dell
= #dell

> hashtag:#Dell
= #dell

> mention:DellCares
= @dellcares

> mention:@DellCares
= @dellcares

> hashtag:(dell OR xps)
= (#dell OR #xps)

> hashtag:1
! 1 '1' is not a hashtag
h write  hashtag:dell  (letters, digits, _)

> mention:"two words"
! 1 'two words' is not a mention
h write  mention:DellCares

# ranges
> authorFollowers:[10000 TO 100000000]
= authorFollowers:[10000 TO 100000000]

> authorfollowers:[0 TO 0]
= authorFollowers:[0 TO 0]

> rating:[1 TO 2]
= rating:[1 TO 2]

> rating:[2 TO 1]
! 1 rating: range runs backwards
h write the smaller number first:  rating:[1 TO 2]

> rating:[1 TO]
! 13 rating: range needs a whole number here
h write  rating:[1 TO 2]  (whole numbers, both ends included)

> rating:[1 2]
! 11 rating: range needs TO between its ends
h write  rating:[1 TO 2]

> rating:[1 TO 2
! 15 rating: range is not closed with ]
h write  rating:[1 TO 2]

> rating:[1.5 TO 2]
! 9 rating: range needs a whole number here
h write  rating:[1 TO 2]  (whole numbers, both ends included)

> rating:[-1 TO 2]
! 9 rating: range needs a whole number here
h write  rating:[1 TO 2]  (whole numbers, both ends included)

> rating:[1 TO 1000000000000000]
! 14 rating: range bound is too large
h write a number of at most 15 digits

> rating:3
! 8 rating: takes a range [a TO b]
h write  rating:[1 TO 2]

> authorFollowers:[1 to 2]
! 20 authorFollowers: range needs TO between its ends
h write  authorFollowers:[1 TO 2]

> authorFollowers:[1 to 2]
lenient
= authorFollowers:[1 TO 2]

> site:[1 TO 2]
! 6 site: needs a value
h write  site:value  or  site:(a OR b)

# the value must touch the colon; fields do not nest; unknown fields are refused
> title: dell
! 7 title: needs a value right after the colon
h write the value right after the colon:  title:value

> site:
! 6 site: needs a value right after the colon
h write the value right after the colon:  site:value

> title:site:dell.com
! 7 fields cannot be nested
h write the fields side by side:  title:dell AND lang:de

> title:(dell AND lang:de)
! 17 fields cannot be nested
h write the fields side by side:  title:dell AND lang:de

> foo:bar
! 1 unknown field 'foo:'
h fields are title text author site url links lang source country authorFollowers rating product is hashtag mention sentiment intent topic; quote a word with a colon: "foo:"

> foo:bar
lenient
= "foo bar"
w 1 unknown field 'foo:' read as words (strict mode refuses it)

> https://dell.com
= "https://dell.com"

> site:(dell.com AND hp.com)
! 16 only OR may join the values of site:
h join the values of site: with OR:  site:(a OR b)

> site:(dell.com OR
! 18 site: needs a value
h write  site:value  or  site:(a OR b)

> site:"dell com"
! 1 site: takes a value without spaces
h write one value, or several joined by OR:  site:(a OR b)

> site:""
! 1 site: has an empty value
h write a value right after the colon, as in  site:x

# fields beside other terms
> dell AND NOT site:dell.com AND lang:de
= (dell AND NOT site:dell.com AND lang:de)

> (dell OR hp) AND source:twitter AND sentiment:negative
= ((dell OR hp) AND source:twitter AND sentiment:negative)

> product:\u{7EC}
! 1 product: has nothing to match
h write a value with letters or digits, as in  product:x

# product names are cut and folded as text is, words joined by one space
> product:"\u{3000}XPS-13  Plus\u{3000}"
= product:"xps 13 plus"

> product:"XPS\u{A0}"
= product:xps

> product:"!!"
! 1 product: has nothing to match
h write a value with letters or digits, as in  product:x

> product:"XPS :D"
= product:"xps :D"

> product:S?&E\u{2BC}
= product:"s e"
