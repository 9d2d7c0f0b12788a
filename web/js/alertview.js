// alertview.js - one alert as the wall's ticker, the radio and the alerts
// page show it: the sign of its kind, the colour of its severity, its
// state, "fired N×", and the Acknowledge and Resolve buttons; and the one
// rule by which every page keeps its alerts current.
//
// The stream does not replay alert events after a reconnect, so a page
// loads GET /api/alerts at start and after each reconnect and applies the
// "alert" events in between by id.  A page load and an event may cross,
// so merge() keeps whichever copy of an alert is further along: an
// alert's state only moves forward (open, acked, resolved; a resolved
// alert that fires again is a new alert), and its fired count and last
// firing only grow.  Everything from the server is text (el(), never
// HTML): an alert's title and evidence quote strangers' posts.

import { el } from './dom.js';
import { t, time } from './i18n.js';
import { api } from './api.js';

const SIGNS = { spike: '▲', shift: '▼', rating: '★', resonance: '◉', unanswered: '◷',
	source: '⚠' };
const SEVERITIES = ['info', 'warning', 'critical'];
const STATES = ['open', 'acked', 'resolved'];
const ACTORS = ['agent', 'analyst', 'admin'];

// valid(a) is true for something that can be shown as an alert: an object
// with a positive integer id.
export function valid(a) {
	return !!a && typeof a === 'object' && Number.isInteger(a.id) && a.id > 0;
}

// kindOf(a), severityOf(a) and stateOf(a) return the alert's kind,
// severity and state, or a safe default for a value this page does not
// know ("", "info", "open"), so that a class name is never made from
// arbitrary text.
export function kindOf(a) {
	return Object.prototype.hasOwnProperty.call(SIGNS, a.kind) ? a.kind : '';
}

export function severityOf(a) {
	return SEVERITIES.includes(a.severity) ? a.severity : 'info';
}

export function stateOf(a) {
	return STATES.includes(a.state) ? a.state : 'open';
}

// whenOf(a) returns the time of the alert's last firing (ms since 1970;
// 0 when unknown): the order of "newest first" on the wall and the radio.
export function whenOf(a) {
	return Date.parse(a.last_at || a.at || '') || 0;
}

// newestFirst(a, b) sorts alerts by their last firing, newest first, then
// by id.
export function newestFirst(a, b) {
	return whenOf(b) - whenOf(a) || b.id - a.id;
}

// canAct(user) is true for the roles that may acknowledge and resolve
// (agent and above).
export function canAct(user) {
	return !!user && ACTORS.includes(user.role);
}

// further(a, b) is true when alert a is at least as far along as b (the
// same id): a later state, else more firings, else a later last firing.
function further(a, b) {
	const sa = STATES.indexOf(stateOf(a));
	const sb = STATES.indexOf(stateOf(b));
	if (sa !== sb)
		return sa > sb;
	const fa = Number(a.fired) || 0;
	const fb = Number(b.fired) || 0;
	if (fa !== fb)
		return fa > fb;
	return whenOf(a) >= whenOf(b);
}

// merge(map, a) puts alert a into map (id -> alert) unless the map holds a
// copy that is further along.  Returns the copy kept, or null when a is
// not an alert.
export function merge(map, a) {
	if (!valid(a))
		return null;
	const old = map.get(a.id);
	if (old && !further(a, old))
		return old;
	map.set(a.id, a);
	return a;
}

// topicName(a) is the name of the alert's topic, else of its product, else of its
// source (a source's alert has the key "source:NAME"), else "".
export function topicName(a) {
	if (a.topic && typeof a.topic.name === 'string')
		return a.topic.name;
	if (a.product && typeof a.product.name === 'string')
		return a.product.name;
	if (typeof a.key === 'string' && a.key.startsWith('source:'))
		return a.key.slice(7);
	return '';
}

// sign(a) returns the sign of the alert's kind in its severity's colour,
// with the kind and severity as its accessible name.
export function sign(a) {
	const kind = kindOf(a);
	const sev = severityOf(a);
	const label = (kind ? t('alert.kind.' + kind) : String(a.kind || '')) + ', ' + t('alert.sev.' + sev);
	return el('span', { class: 'alert-sign sev-' + sev, role: 'img', 'aria-label': label, title: label },
		kind ? SIGNS[kind] : '●');
}

// stateBadge(a) returns the state as a badge ("acked by cara" when known).
export function stateBadge(a) {
	const st = stateOf(a);
	let text = t('alert.state.' + st);
	if (st === 'acked' && a.acked_by)
		text = t('alert.acked.by', { who: a.acked_by });
	else if (st === 'resolved' && a.resolved_by)
		text = t('alert.resolved.by', { who: a.resolved_by });
	return el('span', { class: 'badge alert-state state-' + st, dataset: { state: st } }, text);
}

// fired(a) returns "fired N×" for an alert that fired more than once,
// else null.
export function fired(a) {
	const n = Number(a.fired) || 0;
	return n > 1 ? el('span', { class: 'alert-fired' }, t('alert.fired', { n })) : null;
}

// when(a) returns a <time> of the alert's last firing.
export function when(a) {
	const iso = a.last_at || a.at || '';
	return el('time', { class: 'alert-time', datetime: iso }, time(iso));
}

// act(a, action) acknowledges ("ack") or resolves ("resolve") alert a.
// Returns the alert after the change or throws ApiError.
export function act(a, action) {
	return api('POST', `/api/alerts/${a.id}/${action === 'ack' ? 'ack' : 'resolve'}`);
}

// buttons(a, done, failed) returns the Acknowledge and Resolve buttons of
// alert a, each enabled only where its state allows it.  A click calls
// done(alert after the change) or failed(error); both buttons are
// disabled while the call runs.
export function buttons(a, done, failed) {
	const st = stateOf(a);
	const list = [];
	const click = async (action) => {
		for (const b of list)
			b.disabled = true;
		try {
			done(await act(a, action));
		} catch (err) {
			for (const b of list)
				b.disabled = false;
			failed(err);
		}
	};
	list.push(el('button', { type: 'button', class: 'ack', dataset: { id: a.id },
		disabled: st !== 'open', on: { click: () => click('ack') } }, t('alert.ack')));
	list.push(el('button', { type: 'button', class: 'resolve', dataset: { id: a.id },
		disabled: st === 'resolved', on: { click: () => click('resolve') } }, t('alert.resolve')));
	return list;
}

// reconcile(list, alerts, nodes, build, empty) makes the children of the
// element list one item per alert, in the order given.  nodes (a Map id ->
// {key, node}) remembers the items drawn: an item whose alert did not
// change (its key, given with build as [key, node builder]) is kept, so a
// screen reader announces only what is new and the focus stays; when the
// focused item is drawn anew, the focus moves to the same control in the
// new one.  empty() gives the item shown when there are no alerts.
export function reconcile(list, alerts, nodes, build, empty) {
	const focused = document.activeElement;
	let refocus = null;
	const want = alerts.map((a) => {
		const key = JSON.stringify([a.state, a.fired, a.last_at, a.title, a.summary, a.acked_by,
			a.resolved_by, topicName(a), a.severity, a.kind, document.documentElement.lang]);
		const old = nodes.get(a.id);
		if (old && old.key === key)
			return old.node;
		const node = build(a);
		if (old && focused && old.node.contains(focused) && focused !== old.node)
			refocus = [node, focused.className.split(/\s+/)[0] || ''];
		nodes.set(a.id, { key, node });
		return node;
	});
	const keep = new Set(alerts.map((a) => a.id));
	for (const id of Array.from(nodes.keys()))
		if (!keep.has(id))
			nodes.delete(id);
	if (!want.length) {
		while (list.firstChild)
			list.removeChild(list.firstChild);
		list.appendChild(empty());
		return;
	}
	for (const child of Array.from(list.children))
		if (!want.includes(child))
			child.remove();
	want.forEach((node, i) => {
		if (list.children[i] !== node)
			list.insertBefore(node, list.children[i] || null);
	});
	if (refocus) {
		const [node, cls] = refocus;
		const same = cls ? node.querySelector('.' + CSS.escape(cls) + ':not([disabled])') : null;
		const any = same || node.querySelector('button:not([disabled]), a[href]');
		if (any)
			any.focus();
	}
}
