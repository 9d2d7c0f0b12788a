# Intent of German posts: one case a line, fields separated by tabs:
#   lang  sentiment  intent  text
# (the format is described at the top of en.t).  The sentences are
# written for these tests; none is taken from a data set.

# Beschwerden: ein Problem, oder negative Stimmung.
de	neutral	complaint	Mein neuer Laptop funktioniert nicht mehr.
de	neutral	complaint	Der Akku ist nach einer Woche kaputt
de	neutral	complaint	Schon wieder 40 Minuten Verspätung in Köln.
de	neutral	complaint	Seit einer Stunde in der Warteschleife, keine Antwort.
de	neutral	complaint	Die Lieferung ist immer noch nicht angekommen.
de	negative	complaint	Was für ein schlechter Service.
de	neutral	complaint	Der Rechner stürzt ab, sobald ich das Dock anschließe.

# Ein Problem, das keins ist.
de	neutral	other	Bisher keine Probleme mit dem neuen Monitor
de	positive	praise	Die Reparatur lief problemlos, vielen Dank!

# Fragen: Hilfe suchen, oder ein Fragezeichen.
de	neutral	question	Wie kann ich das BIOS zurücksetzen?
de	neutral	question	Weiß jemand, ob das Netzteil auch für das ältere Modell passt
de	neutral	question	Gibt es den Monitor auch mit USB-C?
de	neutral	question	Kann mir jemand sagen, wo ich die Treiber finde?
de	neutral	question	Hat der Laden in Bremen samstags offen?
de	neutral	question	Danke im Voraus für jeden Tipp zur Lüftersteuerung.

# Lob: positive Stimmung, oder Dank.
de	positive	praise	Der neue Bildschirm ist wunderschön und der Akku hält ewig
de	neutral	praise	Danke an das Team für die schnelle Antwort.
de	positive	praise	Super Support, weiter so!
de	positive	praise	Danke für die Hilfe!

# Kaufabsicht.
de	neutral	purchase	Brauche eine Kaufempfehlung für einen leichten Laptop.
de	neutral	purchase	Soll ich mir das 14-Zoll-Modell oder das 16-Zoll-Modell kaufen?
de	neutral	purchase	Wo kann ich das alte Dock noch kaufen?
de	neutral	purchase	Ich will mir nächsten Monat einen neuen Rechner kaufen.
de	neutral	purchase	Lohnt sich die Pro-Version?
de	neutral	purchase	Ich suche einen neuen Monitor fürs Büro.
de	neutral	purchase	Was kostet der Akku als Ersatzteil?

# Ein schwaches Kaufwort braucht eine Frage oder einen Wunsch, und keinen Ärger.
de	neutral	other	Ich kaufe meine Kabel beim Händler um die Ecke.
de	negative	complaint	Bei euch werde ich nie wieder kaufen.
de	neutral	complaint	So etwas kaufe ich nie wieder.
de	neutral	other	Nein danke, ich habe schon eins.

# Ideen: Vorschläge für das Produkt.
de	neutral	idea	Wäre schön, wenn die App den Reparaturstatus anzeigt.
de	neutral	idea	wäre toll wenn es das Gerät auch in Grün gäbe
de	neutral	idea	Bitte einen Dunkelmodus ins Kundenportal einbauen!
de	neutral	idea	Könntet ihr eine Tastatur mit Ziffernblock hinzufügen?
de	neutral	idea	Vorschlag: ein Akku, den man selbst tauschen kann.
de	neutral	idea	Ihr solltet die alten Netzteile wieder anbieten.
de	negative	idea	Bitte das alte Ladegerät wieder einführen, das neue ist Mist.

# Ein Wunsch im Ärger ist eine Beschwerde.
de	negative	complaint	Wäre schön, wenn der Zug einmal pünktlich käme.

# Nichts davon.
de	neutral	other	Gerade den neuen Rechner ausgepackt.
de	neutral	other	Die Konferenz beginnt um neun in Halle B.
