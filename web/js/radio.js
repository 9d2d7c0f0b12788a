// radio.js - "social is a radio for all employees": the signed-in user's
// own live feed of the topics they subscribe to.
//
// Every topic is listed with a checkbox (ticked = subscribed; ticking calls
// PUT /api/me/subscriptions/{id}, unticking DELETE).  The feed is the first
// page of GET /api/posts?topic=... for each subscribed topic, then the live
// stream /api/stream?topics=<subscribed ids>; posts are de-duplicated by id
// and by analysis.dup_of (a near-copy of a post already heard is left out),
// newest first, with the priority as a badge.  Keys: j/k move, o opens.
//
// Above the posts, the user's alerts: the active alerts whose topic is one
// of the subscribed topics or whose recipients name the user, newest
// firing first, with Acknowledge and Resolve buttons for the roles agent
// and above.  They are loaded from GET /api/alerts?state=active at start,
// every 30 s, after a change of topics and after every reconnect (alert
// events are not replayed), and follow the stream's "alert" events in
// between.  With no topic ticked there is no stream; the 30 s refresh
// still brings the alerts that name the user.

import { el, $, replace, clear, safeUrl, topicColor } from './dom.js';
import { t } from './i18n.js';
import { api, get, query, stream } from './api.js';
import { init, setConn } from './page.js';
import { postCard, ensureMatch } from './post.js';
import { merge, valid, stateOf, severityOf, topicName, newestFirst, sign, stateBadge, fired, when,
	buttons, canAct, reconcile } from './alertview.js';

const FEED_MAX = 200;
const PAGE = 30;
const ALERTS_LOAD = 100;         // active alerts fetched at a time
const ALERTS_REFRESH_MS = 30000;

let topics = new Map();        // id -> topic
let subscribed = new Set();    // topic ids
let posts = [];                // newest first
let heard = new Set();         // post ids shown, and the ids they repeat
let live = null;
let selected = -1;
let generation = 0;
let user = null;               // {name, role} of the session
const alerts = new Map();      // id -> alert: the active ones, and those heard of since
const heardAt = new Map();     // id -> the number of the event that last told of it
let alertEvents = 0;
const alertNodes = new Map();  // id -> {key, node}: the items drawn
let alertsTimer = null;
let alertsRetry = 2000;
let alertsLoaded = false;

function newer(a, b) {
	const ta = Date.parse(a.created_at || a.fetched_at) || 0;
	const tb = Date.parse(b.created_at || b.fetched_at) || 0;
	return ta !== tb ? tb - ta : (b.id || 0) - (a.id || 0);
}

// mine(post) is true when the post matched a subscribed topic.
function mine(post) {
	return (post.matches || []).some((m) => subscribed.has(m.topic_id));
}

// add(post, topicId) puts the post into the feed unless it was heard
// before (the same id, or a near-copy of a post in the feed, or the
// original of a copy in the feed).  topicId is the subscribed topic whose
// page the post came from (the server chose it for that topic, so it counts
// as matched even when its "matches" do not say so).  Returns true when it
// was added.
function add(post, topicId) {
	if (!post || typeof post.id !== 'number')
		return false;
	if (topicId && subscribed.has(topicId))
		ensureMatch(post, topicId, topics);
	if (!mine(post))
		return false;
	const dup = post.analysis && post.analysis.dup_of;
	if (heard.has(post.id) || (dup && heard.has(dup)))
		return false;
	heard.add(post.id);
	if (dup)
		heard.add(dup);
	posts.push(post);
	posts.sort(newer);
	if (posts.length > FEED_MAX)
		posts.length = FEED_MAX;
	return true;
}

function render() {
	const feed = $('#feed');
	const keep = selected >= 0 && posts[selected] ? posts[selected].id : null;
	clear(feed);
	for (const p of posts)
		feed.appendChild(postCard(p, { topics, tag: 'li', focusable: true }));
	selected = keep === null ? -1 : posts.findIndex((p) => p.id === keep);
	markSelected(false);
	replace($('#feed-note'), subscribed.size === 0 ? t('radio.empty')
		: posts.length === 0 ? t('radio.quiet') : '');
}

function markSelected(scroll) {
	const items = $('#feed').children;
	for (let i = 0; i < items.length; i++)
		items[i].classList.toggle('selected', i === selected);
	if (selected >= 0 && items[selected]) {
		items[selected].focus({ preventScroll: !scroll });
		if (scroll)
			items[selected].scrollIntoView({ block: 'nearest' });
	}
}

function renderSubs() {
	const list = Array.from(topics.values()).sort((a, b) => a.name.localeCompare(b.name));
	replace($('#subs'), list.map((tp) => {
		const sw = el('span', { class: 'swatch' });
		sw.style.backgroundColor = topicColor(tp);
		const box = el('input', { type: 'checkbox', id: 'sub-' + tp.id, dataset: { topic: tp.id },
			props: { checked: subscribed.has(tp.id) }, on: { change: toggle } });
		return el('li', null, box, el('label', { for: 'sub-' + tp.id }, sw, ' ', tp.name),
			tp.team ? el('span', { class: 'muted' }, tp.team) : null);
	}));
}

async function toggle(ev) {
	const box = ev.target;
	const id = Number(box.dataset.topic);
	box.disabled = true;
	replace($('#subs-error'));
	try {
		await api(box.checked ? 'PUT' : 'DELETE', `/api/me/subscriptions/${id}`);
		if (box.checked)
			subscribed.add(id);
		else
			subscribed.delete(id);
		await tune();
	} catch (err) {
		box.checked = !box.checked;
		replace($('#subs-error'), t('radio.subfailed', { message: err.message }));
	} finally {
		box.disabled = false;
	}
}

// tune() (re)starts the feed for the current subscriptions: the first page
// of each topic, then the live stream.
async function tune() {
	const gen = ++generation;
	if (live) {
		live.close();
		live = null;
	}
	posts = [];
	heard = new Set();
	selected = -1;
	renderAlerts();
	if (subscribed.size === 0) {
		// No topics would mean every post on the stream: hear nothing.
		setConn('');
		render();
		refreshAlerts();
		return;
	}
	const ids = Array.from(subscribed);
	await backfill(ids, gen);
	if (gen !== generation)
		return;
	render();
	let state = 'connecting';
	live = stream('/api/stream' + query({ topics: ids.join(',') }), {
		post: (post) => {
			if (add(post))
				render();
		},
		alert: onAlert,
		resync: () => {
			backfill(ids, gen).then(() => { if (gen === generation) render(); });
			refreshAlerts();
		},
	}, (next) => {
		setConn(next);
		// Alert events are not replayed: after a break, load them again;
		// the first "live" of a new stream, too (events between the old
		// stream and this one were heard by neither).
		if (next === 'live' && state !== 'live')
			refreshAlerts();
		state = next;
	});
}

async function backfill(ids, gen) {
	const answers = await Promise.all(ids.map((id) => get('/api/posts' + query({ topic: id, limit: PAGE }))));
	if (gen !== generation)
		return;
	answers.forEach((a, i) => {
		for (const p of a.posts || [])
			add(p, ids[i]);
	});
}

// --- the user's alerts -------------------------------------------------------

// forMe(a) is true for an active alert of a subscribed topic or one whose
// recipients name the user (user names without regard to case).
function forMe(a) {
	if (stateOf(a) === 'resolved')
		return false;
	if (a.topic && subscribed.has(a.topic.id))
		return true;
	const name = user && typeof user.name === 'string' ? user.name.toLowerCase() : '';
	return !!name && Array.isArray(a.recipients)
		&& a.recipients.some((r) => typeof r === 'string' && r.toLowerCase() === name);
}

function onAlert(a) {
	if (!valid(a))
		return;
	heardAt.set(a.id, ++alertEvents);
	merge(alerts, a);
	renderAlerts();
}

// changed(a) takes the answer of an Acknowledge or Resolve as the news it is.
function changed(a) {
	replace($('#alerts-error'));
	onAlert(a);
}

function alertItem(a) {
	const st = stateOf(a);
	const name = topicName(a);
	return el('li', { class: `alert-item sev-${severityOf(a)} state-${st}`, dataset: { id: a.id, state: st } },
		el('div', { class: 'alert-line' },
			sign(a),
			name ? el('b', { class: 'alert-topic' }, name) : null,
			el('span', { class: 'alert-title' }, String(a.title || '')),
			when(a),
			fired(a),
			stateBadge(a)),
		a.summary ? el('p', { class: 'alert-summary' }, String(a.summary)) : null,
		el('div', { class: 'buttons' },
			canAct(user) ? buttons(a, changed, (err) => replace($('#alerts-error'),
				t('error', { message: err.message }))) : null,
			el('a', { class: 'alert-more', href: '/alerts?state=all&id=' + a.id }, t('alert.details'))));
}

function renderAlerts() {
	const list = Array.from(alerts.values()).filter(forMe).sort(newestFirst);
	reconcile($('#radio-alerts'), list, alertNodes, alertItem,
		() => el('li', { class: 'muted' }, t(alertsLoaded ? 'radio.noalerts' : 'loading')));
}

function alertsStale(err) {
	const section = $('#my-alerts');
	section.classList.toggle('is-stale', !!err);
	const badge = section.querySelector('.stale-badge');
	badge.classList.toggle('hidden', !err);
	badge.title = err ? t('stale.title', { error: err.message }) : '';
}

// refreshAlerts() loads the active alerts and takes them as the truth (an
// alert missing was resolved, unless an event newer than the request told
// of it); it runs again every 30 s, or sooner with back-off after a failure.
async function refreshAlerts() {
	clearTimeout(alertsTimer);
	const since = alertEvents;
	try {
		const data = await get('/api/alerts' + query({ state: 'active', limit: ALERTS_LOAD }));
		const active = new Set();
		for (const a of Array.isArray(data.alerts) ? data.alerts : []) {
			if (merge(alerts, a))
				active.add(a.id);
		}
		for (const id of Array.from(alerts.keys())) {
			if (!active.has(id) && (heardAt.get(id) || 0) <= since) {
				alerts.delete(id);
				heardAt.delete(id);
			}
		}
		alertsLoaded = true;
		renderAlerts();
		alertsStale(null);
		alertsRetry = 2000;
		alertsTimer = setTimeout(refreshAlerts, ALERTS_REFRESH_MS);
	} catch (err) {
		alertsStale(err);
		alertsTimer = setTimeout(refreshAlerts, alertsRetry);
		alertsRetry = Math.min(alertsRetry * 2, ALERTS_REFRESH_MS);
	}
}

function onKey(ev) {
	switch (ev.key) {
	case 'j':
		if (posts.length) {
			selected = Math.min(posts.length - 1, selected + 1);
			markSelected(true);
		}
		return true;
	case 'k':
		if (posts.length) {
			selected = Math.max(0, selected - 1);
			markSelected(true);
		}
		return true;
	case 'o': {
		const p = posts[selected];
		const url = p && safeUrl(p.url);
		if (url)
			window.open(url, '_blank', 'noopener,noreferrer');
		return true;
	}
	default:
		return false;
	}
}

async function main() {
	const session = await init({ keys: [['j / k', 'keys.jk'], ['o', 'keys.o']], onKey });
	user = session.user || null;
	const data = await get('/api/topics');
	topics = new Map((data.topics || []).map((tp) => [tp.id, tp]));
	// /api/me gives the subscribed topics' ids (and names, which older
	// servers gave alone).
	if (Array.isArray(session.subscription_ids)) {
		subscribed = new Set(session.subscription_ids.filter((id) => topics.has(id)));
	} else {
		const names = new Set(session.subscriptions || []);
		subscribed = new Set(Array.from(topics.values()).filter((tp) => names.has(tp.name)).map((tp) => tp.id));
	}
	renderSubs();
	await tune();
	document.addEventListener('horch:lang', () => {
		render();
		renderAlerts();
	});
}

main().catch((err) => replace($('#feed-note'), t('error', { message: err.message })));
