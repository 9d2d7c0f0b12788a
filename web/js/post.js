// post.js - one post as a card, with the matched spans highlighted.
//
// The title and text of a post are shown with textContent only; the spans
// in "matches" (UTF-8 byte offsets into part 0 = title, 1 = text) become
// <mark> elements built with createElement.  Offsets that are out of range
// or cut a character are clamped, never trusted.

import { el, safeUrl, topicColor } from './dom.js';
import { t, num, time } from './i18n.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

// highlight(text, spans) returns an array of nodes: text nodes for the plain
// stretches and <mark> elements for the spans.  spans is an array of
// [off, len] UTF-8 byte ranges (any order, may overlap).
export function highlight(text, spans, markAttrs) {
	if (typeof text !== 'string' || text === '')
		return [];
	if (!spans || spans.length === 0)
		return [document.createTextNode(text)];
	const bytes = encoder.encode(text);
	const ranges = spans
		.map(([off, len]) => [Math.max(0, Math.min(bytes.length, off | 0)),
			Math.max(0, Math.min(bytes.length, (off | 0) + (len | 0)))])
		.filter(([a, b]) => b > a)
		.sort((x, y) => x[0] - y[0]);
	// Merge overlapping ranges so the marks never nest.
	const merged = [];
	for (const r of ranges) {
		const last = merged[merged.length - 1];
		if (last && r[0] <= last[1])
			last[1] = Math.max(last[1], r[1]);
		else
			merged.push([r[0], r[1]]);
	}
	const out = [];
	let pos = 0;
	for (const [a, b] of merged) {
		const start = charStart(bytes, a);
		const end = charStart(bytes, b);
		if (start < pos || end <= start)
			continue;
		if (start > pos)
			out.push(document.createTextNode(decoder.decode(bytes.subarray(pos, start))));
		out.push(el('mark', markAttrs || null, decoder.decode(bytes.subarray(start, end))));
		pos = end;
	}
	if (pos < bytes.length)
		out.push(document.createTextNode(decoder.decode(bytes.subarray(pos))));
	return out;
}

// charStart(bytes, i) moves i back to the first byte of the character it
// is in (a continuation byte is 10xxxxxx).
function charStart(bytes, i) {
	while (i > 0 && i < bytes.length && (bytes[i] & 0xc0) === 0x80)
		i--;
	return i;
}

// spansOf(post, part) gathers the [off, len] spans of one part (0 title,
// 1 text) over all topics the post matched.
export function spansOf(post, part) {
	const out = [];
	for (const m of post.matches || []) {
		for (const s of m.spans || []) {
			if (Array.isArray(s) && s.length >= 3 && s[0] === part)
				out.push([s[1], s[2]]);
		}
	}
	return out;
}

// ensureMatch(post, topicId, topics) adds {topic, topic_id, spans: []} to
// post.matches when the post came from a page the server filtered by
// topicId but does not list that topic (topics: Map id -> topic).  Returns
// the post.
export function ensureMatch(post, topicId, topics) {
	if (topicId && !(post.matches || []).some((m) => m.topic_id === topicId)) {
		const tp = topics && topics.get(topicId);
		post.matches = [...(post.matches || []), { topic: tp ? tp.name : '', topic_id: topicId, spans: [] }];
	}
	return post;
}

export function sentimentOf(post) {
	const label = post.analysis && post.analysis.sentiment && post.analysis.sentiment.label;
	return label === 'positive' || label === 'negative' ? label : 'neutral';
}

// topicChips(post, topics) returns a chip per matched topic, coloured as
// the topic (topics: Map id -> topic).
export function topicChips(post, topics) {
	return (post.matches || []).map((m) => {
		const topic = topics && topics.get(m.topic_id);
		const dot = el('span', { class: 'swatch' });
		dot.style.backgroundColor = topicColor(topic || { id: m.topic_id });
		return el('span', { class: 'chip' }, dot, m.topic || (topic && topic.name) || '');
	});
}

// postCard(post, opts) returns an <article> for the post.  opts.topics is a
// Map of topic id -> topic (for chip colours), opts.compact leaves out the
// footer details, opts.tag is the element name (default "article").
export function postCard(post, opts = {}) {
	const a = post.analysis || {};
	const sentiment = sentimentOf(post);
	const author = post.author || {};
	const url = safeUrl(post.url);
	const when = post.created_at || post.fetched_at;
	const who = author.name && author.handle ? `${author.name} @${author.handle}`
		: author.handle ? '@' + author.handle : author.name || '';
	const head = el('header', { class: 'post-head' },
		el('span', { class: 'post-source' }, post.source || ''),
		el('span', { class: 'post-author' }, who),
		author.verified ? el('span', { class: 'post-verified', title: 'verified' }, '✓') : null,
		author.followers !== undefined && author.followers !== null
			? el('span', { class: 'post-followers' }, t('wall.followers', { n: num(author.followers) })) : null,
		el('time', { class: 'post-time', datetime: when || '' }, time(when)));
	const body = [];
	if (post.title)
		body.push(el('h3', { class: 'post-title' }, highlight(post.title, spansOf(post, 0))));
	if (post.text)
		body.push(el('p', { class: 'post-text' }, highlight(post.text, spansOf(post, 1))));
	const foot = el('footer', { class: 'post-foot' },
		el('span', { class: 'badge sent-' + sentiment }, t('sent.' + sentiment)),
		a.intent && a.intent !== 'other' ? el('span', { class: 'badge intent' }, t('intent.' + a.intent)) : null,
		typeof a.priority === 'number'
			? el('span', { class: 'badge priority' + (a.priority >= 70 ? ' high' : ''),
				title: t('post.priority', { p: num(a.priority, 0) }) }, num(a.priority, 0)) : null,
		a.dup_of ? el('span', { class: 'badge dup' }, t('post.dup', { id: a.dup_of })) : null,
		topicChips(post, opts.topics),
		url && !opts.compact ? el('a', { class: 'post-link', href: url, target: '_blank',
			rel: 'noopener noreferrer' }, t('post.open')) : null);
	const card = el(opts.tag || 'article', {
		class: `post sent-${sentiment}`,
		dataset: { id: post.id ?? '' },
		tabindex: opts.focusable ? '-1' : null,
	}, head, body, foot);
	if (post.lang)
		card.setAttribute('lang', String(post.lang).replace(/[^A-Za-z0-9-]/g, '').slice(0, 35));
	return card;
}
