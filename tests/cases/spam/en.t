# Spam and ham, English: one case a line, two fields separated by a tab:
#   spam|ham  text
# "spam" means nlp_spam() >= NLP_SPAM_THRESHOLD, "ham" below it.  The text
# takes the escapes of tests/unit/cases.h (\n \t \xHH \u{HHHH}); it is
# normalised and tokenised before nlp_spam() sees it.  Read by
# tests/unit/test_spam.c; a case's name is "spam-case FILE:LINE".  Every
# sentence was written for these tests; none is taken from a data set.

# Self-promotion: a command to subscribe, follow or look at the author's things.
spam	Subscribe to my channel for daily gaming videos!
spam	please sub to me, I sub back
spam	Hey guys, check out my new video, it took me weeks to edit
spam	Follow me on instagram for more drawings
spam	Check out our new playlist, the best chill beats of the year
spam	Visit our website for the full collection
spam	follow 4 follow
spam	like for like, anyone?
spam	I just started my channel, would mean the world if you took a look
spam	Check it out and tell me what you think https://example.net/v/123
spam	I make beats, check out my latest one
spam	suscribe to me plzzz

# Links with little text, and link farms.
spam	http://cheap-deals.example.com/?ref=9981
spam	Click here https://example.org/win
spam	great stuff here: bestprices.example.biz
spam	http://a.example.com/1 http://b.example.com/2 http://c.example.com/3 more here

# Money and prize bait.
spam	WIN a FREE gift card now!!! $$$ click the link in my bio
spam	Earn money from home, free bonus for new members https://example.net/join
spam	Get free gift cards just by watching ads, no joke

spam	Win an iPhone today, just click here
ham	Who do you think will win the game tonight?

# Many mentions or hashtags.
spam	look at this @anna_b @chris_k @dana_l @emil_m @fritz_n @greta_o @hans_p @ines_q
spam	#deal #sale #free #win #giveaway #promo #shop #cheap #discount #now

# Honest posts, complaints, questions and praise about products.
ham	My new laptop arrived today and the screen is gorgeous
ham	I like my new phone, the battery lasts two days
ham	The support agent fixed my account in five minutes, thank you
ham	Why does my video card driver crash every time I play?
ham	I checked my order status and it still says processing
ham	Can someone tell me how to reset the router?
ham	Worst delivery ever, the box was crushed and the charger missing
ham	Waited 40 minutes on hold, still no answer from support
ham	I cancelled my subscription after the price went up again
ham	Our printer keeps jamming since the last update
ham	I love this song so much
ham	Love this video, watched it ten times today
ham	This is sooooo good!!!
ham	THIS IS THE BEST DAY EVER
ham	lol
ham	Order 12345678 arrived on 2024-03-07, two days late
ham	The refund of $129.99 came through, finally
ham	See you at the store on Saturday
ham	Just read the review at https://example.com/review/laptop-15 and I agree, the keyboard is mushy
ham	Is the new model worth it? My old one still works fine
ham	@helpdesk my package never arrived, can you help?
ham	Thanks @support and @anna_b for the quick help
ham	@anna_b @chris_k @dana_l @emil_m @fritz_n @greta_o I agree, the update broke the sync for all of us
ham	@airline look what your crew did to my suitcase https://t.co/Ab12Cd34
ham	@airline please follow me so I can send you my booking number
ham	@shop how do we win the raffle? I applied twice
ham	@airline my flight was cancelled and I want my money back, the voucher is useless

# "free" is bait only near a prize, a click or a claim; what a customer
# gets for nothing is none.
ham	Warranty confirmed, they pick the laptop up for free tomorrow and lend me a spare one until the repair is done.
spam	Win a free tablet today, it only takes a minute of your time
spam	Claim your free headphones before they are gone, only a few left

# Links in a post that is otherwise an ordinary sentence, or a list of
# references, without a call to click, a prize or self-promotion, are
# sources: they weigh much less.
ham	so the vendor calls it a service action and not a recall, fine I guess (notice: https://example.com/service/notice) and here is why swollen cells are dangerous: https://wiki.example.org/wiki/Battery_swelling
ham	Welcome to the launch thread for the new headset. Keep questions about shipping and sizing here so the front page stays readable.\n\nHandy links:\n- Specs: https://example.com/headset\n- Manual: https://help.example.com/headset/manual\n- Returns: https://help.example.com/returns\n\nHave fun.
spam	Hey everyone, click here for the cheapest deals of the year and tell your friends about them https://deals.example.com https://more.example.com
spam	Nice song, but check out my channel for better covers than this one every single week https://example.com/a https://example.com/b
