// search.js - full-text search with filters (GET /api/posts), newest
// first, a page at a time (next_cursor), each result with the spans its
// topics matched highlighted as <mark> (from the UTF-8 byte offsets in
// "matches").  The form is kept in the address (?q=...&sentiment=...), so a
// search can be linked and the back button works.  Keys: "/" focuses the
// box, j/k move through the results, o opens the selected post.

import { el, $, $$, replace, safeUrl } from './dom.js';
import { t } from './i18n.js';
import { get, query } from './api.js';
import { init } from './page.js';
import { postCard } from './post.js';

const FIELDS = ['q', 'topic', 'since', 'until', 'lang', 'source', 'sentiment', 'intent', 'spam'];
const PAGE = 50;

let topics = new Map();
let cursor = null;
let filters = {};
let shown = 0;
let selected = -1;
let seq = 0;

function input(name) {
	return name === 'q' ? $('#q') : $('#f-' + name);
}

function readForm() {
	const out = {};
	for (const f of FIELDS) {
		const v = input(f).value.trim();
		if (v)
			out[f] = v;
	}
	return out;
}

function fillForm(params) {
	for (const f of FIELDS)
		input(f).value = params.get(f) || '';
}

async function run(more) {
	const mine = ++seq;
	const params = { ...filters, limit: PAGE };
	if (more && cursor)
		params.cursor = cursor;
	replace($('#search-status'), t('loading'));
	try {
		const res = await get('/api/posts' + query(params));
		if (mine !== seq)
			return;
		if (!more) {
			replace($('#results'));
			shown = 0;
			selected = -1;
		}
		for (const p of res.posts || [])
			$('#results').appendChild(postCard(p, { topics, tag: 'li', focusable: true }));
		shown += (res.posts || []).length;
		cursor = res.next_cursor || null;
		$('#more').classList.toggle('hidden', !cursor);
		replace($('#search-status'), shown ? t('search.count', { n: shown }) : t('search.none'));
	} catch (err) {
		if (mine === seq)
			replace($('#search-status'), el('span', { class: 'error' }, t('error', { message: err.message })));
	}
}

function submit(ev) {
	if (ev)
		ev.preventDefault();
	filters = readForm();
	const url = location.pathname + query(filters);
	if (url !== location.pathname + location.search)
		history.pushState(null, '', url);
	run(false);
}

function onKey(ev) {
	const items = $$('#results > li');
	switch (ev.key) {
	case 'j':
	case 'k':
		if (!items.length)
			return true;
		selected = Math.max(0, Math.min(items.length - 1, selected + (ev.key === 'j' ? 1 : -1)));
		items.forEach((n, i) => n.classList.toggle('selected', i === selected));
		items[selected].focus();
		items[selected].scrollIntoView({ block: 'nearest' });
		return true;
	case 'o': {
		const link = items[selected] && items[selected].querySelector('a.post-link');
		const url = link && safeUrl(link.href);
		if (url)
			window.open(url, '_blank', 'noopener,noreferrer');
		return true;
	}
	default:
		return false;
	}
}

async function main() {
	await init({ keys: [['j / k', 'keys.jk'], ['o', 'keys.o']], onKey });
	const data = await get('/api/topics');
	topics = new Map((data.topics || []).map((tp) => [tp.id, tp]));
	const select = $('#f-topic');
	for (const tp of Array.from(topics.values()).sort((a, b) => a.name.localeCompare(b.name)))
		select.appendChild(el('option', { value: tp.id }, tp.name));
	$('#search-form').addEventListener('submit', submit);
	$('#more').addEventListener('click', () => run(true));
	window.addEventListener('popstate', () => {
		fillForm(new URLSearchParams(location.search));
		filters = readForm();
		run(false);
	});
	fillForm(new URLSearchParams(location.search));
	filters = readForm();
	run(false);
	if (!location.search)
		$('#q').focus();
}

main().catch((err) => replace($('#search-status'), t('error', { message: err.message })));
