// wall.js - the listening wall: a full-screen page for a TV in the room.
//
// A live river of posts (SSE), and widgets fed from the numbers endpoints:
// volume per topic over time, net sentiment, share of voice, sources, top
// authors, trending terms, a card per topic, and an alert ticker.  Each
// widget refreshes every 30 s; when a refresh fails it shows a "stale"
// badge and retries sooner, so the wall mends itself after a server
// restart.  Address parameters:
//   ?rotate=30    cycle the screens (overview, river, topics) every 30 s
//   ?screen=river start on (or, without rotate, stay on) one screen
//   ?topics=1,2   only these topic ids (default: every topic)
//   ?token=... or #token=...  sign in with a viewer token (then removed)
//
// The alert ticker along the bottom holds the active alerts, newest firing
// first: the sign of the kind in the colour of the severity, the topic, the
// title, the time, "fired N×"; acknowledged ones dimmed, resolved ones
// gone.  It loads GET /api/alerts?state=active at start, every 30 s and
// after every reconnect (the stream does not replay alerts), and applies
// the stream's "alert" events in between.  With ?topics= it keeps to the
// alerts of those topics (and those of no topic, such as a product's
// ratings).

import { el, $, replace, safeColor, topicColor } from './dom.js';
import { t, tn, num, clock } from './i18n.js';
import { get, query, stream } from './api.js';
import { init, setConn } from './page.js';
import { postCard, ensureMatch } from './post.js';
import { TimeChart } from './chart.js';
import { merge, valid, stateOf, severityOf, topicName, newestFirst, sign, stateBadge, fired, when,
	reconcile } from './alertview.js';

const SCREENS = ['overview', 'river', 'topics'];
const RIVER_MAX = 50;
const REFRESH_MS = 30000;
const SOON_MS = 10000;        // after new posts, the numbers follow within this
const METRICS_TOPICS_MAX = 32;   // topics of one /api/metrics call (the server's cap)
const TICKER_MAX = 20;           // alerts in the ticker, at most
const ALERTS_LOAD = 100;         // active alerts fetched at a time

const params = new URLSearchParams(location.search);
const onlyTopics = (params.get('topics') || '').split(',').map((s) => parseInt(s, 10))
	.filter((n) => Number.isInteger(n) && n > 0);
const rotateSec = Math.max(0, Math.min(3600, parseInt(params.get('rotate') || '0', 10) || 0));

let topics = new Map();     // id -> topic
const riverIds = new Set();
const riverPosts = new Map();  // id -> post, to draw the river again in another language
let screen = Math.max(0, SCREENS.indexOf(params.get('screen') || 'overview'));
let paused = false;
let rotateTimer = null;
let volumeChart = null;
const alerts = new Map();        // id -> alert: the active ones, and those heard of since
const heardAt = new Map();       // id -> the number of the event that last told of it
let alertEvents = 0;             // alert events heard so far
const tickerNodes = new Map();   // id -> {key, node}: the ticker's items, drawn once per change
let connState = 'connecting';

// --- widgets ---------------------------------------------------------------

// A Widget refreshes one or more sections from one loader; on failure the
// sections show the stale badge and the loader is retried with back-off.
class Widget {
	// sections: ids of the <section>s it fills; load() fetches, render(data)
	// draws; opts.periodic false loads only on demand (and on retries).
	constructor(sections, load, render, opts = {}) {
		this.sections = sections;
		this.load = load;
		this.render = render;
		this.periodic = opts.periodic !== false;
		this.timer = null;
		this.soonTimer = null;
		this.retry = 2000;
	}

	async refresh() {
		clearTimeout(this.timer);
		try {
			const data = await this.load();
			this.render(data);
			this.stale(null);
			this.retry = 2000;
			if (this.periodic)
				this.timer = setTimeout(() => this.refresh(), REFRESH_MS);
		} catch (err) {
			this.stale(err);
			this.timer = setTimeout(() => this.refresh(), this.retry);
			this.retry = Math.min(this.retry * 2, REFRESH_MS);
		}
	}

	// soon() refreshes within SOON_MS (new posts arrived), once however
	// many arrive meanwhile.
	soon() {
		if (this.soonTimer)
			return;
		this.soonTimer = setTimeout(() => {
			this.soonTimer = null;
			this.refresh();
		}, SOON_MS);
	}

	stale(err) {
		for (const id of this.sections) {
			const section = document.getElementById(id);
			if (!section)
				continue;
			section.classList.toggle('is-stale', !!err);
			const badge = section.querySelector('.stale-badge');
			if (badge) {
				badge.classList.toggle('hidden', !err);
				badge.title = err ? t('stale.title', { error: err.message }) : '';
			}
		}
	}
}

function topicIds() {
	return onlyTopics.length ? onlyTopics : null;
}

// Calls path once per selected topic (the endpoint takes one topic), or
// once without a topic when the wall shows all of them.
async function perTopic(path, extra) {
	const ids = topicIds();
	if (!ids)
		return [await get(path + query(extra))];
	return Promise.all(ids.map((id) => get(path + query({ ...extra, topic: id }))));
}

async function loadTopics() {
	const data = await get('/api/topics');
	const map = new Map();
	for (const tp of data.topics || [])
		map.set(tp.id, tp);
	topics = map;
	return data;
}

function bar(label, fraction, color, value, extraClass) {
	const fill = el('span', { class: 'fill' });
	fill.style.width = (Math.max(0, Math.min(1, fraction)) * 100).toFixed(1) + '%';
	if (color)
		fill.style.backgroundColor = safeColor(color);
	return el('li', { class: extraClass || null },
		el('span', { class: 'label' }, label),
		el('span', { class: 'track' }, fill),
		el('span', { class: 'value' }, value));
}

function renderMetrics(m) {
	// A series with id 0 is every post together (no topic named): not a topic.
	const list = (m.topics || []).filter((tp) => tp && tp.id);
	// Volume per topic over time: the union of every series' times.
	const times = new Set();
	for (const tp of list)
		for (const s of tp.series || [])
			times.add(Date.parse(s.t) / 1000);
	const xs = Array.from(times).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
	const index = new Map(xs.map((x, i) => [x, i]));
	const series = list.map((tp) => {
		const values = new Array(xs.length).fill(0);
		for (const s of tp.series || []) {
			const i = index.get(Date.parse(s.t) / 1000);
			if (i !== undefined)
				values[i] = s.volume || 0;
		}
		return { label: tp.name, color: topicColor(tp), values };
	});
	replace($('#volume-legend'), list.map((tp) => {
		const sw = el('span', { class: 'swatch' });
		sw.style.backgroundColor = topicColor(tp);
		return el('span', { class: 'legend-item' }, sw, tp.name, ' ', el('b', null, num(tp.volume)));
	}));
	if (!volumeChart)
		volumeChart = new TimeChart($('#volume-chart'));
	volumeChart.update(xs, series);

	replace($('#net'), list.map((tp) => {
		const v = tp.net_sentiment;
		const li = el('li', { class: typeof v !== 'number' || v === 0 ? 'none' : v < 0 ? 'neg' : 'pos' },
			el('span', { class: 'label' }, tp.name));
		const fill = el('span', { class: 'fill' });
		if (typeof v === 'number')
			fill.style.width = (Math.min(1, Math.abs(v)) * 50).toFixed(1) + '%';
		li.append(el('span', { class: 'track' }, el('span', { class: 'mid' }), fill),
			el('span', { class: 'value' }, typeof v === 'number' ? (v > 0 ? '+' : '') + num(v, 2) : '–'));
		return li;
	}));

	replace($('#sov'), list.map((tp) => bar(tp.name, tp.share_of_voice || 0, topicColor(tp),
		num((tp.share_of_voice || 0) * 100, 0) + ' %')));

	const sources = (m.by_source || []).slice(0, 8);
	const maxSource = Math.max(1, ...sources.map((s) => s.count || 0));
	replace($('#sources'), sources.map((s) => bar(s.key || '–', (s.count || 0) / maxSource, null, num(s.count))));

	replace($('#topic-cards'), list.map((tp) => {
		const total = (tp.positive || 0) + (tp.neutral || 0) + (tp.negative || 0);
		const mix = el('div', { class: 'mix' }, ['positive', 'neutral', 'negative'].map((k) => {
			const part = el('span', { class: 'mix-' + k, title: t('sent.' + k) + ': ' + num(tp[k] || 0) });
			part.style.flexGrow = String(total ? (tp[k] || 0) : 1);
			return part;
		}));
		const card = el('article', { class: 'topic-card' },
			el('h3', null, tp.name),
			el('p', { class: 'big' }, num(tp.volume)),
			el('p', null, t('wall.net') + ': ',
				el('b', null, typeof tp.net_sentiment === 'number'
					? (tp.net_sentiment > 0 ? '+' : '') + num(tp.net_sentiment, 2) : '–')),
			el('p', null, t('wall.sov') + ': ', el('b', null, num((tp.share_of_voice || 0) * 100, 0) + ' %')),
			mix);
		card.style.borderTopColor = topicColor(tp);
		return card;
	}));
}

function renderAuthors(answers) {
	// Several topics: merge by (source, handle), highest reach first.
	const byKey = new Map();
	for (const a of answers.flatMap((x) => x.authors || [])) {
		const key = a.source + '\u0000' + a.handle;
		const old = byKey.get(key);
		if (old)
			old.posts = (old.posts || 0) + (a.posts || 0);
		else
			byKey.set(key, { ...a });
	}
	// One answer keeps the server's order; merged ones are sorted the same
	// way: followers (unknown last), then reach.
	let list = Array.from(byKey.values());
	if (answers.length > 1)
		list.sort((x, y) => (y.followers ?? -1) - (x.followers ?? -1) || (y.reach || 0) - (x.reach || 0));
	list = list.slice(0, 10);
	replace($('#authors'), list.length ? list.map((a) => el('li', null,
		el('span', { class: 'name' }, a.name || a.handle || ''),
		el('span', { class: 'muted' }, ' @' + (a.handle || '') + ' · ' + (a.source || '')),
		a.verified ? el('span', { class: 'post-verified' }, ' ✓') : null,
		el('span', { class: 'value' }, num(a.reach, 1)),
		el('span', { class: 'muted small' }, t('wall.followers', { n: num(a.followers) }) + ' · '
			+ tn('wall.posts', a.posts))))
		: el('li', { class: 'muted' }, t('none')));
}

function renderTerms(answers) {
	const byTerm = new Map();
	for (const term of answers.flatMap((x) => x.terms || [])) {
		const old = byTerm.get(term.term);
		if (old) {
			old.count += term.count || 0;
			old.score = Math.max(old.score, term.score || 0);
		} else {
			byTerm.set(term.term, { ...term, count: term.count || 0, score: term.score || 0 });
		}
	}
	const list = Array.from(byTerm.values()).sort((x, y) => y.score - x.score).slice(0, 15);
	replace($('#terms'), list.length ? list.map((term) => el('li', null,
		el('span', { class: 'term' }, term.term),
		el('span', { class: 'value' }, '×' + num(term.score, 1)),
		el('span', { class: 'muted small' }, num(term.count))))
		: el('li', { class: 'muted' }, t('none')));
}

// --- the river ---------------------------------------------------------------

function addPost(post, fresh) {
	if (!post || typeof post.id !== 'number' || riverIds.has(post.id))
		return;
	if (onlyTopics.length && !(post.matches || []).some((m) => onlyTopics.includes(m.topic_id)))
		return;
	riverIds.add(post.id);
	riverPosts.set(post.id, post);
	const river = $('#river');
	const card = postCard(post, { topics, tag: 'li', compact: true });
	if (fresh)
		card.classList.add('fresh');
	// Newest (highest id) first, wherever an older post lands.
	let before = null;
	for (const node of river.children) {
		if (Number(node.dataset.id) < post.id) {
			before = node;
			break;
		}
	}
	river.insertBefore(card, before);
	while (river.children.length > RIVER_MAX) {
		const last = river.lastElementChild;
		riverIds.delete(Number(last.dataset.id));
		riverPosts.delete(Number(last.dataset.id));
		last.remove();
	}
}

async function fillRiver() {
	const answers = await perTopic('/api/posts', { limit: RIVER_MAX });
	const ids = topicIds();
	answers.forEach((a, i) => {
		for (const p of (a.posts || []).slice().reverse())
			addPost(ids ? ensureMatch(p, ids[i], topics) : p, false);
	});
}

// onAlert(a) applies an "alert" event of the stream.
function onAlert(a) {
	if (!valid(a))
		return;
	heardAt.set(a.id, ++alertEvents);
	merge(alerts, a);
	renderAlerts();
}

// loadAlerts() fetches the active alerts; it notes how many events had
// been heard when it began, so that applyAlerts() keeps what arrived while
// it was on its way.
async function loadAlerts() {
	const since = alertEvents;
	const data = await get('/api/alerts' + query({ state: 'active', limit: ALERTS_LOAD }));
	return { since, list: Array.isArray(data.alerts) ? data.alerts : [] };
}

// applyAlerts({since, list}) takes the server's active alerts as the
// truth: an alert missing from it was resolved meanwhile, unless an event
// newer than the request told of it.
function applyAlerts({ since, list }) {
	const active = new Set();
	for (const a of list) {
		if (merge(alerts, a))
			active.add(a.id);
	}
	for (const id of Array.from(alerts.keys())) {
		if (!active.has(id) && (heardAt.get(id) || 0) <= since) {
			alerts.delete(id);
			heardAt.delete(id);
		}
	}
	renderAlerts();
}

function onTicker(a) {
	if (stateOf(a) === 'resolved')
		return false;
	return !onlyTopics.length || !a.topic || onlyTopics.includes(a.topic.id);
}

function tickerItem(a) {
	const st = stateOf(a);
	const name = topicName(a);
	return el('li', { class: `ticker-alert sev-${severityOf(a)} state-${st}`, dataset: { id: a.id, state: st } },
		sign(a),
		name ? el('b', { class: 'alert-topic' }, name) : null,
		el('span', { class: 'alert-title' }, String(a.title || '')),
		when(a),
		fired(a),
		st === 'acked' ? stateBadge(a) : null);
}

// renderAlerts() draws the ticker (items that did not change stay).
function renderAlerts() {
	const list = Array.from(alerts.values()).filter(onTicker).sort(newestFirst).slice(0, TICKER_MAX);
	reconcile($('#alerts'), list, tickerNodes, tickerItem, () => el('li', { class: 'muted' }, t('wall.noalerts')));
}

// --- screens -------------------------------------------------------------------

function showScreen(i) {
	screen = (i + SCREENS.length) % SCREENS.length;
	for (const s of SCREENS)
		document.body.classList.toggle('screen-' + s, s === SCREENS[screen]);
	replace($('#screen-name'), SCREENS[screen] === 'overview' ? '' : '· ' + t('wall.screen.' + SCREENS[screen]));
	if (volumeChart)
		volumeChart.resize();
}

function scheduleRotation() {
	clearInterval(rotateTimer);
	if (rotateSec > 0 && !paused)
		rotateTimer = setInterval(() => showScreen(screen + 1), rotateSec * 1000);
	$('#paused').classList.toggle('hidden', !paused || rotateSec === 0);
}

function onKey(ev) {
	switch (ev.key) {
	case 'n':
	case 'ArrowRight':
		showScreen(screen + 1);
		scheduleRotation();
		return true;
	case 'p':
	case 'ArrowLeft':
		showScreen(screen - 1);
		scheduleRotation();
		return true;
	case ' ':
		paused = !paused;
		scheduleRotation();
		return true;
	case 'f':
		if (document.fullscreenElement)
			document.exitFullscreen();
		else
			document.documentElement.requestFullscreen().catch(() => {});
		return true;
	default:
		return false;
	}
}

function tickClock() {
	replace($('#clock'), clock(new Date()));
}

async function main() {
	await init({
		keys: [['n / →', 'keys.next'], ['p / ←', 'keys.next'], ['Space', 'keys.pause']],
		onKey,
	});
	showScreen(screen);
	scheduleRotation();
	tickClock();
	setInterval(tickClock, 10000);
	renderAlerts();

	const ids = topicIds();
	const metrics = new Widget(['w-volume', 'w-net', 'w-sov', 'w-sources', 'w-topics'],
		async () => {
			await loadTopics();
			// The topics are named: without them the server answers one
			// series of every post (id 0), not one per topic.
			const which = ids || Array.from(topics.keys()).slice(0, METRICS_TOPICS_MAX);
			return get('/api/metrics' + query({ topics: which.join(','), since: '24h', interval: 'hour' }));
		}, renderMetrics);
	const authors = new Widget(['w-authors'],
		() => perTopic('/api/authors/top', { since: '24h', limit: 10 }), renderAuthors);
	const terms = new Widget(['w-terms'],
		() => perTopic('/api/terms/trending', { window: '1h', baseline: '24h', limit: 15 }), renderTerms);
	// The river's first page is loaded once (and again after a reconnect);
	// after that, posts arrive on the stream.
	const river = new Widget(['w-river'], fillRiver, () => {}, { periodic: false });
	const ticker = new Widget(['w-alerts'], loadAlerts, applyAlerts);
	await metrics.refresh();
	authors.refresh();
	terms.refresh();
	river.refresh();
	ticker.refresh();

	stream('/api/stream' + query({ topics: ids ? ids.join(',') : '' }), {
		post: (post) => {
			addPost(post, true);
			metrics.soon();
			authors.soon();
		},
		tick: (tick) => {
			replace($('#rate'), t('wall.rate', { rate: num(tick.ingest_rate, 1) }));
			replace($('#clients'), tn('wall.clients', tick.clients));
		},
		alert: onAlert,
		resync: () => {
			river.refresh();
			ticker.refresh();
		},
	}, (state) => {
		setConn(state);
		river.stale(state === 'reconnecting' ? new Error(t('conn.reconnecting')) : null);
		if (state === 'live' && connState === 'connecting')
			ticker.refresh();   // what was raised before the stream stood
		if (state === 'live' && connState === 'reconnecting') {
			// Back after a break: the numbers are out of date.
			metrics.refresh();
			authors.refresh();
			terms.refresh();
			ticker.refresh();   // alert events are not replayed
		}
		connState = state;
	});
	document.addEventListener('horch:lang', () => {
		const shown = Array.from(riverPosts.values());
		replace($('#river'));
		riverIds.clear();
		riverPosts.clear();
		for (const p of shown)
			addPost(p, false);
		showScreen(screen);
		renderAlerts();
		tickClock();
		metrics.refresh();
		authors.refresh();
		terms.refresh();
	});
}

main();
