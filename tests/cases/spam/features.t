# One feature at a time: what alone stays below the threshold and what in
# company crosses it.  Format as in en.t.  Written for these tests.

# A phone number or an e-mail address alone is no spam; both together, or
# with bait, are.
ham	For questions call our team at +49 30 1234567
ham	Write to service@example.com if the parcel is damaged
spam	Cheap loans, call +44 20 7946 0958 or mail offers@example.net
spam	Earn cash fast! WhatsApp 0176 12345678

# Adult words: one alone is not enough, a few with a link are.
ham	That dress is sexy
spam	hot singles and free nude cams https://example.xxx/c

# Job ads.
spam	We're hiring! Apply now: support engineers, remote
spam	Software developer (m/w/d) wanted
ham	I applied for the job yesterday, wish me luck

# Shouting and repetition: weak signs, not enough alone.
ham	WHY IS THE SERVICE SO SLOW TODAY
ham	no no no no no no no
spam	subscribe subscribe subscribe subscribe subscribe subscribe
