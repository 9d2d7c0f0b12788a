# Which intent wins when a post has several (docs/internals/nlp-intent.md):
# purchase, idea, complaint, question, praise, other.  The format is
# described at the top of en.t.

# A question about one's own trouble is a complaint.
en	negative	complaint	Why is my order delayed again??
en	neutral	complaint	My screen is broken, what a waste of money?!
de	negative	complaint	Warum ist mein Paket schon wieder verspätet??
# Asking why, in a post that is not positive, is asking for a reason to be
# upset: a complaint, with or without a problem word.
en	neutral	complaint	Why does the small model still ship without a card reader?
de	neutral	complaint	Wieso kann man die Rechnung nicht online abrufen?
en	positive	question	Love it! Why is the blue one cheaper, by the way?
# ... but a neutral question that names a problem stays a question.
en	neutral	question	Is my flight to Boston delayed?
de	neutral	question	Ist der Zug nach Hamburg verspätet?

# A lead beats a problem: the author is still buying.
en	negative	purchase	My old tower broke, should I buy the new one or repair it?
de	negative	purchase	Mein alter Laptop ist kaputt, brauche einen neuen.
# ... but a refund is not a purchase.
en	neutral	complaint	Should I get a refund for the dead pixel?

# An idea beats a complaint when it is a plain suggestion.
en	negative	idea	Please add a bigger battery, mine dies by noon.
de	negative	idea	Bitte einen größeren Akku einbauen, meiner ist mittags leer.

# An idea beats a question.
en	neutral	idea	Why not add a numeric keypad to the small model?
de	neutral	idea	Wäre es möglich, die Tastatur beleuchtet anzubieten?

# A question beats praise when it asks something.
en	positive	question	Great laptop! Where do I find the warranty number?
de	positive	question	Toller Laptop! Wo finde ich die Seriennummer?

# Praise with a problem in the past: thanks win.
en	positive	praise	Thanks for fixing my broken screen so fast.
de	positive	praise	Danke, das Problem ist behoben!
