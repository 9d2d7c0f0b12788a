// login.js - the sign-in page: a name and password, or an API token (a
// wall screen's viewer token); then back to the page in ?next=.

import { $, replace } from './dom.js';
import { t, translate, toggleLang } from './i18n.js';
import { api, login, loginWithToken, ApiError } from './api.js';

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
		const res = await run();
		button.disabled = false;
		if (res && res.must_change_password)
			showChange($('#password').value);
		else
			location.assign(next());
	} catch (err) {
		fail(err, key);
		button.disabled = false;
	}
}

// showChange(old) shows the form for a new password (the first-run admin's
// one-time password must be replaced before anything else works).  old is
// the password just typed, or '' to ask for it.
function showChange(old) {
	$('#login-form').classList.add('hidden');
	$('#token-form').classList.add('hidden');
	$('#change-form').classList.remove('hidden');
	$('#old-password').value = old;
	$('#old-label').classList.toggle('hidden', !!old);
	(old ? $('#new-password') : $('#old-password')).focus();
}

async function change(ev) {
	ev.preventDefault();
	const fresh = $('#new-password').value;
	replace($('#login-error'));
	if (fresh !== $('#new-password2').value) {
		replace($('#login-error'), t('login.mismatch'));
		return;
	}
	const button = ev.target.querySelector('button');
	button.disabled = true;
	try {
		await api('POST', '/api/me/password', { old: $('#old-password').value, new: fresh });
		location.assign(next());
	} catch (err) {
		replace($('#login-error'), err instanceof ApiError ? err.message : t('error', { message: err.message }));
		$('#old-label').classList.remove('hidden');
		button.disabled = false;
	}
}

translate(document);
$('#lang-btn').addEventListener('click', toggleLang);
$('#login-form').addEventListener('submit', (ev) =>
	submit(ev, () => login($('#name').value, $('#password').value), 'login.failed'));
$('#change-form').addEventListener('submit', change);
if (new URLSearchParams(location.search).get('change') === '1')
	showChange('');
$('#token-form').addEventListener('submit', (ev) =>
	submit(ev, () => loginWithToken($('#token').value.trim()), 'login.token.failed'));
