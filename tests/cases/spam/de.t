# Spam und Ham, Deutsch: Format wie in en.t (spam|ham, Tab, Text).  Alle
# Sätze sind für diese Tests geschrieben.

# Eigenwerbung.
spam	Abonniert meinen Kanal, jeden Tag neue Videos!
spam	Bitte folgt mir auf Instagram
spam	Schaut mal auf meinem Kanal vorbei, neue Folge ist online
spam	Leute, besucht unsere Seite https://example.de/angebot
spam	aboniert mich bitte

# Köder: Geld und Gewinne.
spam	Jetzt kostenlos Geld verdienen! Gratis Gutschein für alle: https://example.de/x
spam	Gewinnspiel: gewinne einen Gutschein, einfach hier klicken example.de/gewinn

# Stellenanzeigen.
spam	Wir suchen Verkäufer (m/w/d) in Vollzeit, jetzt bewerben!
spam	Kassierer (w/m/d) gesucht, Bewerbung an jobs@example.de

# Echte Beiträge.
ham	Mein neuer Laptop ist heute angekommen, der Bildschirm ist super
ham	Der Kundendienst hat mir sehr schnell geholfen, danke!
ham	Seit drei Wochen warte ich auf meine Lieferung
ham	Ich habe mein Abo gekündigt, viel zu teuer geworden
ham	Wie kann ich meinen Account zurücksetzen?
ham	Der Akku hält nur noch zwei Stunden, schade
ham	Ich suche einen neuen Monitor, hat jemand eine Empfehlung?
ham	Termin am 07.11.2024 um 14:30, hoffentlich klappt es diesmal
ham	Der Preis ist von 1.299 auf 999 Euro gefallen

# "kostenlos" und "gratis" sind Köder nur neben einem Gewinn, einem Klick
# oder einem Anspruch; was ein Kunde umsonst bekommt, ist keiner.
ham	Garantiefall bestätigt. Immerhin holen sie das Tablet kostenlos bei mir ab und schicken mir bis dahin ein Ersatzgerät, das ist fair.
ham	Der Akkutausch war gratis, nur auf den Termin im Laden musste ich zwei Wochen warten, und das nervt schon ein bisschen.
spam	Gewinne jetzt ein gratis Smartphone, einfach hier klicken und mitmachen
spam	Kostenlos klicken und ein neues Tablet gewinnen: https://example.de/gewinn

# Links in einem gewöhnlichen Satz ohne Aufruf, Köder oder Eigenwerbung
# sind Quellen.
ham	Laut Hersteller ist das kein Rückruf, sondern eine Prüfaktion für die Akkus (Details: https://example.de/pruefung), und warum Akkus sich aufblähen, steht hier: https://wiki.example.org/Akku
