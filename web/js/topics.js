// topics.js - the topics page: the list with match counts, and an editor
// with live lint as you type (POST /api/lint, 200 ms after the last key),
// each message with "line L, column C" and a caret under the column, a
// backtest chart (POST /api/backtest: matches per day and a sample) before
// saving, save (POST or PUT /api/topics) and delete with a confirmation.
// Keys: n new topic, j/k move in the list, Enter edits the selected topic.

import { el, $, replace, clear, safeColor, topicColor } from './dom.js';
import { t, num } from './i18n.js';
import { api, get, ApiError } from './api.js';
import { init } from './page.js';
import { postCard } from './post.js';
import { TimeChart } from './chart.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

let topics = [];
let current = null;       // the topic in the editor, null for a new one
let lintTimer = null;
let lintSeq = 0;
let chart = null;
let listIndex = -1;

function renderList() {
	const body = $('#topic-list');
	clear(body);
	for (const tp of topics) {
		const sw = el('span', { class: 'swatch' });
		sw.style.backgroundColor = topicColor(tp);
		const row = el('tr', { dataset: { id: tp.id }, class: current && current.id === tp.id ? 'current' : null,
			on: { click: () => edit(tp) } },
		el('td', null, sw, ' ', el('a', { href: '#topic-' + tp.id,
			on: { click: (ev) => { ev.preventDefault(); edit(tp); } } }, tp.name),
		el('br'), el('code', null, tp.query || '')),
		el('td', null, tp.team || ''),
		el('td', { class: 'num' }, num(tp.n_matches)));
		body.appendChild(row);
	}
	replace($('#list-note'), topics.length ? '' : t('topics.none'));
}

async function loadList() {
	const data = await get('/api/topics');
	topics = (data.topics || []).slice().sort((a, b) => a.name.localeCompare(b.name));
	renderList();
}

// edit(tp) fills the editor with the topic, or empties it for a new one.
function edit(tp) {
	current = tp || null;
	$('#t-name').value = tp ? tp.name : '';
	$('#t-team').value = tp ? tp.team || '' : '';
	$('#t-color').value = tp ? safeColor(tp.color, '#5aa9ff').replace(/^#(.)(.)(.)$/, '#$1$1$2$2$3$3').slice(0, 7) : '#5aa9ff';
	$('#t-query').value = tp ? tp.query || '' : '';
	$('#delete').classList.toggle('hidden', !tp);
	replace($('#h-editor'), tp ? t('topics.edit', { name: tp.name }) : t('topics.new'));
	replace($('#editor-status'));
	replace($('#lint'));
	$('#backtest-result').classList.add('hidden');
	history.replaceState(null, '', tp ? '#topic-' + tp.id : location.pathname);
	renderList();
	if (tp)
		lintNow();
	$('#t-name').focus();
}

// caretLine(query, line, column) returns [the query's line at fault, the
// number of characters before the column] for a 1-based line and 1-based
// UTF-8 byte column (counted from that line's start; a column past the end
// of line 1 is taken as counted from the start of the whole query).
export function caretLine(query, line, column) {
	const bytes = encoder.encode(query);
	let start = 0;
	let l = 1;
	while (l < line) {
		const nl = bytes.indexOf(10, start);
		if (nl < 0)
			break;
		start = nl + 1;
		l++;
	}
	let at = Math.max(0, Math.min(bytes.length, start + (column | 0) - 1));
	// Find the line that holds the byte at fault.
	let ls = bytes.lastIndexOf(10, at - 1) + 1;
	if (at > 0 && bytes[at - 1] === 10 && at === bytes.length)
		ls = at;
	let le = bytes.indexOf(10, ls);
	if (le < 0)
		le = bytes.length;
	while (at > ls && (bytes[at] & 0xc0) === 0x80)
		at--;
	const text = decoder.decode(bytes.subarray(ls, le)).replace(/\r$/, '');
	const before = Array.from(decoder.decode(bytes.subarray(ls, at))).length;
	return [text, before];
}

function renderLint(query, messages, ok) {
	const box = $('#lint');
	if (!messages.length) {
		replace(box, query.trim() && ok !== false ? el('p', { class: 'ok' }, t('topics.lint.ok')) : '');
		return;
	}
	replace(box, el('ul', { class: 'lint' }, messages.map((m) => {
		const sev = m.severity === 'warning' ? 'warning' : 'error';
		const [text, before] = caretLine(query, m.line || 1, m.column || 1);
		return el('li', { class: 'sev-' + sev, dataset: { line: m.line || 1, column: m.column || 1 } },
			el('span', { class: sev === 'error' ? 'error' : 'warn' }, t('topics.lint.' + sev) + ': '),
			el('span', { class: 'message' }, m.message || ''), ' ',
			el('span', { class: 'where' }, '(' + t('topics.lint.at', { line: m.line || 1, column: m.column || 1 }) + ')'),
			el('pre', null, text + '\n', el('span', { class: 'caret' }, ' '.repeat(before) + '^')),
			m.hint ? el('p', { class: 'hint muted' }, m.hint) : null);
	})));
}

async function lintNow() {
	const query = $('#t-query').value;
	const seq = ++lintSeq;
	if (!query.trim()) {
		renderLint(query, [], true);
		return;
	}
	try {
		const res = await api('POST', '/api/lint', { query });
		if (seq === lintSeq && $('#t-query').value === query)
			renderLint(query, res.lint || [], res.ok);
	} catch (err) {
		if (seq === lintSeq)
			replace($('#lint'), el('p', { class: 'error' }, t('error', { message: err.message })));
	}
}

function lintSoon() {
	clearTimeout(lintTimer);
	lintTimer = setTimeout(lintNow, 200);
}

// showError(err) shows a failed save or backtest; a 422 with "lint" shows
// the messages with their carets.
function showError(err) {
	if (err instanceof ApiError && err.body && Array.isArray(err.body.lint)) {
		renderLint($('#t-query').value, err.body.lint, false);
		replace($('#editor-status'));
	} else if (err instanceof ApiError && err.code === 'lint') {
		renderLint($('#t-query').value, [{ severity: 'error', line: err.line, column: err.column,
			message: err.message }], false);
		replace($('#editor-status'));
	} else {
		replace($('#editor-status'), el('span', { class: 'error' }, t('error', { message: err.message })));
	}
}

async function save(ev) {
	ev.preventDefault();
	const body = {
		name: $('#t-name').value.trim(),
		query: $('#t-query').value,
		team: $('#t-team').value.trim(),
		color: $('#t-color').value,
	};
	$('#save').disabled = true;
	try {
		const saved = current
			? await api('PUT', `/api/topics/${current.id}`, body)
			: await api('POST', '/api/topics', body);
		await loadList();
		edit(topics.find((tp) => tp.id === saved.id) || saved);
		replace($('#editor-status'), el('span', { class: 'ok' }, t('topics.saved')));
	} catch (err) {
		showError(err);
	} finally {
		$('#save').disabled = false;
	}
}

async function remove() {
	if (!current || !confirm(t('topics.confirm.delete', { name: current.name })))
		return;
	try {
		await api('DELETE', `/api/topics/${current.id}`);
		await loadList();
		edit(null);
		replace($('#editor-status'), el('span', { class: 'ok' }, t('topics.deleted')));
	} catch (err) {
		showError(err);
	}
}

async function backtest() {
	const query = $('#t-query').value;
	const button = $('#backtest');
	button.disabled = true;
	replace($('#editor-status'), t('loading'));
	try {
		const res = await api('POST', '/api/backtest', { query, since: $('#bt-since').value });
		replace($('#editor-status'));
		$('#backtest-result').classList.remove('hidden');
		replace($('#bt-summary'), t('topics.backtest.result', { matched: num(res.matched), scanned: num(res.scanned) }));
		const days = (res.by_day || []).map((d) => [Date.parse(d.day + 'T00:00:00Z') / 1000, d.count || 0])
			.filter((d) => !Number.isNaN(d[0]));
		if (!chart)
			chart = new TimeChart($('#bt-chart'), { bars: true });
		chart.update(days.map((d) => d[0]), [{ label: t('topics.matches'), color: $('#t-color').value,
			values: days.map((d) => d[1]) }]);
		replace($('#bt-sample'), (res.sample || []).map((p) => postCard(p, { tag: 'li',
			topics: new Map(topics.map((tp) => [tp.id, tp])) })));
	} catch (err) {
		showError(err);
	} finally {
		button.disabled = false;
	}
}

function onKey(ev) {
	const rows = Array.from($('#topic-list').children);
	switch (ev.key) {
	case 'n':
		edit(null);
		return true;
	case 'j':
	case 'k':
		if (!rows.length)
			return true;
		listIndex = Math.max(0, Math.min(rows.length - 1, listIndex + (ev.key === 'j' ? 1 : -1)));
		rows[listIndex].querySelector('a').focus();
		return true;
	default:
		return false;
	}
}

async function main() {
	await init({ keys: [['n', 'topics.new'], ['j / k', 'keys.jk']], onKey });
	$('#editor').addEventListener('submit', save);
	$('#t-query').addEventListener('input', lintSoon);
	$('#new-topic').addEventListener('click', () => edit(null));
	$('#delete').addEventListener('click', remove);
	$('#backtest').addEventListener('click', backtest);
	await loadList();
	const m = /^#topic-(\d+)$/.exec(location.hash);
	const tp = m && topics.find((x) => x.id === Number(m[1]));
	if (tp)
		edit(tp);
	document.addEventListener('horch:lang', () => {
		replace($('#h-editor'), current ? t('topics.edit', { name: current.name }) : t('topics.new'));
		lintNow();
	});
}

main().catch((err) => replace($('#list-note'), t('error', { message: err.message })));
