// launches.js - the launches page: the list of launches and the scorecard
// of one (GET /api/launches/{id}).
//
// The scorecard judges a launch's reception in three windows after it
// (1 h, 4 h, 24 h): the posts, the volume against the usual (the mean of
// same-length windows over the week before), the net sentiment beside the
// usual, the authors, complaints and questions.  A window still running
// says "so far", and its volume is compared with the usual for the part of
// the window that has passed.  Then the same windows of earlier launches,
// and the top complaints and questions (label, posts, share, an example
// post as text).  While a window runs, the scorecard refreshes every
// minute.  Analysts add a launch with the form (name, topic, time) and
// delete one.  The address keeps the launch (?id=3).  Keys: j/k next /
// previous launch, n the form's name field.

import { el, $, replace, topicColor } from './dom.js';
import { t, tn, num, time, lang } from './i18n.js';
import { api, get } from './api.js';
import { init } from './page.js';

const REFRESH_MS = 60000;
const WINDOWS_MAX = 10;     // windows drawn, at most
const EARLIER_MAX = 20;     // earlier launches compared, at most
const CLUSTERS_MAX = 10;    // complaints (questions) listed, at most
const EDITORS = ['analyst', 'admin'];

let user = null;
let launches = [];          // newest launch first
let topics = [];
let selectedId = Number(new URLSearchParams(location.search).get('id')) || null;
let scorecard = null;
let loadSeq = 0;
let refreshTimer = null;

function canEdit() {
	return !!user && EDITORS.includes(user.role);
}

// dateTime(iso) writes a time with its year ("10 Nov 2026, 09:00").
function dateTime(iso) {
	const d = new Date(iso);
	if (!iso || Number.isNaN(d.getTime()))
		return '–';
	return d.toLocaleString(lang() === 'de' ? 'de-DE' : 'en-GB',
		{ year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

function signed(v) {
	return typeof v === 'number' && Number.isFinite(v) ? (v > 0 ? '+' : '') + num(v, 2) : '–';
}

function remember() {
	history.replaceState(null, '', location.pathname + (selectedId ? '?id=' + selectedId : ''));
}

function topicChip(tp) {
	if (!tp || typeof tp.name !== 'string')
		return null;
	const sw = el('span', { class: 'swatch' });
	sw.style.backgroundColor = topicColor(tp);
	return el('span', { class: 'chip' }, sw, tp.name);
}

// --- the list ------------------------------------------------------------------

function renderList() {
	replace($('#launch-list'), launches.map((l) => el('tr', {
		dataset: { id: l.id },
		class: l.id === selectedId ? 'current' : null,
		'aria-current': l.id === selectedId ? 'true' : null,
		on: { click: (ev) => { if (!ev.target.closest('a')) select(l.id, false); } },
	},
	el('td', null, el('a', { href: '?id=' + l.id, on: { click: (ev) => { ev.preventDefault(); select(l.id, false); } } },
		String(l.name || '#' + l.id))),
	el('td', null, topicChip(l.topic)),
	el('td', null, el('time', { datetime: l.at || '' }, dateTime(l.at))))));
	replace($('#list-note'), launches.length ? '' : t(canEdit() ? 'launches.none.add' : 'launches.none'));
}

async function loadList() {
	const data = await get('/api/launches');
	launches = (Array.isArray(data.launches) ? data.launches : [])
		.filter((l) => l && Number.isInteger(l.id))
		.sort((a, b) => (Date.parse(b.at) || 0) - (Date.parse(a.at) || 0) || b.id - a.id);
	renderList();
}

function select(id, focus) {
	selectedId = id;
	remember();
	for (const tr of $('#launch-list').children) {
		const on = Number(tr.dataset.id) === id;
		tr.classList.toggle('current', on);
		if (on)
			tr.setAttribute('aria-current', 'true');
		else
			tr.removeAttribute('aria-current');
		if (on && focus)
			tr.querySelector('a').focus();
	}
	loadScorecard(id);
}

// --- the scorecard ------------------------------------------------------------------

async function loadScorecard(id) {
	const seq = ++loadSeq;
	clearTimeout(refreshTimer);
	$('#sc-empty').classList.add('hidden');
	$('#scorecard').setAttribute('aria-busy', 'true');
	if (!scorecard || scorecard.id !== id)
		replace($('#sc-body'), el('p', { class: 'muted' }, t('loading')));
	let sc;
	try {
		sc = await get(`/api/launches/${id}`);
	} catch (err) {
		if (seq === loadSeq) {
			$('#scorecard').setAttribute('aria-busy', 'false');
			replace($('#sc-body'), el('p', { class: 'error' }, t('error', { message: err.message })));
			if (scorecard && scorecard.id === id)
				refreshTimer = setTimeout(() => loadScorecard(id), REFRESH_MS);
		}
		return;
	}
	if (seq !== loadSeq)
		return;
	$('#scorecard').setAttribute('aria-busy', 'false');
	scorecard = sc;
	renderScorecard();
	const windows = Array.isArray(sc.windows) ? sc.windows : [];
	if (windows.some((w) => w && !w.complete))
		refreshTimer = setTimeout(() => loadScorecard(id), REFRESH_MS);
}

// ratio(w, now) is the window's volume against the usual: for a window
// still running, the usual of the part that has passed.  Returns
// [text, title].
function ratio(w, now) {
	const base = w.baseline && typeof w.baseline.volume === 'number' ? w.baseline.volume : NaN;
	if (!(base > 0) || typeof w.volume !== 'number')
		return ['–', t('launches.ratio.none')];
	let part = 1;
	if (!w.complete) {
		const from = Date.parse(w.from);
		const to = Date.parse(w.to);
		const at = Date.parse(now) || Date.now();
		part = to > from ? Math.max(0, Math.min(1, (at - from) / (to - from))) : 0;
	}
	if (!(part > 0))
		return ['–', t('launches.ratio.none')];
	const expected = base * part;
	return [num(w.volume / expected, 1) + '×', t(w.complete ? 'launches.ratio.title' : 'launches.ratio.sofar',
		{ n: num(expected, 1) })];
}

function windowLabel(w) {
	const label = String(w.label || '');
	return w.complete ? label : t('launches.sofar', { label });
}

function windowsTable(sc, windows) {
	return el('table', { class: 'list scorecard-table', id: 'sc-windows' },
		el('thead', null, el('tr', null,
			el('th', { scope: 'col' }, t('launches.window')),
			el('th', { class: 'num', scope: 'col' }, t('launches.volume')),
			el('th', { class: 'num', scope: 'col' }, t('launches.ratio')),
			el('th', { class: 'num', scope: 'col' }, t('launches.net')),
			el('th', { class: 'num', scope: 'col' }, t('launches.authors')),
			el('th', { class: 'num', scope: 'col' }, t('launches.complaints')),
			el('th', { class: 'num', scope: 'col' }, t('launches.questions')))),
		el('tbody', null, windows.map((w) => {
			const [r, title] = ratio(w, sc.now);
			const net = typeof w.net_sentiment === 'number' ? w.net_sentiment : null;
			const usual = w.baseline && typeof w.baseline.net_sentiment === 'number' ? w.baseline.net_sentiment : null;
			return el('tr', { class: w.complete ? 'complete' : 'running', dataset: { label: String(w.label || '') } },
				el('th', { scope: 'row', title: dateTime(w.from) + ' – ' + dateTime(w.to) }, windowLabel(w)),
				el('td', { class: 'num volume' }, num(w.volume)),
				el('td', { class: 'num ratio', title }, r),
				el('td', { class: 'num net ' + (net === null || net === 0 ? '' : net < 0 ? 'neg' : 'pos') },
					signed(net), el('div', { class: 'muted small' }, t('launches.usual', { v: signed(usual) }))),
				el('td', { class: 'num authors' }, num(w.authors)),
				el('td', { class: 'num complaints' }, num(w.complaints)),
				el('td', { class: 'num questions' }, num(w.questions)));
		})));
}

// earlierTable(sc, windows) compares each window with the same window of
// the earlier launches (volume · net sentiment).  Returns null without any.
function earlierTable(sc, windows) {
	const names = [];
	const cells = new Map();    // name -> Map label -> text
	const ats = new Map();
	for (const w of windows) {
		for (const e of Array.isArray(w.earlier) ? w.earlier : []) {
			if (!e || typeof e.launch !== 'string')
				continue;
			if (!cells.has(e.launch)) {
				if (names.length >= EARLIER_MAX)
					continue;
				names.push(e.launch);
				cells.set(e.launch, new Map());
				ats.set(e.launch, e.at);
			}
			cells.get(e.launch).set(String(w.label || ''), num(e.volume) + ' · ' + signed(e.net_sentiment));
		}
	}
	if (!names.length)
		return null;
	const cell = (text) => el('td', { class: 'num' }, text || '–');
	return el('table', { class: 'list', id: 'sc-earlier' },
		el('thead', null, el('tr', null, el('th', { scope: 'col' }, t('launches.launch')),
			windows.map((w) => el('th', { class: 'num', scope: 'col' }, String(w.label || '')))),
		el('tr', null, el('td', { class: 'muted small', colspan: String(windows.length + 1) }, t('launches.earlier.help')))),
		el('tbody', null,
			el('tr', { class: 'this-launch' }, el('th', { scope: 'row' }, String(sc.name || '')),
				windows.map((w) => cell(num(w.volume) + ' · ' + signed(w.net_sentiment)))),
			names.map((n) => el('tr', null,
				el('th', { scope: 'row' }, n, el('div', { class: 'muted small' }, dateTime(ats.get(n)))),
				windows.map((w) => cell(cells.get(n).get(String(w.label || ''))))))));
}

function clusters(list, id, none) {
	const items = (Array.isArray(list) ? list : []).filter((c) => c && typeof c === 'object').slice(0, CLUSTERS_MAX);
	if (!items.length)
		return el('p', { class: 'muted', id }, t(none));
	return el('ol', { class: 'clusters', id }, items.map((c) => {
		const ex = c.example && typeof c.example === 'object' ? c.example : null;
		return el('li', { class: 'cluster' },
			el('div', null,
				el('b', { class: 'cluster-label' }, String(c.label || c.term || '')),
				el('span', { class: 'muted' }, ' · ' + tn('wall.posts', c.posts || 0)
					+ (typeof c.share === 'number' ? ' · ' + num(c.share * 100, 0) + ' %' : ''))),
			ex && typeof ex.text === 'string' ? el('blockquote', { class: 'example', dataset: { id: ex.id ?? '' } },
				el('p', { class: 'post-text' }, ex.text),
				typeof ex.author === 'string' ? el('footer', { class: 'muted small' }, '@' + ex.author) : null) : null);
	}));
}

function renderScorecard() {
	const sc = scorecard;
	if (!sc)
		return;
	const windows = (Array.isArray(sc.windows) ? sc.windows : []).filter((w) => w && typeof w === 'object')
		.slice(0, WINDOWS_MAX);
	replace($('#sc-title'), t('launches.sc.title', { name: String(sc.name || '') }));
	const earlier = earlierTable(sc, windows);
	replace($('#sc-body'),
		el('p', { class: 'sc-meta' }, topicChip(sc.topic), ' ',
			el('span', null, t('launches.launched', { at: dateTime(sc.at) })), ' · ',
			el('span', { class: 'muted' }, t('launches.asof', { at: time(sc.now) }))),
		canEdit() ? el('div', { class: 'buttons' }, el('span', { class: 'spacer' }),
			el('button', { type: 'button', class: 'danger', id: 'sc-delete', on: { click: remove } },
				t('launches.delete'))) : null,
		windows.length ? windowsTable(sc, windows) : el('p', { class: 'muted' }, t('launches.nowindows')),
		el('h3', null, t('launches.earlier')),
		earlier || el('p', { class: 'muted', id: 'sc-earlier' }, t('launches.noearlier')),
		el('div', { class: 'sc-clusters' },
			el('section', null, el('h3', null, t('launches.topcomplaints')),
				clusters(sc.complaints, 'sc-complaints', 'launches.nocomplaints')),
			el('section', null, el('h3', null, t('launches.topquestions')),
				clusters(sc.questions, 'sc-questions', 'launches.noquestions'))));
}

// --- adding and deleting ------------------------------------------------------------

// localNow() is the present minute as a datetime-local value.
function localNow() {
	const d = new Date();
	const pad = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function formStatus(cls, text) {
	replace($('#form-status'), el('span', { class: cls }, text));
}

async function add(ev) {
	ev.preventDefault();
	const name = $('#l-name').value.trim();
	const topic = Number($('#l-topic').value);
	const at = new Date($('#l-at').value);
	if (!name) {
		formStatus('error', t('launches.need.name'));
		$('#l-name').focus();
		return;
	}
	if (!Number.isInteger(topic) || topic <= 0) {
		formStatus('error', t('launches.need.topic'));
		$('#l-topic').focus();
		return;
	}
	if (!$('#l-at').value || Number.isNaN(at.getTime())) {
		formStatus('error', t('launches.need.at'));
		$('#l-at').focus();
		return;
	}
	$('#l-save').disabled = true;
	try {
		const made = await api('POST', '/api/launches',
			{ name, topic, at: at.toISOString().replace(/\.\d{3}Z$/, 'Z') });
		await loadList();
		$('#l-name').value = '';
		formStatus('ok', t('launches.added', { name }));
		if (made && Number.isInteger(made.id))
			select(made.id, false);
	} catch (err) {
		formStatus('error', t('error', { message: err.message }));
	} finally {
		$('#l-save').disabled = false;
	}
}

async function remove() {
	const sc = scorecard;
	if (!sc || !confirm(t('launches.confirm.delete', { name: String(sc.name || '') })))
		return;
	try {
		await api('DELETE', `/api/launches/${sc.id}`);
		clearTimeout(refreshTimer);
		scorecard = null;
		selectedId = null;
		await loadList();
		showFirst();
	} catch (err) {
		replace($('#sc-body'), el('p', { class: 'error' }, t('error', { message: err.message })));
	}
}

function showFirst() {
	if (launches.length) {
		select(launches[0].id, false);
		return;
	}
	remember();
	replace($('#sc-title'), t('launches.scorecard'));
	replace($('#sc-body'));
	$('#sc-empty').classList.remove('hidden');
}

async function setupForm() {
	if (!canEdit())
		return;
	const data = await get('/api/topics');
	topics = (Array.isArray(data.topics) ? data.topics : []).filter((tp) => tp && Number.isInteger(tp.id))
		.sort((a, b) => String(a.name).localeCompare(String(b.name)));
	replace($('#l-topic'), topics.map((tp) => el('option', { value: String(tp.id) }, String(tp.name))));
	$('#l-at').value = localNow();
	$('#launch-form').classList.remove('hidden');
	$('#launch-form').addEventListener('submit', add);
}

function onKey(ev) {
	switch (ev.key) {
	case 'j':
	case 'k': {
		if (!launches.length)
			return true;
		let i = launches.findIndex((l) => l.id === selectedId);
		i = i < 0 ? 0 : Math.max(0, Math.min(launches.length - 1, i + (ev.key === 'j' ? 1 : -1)));
		select(launches[i].id, true);
		return true;
	}
	case 'n':
		if (!canEdit())
			return false;
		$('#l-name').focus();
		return true;
	default:
		return false;
	}
}

async function main() {
	const session = await init({ keys: [['j / k', 'launches.keys.jk'], ['n', 'launches.add']], onKey });
	user = session && session.user;
	await Promise.all([loadList(), setupForm()]);
	if (selectedId && launches.some((l) => l.id === selectedId))
		select(selectedId, false);
	else if (selectedId)
		loadScorecard(selectedId);   // not in the list: its error says why
	else
		showFirst();
	document.addEventListener('horch:lang', () => {
		renderList();
		if (scorecard)
			renderScorecard();
		else if (!selectedId)
			replace($('#sc-title'), t('launches.scorecard'));
	});
}

main().catch((err) => replace($('#list-note'), el('span', { class: 'error' }, t('error', { message: err.message }))));
