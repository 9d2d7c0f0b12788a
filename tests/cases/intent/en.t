# Intent of English posts: one case a line, fields separated by tabs:
#   lang  sentiment  intent  text
# sentiment is what nlp_sentiment() would have said (negative, neutral,
# positive), or "-" for none (NULL).  text takes the escapes of
# tests/unit/cases.h (\n \t \xHH \u{HHHH}); it is normalised and tokenised
# before nlp_intent() sees it.  Read by tests/unit/test_intent.c; a case's
# name is "intent-case FILE:LINE".  The sentences are written for these
# tests; none is taken from a data set.

# Complaints: a problem cue, or negative sentiment.
en	neutral	complaint	My new laptop stopped working after two days.
en	neutral	complaint	The charger is broken and support keeps me on hold.
en	neutral	complaint	Still waiting for the replacement you promised last week
en	negative	complaint	This is the worst keyboard I have ever typed on
en	neutral	complaint	Order 5521 never arrived and nobody answers my emails.
en	neutral	complaint	The update doesn't work on my machine.
en	neutral	complaint	Three hours delayed and counting. #fail
en	negative	complaint	You people are useless.

# A problem cue that is undone, or outweighed by thanks.
en	neutral	other	No problems with the new dock so far
en	positive	praise	The issue is resolved, thank you so much!
en	positive	praise	Great service, the technician fixed the broken hinge in ten minutes.

# Questions: help-seeking phrases, or a question mark.
en	neutral	question	How do I reset the BIOS password on this model?
en	neutral	question	Can anyone help me find the drivers for the docking station
en	neutral	question	Does the new monitor support USB-C charging?
en	neutral	question	Is the store in Leeds open on Sundays?
en	neutral	question	Any update on the shipping date for my order?
en	neutral	question	Quick question: is the warranty transferable
en	neutral	question	Please advise which adapter I need for my desk.
en	neutral	question	I missed the webinar - can I still get the slides?
en	positive	question	Love the design! Does it also come in white?
en	neutral	question	Thanks in advance for any pointers on the fan settings.

# Praise: positive sentiment, or thanks.
en	positive	praise	The new screen is gorgeous and the battery lasts all day
en	neutral	praise	Thanks to the support team for the quick reply.
en	positive	praise	Kudos to the crew in Austin, best delivery experience ever
en	positive	praise	Thanks for the help!
en	positive	praise	You are great, aren't you?

# Purchase intent: a lead.
en	neutral	purchase	Looking to buy a new laptop for university, any tips?
en	neutral	purchase	Should I get the 14 inch or the 16 inch model?
en	neutral	purchase	Where can I buy the older keyboard in Canada?
en	neutral	purchase	Thinking about getting a second monitor for my desk.
en	neutral	purchase	Is the pro version worth the money?
en	neutral	purchase	We are in the market for forty desktops for our office.
en	neutral	purchase	Can I buy the battery separately?
en	negative	purchase	My old notebook died, looking for a new one this week.
en	neutral	purchase	I want to upgrade soon, which model would you buy?

# A weak buying word needs a question or a wish, and no anger.
en	neutral	other	I buy my cables at the corner shop.
en	negative	complaint	Why would anyone buy this junk?
en	neutral	complaint	After this I will never buy from you again.
en	neutral	other	Not looking to buy, just curious about the specs.
en	neutral	other	No thanks, I have one already.

# Ideas: suggestions for the product.
en	neutral	idea	You should add a backlit keyboard to the budget line.
en	neutral	idea	Please add an option to turn off the startup sound
en	positive	idea	It would be great if the app showed the repair status.
en	neutral	idea	Feature request: a dark mode for the support portal.
en	negative	idea	Please bring back the old charger design, the new one is flimsy.
en	neutral	idea	I wish the laptops came with more ports.

# A conditional wish in an angry post is a complaint.
en	negative	complaint	Would be nice if your chat ever answered.
en	negative	complaint	You guys should be ashamed of this service.

# Nothing of the above.
en	neutral	other	Just unboxed the new tower.
en	neutral	other	The conference starts at nine in hall B.
en	-	other	Heading to the office now
