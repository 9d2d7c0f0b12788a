// sources.js - the sources page: every live source horch serve fetches, with
// its health (GET /api/sources, refreshed every 10 s), and for admins a form
// to add one, a test fetch, enable/disable and delete.
//
// A row: the name (marked when it comes from horch.conf), the state as a
// coloured badge (ok, new, erroring, silent, stalled, disabled; the why as
// its title), the kind, the posts of the last hour against the usual hourly
// posts, the last success, the last error with its time, and the failed
// fetches in a row.  Admins get, per row, Test and (for a source not of
// horch.conf) Enable/Disable and Delete; the form takes a name, a kind (from
// GET /api/sources/kinds, whose keys become the setting fields), a URL (the
// kind's default as placeholder), an interval and the settings, and can test
// them before adding.  A test shows the posts' authors and texts, or the
// error; posts are strangers' text and are set as text only.  Key: n the
// form's name field.

import { el, $, replace } from './dom.js';
import { t, num, time } from './i18n.js';
import { api, get, query } from './api.js';
import { init } from './page.js';

const REFRESH_MS = 10000;
const STATES = ['ok', 'new', 'erroring', 'silent', 'stalled', 'disabled'];
const TEST_LIMIT = 20;

let user = null;
let sources = [];
let kinds = [];
let refreshTimer = null;
let testSeq = 0;

function isAdmin() {
	return !!user && user.role === 'admin';
}

function str(v) {
	return typeof v === 'string' ? v : '';
}

// when(iso) is a time for the table ("21 Nov, 13:48"), '–' for none.
function when(iso) {
	return iso ? time(iso) || '–' : '–';
}

function stateBadge(s) {
	const st = STATES.includes(s.state) ? s.state : 'new';
	return el('span', { class: 'badge source-state state-' + st, dataset: { state: st },
		title: str(s.why) || null }, t('sources.state.' + st));
}

// rate(s) is "posts last hour / usual per hour" with a title saying so.
function rate(s) {
	const hour = Number(s.posts_hour) || 0;
	const base = typeof s.baseline_hour === 'number' && Number(s.baseline_hours) > 0 ? s.baseline_hour : null;
	return el('td', { class: 'num rate', title: base === null ? t('sources.rate.nobase')
		: t('sources.rate.usual', { n: num(base, 1), hours: num(s.baseline_hours) }) },
	num(hour), el('span', { class: 'muted' }, ' / ' + (base === null ? '–' : num(base, 1))));
}

function lastError(s) {
	if (!s.last_error)
		return el('td', { class: 'last-error muted' }, '–');
	return el('td', { class: 'last-error' },
		el('time', { datetime: str(s.last_error_at), class: 'muted small' }, when(s.last_error_at)),
		el('div', { class: 'error wrap small', title: str(s.last_error) }, str(s.last_error)));
}

function actions(s) {
	if (!isAdmin())
		return el('td', { class: 'actions' });
	return el('td', { class: 'actions' }, el('div', { class: 'buttons' },
		el('button', { type: 'button', dataset: { action: 'test' }, on: { click: () => testStored(s.name) } },
			t('sources.test')),
		s.from_config ? null : el('button', { type: 'button', dataset: { action: 'toggle' },
			on: { click: () => toggle(s) } }, t(s.enabled ? 'sources.disable' : 'sources.enable')),
		s.from_config ? null : el('button', { type: 'button', class: 'danger', dataset: { action: 'delete' },
			on: { click: () => remove(s) } }, t('sources.delete'))));
}

function row(s) {
	return el('tr', { dataset: { name: str(s.name), state: str(s.state) } },
		el('th', { scope: 'row', class: 'wrap' }, str(s.name),
			s.from_config ? el('div', { class: 'muted small', title: t('sources.fromconfig.title') },
				t('sources.fromconfig')) : null,
			s.url ? el('div', { class: 'muted small wrap' }, str(s.url)) : null),
		el('td', null, stateBadge(s)),
		el('td', { class: 'kind' }, str(s.kind)),
		rate(s),
		el('td', { class: 'last-ok' }, el('time', { datetime: str(s.last_ok) }, when(s.last_ok))),
		lastError(s),
		el('td', { class: 'num errors' }, num(Number(s.errors) || 0)),
		actions(s));
}

// render() draws the table again; the button that had the focus keeps it.
function render() {
	const active = document.activeElement;
	const tr = active && active.closest ? active.closest('#source-list tr') : null;
	const focus = tr && active.dataset.action ? [tr.dataset.name, active.dataset.action] : null;
	replace($('#source-list'), sources.map(row));
	replace($('#list-note'), sources.length ? '' : t(isAdmin() ? 'sources.none.add' : 'sources.none'));
	if (focus) {
		for (const r of $('#source-list').children) {
			if (r.dataset.name === focus[0]) {
				const b = r.querySelector(`button[data-action="${focus[1]}"]`);
				if (b)
					b.focus();
			}
		}
	}
}

async function load() {
	clearTimeout(refreshTimer);
	try {
		const data = await get('/api/sources');
		sources = (Array.isArray(data.sources) ? data.sources : []).filter((s) => s && typeof s.name === 'string');
		render();
		replace($('#asof'), t('sources.asof', { at: time(new Date().toISOString()) }));
		$('#asof').classList.remove('error');
	} catch (err) {
		replace($('#asof'), t('stale.title', { error: err.message }));
		$('#asof').classList.add('error');
	}
	refreshTimer = setTimeout(load, REFRESH_MS);
}

// --- a test ----------------------------------------------------------------------

function testPost(p) {
	const a = p.author && typeof p.author === 'object' ? p.author : {};
	const who = str(a.name) || str(a.handle) || t('sources.test.noauthor');
	return el('li', { class: 'test-post' },
		el('div', { class: 'post-head' },
			el('span', { class: 'post-author' }, who),
			a.handle && a.name ? el('span', null, '@' + str(a.handle)) : null,
			p.created_at ? el('time', { datetime: str(p.created_at) }, time(p.created_at)) : null,
			p.url ? el('a', { href: str(p.url), rel: 'noopener noreferrer', target: '_blank' }, t('post.open')) : null),
		p.title ? el('div', { class: 'post-title' }, str(p.title)) : null,
		el('p', { class: 'post-text' }, str(p.text)));
}

function showTest(res) {
	const posts = (Array.isArray(res.posts) ? res.posts : []).filter((p) => p && typeof p === 'object');
	const head = t(res.ended === 'timeout' && res.streams ? 'sources.test.stream' : 'sources.test.done',
		{ n: num(posts.length), s: num(Number(res.seconds) || 0, 1) });
	replace($('#test-body'),
		el('p', { id: 'test-summary', class: res.error ? 'error' : 'ok' }, head),
		res.error ? el('p', { id: 'test-error', class: 'error wrap' }, t('error', { message: str(res.error) })) : null,
		res.warning ? el('p', { id: 'test-warning', class: 'muted wrap' }, t('sources.test.warning', { message: str(res.warning) })) : null,
		posts.length ? el('ol', { id: 'test-posts', class: 'test-posts' }, posts.map(testPost))
			: el('p', { class: 'muted' }, t('sources.test.noposts')));
}

// runTest(title, path, body) runs a test and shows it in the test panel.
async function runTest(title, path, body) {
	const seq = ++testSeq;
	const panel = $('#test-panel');
	panel.classList.remove('hidden');
	panel.setAttribute('aria-busy', 'true');
	replace($('#h-test'), title);
	replace($('#test-body'), el('p', { class: 'muted' }, t('sources.test.running')));
	try {
		const res = await api('POST', path + query({ limit: TEST_LIMIT }), body);
		if (seq === testSeq)
			showTest(res || {});
	} catch (err) {
		if (seq === testSeq)
			replace($('#test-body'), el('p', { id: 'test-error', class: 'error wrap' }, t('error', { message: err.message })));
	} finally {
		if (seq === testSeq)
			panel.setAttribute('aria-busy', 'false');
	}
}

function testStored(name) {
	runTest(t('sources.test.of', { name }), `/api/sources/${encodeURIComponent(name)}/test`);
}

// --- changes -----------------------------------------------------------------------

async function toggle(s) {
	try {
		await api('PATCH', `/api/sources/${encodeURIComponent(s.name)}`, { enabled: !s.enabled });
		await load();
	} catch (err) {
		replace($('#list-note'), el('span', { class: 'error' }, t('error', { message: err.message })));
	}
}

async function remove(s) {
	if (!confirm(t('sources.confirm.delete', { name: s.name })))
		return;
	try {
		await api('DELETE', `/api/sources/${encodeURIComponent(s.name)}`);
		await load();
	} catch (err) {
		replace($('#list-note'), el('span', { class: 'error' }, t('error', { message: err.message })));
	}
}

// --- the form ----------------------------------------------------------------------

function kindOf(name) {
	return kinds.find((k) => k.kind === name) || null;
}

// settingFields() makes a field per setting of the chosen kind; what was
// typed in a field of the same key is kept.
function settingFields() {
	const k = kindOf($('#s-kind').value);
	const typed = new Map();
	for (const input of $('#s-settings').querySelectorAll('input[data-key]'))
		typed.set(input.dataset.key, input.value);
	replace($('#s-kind-help'), k ? str(k.summary) : '');
	$('#s-url').placeholder = k && k.default_url ? k.default_url : t('sources.url.needed');
	$('#s-interval').placeholder = k && k.interval ? String(k.interval) : '';
	const keys = k && Array.isArray(k.keys) ? k.keys.filter((x) => x && typeof x.key === 'string') : [];
	replace($('#s-settings'), keys.map((x) => el('label', { class: 'setting' },
		el('span', null, x.key + (x.required ? ' *' : '')),
		el('input', { id: 's-set-' + x.key, dataset: { key: x.key }, type: x.secret ? 'password' : 'text',
			autocomplete: 'off', maxlength: '4096', required: x.required ? true : null,
			placeholder: x.secret ? t('sources.secret.placeholder') : null,
			props: { value: typed.get(x.key) || '' } }),
		el('span', { class: 'muted small' }, str(x.help)))));
}

// formBody() is the source the form describes.
function formBody() {
	const body = { name: $('#s-name').value.trim(), kind: $('#s-kind').value, enabled: $('#s-enabled').checked };
	const url = $('#s-url').value.trim();
	const interval = $('#s-interval').value.trim();
	if (url)
		body.url = url;
	if (interval)
		body.interval = /^\d+$/.test(interval) ? Number(interval) : interval;
	const settings = {};
	for (const input of $('#s-settings').querySelectorAll('input[data-key]')) {
		const v = input.value.trim();
		if (v)
			settings[input.dataset.key] = v;
	}
	body.settings = settings;
	return body;
}

function formStatus(cls, text) {
	replace($('#form-status'), el('span', { class: cls }, text));
}

async function add(ev) {
	ev.preventDefault();
	const body = formBody();
	if (!body.name) {
		formStatus('error', t('sources.need.name'));
		$('#s-name').focus();
		return;
	}
	$('#s-save').disabled = true;
	try {
		await api('POST', '/api/sources', body);
		formStatus('ok', t('sources.added', { name: body.name }));
		$('#s-name').value = '';
		$('#s-url').value = '';
		$('#s-interval').value = '';
		replace($('#s-settings'));
		settingFields();
		await load();
	} catch (err) {
		formStatus('error', t('error', { message: err.message }));
	} finally {
		$('#s-save').disabled = false;
	}
}

function tryForm() {
	const body = formBody();
	if (!body.name)
		delete body.name;
	runTest(t('sources.test.form'), '/api/sources/test', body);
}

async function setupForm() {
	if (!isAdmin())
		return;
	const data = await get('/api/sources/kinds');
	kinds = (Array.isArray(data.kinds) ? data.kinds : []).filter((k) => k && typeof k.kind === 'string');
	replace($('#s-kind'), kinds.map((k) => el('option', { value: k.kind }, k.kind)));
	$('#s-kind').addEventListener('change', settingFields);
	settingFields();
	$('#add-panel').classList.remove('hidden');
	$('#source-form').addEventListener('submit', add);
	$('#s-test').addEventListener('click', tryForm);
}

function onKey(ev) {
	if (ev.key === 'n' && isAdmin()) {
		$('#s-name').focus();
		return true;
	}
	return false;
}

async function main() {
	const session = await init({ keys: [['n', 'sources.add']], onKey });
	user = session && session.user;
	await Promise.all([load(), setupForm()]);
	document.addEventListener('horch:lang', () => {
		render();
		if (isAdmin())
			settingFields();
	});
}

main().catch((err) => replace($('#list-note'), el('span', { class: 'error' }, t('error', { message: err.message }))));
