// alerts.js - the alerts page: the list of alerts and the evidence of one.
//
// The table lists the alerts of the chosen state (open and acknowledged by
// default; open, acknowledged, resolved or all), newest first, 50 at a
// time ("More alerts" asks for those before the oldest shown).  It is
// live: the stream's "alert" events change rows in place and add new
// alerts at the top; the list is loaded again after every reconnect, since
// the stream does not replay alerts.  The pane beside it shows the chosen
// alert (GET /api/alerts/{id}): title, summary, the facts, the evidence
// chart (posts per step, the interval that fired in another colour), the
// kind's figures, the top posts and terms, and the deliveries; and, for
// the roles agent and above, Acknowledge and Resolve.  The address keeps
// the filter and the alert (?state=all&id=12).  Keys: j/k next/previous
// alert, a acknowledge, r resolve.

import { el, $, replace, safeUrl } from './dom.js';
import { t, tn, num, time } from './i18n.js';
import { get, query, stream } from './api.js';
import { init, setConn } from './page.js';
import { TimeChart } from './chart.js';
import { merge, valid, stateOf, severityOf, topicName, sign, stateBadge, when, buttons, canAct }
	from './alertview.js';

const LIMIT = 50;
const LIMIT_MAX = 500;          // the server's cap of one page
const FILTERS = ['active', 'open', 'acked', 'resolved', 'all'];
const SERIES_MAX = 5000;        // steps of an evidence chart drawn, at most
const DETAIL_DELAY_MS = 800;    // after an event of the chosen alert, its deliveries follow
// The figures of each kind, in this order; other figures follow by name.
const FIGURES = ['score', 'observed', 'expected', 'median', 'net_recent', 'net_base', 'z', 'mean', 'n', 'below',
	'min_reviews', 'count', 'oldest', 'sla_s'];
const NOT_FIGURES = new Set(['series', 'window', 'posts', 'terms']);

const params = new URLSearchParams(location.search);
let filter = FILTERS.includes(params.get('state')) ? params.get('state') : 'active';
let selectedId = Number(params.get('id')) > 0 ? Number(params.get('id')) : null;

let user = null;
const known = new Map();        // id -> alert, the furthest copy heard of
const deliveries = new Map();   // id -> deliveries of the detail
const heardAt = new Map();      // id -> the number of the event that last told of it
let alertEvents = 0;
let rows = [];                  // the ids listed, highest (newest) first
let more = false;
let loadSeq = 0;
let detailSeq = 0;
let detailTimer = null;
let chart = null;
const statusNode = el('p', { id: 'd-status', role: 'status' });   // what an action did

function matchesFilter(a) {
	const st = stateOf(a);
	return filter === 'all' || st === filter || (filter === 'active' && st !== 'resolved');
}

function remember() {
	const q = query({ state: filter === 'active' ? '' : filter, id: selectedId || '' });
	history.replaceState(null, '', location.pathname + q);
}

// --- the table ---------------------------------------------------------------

function row(a) {
	const st = stateOf(a);
	const name = topicName(a);
	const href = location.pathname + query({ state: filter === 'active' ? '' : filter, id: a.id });
	return el('tr', {
		class: `state-${st}` + (a.id === selectedId ? ' current' : ''),
		dataset: { id: a.id, state: st },
		'aria-current': a.id === selectedId ? 'true' : null,
		on: { click: (ev) => { if (!ev.target.closest('a')) select(a.id, false); } },
	},
	el('td', null, sign(a)),
	el('td', null,
		el('a', { class: 'alert-link', href, on: { click: (ev) => { ev.preventDefault(); select(a.id, false); } } },
			String(a.title || '#' + a.id)),
		name || a.rule ? el('div', { class: 'muted small' }, [name, a.rule ? t('alerts.rule', { rule: a.rule }) : '']
			.filter(Boolean).join(' · ')) : null),
	el('td', null, stateBadge(a)),
	el('td', { class: 'num' }, num(a.fired)),
	el('td', null, when(a)));
}

function renderTable() {
	const body = $('#alert-list');
	const focusedId = document.activeElement && document.activeElement.closest
		? Number((document.activeElement.closest('#alert-list tr') || { dataset: {} }).dataset.id) : NaN;
	replace(body, rows.map((id) => known.get(id)).filter(Boolean).map(row));
	if (focusedId) {
		const link = body.querySelector(`tr[data-id="${focusedId}"] a`);
		if (link)
			link.focus();
	}
	$('#more').classList.toggle('hidden', !more);
	replace($('#list-note'), rows.length ? tn('alerts.count', rows.length) : t('alerts.none'));
}

// updateRow(a) draws alert a again where it is listed, or adds it in its
// place when it is new and belongs to the filter (and to the part of the
// list loaded).  Returns nothing.
function updateRow(a) {
	const body = $('#alert-list');
	const old = body.querySelector(`tr[data-id="${a.id}"]`);
	if (old) {
		const hadFocus = old.contains(document.activeElement);
		const fresh = row(a);
		old.replaceWith(fresh);
		if (hadFocus)
			fresh.querySelector('a').focus();
		return;
	}
	if (!matchesFilter(a) || rows.includes(a.id) || (more && rows.length && a.id < rows[rows.length - 1]))
		return;
	rows.push(a.id);
	rows.sort((x, y) => y - x);
	renderTable();
}

// load(append) fetches the list: the first page again (as many as are
// shown, so a reconnect keeps the pages asked for), or with append the
// page after the oldest shown.  Alerts heard of on the stream while the
// request was on its way stay listed.
async function load(append) {
	const seq = ++loadSeq;
	const since = alertEvents;
	const limit = append ? LIMIT : Math.min(LIMIT_MAX, Math.max(LIMIT, rows.length));
	const before = append && rows.length ? rows[rows.length - 1] : '';
	$('#more').disabled = true;
	let data;
	try {
		data = await get('/api/alerts' + query({ state: filter, limit, before }));
	} catch (err) {
		if (seq === loadSeq) {
			replace($('#list-note'), el('span', { class: 'error' }, t('error', { message: err.message })));
			$('#more').disabled = false;
		}
		return;
	}
	if (seq !== loadSeq)
		return;
	$('#more').disabled = false;
	const list = (Array.isArray(data.alerts) ? data.alerts : []).filter(valid);
	const ids = [];
	for (const a of list) {
		merge(known, a);
		ids.push(a.id);
	}
	let next = append ? rows.concat(ids) : ids;
	if (!append) {
		for (const [id, n] of heardAt)
			if (n > since && matchesFilter(known.get(id)))
				next.push(id);
	}
	next = Array.from(new Set(next)).sort((x, y) => y - x);
	rows = next;
	// Forget what is neither listed nor chosen (a page left open for days).
	const listed = new Set(rows);
	for (const id of Array.from(known.keys())) {
		if (!listed.has(id) && id !== selectedId && (heardAt.get(id) || 0) <= since) {
			known.delete(id);
			heardAt.delete(id);
			deliveries.delete(id);
		}
	}
	more = list.length === limit;
	renderTable();
	if (selectedId && known.has(selectedId))
		renderHead(known.get(selectedId));
}

function onAlert(a) {
	if (!valid(a))
		return;
	heardAt.set(a.id, ++alertEvents);
	const kept = merge(known, a);
	updateRow(kept);
	if (kept.id === selectedId) {
		renderHead(kept);
		// The event carries no deliveries: fetch them once things settle.
		clearTimeout(detailTimer);
		detailTimer = setTimeout(() => loadDetail(kept.id), DETAIL_DELAY_MS);
	}
}

// --- the detail ----------------------------------------------------------------

function select(id, focus) {
	if (selectedId !== id) {
		selectedId = id;
		replace(statusNode);
		for (const tr of $('#alert-list').children) {
			const on = Number(tr.dataset.id) === id;
			tr.classList.toggle('current', on);
			if (on)
				tr.setAttribute('aria-current', 'true');
			else
				tr.removeAttribute('aria-current');
		}
		remember();
	}
	if (focus) {
		const link = $(`#alert-list tr[data-id="${id}"] a`);
		if (link)
			link.focus();
	}
	loadDetail(id);
}

async function loadDetail(id) {
	const seq = ++detailSeq;
	clearTimeout(detailTimer);
	$('#detail-empty').classList.add('hidden');
	$('#detail-body').classList.remove('hidden');
	if (known.has(id))
		renderHead(known.get(id));
	else
		replace($('#d-head'), el('p', { class: 'muted' }, t('loading')));
	let a;
	try {
		a = await get(`/api/alerts/${id}`);
	} catch (err) {
		if (seq === detailSeq)
			replace($('#d-head'), el('p', { class: 'error' }, t('error', { message: err.message })));
		return;
	}
	if (seq !== detailSeq || !valid(a))
		return;
	deliveries.set(a.id, Array.isArray(a.deliveries) ? a.deliveries : []);
	const kept = merge(known, a);
	renderHead(kept);
	renderEvidence(kept);
	renderRest(kept);
}

function fact(label, value) {
	if (value === null || value === undefined || value === '')
		return null;
	return [el('dt', null, label), el('dd', null, value)];
}

// changed(a): the answer of Acknowledge or Resolve, taken as news.
function changed(a, done) {
	onAlert(a);
	if (valid(a) && a.id === selectedId)
		replace(statusNode, el('span', { class: 'ok' }, t(done)));
}

function renderHead(a) {
	if (a.id !== selectedId)
		return;
	const st = stateOf(a);
	const name = topicName(a);
	const actions = canAct(user)
		? buttons(a, (b) => changed(b, st === 'open' && stateOf(b) === 'acked' ? 'alerts.acked' : 'alerts.resolved'),
			(err) => replace(statusNode, el('span', { class: 'error' }, t('error', { message: err.message }))))
		: [];
	const ev = a.evidence && typeof a.evidence === 'object' ? a.evidence : {};
	const win = Array.isArray(ev.window) && ev.window.length === 2 ? ev.window : null;
	const recipients = Array.isArray(a.recipients) ? a.recipients.filter((r) => typeof r === 'string') : [];
	replace($('#d-head'),
		el('h2', { id: 'd-title', class: 'alert-heading' }, sign(a), ' ', String(a.title || '#' + a.id)),
		el('p', { class: 'alert-meta' },
			el('span', { class: 'badge sev-' + severityOf(a) }, t('alert.sev.' + severityOf(a))),
			' ', stateBadge(a),
			name ? [' ', el('span', { class: 'chip' }, name)] : null,
			a.rule ? [' ', el('span', { class: 'muted' }, t('alerts.rule', { rule: a.rule }))] : null),
		a.summary ? el('p', { class: 'alert-summary' }, String(a.summary)) : null,
		actions.length ? el('div', { class: 'buttons', id: 'd-actions' }, actions) : null,
		statusNode,
		el('dl', { class: 'facts', id: 'd-facts' },
			fact(t('alerts.opened'), time(a.opened_at || a.at)),
			fact(t('alerts.lastfired'), time(a.last_at || a.at)),
			fact(t('alerts.fired'), num(a.fired) + '×'),
			win ? fact(t('alerts.window'), time(win[0]) + ' – ' + time(win[1])) : null,
			st !== 'open' && a.acked_by ? fact(t('alerts.ackedby'), a.acked_by + ' · ' + time(a.acked_at)) : null,
			st === 'resolved' ? fact(t('alerts.resolvedby'), (a.resolved_by || '–') + ' · ' + time(a.resolved_at)) : null,
			fact(t('alerts.recipients'), recipients.join(', ')),
			fact(t('alerts.kind'), a.kind ? t('alert.kind.' + a.kind) : null)));
}

// chartData(ev) returns [xs, counts, window counts] of the evidence's
// series, or null when there is none to draw.
function chartData(ev) {
	const s = ev.series;
	if (!s || typeof s !== 'object' || !Array.isArray(s.counts) || !s.counts.length)
		return null;
	const t0 = Date.parse(s.t0 || '') / 1000;
	const step = Number(s.step_s);
	if (!Number.isFinite(t0) || !Number.isFinite(step) || step <= 0)
		return null;
	const counts = s.counts.slice(0, SERIES_MAX).map((c) => (Number.isFinite(Number(c)) ? Number(c) : 0));
	const xs = counts.map((c, i) => t0 + i * step);
	let from = NaN;
	let to = NaN;
	if (Array.isArray(ev.window) && ev.window.length === 2) {
		from = Date.parse(ev.window[0] || '') / 1000;
		to = Date.parse(ev.window[1] || '') / 1000;
	}
	const fired = counts.map((c, i) => (xs[i] < to && xs[i] + step > from ? c : null));
	return [xs, counts, fired.some((c) => c !== null) ? fired : null];
}

// figure(key, value) formats one of the kind's figures.
function figure(key, value) {
	if (typeof value === 'number') {
		if (key === 'sla_s')
			return duration(value);
		if (key === 'net_recent' || key === 'net_base')
			return (value > 0 ? '+' : '') + num(value, 2);
		return num(value, Number.isInteger(value) ? 0 : 2);
	}
	if (typeof value === 'string')
		return /^\d{4}-\d\d-\d\dT/.test(value) ? time(value) : value;
	if (typeof value === 'boolean')
		return t(value ? 'yes' : 'no');
	return null;
}

// duration(s) writes seconds as "90 s", "45 min", "4 h", "2 d".
function duration(s) {
	if (!Number.isFinite(s))
		return '–';
	if (s < 120)
		return num(s, 0) + ' s';
	if (s < 7200)
		return num(s / 60, 0) + ' min';
	if (s < 172800)
		return num(s / 3600, 1) + ' h';
	return num(s / 86400, 1) + ' d';
}

function renderEvidence(a) {
	const ev = a.evidence && typeof a.evidence === 'object' ? a.evidence : {};
	const data = chartData(ev);
	const box = $('#d-chart');
	box.classList.toggle('hidden', !data);
	if (data) {
		if (!chart)
			chart = new TimeChart(box, { bars: true, legend: true });
		const series = [{ label: t('alerts.chart.posts'), color: '#5aa9ff', values: data[1] }];
		if (data[2])
			series.push({ label: t('alerts.chart.window'), color: '#ff8a65', values: data[2] });
		chart.update(data[0], series);
	}
	const keys = FIGURES.filter((k) => k in ev)
		.concat(Object.keys(ev).filter((k) => !FIGURES.includes(k) && !NOT_FIGURES.has(k)).sort());
	const items = keys.map((k) => {
		const v = figure(k, ev[k]);
		return v === null ? null : fact(t('fig.' + k) === 'fig.' + k ? k : t('fig.' + k), v);
	}).filter(Boolean);
	replace($('#d-figures'), items);
	$('#d-evidence').classList.toggle('hidden', !data && !items.length);
}

function evidencePost(p) {
	const url = safeUrl(p.url);
	return el('li', { class: 'post evidence-post', dataset: { id: Number.isInteger(p.id) ? p.id : '' } },
		el('header', { class: 'post-head' },
			el('span', { class: 'post-author' }, typeof p.author === 'string' ? '@' + p.author : ''),
			el('time', { class: 'post-time', datetime: p.created_at || '' }, time(p.created_at))),
		el('p', { class: 'post-text' }, typeof p.text === 'string' ? p.text : ''),
		url ? el('footer', { class: 'post-foot' }, el('a', { class: 'post-link', href: url, target: '_blank',
			rel: 'noopener noreferrer' }, t('post.open'))) : null);
}

function renderRest(a) {
	const ev = a.evidence && typeof a.evidence === 'object' ? a.evidence : {};
	const posts = Array.isArray(ev.posts) ? ev.posts.filter((p) => p && typeof p === 'object') : [];
	const terms = Array.isArray(ev.terms) ? ev.terms.filter((x) => x && typeof x.term === 'string') : [];
	const list = deliveries.get(a.id) || [];
	replace($('#d-rest'),
		posts.length ? [el('h3', null, t('alerts.posts')), el('ol', { class: 'feed', id: 'd-posts' },
			posts.map(evidencePost))] : null,
		terms.length ? [el('h3', null, t('alerts.terms')), el('ul', { class: 'term-chips', id: 'd-terms' },
			terms.map((x) => el('li', { class: 'chip' }, x.term, ' ', el('b', null, num(x.count)))))] : null,
		el('h3', null, t('alerts.deliveries')),
		list.length ? el('table', { class: 'list', id: 'd-deliveries' },
			el('thead', null, el('tr', null,
				el('th', null, t('alerts.d.channel')), el('th', null, t('alerts.d.target')),
				el('th', null, t('alerts.d.state')), el('th', { class: 'num' }, t('alerts.d.attempts')),
				el('th', null, t('alerts.d.at')))),
			el('tbody', null, list.map((d) => el('tr', { class: 'delivery-' + (typeof d.state === 'string'
				? d.state.replace(/[^a-z]/g, '') : '') },
			el('td', null, String(d.channel || '')),
			el('td', { class: 'wrap' }, String(d.target || '')),
			el('td', null, t('alerts.d.' + (['pending', 'sent', 'failed', 'held'].includes(d.state) ? d.state : 'pending')),
				d.error ? el('div', { class: 'error small' }, String(d.error)) : null),
			el('td', { class: 'num' }, num(d.attempts)),
			el('td', null, time(d.at))))))
			: el('p', { class: 'muted', id: 'd-deliveries' }, t('alerts.d.none')));
}

// --- keys and start ------------------------------------------------------------------

function onKey(ev) {
	switch (ev.key) {
	case 'j':
	case 'k': {
		if (!rows.length)
			return true;
		let i = rows.indexOf(selectedId);
		i = i < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, i + (ev.key === 'j' ? 1 : -1)));
		select(rows[i], true);
		return true;
	}
	case 'a':
	case 'r': {
		const b = $(ev.key === 'a' ? '#d-actions .ack' : '#d-actions .resolve');
		if (b && !b.disabled)
			b.click();
		return true;
	}
	default:
		return false;
	}
}

async function main() {
	const session = await init({ keys: [['j / k', 'alerts.keys.jk'], ['a', 'alert.ack'], ['r', 'alert.resolve']], onKey });
	user = session && session.user;
	const sel = $('#state');
	sel.value = filter;
	sel.addEventListener('change', () => {
		filter = FILTERS.includes(sel.value) ? sel.value : 'active';
		rows = [];
		more = false;
		remember();
		load(false);
	});
	$('#more').addEventListener('click', () => load(true));
	// The stream first: an alert raised while the list loads is heard.
	let state = 'connecting';
	// Alerts only: the page does not need every post of the stream.
	stream('/api/stream?events=alert', {
		alert: onAlert,
		resync: () => load(false),
	}, (next) => {
		setConn(next);
		// Alert events are not replayed: after a break (and once the
		// stream first stands, for what came before it), load again.
		if (next === 'live' && state !== 'live') {
			load(false);
			if (selectedId && state === 'reconnecting')
				loadDetail(selectedId);
		}
		state = next;
	});
	await load(false);
	if (selectedId)
		select(selectedId, false);
	document.addEventListener('horch:lang', () => {
		renderTable();
		if (selectedId && known.has(selectedId)) {
			const a = known.get(selectedId);
			renderHead(a);
			renderEvidence(a);
			renderRest(a);
		}
	});
}

main().catch((err) => replace($('#list-note'), el('span', { class: 'error' }, t('error', { message: err.message }))));
