// login.js - the sign-in page: a name and password, or an API token (a
// wall screen's viewer token); then back to the page in ?next=.

import { $, replace } from './dom.js';
import { t, translate, toggleLang } from './i18n.js';
import { login, loginWithToken, ApiError } from './api.js';

// next() returns where to go after signing in: the ?next= path when it is a
// path of this site ("/x", not "//host" or "https://..."), else /wall.
function next() {
	const n = new URLSearchParams(location.search).get('next') || '';
	return /^\/(?![/\\])/.test(n) ? n : '/wall';
}

function fail(err, key) {
	let msg;
	if (err instanceof ApiError && err.status === 429)
		msg = t('login.limited', { seconds: err.retryAfter || 60 });
	else if (err instanceof ApiError && err.status === 401)
		msg = t(key);
	else
		msg = t('error', { message: err.message });
	replace($('#login-error'), msg);
}

async function submit(ev, run, key) {
	ev.preventDefault();
	const button = ev.target.querySelector('button');
	button.disabled = true;
	replace($('#login-error'));
	try {
		await run();
		location.assign(next());
	} catch (err) {
		fail(err, key);
		button.disabled = false;
	}
}

translate(document);
$('#lang-btn').addEventListener('click', toggleLang);
$('#login-form').addEventListener('submit', (ev) =>
	submit(ev, () => login($('#name').value, $('#password').value), 'login.failed'));
$('#token-form').addEventListener('submit', (ev) =>
	submit(ev, () => loginWithToken($('#token').value.trim()), 'login.token.failed'));
