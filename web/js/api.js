// api.js - how every page talks to horch serve.
//
// api(method, path, body) is fetch with the session cookie, JSON in and out,
// and the CSRF header (the csrf value of /api/me) on every state-changing
// call.  A 401 sends the browser to /login?next=<this page>, unless the
// page was opened with a wall token, which is then exchanged again for a
// session (a wall screen survives a server restart on its own).  Errors are
// thrown as ApiError with the server's code, message, line and column.
//
// stream(path, handlers) is an EventSource that reconnects with back-off
// and reports its state ("connecting", "live", "reconnecting").  While the
// browser reconnects by itself it resends Last-Event-ID and the server
// replays what was missed; when the connection had to be made anew (after
// an error status), handlers.resync() is called so the page can fetch what
// it missed.

const WALL_TOKEN = 'horch.wallToken';

export class ApiError extends Error {
	constructor(status, body) {
		const e = (body && body.error) || {};
		super(e.message || `HTTP ${status}`);
		this.status = status;
		this.code = e.code || 'http';
		this.line = e.line;
		this.column = e.column;
		this.body = body;
	}
}

let meCache = null;

// me(refresh) returns {user, csrf, subscriptions} of the session, fetched
// once per page unless refresh is true.
export async function me(refresh = false) {
	if (!meCache || refresh)
		meCache = request('GET', '/api/me').catch((e) => {
			meCache = null;
			throw e;
		});
	return meCache;
}

function loginUrl() {
	return '/login?next=' + encodeURIComponent(location.pathname + location.search + location.hash);
}

let relogin = null;

// On a 401: a wall screen signs in again with its token; any other page
// goes to the login page.  Returns true when the call may be retried.
async function unauthorized() {
	let token = null;
	try {
		token = sessionStorage.getItem(WALL_TOKEN);
	} catch (e) {
		token = null;
	}
	if (token) {
		if (!relogin)
			relogin = loginWithToken(token).then(() => true, () => false)
				.finally(() => { relogin = null; });
		if (await relogin)
			return true;
	}
	if (location.pathname !== '/login')
		location.assign(loginUrl());
	return false;
}

async function request(method, path, body, retry = true) {
	const headers = { 'Accept': 'application/json' };
	const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
	if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		init.body = JSON.stringify(body);
	}
	if (method !== 'GET' && method !== 'HEAD' && path !== '/api/login') {
		const m = await me();
		headers['X-CSRF-Token'] = m.csrf;
	}
	const res = await fetch(path, init);
	if (res.status === 204)
		return null;
	let data = null;
	const type = res.headers.get('Content-Type') || '';
	if (type.includes('json')) {
		try {
			data = await res.json();
		} catch (e) {
			data = null;
		}
	}
	if (res.status === 401 && path !== '/api/login' && retry) {
		meCache = null;
		if (await unauthorized())
			return request(method, path, body, false);
	}
	if (res.status === 403 && data && data.error && data.error.code === 'csrf' && retry) {
		// The session was renewed (a restart, a second tab): new csrf, once.
		await me(true);
		return request(method, path, body, false);
	}
	if (!res.ok) {
		const err = new ApiError(res.status, data);
		err.retryAfter = Number(res.headers.get('Retry-After')) || 0;
		throw err;
	}
	return data;
}

// api(method, path, body) returns the parsed JSON answer (null for 204) or
// throws ApiError.
export function api(method, path, body) {
	return request(method, path, body);
}

export const get = (path) => request('GET', path);

// query(obj) builds "?a=1&b=2" from the members that are not empty.
export function query(obj) {
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(obj)) {
		if (v !== undefined && v !== null && v !== '')
			p.set(k, String(v));
	}
	const s = p.toString();
	return s ? '?' + s : '';
}

// login(name, password) and loginWithToken(token) open a session.  They
// return the /api/login answer or throw ApiError (401, 429).
export async function login(name, password) {
	meCache = null;
	return request('POST', '/api/login', { name, password }, false);
}

export async function loginWithToken(token) {
	meCache = null;
	return request('POST', '/api/login', { token }, false);
}

export async function logout() {
	try {
		await api('POST', '/api/logout');
	} finally {
		meCache = null;
		try {
			sessionStorage.removeItem(WALL_TOKEN);
		} catch (e) {
			/* nothing stored */
		}
		location.assign('/login');
	}
}

// takeUrlToken() looks for ?token= or #token= in the address, exchanges it
// for a session, remembers it for this tab (to sign in again after a server
// restart) and removes it from the address.  Returns true when a token was
// there and worked.
export async function takeUrlToken() {
	const url = new URL(location.href);
	let token = url.searchParams.get('token');
	const hash = new URLSearchParams(url.hash.replace(/^#/, ''));
	if (!token)
		token = hash.get('token');
	if (!token)
		return false;
	url.searchParams.delete('token');
	hash.delete('token');
	const rest = hash.toString();
	url.hash = rest ? '#' + rest : '';
	history.replaceState(history.state, '', url.pathname + url.search + url.hash);
	await loginWithToken(token);
	try {
		sessionStorage.setItem(WALL_TOKEN, token);
	} catch (e) {
		/* the session works; only a restart would need the token again */
	}
	return true;
}

// stream(path, handlers, onState) opens an SSE stream.  handlers maps event
// names (post, tick, alert) to functions of (data, lastEventId), plus an
// optional resync().  onState(state) hears "connecting", "live",
// "reconnecting".  Returns {close()}.
export function stream(path, handlers, onState = () => {}) {
	let es = null;
	let closed = false;
	let delay = 1000;
	let timer = null;
	let opened = false;

	function connect() {
		if (closed)
			return;
		onState(opened ? 'reconnecting' : 'connecting');
		es = new EventSource(path, { withCredentials: true });
		es.addEventListener('open', () => {
			delay = 1000;
			const again = opened;
			opened = true;
			onState('live');
			if (again && handlers.resync)
				handlers.resync();
		});
		for (const [name, fn] of Object.entries(handlers)) {
			if (name === 'resync')
				continue;
			es.addEventListener(name, (ev) => {
				let data;
				try {
					data = JSON.parse(ev.data);
				} catch (e) {
					return;
				}
				fn(data, ev.lastEventId);
			});
		}
		es.addEventListener('error', () => {
			if (closed)
				return;
			if (es.readyState === EventSource.CONNECTING) {
				// The browser retries by itself and resends Last-Event-ID.
				onState('reconnecting');
				return;
			}
			// Closed for good (an error status such as 401, or a restart
			// that answered before it was ready): check the session, then
			// open a new stream after a back-off.
			es.close();
			onState('reconnecting');
			clearTimeout(timer);
			timer = setTimeout(async () => {
				try {
					await me(true);   // signs in again or goes to /login on 401
				} catch (e) {
					/* the server is still away: try the stream anyway */
				}
				connect();
			}, delay);
			delay = Math.min(delay * 2, 30000);
		});
	}
	connect();
	return {
		close() {
			closed = true;
			clearTimeout(timer);
			if (es)
				es.close();
		},
	};
}
