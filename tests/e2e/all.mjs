// all.mjs - the dashboard's browser tests, one TAP stream: Debian's
// chromium, driven by playwright-core, against a real `horch serve`.
//
// tests/e2e/run prepares the database (users, tokens, topics) and the
// environment, then runs this file.  What is checked:
//   login    a page without a session goes to /login; a wrong password is
//            refused; signing in returns to the page asked for
//   wall     posts put in over the API appear in the river live, coloured
//            by their sentiment; the widgets are filled; screenshots
//   xss      a post with <img src=x onerror=...> and <script> shows as text
//            and runs nothing (no dialog, no CSP violation, no element)
//   search   the matched spans are <mark>ed at the right characters (the
//            text has multi-byte letters before them)
//   topics   live lint shows the server's line and column with a caret
//            under the place; a topic saves; the backtest draws a chart
//   radio    an agent's feed has only the topics subscribed to, a near-copy
//            once; ticking a topic subscribes; screenshot
//   keys     "?" opens the keys, Escape closes, "l" switches to German
//   rotate   ?rotate= cycles the wall's screens, ?topics= keeps to a topic
//   restart  the wall recovers by itself after the server restarts
//   firstrun the first-run admin's one-time password must be replaced
//            before anything else (a second server on a fresh database)
//   alerts   (alerts.mjs, a server of its own) a real alert on the ticker,
//            the alerts page and the radio, acknowledged and resolved;
//            launches and their scorecards
//   sources  (sources.mjs, a server of its own) the sources page: states
//            as badges, the last error, the admins' form, test, enable,
//            disable, delete; a viewer sees no form
//
// Environment: HORCH_BIN, E2E_DB, E2E_TMP, E2E_OUT, E2E_ANALYST,
// E2E_ANALYST_PASSWORD, E2E_AGENT, E2E_AGENT_PASSWORD, E2E_VIEWER_TOKEN,
// E2E_INGEST_TOKEN.  HORCH_URL instead of HORCH_BIN/E2E_DB uses a server
// that is already running (then "restart" and "firstrun" are skipped).

import { launch, watch, ok, is, diag, done, api, shot, startServer, waitFor } from './lib.mjs';
import * as lib from './lib.mjs';
import fs from 'node:fs';
import { testAlertsAndLaunches } from './alerts.mjs';
import { testSources } from './sources.mjs';

const env = process.env;
const nonce = Date.now().toString(36);
let seq = 0;
let server = null;

function base() {
	return lib.BASE;
}

// A post as a platform would send it; text and title as given.
function post(text, extra = {}) {
	seq++;
	return {
		source: 'e2e',
		external_id: `${nonce}-${seq}`,
		url: `https://example.com/e2e/${nonce}/${seq}`,
		author: { handle: `tester${seq}`, name: `Tester ${seq}`, followers: 100 * seq },
		created_at: new Date().toISOString(),
		text,
		lang: 'en',
		...extra,
	};
}

// ingest(posts) puts posts in with the analyst token; returns their ids.
async function ingest(posts) {
	const res = await api('POST', '/api/ingest', posts, env.E2E_INGEST_TOKEN);
	if (res.status !== 200 || !res.json || !Array.isArray(res.json.ids))
		throw new Error(`POST /api/ingest: ${res.status} ${JSON.stringify(res.json)}`);
	return res.json.ids;
}

async function getPost(id) {
	// The post as the server analysed it (for its sentiment label).
	for (let cursor = null, i = 0; i < 20; i++) {
		const res = await api('GET', '/api/posts?spam=show&limit=200' + (cursor ? '&cursor=' + cursor : ''),
			undefined, env.E2E_INGEST_TOKEN);
		const p = (res.json.posts || []).find((x) => x.id === id);
		if (p || !res.json.next_cursor)
			return p || null;
		cursor = res.json.next_cursor;
	}
	return null;
}

async function signIn(page, name, password, next) {
	await page.goto(base() + next);
	await page.waitForURL(/\/login\?next=/, { timeout: 10000 });
	await page.fill('#name', name);
	await page.fill('#password', password);
	await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 10000 }),
		page.click('#login-form button[type=submit]')]);
}

async function testLogin(context) {
	const page = await context.newPage();
	const problems = watch(page);
	await page.goto(base() + '/topics');
	const url = await waitFor(() => /\/login\?next=%2Ftopics/.test(page.url()), 10000);
	ok(url, 'login-1.1 a page without a session goes to /login?next=/topics', page.url());
	await page.fill('#name', env.E2E_ANALYST);
	await page.fill('#password', 'not the password');
	await page.click('#login-form button[type=submit]');
	const err = await waitFor(() => page.textContent('#login-error').then((s) => s.trim()), 10000);
	ok(err && !/^Error/.test(err), 'login-1.2 a wrong password is refused with a message', err);
	await page.fill('#password', env.E2E_ANALYST_PASSWORD);
	await Promise.all([page.waitForURL(/\/topics$/, { timeout: 10000 }).catch(() => {}),
		page.click('#login-form button[type=submit]')]);
	is(new URL(page.url()).pathname, '/topics', 'login-1.3 signing in returns to the page asked for');
	const who = await waitFor(() => page.$eval('#topbar .who', (n) => n.textContent).catch(() => ''), 5000);
	is(who, env.E2E_ANALYST, 'login-1.4 the top bar names the user');
	is(problems.join('\n'), '', 'login-1.5 no errors on the login and topics pages');
	await page.close();
}

async function riverIds(page) {
	return page.$$eval('#river > li', (items) => items.map((n) => Number(n.dataset.id)));
}

async function testWall(context) {
	const page = await context.newPage();
	const problems = watch(page);
	// A wall screen signs in with its viewer token, which leaves the address.
	await page.goto(base() + '/wall?topics=&token=' + encodeURIComponent(env.E2E_VIEWER_TOKEN));
	const live = await waitFor(() => page.$eval('#topbar .conn', (n) => n.dataset.state)
		.then((st) => st === 'live' && st).catch(() => ''), 10000)
		|| await page.$eval('#topbar .conn', (n) => n.dataset.state).catch(() => '');
	is(live, 'live', 'wall-1.1 the wall signs in with a viewer token and its stream is live');
	ok(!/token=/.test(page.url()), 'wall-1.2 the token is removed from the address', page.url());
	const who = await page.$eval('#topbar .who', (n) => n.title).catch(() => '');
	is(who, 'viewer', 'wall-1.3 the wall is signed in as a viewer');

	const texts = [
		'The battery of my laptop is swollen and the support was terrible, awful, I hate it.',
		'Great news: the new battery lasts all day, I love it, excellent work!',
		'The battery arrived on Tuesday.',
	];
	const ids = await ingest(texts.map((text) => post(text)));
	const seen = await waitFor(async () => {
		const shown = await riverIds(page);
		return ids.every((id) => shown.includes(id)) && shown;
	}, 10000);
	ok(seen, 'wall-1.4 three posts put in over the API appear in the river live', JSON.stringify(await riverIds(page)));
	if (seen) {
		// One ingest call may store its posts in any order (two workers):
		// the river puts the highest id, the last stored, first.
		const hi = Math.max(...ids);
		const lo = Math.min(...ids);
		ok(seen.indexOf(hi) < seen.indexOf(lo), 'wall-1.5 the newest post is at the top', JSON.stringify(seen));
		for (let i = 0; i < ids.length; i++) {
			const p = await getPost(ids[i]);
			const label = p && p.analysis && p.analysis.sentiment ? p.analysis.sentiment.label : 'neutral';
			const cls = await page.$eval(`#river > li[data-id="${ids[i]}"]`, (n) => n.className);
			ok(cls.includes('sent-' + label), `wall-1.${6 + i} post ${i + 1} is coloured as its sentiment (${label})`, cls);
		}
	}
	// The numbers: the widgets are filled from /api/metrics and friends.
	const sov = await waitFor(() => page.$$eval('#sov li', (n) => n.length), 10000);
	ok(sov >= 1, 'wall-1.9 share of voice has a bar per topic', sov);
	const legend = await page.$$eval('#volume-legend .legend-item', (n) => n.length);
	is(legend, sov, 'wall-1.10 the volume chart has a line per topic');
	ok(await page.$('#volume-chart canvas'), 'wall-1.11 the volume chart is drawn');
	const alerts = await page.textContent('#alerts');
	is(alerts.trim(), 'no alerts', 'wall-1.12 the ticker says "no alerts"');
	// The numbers follow the new posts within 10 s (not only every 30 s).
	const counted = await waitFor(() => page.$$eval('#volume-legend .legend-item', (items) =>
		items.some((n) => /^battery/.test(n.textContent) && Number(n.querySelector('b').textContent.replace(/\D/g, '')) >= 3)), 25000);
	ok(counted, 'wall-1.12a the volume of battery counts the new posts within seconds',
		await page.textContent('#volume-legend'));
	const stale = await page.$$eval('.stale-badge:not(.hidden)', (n) => n.length);
	is(stale, 0, 'wall-1.13 no widget is stale');
	await page.waitForTimeout(2600);   // let the arrival animation end
	const laptop = await page.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1);
	ok(laptop, 'wall-1.13a at 1366x768 the wall fits the screen without scrolling');
	diag('screenshot ' + await shot(page, 'wall-1366x768.png'));
	await page.setViewportSize({ width: 3840, height: 2160 });
	await page.waitForTimeout(800);
	const size = await page.$eval('#river .post-text', (n) => parseFloat(getComputedStyle(n).fontSize));
	ok(size >= 32, 'wall-1.14 at 3840x2160 the river text is at least 32 px (read from 4 m)', size);
	const fits = await page.evaluate(() => document.documentElement.scrollHeight <= innerHeight + 1);
	ok(fits, 'wall-1.15 at 3840x2160 the wall fills the screen without scrolling');
	const wide = await page.$eval('#w-volume', (n) => n.getBoundingClientRect().width);
	ok(wide > 1800, 'wall-1.15a at 3840x2160 the volume chart spreads over the screen', wide);
	diag('screenshot ' + await shot(page, 'wall-3840x2160.png'));
	await page.setViewportSize({ width: 1366, height: 768 });
	is(problems.join('\n'), '', 'wall-1.16 no errors on the wall');
	return { page, ids };
}

async function testXss(page) {
	const problems = watch(page);
	await page.evaluate(() => { window.__xss = 0; });
	const evil = 'Über den Akku: <img src=x onerror="window.__xss=1;alert(1)"> und '
		+ '<script>window.__xss=2;alert(2)</script> <b>fett</b> &amp; <a href="javascript:alert(3)">x</a>';
	const [id] = await ingest([post(evil, { title: '<svg onload=alert(4)>Akku</svg>',
		url: 'javascript:alert(5)' })]);
	const card = await waitFor(() => page.$(`#river > li[data-id="${id}"]`), 10000);
	ok(card, 'xss-1.1 the post with markup arrives in the river');
	if (!card)
		return id;
	await page.waitForTimeout(1000);   // time for an onerror to fire, if it could
	const text = await card.$eval('.post-text', (n) => n.textContent);
	is(text, evil, 'xss-1.2 the text shows exactly as written, markup included');
	const title = await card.$eval('.post-title', (n) => n.textContent).catch(() => null);
	is(title, '<svg onload=alert(4)>Akku</svg>', 'xss-1.3 the title shows as text');
	const elements = await card.$$eval('img, script, svg, b, iframe, [onerror], [onload]', (n) => n.length);
	is(elements, 0, 'xss-1.4 no element was made from the post');
	const href = await card.$$eval('a', (n) => n.map((a) => a.getAttribute('href')));
	ok(href.every((h) => h === null || /^https?:/.test(h)), 'xss-1.5 no javascript: link', href.join(' '));
	is(await page.evaluate(() => window.__xss), 0, 'xss-1.6 no script of the post ran');
	is(problems.join('\n'), '', 'xss-1.7 no dialog, no console error, no CSP violation');
	return id;
}

async function testSearch(context, id) {
	const page = await context.newPage();
	const problems = watch(page);
	await page.goto(base() + '/search?q=Akku');
	const card = await waitFor(() => page.$(`#results > li[data-id="${id}"]`), 10000);
	ok(card, 'search-1.1 full-text search finds the post');
	if (card) {
		const marks = await card.$$eval('.post-text mark', (n) => n.map((m) => m.textContent));
		ok(marks.length > 0 && marks.every((m) => /^akku/i.test(m)),
			'search-1.2 the matched span is marked at "Akku" (after the 2-byte Ü)', JSON.stringify(marks));
		const text = await card.$eval('.post-text', (n) => n.textContent);
		ok(text.startsWith('Über den Akku: <img'), 'search-1.3 marking keeps the text whole', text);
	}
	await page.keyboard.press('Escape');
	await page.keyboard.press('/');
	is(await page.evaluate(() => document.activeElement && document.activeElement.id), 'q',
		'search-1.4 "/" focuses the search box');
	is(problems.join('\n'), '', 'search-1.5 no errors on the search page');
	await page.close();
}

async function testTopics(context) {
	const page = await context.newPage();
	const problems = watch(page);
	await page.goto(base() + '/topics');
	await page.waitForSelector('#topic-list tr', { timeout: 10000 });
	await page.click('#new-topic');
	const name = 'e2e ' + nonce;
	await page.fill('#t-name', name);
	const bad = '(akku OR battery AND';
	await page.type('#t-query', bad, { delay: 15 });
	const item = await waitFor(() => page.$('#lint li.sev-error'), 5000);
	ok(item, 'topics-1.1 live lint shows an error while typing');
	const want = await api('POST', '/api/lint', { query: bad }, env.E2E_INGEST_TOKEN);
	const first = want.json && want.json.lint && want.json.lint.find((m) => m.severity === 'error');
	if (item && first) {
		const where = await item.$eval('.where', (n) => n.textContent);
		is(where, `(line ${first.line}, column ${first.column})`, 'topics-1.2 the message gives the line and column');
		const caret = await item.$eval('.caret', (n) => n.textContent);
		const line = bad.split('\n')[first.line - 1] || '';
		const chars = Array.from(Buffer.from(line).subarray(0, first.column - 1).toString()).length;
		is(caret, ' '.repeat(chars) + '^', 'topics-1.3 the caret stands under the column');
	} else {
		ok(false, 'topics-1.2 the server lints the query', JSON.stringify(want.json));
		ok(false, 'topics-1.3 the caret stands under the column');
	}
	await page.fill('#t-query', 'akku* OR battery');
	const good = await waitFor(() => page.$('#lint .ok'), 5000);
	ok(good, 'topics-1.4 a valid query is shown as valid');
	await page.click('#backtest');
	const summary = await waitFor(() => page.textContent('#bt-summary').then((s) => s.trim()), 10000);
	ok(/^[\d,.]+ of [\d,.]+ posts matched$/.test(summary), 'topics-1.5 the backtest tells matched of scanned', summary);
	ok(await waitFor(() => page.$('#bt-chart canvas'), 5000), 'topics-1.6 the backtest draws its chart');
	await page.click('#save');
	const row = await waitFor(() => page.$$eval('#topic-list tr', (rows, n) =>
		rows.some((r) => r.querySelector('a') && r.querySelector('a').textContent === n), name), 10000);
	ok(row, 'topics-1.7 the saved topic is in the list');
	problems.acceptDialog = true;
	await page.click('#delete');
	const gone = await waitFor(() => page.$$eval('#topic-list tr', (rows, n) =>
		!rows.some((r) => r.querySelector('a') && r.querySelector('a').textContent === n), name), 10000);
	ok(gone, 'topics-1.8 deleting (after the confirmation) removes it');
	await page.close();
	is(problems.join('\n'), '', 'topics-1.9 no errors on the topics page (the confirmation aside)');
}

async function testRadio(context, earlier) {
	const page = await context.newPage();
	const problems = watch(page);
	// The analyst signs out; the agent signs in, in the same browser.
	await page.goto(base() + '/search');
	await page.waitForSelector('#logout-btn', { timeout: 10000 });
	await Promise.all([page.waitForURL(/\/login/, { timeout: 10000 }), page.click('#logout-btn')]);
	await signIn(page, env.E2E_AGENT, env.E2E_AGENT_PASSWORD, '/radio');
	await page.waitForSelector('#subs input', { timeout: 10000 });
	const subs = await page.$$eval('#subs li', (items) => items.map((li) => ({
		name: li.querySelector('label').textContent.trim(), on: li.querySelector('input').checked })));
	const on = subs.filter((s) => s.on).map((s) => s.name);
	is(on.join(','), 'battery', 'radio-1.1 the agent is subscribed to battery only');
	const first = await waitFor(() => page.$$eval('#feed > li', (n) => n.map((x) => Number(x.dataset.id))), 10000);
	ok(earlier.every((id) => first.includes(id)),
		'radio-1.2 the feed starts with the earlier posts of the subscribed topic',
		`earlier ${JSON.stringify(earlier)}, feed ${JSON.stringify(first)}`);
	const [hingeId, batteryId] = await ingest([post('The hinge cracked after a week.'),
		post('My battery died during the meeting, very annoying.')]);
	const got = await waitFor(() => page.$(`#feed > li[data-id="${batteryId}"]`), 10000);
	ok(got, 'radio-1.3 a post of a subscribed topic arrives live');
	await page.waitForTimeout(500);
	ok(!(await page.$(`#feed > li[data-id="${hingeId}"]`)), 'radio-1.4 a post of another topic does not');
	// A near-copy of a post in the feed (analysis.dup_of) is heard once.
	const copied = 'My battery swelled up after two months and now the laptop case bends open';
	const [origId] = await ingest([post(copied)]);
	const orig = await waitFor(() => page.$(`#feed > li[data-id="${origId}"]`), 10000);
	ok(orig, 'radio-1.4a the original arrives');
	const [copyId] = await ingest([post(copied + '!')]);
	const copy = await getPost(copyId);
	is(copy && copy.analysis && copy.analysis.dup_of, origId, 'radio-1.4b the server marks the copy as a repeat');
	await page.waitForTimeout(1500);
	ok(!(await page.$(`#feed > li[data-id="${copyId}"]`)), 'radio-1.4c the feed leaves the repeat out');
	const chips = await page.$$eval('#feed > li', (items) => items.map((li) =>
		Array.from(li.querySelectorAll('.chip')).map((c) => c.textContent.trim())));
	ok(chips.length > 0 && chips.every((c) => c.includes('battery')),
		'radio-1.5 every post in the feed matched a subscribed topic', JSON.stringify(chips));
	const prio = await page.$$eval('#feed > li .badge.priority', (n) => n.length);
	is(prio, chips.length, 'radio-1.6 every post shows its priority');
	await page.keyboard.press('j');
	const sel = await page.$$eval('#feed > li', (items) => items.findIndex((n) => n.classList.contains('selected')));
	is(sel, 0, 'radio-1.7 j selects the first post');
	diag('screenshot ' + await shot(page, 'radio-1366x768.png'));
	// Tick hinge: subscribed, and its posts join the feed.
	await page.check('#subs li:has-text("hinge") input');
	const joined = await waitFor(() => page.$(`#feed > li[data-id="${hingeId}"]`), 10000);
	ok(joined, 'radio-1.8 ticking hinge subscribes and brings its posts');
	const me = await page.evaluate(() => fetch('/api/me').then((r) => r.json()));
	ok((me.subscriptions || []).includes('hinge'), 'radio-1.9 the server keeps the subscription',
		JSON.stringify(me.subscriptions));
	await page.uncheck('#subs li:has-text("hinge") input');
	await waitFor(() => page.$(`#feed > li[data-id="${hingeId}"]`).then((n) => !n), 10000);
	is(problems.join('\n'), '', 'radio-1.10 no errors on the radio');
	await page.close();
}

async function testKeys(page) {
	await page.keyboard.press('?');
	ok(await waitFor(() => page.$('dialog.keys[open]'), 3000), 'keys-1.1 "?" shows the keys');
	await page.keyboard.press('Escape');
	ok(await waitFor(() => page.$('dialog.keys[open]').then((n) => !n), 3000), 'keys-1.2 Escape closes them');
	await page.keyboard.press('l');
	const h = await waitFor(() => page.textContent('#h-net').then((s) => /Netto-Stimmung/.test(s) && s), 3000);
	ok(h, 'keys-1.3 "l" switches the wall to German', h);
	await page.keyboard.press('l');
	await page.keyboard.press('n');
	ok(await page.evaluate(() => document.body.classList.contains('screen-river')), 'keys-1.4 "n" shows the next screen');
	await page.keyboard.press('p');
}

// ?rotate=1 cycles the screens; ?topics=ID keeps to one topic.
async function testRotate(context) {
	const topics = await api('GET', '/api/topics', undefined, env.E2E_INGEST_TOKEN);
	const hinge = (topics.json.topics || []).find((tp) => tp.name === 'hinge');
	const page = await context.newPage();
	const problems = watch(page);
	await page.goto(base() + `/wall?rotate=1&topics=${hinge.id}`);
	const seen = new Set();
	await waitFor(async () => {
		seen.add(await page.evaluate(() => ['overview', 'river', 'topics']
			.find((s) => document.body.classList.contains('screen-' + s))));
		return seen.size === 3;
	}, 6000);
	is(Array.from(seen).sort().join(','), 'overview,river,topics', 'rotate-1.1 ?rotate=1 shows every screen in turn');
	const bars = await page.$$eval('#sov li .label', (n) => n.map((x) => x.textContent));
	is(bars.join(','), 'hinge', 'rotate-1.2 ?topics= keeps the numbers to that topic');
	const chips = await page.$$eval('#river > li', (items) => items.map((li) =>
		Array.from(li.querySelectorAll('.chip')).map((c) => c.textContent.trim())));
	ok(chips.length > 0 && chips.every((c) => c.includes('hinge')), 'rotate-1.3 and the river too',
		JSON.stringify(chips));
	is(problems.join('\n'), '', 'rotate-1.4 no errors');
	await page.close();
}

async function testRestart(page) {
	if (!server) {
		diag('restart: skipped (the server was not started by this test)');
		return;
	}
	const port = server.port;
	await server.stop();
	const stale = await waitFor(() => page.$$eval('.stale-badge:not(.hidden)', (n) => n.length), 15000);
	ok(stale > 0, 'restart-1.1 with the server down, the wall shows stale badges');
	server = await startServer('127.0.0.1:' + port);
	const [id] = await ingest([post('Battery news after the restart.')]);
	const back = await waitFor(() => page.$(`#river > li[data-id="${id}"]`), 40000);
	ok(back, 'restart-1.2 after the restart, new posts reach the river again');
	const fresh = await waitFor(() => page.$$eval('.stale-badge:not(.hidden)', (n) => n.length === 0), 40000);
	ok(fresh, 'restart-1.3 and the stale badges go away by themselves');
	const state = await page.$eval('#topbar .conn', (n) => n.dataset.state);
	is(state, 'live', 'restart-1.4 the stream is live again');
}

// The first run: serve creates "admin" with a one-time password (printed
// on stderr); signing in with it asks for a new password first.
async function testFirstRun(context) {
	if (!server) {
		diag('firstrun: skipped (the server was not started by this test)');
		return;
	}
	const main = lib.BASE;
	const first = await startServer('127.0.0.1:0', env.E2E_TMP + '/first.db', 'first.log');
	try {
		const log = await waitFor(() => {
			const text = fs.readFileSync(env.E2E_TMP + '/first.log', 'utf8');
			return /one-time password\s+(\S+)/.exec(text);
		}, 5000);
		ok(log, 'firstrun-1.1 serve prints the one-time password of admin');
		if (!log)
			return;
		const page = await context.newPage();
		const problems = watch(page);
		await page.goto(first.url + '/topics');
		await page.waitForURL(/\/login\?next=/, { timeout: 10000 });
		await page.fill('#name', 'admin');
		await page.fill('#password', log[1]);
		await page.click('#login-form button[type=submit]');
		const shown = await waitFor(() => page.$('#change-form:not(.hidden)'), 10000);
		ok(shown, 'firstrun-1.2 signing in with it asks for a new password');
		await page.fill('#new-password', 'a new password 1');
		await page.fill('#new-password2', 'a new password 2');
		await page.click('#change-form button[type=submit]');
		const differ = await waitFor(() => page.textContent('#login-error').then((s) => s.trim()), 5000);
		is(differ, 'The two new passwords differ.', 'firstrun-1.3 two different new passwords are refused');
		await page.fill('#new-password2', 'a new password 1');
		await Promise.all([page.waitForURL(/\/topics$/, { timeout: 10000 }).catch(() => {}),
			page.click('#change-form button[type=submit]')]);
		is(new URL(page.url()).pathname, '/topics', 'firstrun-1.4 then the page asked for opens');
		const who = await waitFor(() => page.$eval('#topbar .who', (n) => n.textContent).catch(() => ''), 5000);
		is(who, 'admin', 'firstrun-1.5 signed in as admin');
		is(problems.join('\n'), '', 'firstrun-1.6 no errors');
		await page.close();
	} finally {
		await first.stop();
		lib.setBase(main);
	}
}

async function main() {
	if (!env.HORCH_URL)
		server = await startServer();
	ok(base(), 'serve-1.1 horch serve is up at ' + base());
	const analyst = await launch();
	const screen = await launch();
	try {
		await testLogin(analyst);
		const { page: wall, ids } = await testWall(screen);
		const id = await testXss(wall);
		await testSearch(analyst, id);
		await testTopics(analyst);
		await testRadio(analyst, ids);
		await testKeys(wall);
		await testRotate(screen);
		await testRestart(wall);
		await testFirstRun(analyst);
		await testAlertsAndLaunches();
		await testSources();
	} catch (err) {
		ok(false, 'the tests ran to the end', err.stack || String(err));
	} finally {
		await analyst.close().catch(() => {});
		await screen.close().catch(() => {});
		if (server)
			await server.stop();
		done();
	}
}

main().catch((err) => {
	ok(false, 'the tests started', err.stack || String(err));
	done();
});
