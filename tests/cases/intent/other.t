# Languages without cues: a question mark makes a question, else the
# sentiment decides (negative: complaint, positive: praise).  A post of
# unknown language ("und", or none given) is read with the English and
# German cues both.  The format is described at the top of en.t.

fr	neutral	question	Le magasin est-il ouvert dimanche ?
fr	negative	complaint	Mon ordinateur ne démarre plus.
fr	positive	praise	Très content de mon nouvel écran.
fr	neutral	other	Je travaille à la maison aujourd'hui.
es	neutral	question	¿Dónde está mi pedido?
es	neutral	other	You should add a dark mode
ja	neutral	question	これは何ですか？
und	neutral	idea	please add a dark mode
und	neutral	complaint	Akku kaputt
-	neutral	purchase	Kaufempfehlung gesucht
en-GB	neutral	complaint	The hinge is broken
de-AT	neutral	complaint	Der Akku ist kaputt
