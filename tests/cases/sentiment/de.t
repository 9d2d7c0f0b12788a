# Sentiment of German posts by horch's rules (the format is described at
# the top of en.t).  The sentences are written for these tests; none is
# taken from a data set.

# Lexikonwörter.
de	positive	0.45..1	Der neue Laptop ist toll.
de	negative	-1..-0.3	Der neue Laptop ist schrecklich.
de	neutral	-0.3..0.45	Der Laptop wird am Montag geliefert.

# Verneinung: "nicht", "kein", "nie", "nichts", auch nach dem Verb.
de	negative	-1..-0.3	Der Service ist nicht gut.
de	negative	-1..-0.3	Das war kein guter Kauf.
de	negative	-1..-0.3	Nie wieder diese Airline.
de	negative	-1..-0.3	Das gefällt mir nicht.
de	negative	-1..-0.3	Der Drucker funktioniert nicht.
de	negative	-1..-0.3	Es klappt einfach nicht.
# "nicht schlecht" leans positive, not enough for the label.
de	neutral	0.1..0.45	Nicht schlecht, der neue Router.
de	neutral	-0.3..0.45	Nichts Neues von der Hotline.
# Die Verneinung endet am Satzzeichen.
de	positive	0.45..1	Nicht am Montag geliefert, aber der Service war super.

# Kundendienst: Warteschleife, Verspätung, Ausfall, Erstattung, kaputt.
de	negative	-1..-0.3	Seit einer Stunde in der Warteschleife.
de	negative	-1..-0.3	Wieder eine Verspätung in Köln.
de	negative	-1..-0.3	Mein Zug ist ausgefallen.
de	negative	-1..-0.3	Das Display ist kaputt.
de	negative	-1..-0.3	Immer noch keine Antwort auf meine Mail.

# Verstärker und Abschwächer.
de	positive	0.45..1	Der Service war sehr gut.
de	positive	0.45..1	Der Service war extrem freundlich.
de	neutral	0.1..0.45	Der Service war ein bisschen besser.
de	positive	0.45..1	Der Service war viel besser.

# Gegensatz: "aber", "jedoch", "allerdings" - der Teil danach zählt mehr.
de	negative	-1..-0.3	Das Design ist schön, aber der Akku ist schlecht.
de	positive	0.45..1	Der Akku ist schlecht, aber der Kundendienst war großartig.
de	negative	-1..-0.3	Das Design ist schön. Allerdings ist es nach einer Woche kaputt.

# Großbuchstaben und Ausrufezeichen.
de	negative	-1..-0.3	Die Lieferung war SCHRECKLICH.
de	negative	-1..-0.3	Die Lieferung war schrecklich!!!

# Emoticons und Emoji.
de	positive	0.45..1	Paket ist heute angekommen :)
de	negative	-1..-0.3	Paket ist heute angekommen :-(
de	negative	-1..-0.3	Paket ist heute angekommen \u{1F621}

# Dehnung: "suuuper" ist "super".
de	positive	0.45..1	Das ist suuuper

# Komposita: ein unbekanntes Wort, dessen Ende ein Lexikonwort ist.
de	negative	-1..-0.3	Heute wieder eine Zugverspätung.
de	negative	-1..-0.3	Was für ein Mistwetter.
de	positive	0.45..1	Danke für den Superservice!
# "vielleicht" ist nicht "leicht", "Wirtschaft" nicht "Haft".
de	neutral	-0.3..0.45	Vielleicht kommt der Techniker morgen.
de	neutral	-0.3..0.45	Die Wirtschaft wächst.

# "Wochenende" ist nicht "Ende"; Lachen zählt wie ein Emoticon.
de	neutral	-0.3..0.45	Endlich Wochenende.
de	positive	0.45..1	Endlich Wochenende hahaha
de	positive	0.45..1	Schönes Wochenende #happyfriday
# Ein verstärkendes Präfix vor einem Adjektiv.
de	positive	0.45..1	Der neue Bildschirm ist wunderhübsch.

# Groß- und Kleinschreibung: "Sucht" (Nomen) ist nicht "sucht" (Verb).
de	neutral	-0.3..0.45	Die Firma sucht einen Techniker.
de	negative	-1..-0.3	Die Sucht ist ein Problem.
# Eine Anrede ist kein Lob.
de	neutral	-0.3..0.45	Liebe Bahn, wann fährt der nächste Zug nach Bonn?

# Dank.
de	positive	0.45..1	Vielen Dank für die schnelle Hilfe!
de	negative	-1..-0.3	Danke für nichts.
