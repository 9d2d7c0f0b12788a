// i18n.js - the dashboard's English and German text.
//
// The language is the one remembered in localStorage ("horch.lang"), else
// the browser's (German for any "de-*", English otherwise).  Static text in
// the HTML carries data-i18n="key" (textContent), data-i18n-title,
// data-i18n-placeholder or data-i18n-aria-label; translate() fills them.
// t(key, params) gives one string with {name} placeholders replaced.

const STRINGS = {
	en: {
		'app': 'horch',
		'nav.wall': 'Wall',
		'nav.radio': 'Radio',
		'nav.topics': 'Topics',
		'nav.search': 'Search',
		'nav.logout': 'Sign out',
		'nav.lang': 'Deutsch',
		'nav.keys': 'Keys',
		'conn.live': 'live',
		'conn.connecting': 'connecting…',
		'conn.reconnecting': 'reconnecting…',
		'stale': 'stale',
		'stale.title': 'Could not refresh: {error}. Retrying.',
		'loading': 'loading…',
		'error': 'Error: {message}',
		'none': 'nothing yet',
		'keys.title': 'Keyboard',
		'keys.close': 'Close',
		'keys.slash': 'go to search / focus the search box',
		'keys.help': 'show these keys',
		'keys.escape': 'close a dialog',
		'keys.lang': 'switch language (English/German)',
		'keys.jk': 'next / previous post',
		'keys.o': 'open the selected post',
		'keys.next': 'next / previous screen',
		'keys.pause': 'pause / resume rotation',
		'keys.g': 'go to: w wall, r radio, t topics, s search',
		'login.title': 'Sign in',
		'login.name': 'Name',
		'login.password': 'Password',
		'login.submit': 'Sign in',
		'login.token': 'or an API token',
		'login.token.submit': 'Sign in with token',
		'login.failed': 'Wrong name or password.',
		'login.token.failed': 'That token is not valid.',
		'login.limited': 'Too many failed attempts. Try again in {seconds} s.',
		'login.change.title': 'Choose a new password',
		'login.change.help': 'This was a one-time password. Choose your own: at least 10 characters.',
		'login.old': 'Current password',
		'login.new': 'New password',
		'login.repeat': 'New password again',
		'login.change.submit': 'Change password',
		'login.mismatch': 'The two new passwords differ.',
		'wall.title': 'Listening wall',
		'wall.river': 'Live',
		'wall.volume': 'Volume per topic',
		'wall.net': 'Net sentiment',
		'wall.sov': 'Share of voice',
		'wall.sources': 'Where it happens',
		'wall.authors': 'Top authors by reach',
		'wall.terms': 'Trending terms',
		'wall.alerts': 'Alerts',
		'wall.noalerts': 'no alerts',
		'wall.topics': 'Topics',
		'wall.rate': '{rate} posts/s',
		'wall.clients': '{n} screens',
		'wall.posts': '{n} posts',
		'wall.posts.one': '{n} post',
		'wall.clients.one': '{n} screen',
		'wall.followers': '{n} followers',
		'wall.paused': 'rotation paused',
		'wall.window': 'last 24 h',
		'wall.screen.river': 'river',
		'wall.screen.topics': 'topics',
		'post.open': 'open',
		'post.priority': 'priority {p}',
		'post.dup': 'repeats #{id}',
		'sent.positive': 'positive',
		'sent.neutral': 'neutral',
		'sent.negative': 'negative',
		'intent.complaint': 'complaint',
		'intent.question': 'question',
		'intent.praise': 'praise',
		'intent.purchase': 'purchase',
		'intent.idea': 'idea',
		'intent.other': 'other',
		'radio.title': 'My radio',
		'radio.subs': 'My topics',
		'radio.subs.help': 'Tick a topic to hear it.',
		'radio.feed': 'My feed',
		'radio.empty': 'Subscribe to a topic to hear it here.',
		'radio.quiet': 'Nothing heard yet on your topics.',
		'radio.subfailed': 'Could not change the subscription: {message}',
		'topics.title': 'Topics',
		'topics.new': 'New topic',
		'topics.name': 'Name',
		'topics.query': 'Query',
		'topics.team': 'Team',
		'topics.color': 'Colour',
		'topics.matches': 'Matches',
		'topics.updated': 'Updated',
		'topics.save': 'Save',
		'topics.delete': 'Delete',
		'topics.cancel': 'Cancel',
		'topics.backtest': 'Backtest',
		'topics.since': 'over the last',
		'topics.confirm.delete': 'Delete the topic "{name}"?',
		'topics.saved': 'Saved.',
		'topics.deleted': 'Deleted.',
		'topics.lint.ok': 'The query is valid.',
		'topics.lint.at': 'line {line}, column {column}',
		'topics.lint.error': 'error',
		'topics.lint.warning': 'warning',
		'topics.backtest.result': '{matched} of {scanned} posts matched',
		'topics.backtest.sample': 'Sample of matching posts',
		'topics.edit': 'Edit topic "{name}"',
		'topics.none': 'No topics yet.',
		'search.title': 'Search',
		'search.q': 'Words',
		'search.topic': 'Topic',
		'search.any': 'any',
		'search.since': 'Since',
		'search.until': 'Until',
		'search.lang': 'Language',
		'search.source': 'Source',
		'search.sentiment': 'Sentiment',
		'search.intent': 'Intent',
		'search.spam': 'Spam',
		'search.spam.hide': 'hide',
		'search.spam.show': 'show',
		'search.spam.only': 'only',
		'search.submit': 'Search',
		'search.more': 'More results',
		'search.count': '{n} results shown',
		'search.none': 'No posts found.',
	},
	de: {
		'app': 'horch',
		'nav.wall': 'Wand',
		'nav.radio': 'Radio',
		'nav.topics': 'Themen',
		'nav.search': 'Suche',
		'nav.logout': 'Abmelden',
		'nav.lang': 'English',
		'nav.keys': 'Tasten',
		'conn.live': 'live',
		'conn.connecting': 'verbinde…',
		'conn.reconnecting': 'verbinde neu…',
		'stale': 'veraltet',
		'stale.title': 'Aktualisieren fehlgeschlagen: {error}. Neuer Versuch folgt.',
		'loading': 'lädt…',
		'error': 'Fehler: {message}',
		'none': 'noch nichts',
		'keys.title': 'Tastatur',
		'keys.close': 'Schließen',
		'keys.slash': 'zur Suche / Suchfeld fokussieren',
		'keys.help': 'diese Tasten zeigen',
		'keys.escape': 'Dialog schließen',
		'keys.lang': 'Sprache wechseln (Deutsch/Englisch)',
		'keys.jk': 'nächster / vorheriger Beitrag',
		'keys.o': 'gewählten Beitrag öffnen',
		'keys.next': 'nächster / vorheriger Bildschirm',
		'keys.pause': 'Wechsel anhalten / fortsetzen',
		'keys.g': 'gehe zu: w Wand, r Radio, t Themen, s Suche',
		'login.title': 'Anmelden',
		'login.name': 'Name',
		'login.password': 'Passwort',
		'login.submit': 'Anmelden',
		'login.token': 'oder ein API-Token',
		'login.token.submit': 'Mit Token anmelden',
		'login.failed': 'Name oder Passwort falsch.',
		'login.token.failed': 'Dieses Token ist nicht gültig.',
		'login.limited': 'Zu viele Fehlversuche. Erneut versuchen in {seconds} s.',
		'login.change.title': 'Neues Passwort wählen',
		'login.change.help': 'Das war ein Einmal-Passwort. Wählen Sie Ihr eigenes: mindestens 10 Zeichen.',
		'login.old': 'Bisheriges Passwort',
		'login.new': 'Neues Passwort',
		'login.repeat': 'Neues Passwort wiederholen',
		'login.change.submit': 'Passwort ändern',
		'login.mismatch': 'Die beiden neuen Passwörter unterscheiden sich.',
		'wall.title': 'Lauschwand',
		'wall.river': 'Live',
		'wall.volume': 'Volumen je Thema',
		'wall.net': 'Netto-Stimmung',
		'wall.sov': 'Share of Voice',
		'wall.sources': 'Wo gesprochen wird',
		'wall.authors': 'Autoren mit der größten Reichweite',
		'wall.terms': 'Aufsteigende Begriffe',
		'wall.alerts': 'Alarme',
		'wall.noalerts': 'keine Alarme',
		'wall.topics': 'Themen',
		'wall.rate': '{rate} Beiträge/s',
		'wall.clients': '{n} Bildschirme',
		'wall.posts': '{n} Beiträge',
		'wall.posts.one': '{n} Beitrag',
		'wall.clients.one': '{n} Bildschirm',
		'wall.followers': '{n} Follower',
		'wall.paused': 'Wechsel angehalten',
		'wall.window': 'letzte 24 h',
		'wall.screen.river': 'Strom',
		'wall.screen.topics': 'Themen',
		'post.open': 'öffnen',
		'post.priority': 'Priorität {p}',
		'post.dup': 'wiederholt #{id}',
		'sent.positive': 'positiv',
		'sent.neutral': 'neutral',
		'sent.negative': 'negativ',
		'intent.complaint': 'Beschwerde',
		'intent.question': 'Frage',
		'intent.praise': 'Lob',
		'intent.purchase': 'Kauf',
		'intent.idea': 'Idee',
		'intent.other': 'sonstiges',
		'radio.title': 'Mein Radio',
		'radio.subs': 'Meine Themen',
		'radio.subs.help': 'Ein Thema ankreuzen, um es zu hören.',
		'radio.feed': 'Mein Strom',
		'radio.empty': 'Abonnieren Sie ein Thema, um es hier zu hören.',
		'radio.quiet': 'Zu Ihren Themen noch nichts gehört.',
		'radio.subfailed': 'Abonnement nicht geändert: {message}',
		'topics.title': 'Themen',
		'topics.new': 'Neues Thema',
		'topics.name': 'Name',
		'topics.query': 'Abfrage',
		'topics.team': 'Team',
		'topics.color': 'Farbe',
		'topics.matches': 'Treffer',
		'topics.updated': 'Geändert',
		'topics.save': 'Speichern',
		'topics.delete': 'Löschen',
		'topics.cancel': 'Abbrechen',
		'topics.backtest': 'Rückblick testen',
		'topics.since': 'über die letzten',
		'topics.confirm.delete': 'Das Thema „{name}“ löschen?',
		'topics.saved': 'Gespeichert.',
		'topics.deleted': 'Gelöscht.',
		'topics.lint.ok': 'Die Abfrage ist gültig.',
		'topics.lint.at': 'Zeile {line}, Spalte {column}',
		'topics.lint.error': 'Fehler',
		'topics.lint.warning': 'Warnung',
		'topics.backtest.result': '{matched} von {scanned} Beiträgen passen',
		'topics.backtest.sample': 'Stichprobe passender Beiträge',
		'topics.edit': 'Thema „{name}“ bearbeiten',
		'topics.none': 'Noch keine Themen.',
		'search.title': 'Suche',
		'search.q': 'Wörter',
		'search.topic': 'Thema',
		'search.any': 'alle',
		'search.since': 'Seit',
		'search.until': 'Bis',
		'search.lang': 'Sprache',
		'search.source': 'Quelle',
		'search.sentiment': 'Stimmung',
		'search.intent': 'Absicht',
		'search.spam': 'Spam',
		'search.spam.hide': 'ausblenden',
		'search.spam.show': 'zeigen',
		'search.spam.only': 'nur Spam',
		'search.submit': 'Suchen',
		'search.more': 'Weitere Ergebnisse',
		'search.count': '{n} Ergebnisse angezeigt',
		'search.none': 'Keine Beiträge gefunden.',
	},
};

const KEY = 'horch.lang';

function pick() {
	let saved = null;
	try {
		saved = localStorage.getItem(KEY);
	} catch (e) {
		saved = null;
	}
	if (saved === 'en' || saved === 'de')
		return saved;
	const nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
	return nav.toLowerCase().startsWith('de') ? 'de' : 'en';
}

let current = pick();

// lang() returns the language in use, "en" or "de".
export function lang() {
	return current;
}

// t(key, params) returns the text for key in the current language, with
// each {name} replaced by String(params[name]).  An unknown key returns the
// key itself, so a missing string shows up instead of vanishing.
export function t(key, params) {
	const table = STRINGS[current];
	let s = key in table ? table[key] : (key in STRINGS.en ? STRINGS.en[key] : key);
	if (params)
		s = s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
	return s;
}

// tn(key, n) is t(key, {n}) with the singular form (key + ".one") when n
// is 1; n is formatted for the language.
export function tn(key, n) {
	const one = key + '.one';
	return t(Number(n) === 1 && one in STRINGS[current] ? one : key, { n: num(n) });
}

// setLang(code) switches to "en" or "de", remembers it and translates the
// document's static text again; dynamic parts listen for "horch:lang".
export function setLang(code) {
	if (code !== 'en' && code !== 'de')
		return;
	current = code;
	try {
		localStorage.setItem(KEY, code);
	} catch (e) {
		/* private mode: the choice lasts for this page only */
	}
	translate(document);
	document.dispatchEvent(new CustomEvent('horch:lang', { detail: code }));
}

// toggleLang() switches between English and German.
export function toggleLang() {
	setLang(current === 'de' ? 'en' : 'de');
}

// translate(root) fills every data-i18n* element under root.
export function translate(root) {
	if (root === document)
		document.documentElement.lang = current;
	for (const node of root.querySelectorAll('[data-i18n]'))
		node.textContent = t(node.dataset.i18n);
	for (const [attr, data] of [['title', 'i18nTitle'], ['placeholder', 'i18nPlaceholder'],
		['aria-label', 'i18nAriaLabel']]) {
		const sel = '[data-' + data.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()) + ']';
		for (const node of root.querySelectorAll(sel))
			node.setAttribute(attr, t(node.dataset[data]));
	}
}

// Numbers and times in the language of the page.
export function num(n, digits = 0) {
	if (n === null || n === undefined || Number.isNaN(n))
		return '–';
	return Number(n).toLocaleString(current === 'de' ? 'de-DE' : 'en-GB',
		{ maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function time(iso) {
	const d = new Date(iso);
	if (Number.isNaN(d.getTime()))
		return '';
	return d.toLocaleString(current === 'de' ? 'de-DE' : 'en-GB',
		{ day: '2-digit', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function clock(d) {
	return d.toLocaleTimeString(current === 'de' ? 'de-DE' : 'en-GB',
		{ hour: '2-digit', minute: '2-digit' });
}
