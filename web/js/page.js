// page.js - what every page but the login shares: the top bar (navigation,
// the user, the connection state, language and sign-out buttons), the
// keyboard (global keys and the "?" dialog listing them) and the session
// check at start.

import { el, $, replace } from './dom.js';
import { t, translate, toggleLang } from './i18n.js';
import { me, logout, takeUrlToken } from './api.js';

const PAGES = [['/wall', 'nav.wall', 'w'], ['/radio', 'nav.radio', 'r'],
	['/alerts', 'nav.alerts', 'a'], ['/launches', 'nav.launches', 'l'],
	['/topics', 'nav.topics', 't'], ['/search', 'nav.search', 's'], ['/sources', 'nav.sources', 'o']];

let connNode = null;
let pageKeys = [];
let dialog = null;
let pendingG = false;

// typing(ev) is true when a key goes to a text field, where the page's
// single-letter keys must not fire.
export function typing(ev) {
	const n = ev.target;
	if (!(n instanceof Element))
		return false;
	return n.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(n.tagName) && n.type !== 'checkbox'
		&& n.type !== 'button' && n.type !== 'submit';
}

// setConn(state) shows the live stream's state in the top bar.
export function setConn(state) {
	if (!connNode)
		return;
	connNode.className = state ? 'conn conn-' + state : 'conn';
	connNode.dataset.state = state || '';
	replace(connNode, state ? t('conn.' + state) : '');
}

function buildBar(user) {
	const bar = $('#topbar');
	if (!bar)
		return;
	const here = location.pathname;
	connNode = el('span', { class: 'conn', role: 'status', 'aria-live': 'polite' });
	replace(bar,
		el('a', { class: 'brand', href: '/wall' }, 'horch'),
		el('nav', { class: 'nav', 'aria-label': 'horch' },
			PAGES.map(([href, key]) => el('a', { href, 'aria-current': here === href ? 'page' : null,
				'data-i18n': key }, t(key)))),
		el('span', { class: 'spacer' }),
		connNode,
		user ? el('span', { class: 'who', title: user.role }, user.name) : null,
		el('button', { type: 'button', class: 'ghost', id: 'lang-btn', 'data-i18n': 'nav.lang',
			on: { click: toggleLang } }, t('nav.lang')),
		el('button', { type: 'button', class: 'ghost', id: 'keys-btn', 'data-i18n': 'nav.keys',
			on: { click: showKeys } }, t('nav.keys')),
		el('button', { type: 'button', class: 'ghost', id: 'logout-btn', 'data-i18n': 'nav.logout',
			on: { click: () => logout() } }, t('nav.logout')));
}

function keyRow(key, descKey) {
	return el('tr', null, el('th', null, el('kbd', null, key)), el('td', null, t(descKey)));
}

// showKeys() opens the dialog of keys (Escape or the button closes it).
export function showKeys() {
	if (!dialog) {
		dialog = el('dialog', { class: 'keys', 'aria-labelledby': 'keys-title' });
		document.body.appendChild(dialog);
	}
	const rows = [['/', 'keys.slash'], ['?', 'keys.help'], ['Esc', 'keys.escape'], ['l', 'keys.lang'],
		['g …', 'keys.g'], ...pageKeys];
	replace(dialog,
		el('h2', { id: 'keys-title' }, t('keys.title')),
		el('table', null, el('tbody', null, rows.map(([k, d]) => keyRow(k, d)))),
		el('form', { method: 'dialog' }, el('button', { type: 'submit', autofocus: true }, t('keys.close'))));
	if (!dialog.open)
		dialog.showModal();
}

// init(opts) draws the top bar, signs in with a ?token= or #token= in the
// address (a wall screen's viewer token), checks the session (a 401 goes to
// the login page) and installs the keys.  opts.keys: extra [key, description key]
// rows for the "?" dialog; opts.onKey(ev) gets every key not handled here
// and returns true when it used it.  Returns the /api/me answer.
export async function init(opts = {}) {
	pageKeys = opts.keys || [];
	translate(document);
	buildBar(null);
	document.addEventListener('keydown', (ev) => onKey(ev, opts.onKey));
	document.addEventListener('horch:lang', () => {
		if (dialog && dialog.open)
			showKeys();
		if (connNode && connNode.dataset.state)
			setConn(connNode.dataset.state);
	});
	try {
		await takeUrlToken();
	} catch (err) {
		/* a bad token: the session check below goes to /login */
	}
	const m = opts.session === false ? null : await me();
	if (m && m.must_change_password) {
		// Nothing else is allowed until the one-time password is replaced.
		location.assign('/login?change=1&next=' + encodeURIComponent(location.pathname + location.search));
		return new Promise(() => {});
	}
	if (m)
		buildBar(m.user);
	return m;
}

function onKey(ev, pageHandler) {
	if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented)
		return;
	if (typing(ev)) {
		if (ev.key === 'Escape')
			ev.target.blur();
		return;
	}
	if (dialog && dialog.open)
		return;
	if (pendingG) {
		pendingG = false;
		const page = PAGES.find((p) => p[2] === ev.key);
		if (page) {
			ev.preventDefault();
			location.assign(page[0]);
			return;
		}
	}
	switch (ev.key) {
	case '/': {
		ev.preventDefault();
		const box = $('#q');
		if (box)
			box.focus();
		else
			location.assign('/search');
		return;
	}
	case '?':
		ev.preventDefault();
		showKeys();
		return;
	case 'l':
		ev.preventDefault();
		toggleLang();
		return;
	case 'g':
		pendingG = true;
		setTimeout(() => { pendingG = false; }, 1500);
		return;
	default:
		if (pageHandler && pageHandler(ev))
			ev.preventDefault();
	}
}
