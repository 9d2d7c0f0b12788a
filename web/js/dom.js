// dom.js - the one way the dashboard builds DOM.
//
// Posts are written by strangers, so nothing from the server is ever parsed
// as HTML: el() sets text with text nodes and attributes with setAttribute,
// refuses inline style and event-handler attributes, and safeUrl() lets only
// http(s) links through (a "javascript:" URL in a post is dropped).

const FORBIDDEN_ATTR = /^(on|style$|srcdoc$)/i;

// el(tag, attrs, ...children) returns a new element.  attrs may hold:
//   class, id, and any attribute (strings; true sets an empty attribute,
//   false/null/undefined leaves it out); "text" sets textContent; "on" is an
//   object of event listeners; "dataset" an object for data-*; "props" an
//   object of DOM properties (value, checked, ...).
// children: strings (become text nodes), nodes, arrays of them, or null.
export function el(tag, attrs, ...children) {
	const node = document.createElement(tag);
	if (attrs) {
		for (const [key, val] of Object.entries(attrs)) {
			if (val === null || val === undefined || val === false)
				continue;
			if (key === 'text') {
				node.textContent = String(val);
			} else if (key === 'on') {
				for (const [ev, fn] of Object.entries(val))
					node.addEventListener(ev, fn);
			} else if (key === 'dataset') {
				for (const [k, v] of Object.entries(val))
					node.dataset[k] = String(v);
			} else if (key === 'props') {
				for (const [k, v] of Object.entries(val))
					node[k] = v;
			} else if (key === 'href' || key === 'src') {
				const url = safeUrl(val);
				if (url)
					node.setAttribute(key, url);
			} else if (FORBIDDEN_ATTR.test(key)) {
				throw new Error(`el(): attribute ${key} is not allowed`);
			} else {
				node.setAttribute(key, val === true ? '' : String(val));
			}
		}
	}
	append(node, children);
	return node;
}

// append(node, children) adds strings as text nodes and nodes as they are;
// arrays are flattened and null/undefined/false skipped.  Returns node.
export function append(node, children) {
	for (const child of children) {
		if (child === null || child === undefined || child === false)
			continue;
		if (Array.isArray(child))
			append(node, child);
		else if (child instanceof Node)
			node.appendChild(child);
		else
			node.appendChild(document.createTextNode(String(child)));
	}
	return node;
}

// clear(node) removes every child of node and returns it.
export function clear(node) {
	while (node.firstChild)
		node.removeChild(node.firstChild);
	return node;
}

// replace(node, ...children) sets node's children to the given ones.
export function replace(node, ...children) {
	return append(clear(node), children);
}

// safeUrl(url) returns url as an absolute http(s) or same-origin URL, or
// null for anything else (javascript:, data:, garbage).
export function safeUrl(url) {
	if (typeof url !== 'string' || url === '')
		return null;
	let parsed;
	try {
		parsed = new URL(url, location.href);
	} catch (e) {
		return null;
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
		return null;
	return parsed.href;
}

// $(selector, root) is querySelector; $$ returns an array of all matches.
export function $(selector, root = document) {
	return root.querySelector(selector);
}
export function $$(selector, root = document) {
	return Array.from(root.querySelectorAll(selector));
}

// A colour from the server ("#d32f2f") is used only when it is a plain hex
// colour; otherwise the fallback.  Returns a CSS colour string.
export function safeColor(color, fallback = '#888888') {
	return typeof color === 'string' && /^#[0-9a-fA-F]{3,8}$/.test(color) ? color : fallback;
}

// A topic's colour: its own when it has a valid one, else one of a fixed
// palette chosen by its id (so an uncoloured topic keeps its colour on
// every page and widget).
const PALETTE = ['#5aa9ff', '#ffb74d', '#ba68c8', '#4dd0e1', '#f06292', '#aed581', '#ffd54f',
	'#9575cd', '#4db6ac', '#e57373'];
export function topicColor(topic) {
	const id = topic && Number.isInteger(topic.id) ? topic.id : 0;
	return safeColor(topic && topic.color, PALETTE[Math.abs(id) % PALETTE.length]);
}
