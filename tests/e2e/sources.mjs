// sources.mjs - the browser tests of the sources page (/sources), run by
// all.mjs in the same TAP stream, on a server of its own.
//
// The database has an admin with a password, the analyst of all.mjs and a
// viewer token; three sources are added through the API before the server
// starts reading them: one disabled, one at a closed port (the runner's
// first fetch fails: "ok" with one error, its last error shown), one whose
// url carries markup (shown as text).  What is checked:
//   sources  every source is listed with the state the API gives it, as a
//            coloured badge; the failed fetch shows as the last error with
//            its time and the count of errors in a row; the table refreshes
//            by itself (a source added through the API appears within 10 s)
//   admin    the form lists the kinds and a kind's settings as fields; an
//            admin adds a source with it and it appears; Test shows the
//            error of the closed port; Disable and Enable change the
//            source; Delete (after the confirmation) removes it
//   viewer   a viewer (a wall token) sees the table, no form and no buttons
//
// Environment: as all.mjs (HORCH_BIN, E2E_TMP, E2E_ANALYST,
// E2E_ANALYST_PASSWORD, E2E_OUT).  Browsers of its own: a session cookie is
// kept per host, not per port.

import { launch, watch, ok, is, diag, api, apiOk, horch, shot, startServer, waitFor } from './lib.mjs';
import * as lib from './lib.mjs';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';

const env = process.env;
const nonce = Date.now().toString(36);
const ADMIN = 'e2e-admin';
let token = '';     // an admin token of this server

function base() {
	return lib.BASE;
}

async function call(method, urlPath, body) {
	return apiOk(method, urlPath, body, token);
}

// closedPort() is a port of 127.0.0.1 that nothing listens on (one that
// was free a moment ago).
function closedPort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

async function signIn(page, name, password, next) {
	await page.goto(base() + next);
	await page.waitForURL(/\/login\?next=/, { timeout: 10000 });
	await page.fill('#name', name);
	await page.fill('#password', password);
	await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 10000 }),
		page.click('#login-form button[type=submit]')]);
}

// rows(page) is what the table shows: per row its name, state (data-state
// and the badge's class and text), kind, errors and last error.
function rows(page) {
	return page.$$eval('#source-list tr', (trs) => trs.map((tr) => {
		const badge = tr.querySelector('.badge.source-state');
		return {
			name: tr.dataset.name,
			state: tr.dataset.state,
			badge: badge ? badge.className : '',
			label: badge ? badge.textContent : '',
			kind: tr.querySelector('.kind').textContent,
			errors: tr.querySelector('.errors').textContent,
			error: tr.querySelector('.last-error').textContent,
			buttons: tr.querySelectorAll('button').length,
			head: tr.querySelector('th').textContent,
		};
	}));
}

// agree(page) waits until every source of the API is in the table with
// the API's state.  Returns [rows, the API's sources] of the last look.
async function agree(page, want = () => true) {
	let shown = [];
	let listed = [];
	await waitFor(async () => {
		listed = (await call('GET', '/api/sources')).sources;
		shown = await rows(page);
		return listed.length === shown.length && listed.every((s) => {
			const r = shown.find((x) => x.name === s.name);
			return r && r.state === s.state;
		}) && want(listed, shown);
	}, 25000);
	return [shown, listed];
}

async function testAdmin(ctx, port) {
	const page = await ctx.newPage();
	const problems = watch(page);
	await signIn(page, ADMIN, env.E2E_ADMIN_PASSWORD, '/sources');
	await page.waitForSelector('#source-list tr', { timeout: 10000 });

	// The list: each source with the API's state; the failed fetch.
	const [shown, listed] = await agree(page, (l) => l.some((s) => s.name === 'closed' && s.errors > 0));
	is(JSON.stringify(shown.map((r) => [r.name, r.state])), JSON.stringify(listed.map((s) => [s.name, s.state])),
		'sources-1.1 every source is listed with the state the API gives it');
	const badges = shown.filter((r) => !(r.badge.split(' ').includes('state-' + r.state) && r.label === r.state));
	is(JSON.stringify(badges), '[]', 'sources-1.2 each state is a badge of its own class and name');
	is(shown.find((r) => r.name === 'off')?.state, 'disabled', 'sources-1.3 a source switched off is disabled');
	const colour = await page.$eval('#source-list tr[data-name="off"] .badge', (n) => getComputedStyle(n).color);
	is(colour, 'rgb(160, 166, 176)', 'sources-1.3a in grey');
	// The runner's first fetch failed: ok with one error (erroring from
	// the third on, which the back-off makes 15 s or more later).
	const closed = shown.find((r) => r.name === 'closed');
	ok(closed && ['ok', 'erroring'].includes(closed.state), 'sources-1.4 a source whose fetch failed is ok or erroring',
		JSON.stringify(closed));
	if (closed && closed.state === 'ok') {
		const green = await page.$eval('#source-list tr[data-name="closed"] .badge', (n) => getComputedStyle(n).color);
		is(green, 'rgb(155, 231, 168)', 'sources-1.4a ok in green');
	} else {
		const red = await page.$eval('#source-list tr[data-name="closed"] .badge', (n) => getComputedStyle(n).backgroundColor);
		is(red, 'rgb(138, 43, 43)', 'sources-1.4a erroring in red');
	}
	ok(closed && new RegExp(`127\\.0\\.0\\.1:${port}`).test(closed.error) && Number(closed.errors) >= 1,
		'sources-1.5 its last error and the errors in a row are shown', JSON.stringify(closed));
	const marked = shown.find((r) => r.name === 'markup');
	ok(marked && marked.head.includes('<img src=x onerror=alert(1)>'), 'sources-1.6 a url with markup shows as text',
		JSON.stringify(marked));
	is(await page.$$eval('#source-list img', (n) => n.length), 0, 'sources-1.7 and makes no element');

	// A source added through the API appears by itself.
	await call('POST', '/api/sources', { name: 'later', kind: 'reddit', enabled: false,
		url: `http://127.0.0.1:${port}`, settings: { subreddit: 'later' } });
	const later = await waitFor(() => page.$('#source-list tr[data-name="later"]'), 15000);
	ok(later, 'sources-1.8 a source added elsewhere appears within the refresh (10 s)');

	// The form.
	ok(await page.$eval('#add-panel', (n) => !n.classList.contains('hidden')), 'admin-1.1 an admin has the form');
	const kinds = await page.$$eval('#s-kind option', (n) => n.map((o) => o.value));
	is(kinds.join(','), 'rss,mastodon,bluesky,reddit,hn,reviews', 'admin-1.2 the kinds from GET /api/sources/kinds');
	await page.selectOption('#s-kind', 'reddit');
	ok(await page.$('#s-set-subreddit'), 'admin-1.3 a field for each setting of the kind chosen');
	is(await page.$eval('#s-set-token', (n) => n.type), 'password', 'admin-1.4 a credential\'s field hides what is typed');
	is(await page.$eval('#s-url', (n) => n.placeholder), 'https://www.reddit.com', 'admin-1.5 the kind\'s default url as placeholder');
	const name = 'form-' + nonce;
	await page.fill('#s-name', name);
	await page.fill('#s-url', `http://127.0.0.1:${port}`);
	await page.fill('#s-set-subreddit', 'korvo');
	await page.fill('#s-set-token', 'form-secret-' + nonce);
	await page.uncheck('#s-enabled');
	await page.click('#s-save');
	const added = await waitFor(() => page.$(`#source-list tr[data-name="${name}"]`), 10000);
	ok(added, 'admin-1.6 an admin adds a source with the form and it appears');
	const stored = (await call('GET', '/api/sources')).sources.find((s) => s.name === name);
	is(JSON.stringify(stored && [stored.kind, stored.enabled, stored.url, stored.settings]),
		JSON.stringify(['reddit', false, `http://127.0.0.1:${port}`, { subreddit: 'korvo', token: '***' }]),
		'admin-1.7 stored as typed, its token hidden');
	is(await page.$eval(`#source-list tr[data-name="${name}"]`, (n) => n.dataset.state), 'disabled',
		'admin-1.8 shown as disabled');
	is((await page.textContent('#form-status')).trim(), `Added "${name}".`, 'admin-1.9 the form says so');

	// Test: the closed port's error.
	await page.click(`#source-list tr[data-name="${name}"] button[data-action="test"]`);
	const err = await waitFor(() => page.$eval('#test-error', (n) => n.textContent).catch(() => ''), 20000);
	ok(new RegExp(`127\\.0\\.0\\.1:${port}`).test(err), 'admin-2.1 Test shows the error of the closed port', err);
	is(await page.textContent('#h-test'), `Test of ${name}`, 'admin-2.2 naming the source tested');
	ok(!(await page.content()).includes('form-secret-' + nonce), 'admin-2.3 the token is nowhere on the page');

	// Enable, disable, delete.
	await page.click(`#source-list tr[data-name="${name}"] button[data-action="toggle"]`);
	const on = await waitFor(async () => (await call('GET', `/api/sources/${name}`)).enabled === true, 10000);
	ok(on, 'admin-3.1 Enable enables it');
	await page.click(`#source-list tr[data-name="${name}"] button[data-action="toggle"]`);
	const offAgain = await waitFor(async () => (await call('GET', `/api/sources/${name}`)).enabled === false, 10000);
	ok(offAgain, 'admin-3.2 Disable disables it');
	problems.acceptDialog = true;
	await page.click(`#source-list tr[data-name="${name}"] button[data-action="delete"]`);
	const gone = await waitFor(async () => !(await call('GET', '/api/sources')).sources.some((s) => s.name === name)
		&& !(await page.$(`#source-list tr[data-name="${name}"]`)), 10000);
	ok(gone, 'admin-3.3 Delete (after the confirmation) removes it');
	const conf = await page.$$eval('#source-list tr[data-name="cfg"] button', (n) => n.map((b) => b.dataset.action));
	is(conf.join(','), 'test', 'admin-3.4 a source of horch.conf has Test only');
	diag('screenshot ' + await shot(page, 'sources-1366x768.png'));
	is(problems.join('\n'), '', 'admin-3.5 no errors (no dialog) on the sources page');
	await page.close();
}

async function testViewer(ctx, viewerToken) {
	const page = await ctx.newPage();
	const problems = watch(page);
	await page.goto(base() + '/sources#token=' + encodeURIComponent(viewerToken));
	const list = await waitFor(() => rows(page).then((r) => r.length > 0 && r), 10000);
	ok(list, 'viewer-1.1 a viewer sees the sources');
	is(await page.$eval('#topbar .who', (n) => n.title).catch(() => ''), 'viewer', 'viewer-1.2 signed in as a viewer');
	ok(await page.$eval('#add-panel', (n) => n.classList.contains('hidden')), 'viewer-1.3 a viewer has no form');
	is(await page.$$eval('#source-list button', (n) => n.length), 0, 'viewer-1.4 nor any button');
	const nav = await page.$eval('#topbar .nav a[aria-current="page"]', (n) => [n.textContent, new URL(n.href).pathname])
		.catch(() => []);
	is(nav.join(' '), 'Sources /sources', 'viewer-1.5 the top bar links the page, marked as current');
	is(problems.join('\n'), '', 'viewer-1.6 no errors for the viewer');
	await page.close();
}

// testSources() starts a server on a fresh database, runs the tests in
// browsers of their own and stops it.  Skipped when all.mjs did not start
// the server (HORCH_URL).
export async function testSources() {
	if (env.HORCH_URL || !env.HORCH_BIN || !env.E2E_TMP) {
		diag('sources: skipped (the server was not started by this test)');
		return;
	}
	const main = lib.BASE;
	const db = path.join(env.E2E_TMP, 'sources.db');
	const port = await closedPort();
	env.E2E_ADMIN_PASSWORD = crypto.randomBytes(18).toString('base64url');
	horch(db, ['user', 'add', ADMIN, '--role', 'admin', '--password-stdin'], env.E2E_ADMIN_PASSWORD + '\n');
	token = horch(db, ['token', 'create', '--role', 'admin', '--name', 'e2e-sources']);
	const viewerToken = horch(db, ['token', 'create', '--role', 'viewer', '--name', 'e2e-sources-wall']);
	const conf = path.join(env.E2E_TMP, 'sources.conf');
	fs.writeFileSync(conf, `[source cfg]\nkind = reddit\nurl = http://127.0.0.1:${port}\n`
		+ 'subreddit = rust\nenabled = no\n');
	const server = await startServer('127.0.0.1:0', db, 'sources.log', ['--config', conf]);
	const admin = await launch();
	const viewer = await launch();
	try {
		await call('POST', '/api/sources', { name: 'off', kind: 'reddit', enabled: false,
			settings: { subreddit: 'korvo' } });
		await call('POST', '/api/sources', { name: 'closed', kind: 'reddit', url: `http://127.0.0.1:${port}`,
			settings: { subreddit: 'korvo' } });
		await call('POST', '/api/sources', { name: 'markup', kind: 'reddit', enabled: false,
			url: `http://127.0.0.1:${port}/<img src=x onerror=alert(1)>`, settings: { subreddit: 'x' } });
		await testAdmin(admin, port);
		await testViewer(viewer, viewerToken);
	} finally {
		await admin.close().catch(() => {});
		await viewer.close().catch(() => {});
		await server.stop();
		lib.setBase(main);
	}
}
