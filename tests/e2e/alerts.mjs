// alerts.mjs - the browser tests of alerts and launches, run by all.mjs in
// the same TAP stream, after the other tests.
//
// Real alerts, on a server of its own.  The engine checks a rule each
// time stream time closes an interval (5 minutes); stream time moves with
// the posts (and with the clock once they are recent), forward only.  On
// the main server stream time is now, so a check could be minutes away; on
// a fresh database, one ingest call that puts in posts with past times
// makes the engine walk through the intervals at once.  Two rules made
// through the API: "unanswered" with an SLA of 60 s and any priority, for
// a topic of its own, naming the agent as a recipient; and "spike" with a
// low threshold for another topic.  Then, in one call: seven hours of one
// or two posts per 5 minutes of the second topic with a burst of 30, a
// question of the first topic ten minutes ago, and a post of now.  Within
// a second or two the engine raises an "unanswered" alert and a buzz whose
// evidence has a series to draw.  The question carries markup, so the
// alert's evidence quotes a stranger's <img onerror>.  What is
// checked:
//   alerts   the wall's ticker shows the alert live (sign, severity, topic,
//            title); the alerts page adds its row live and shows its
//            detail, the quoted post as text; a viewer has no buttons;
//            Acknowledge changes the state on every page (a second page
//            and the wall hear it on the stream; the ticker dims it); the
//            radio of the agent named lists it; Resolve there takes it off
//            the ticker and the radio; the API agrees; the buzz's evidence
//            is drawn as a chart with the interval that fired marked
//   launches a launch made through the API shows its scorecard with the
//            API's numbers; an analyst adds a launch with the form and
//            deletes it
//
// Environment: as all.mjs (HORCH_BIN, E2E_TMP, E2E_ANALYST,
// E2E_ANALYST_PASSWORD, E2E_AGENT, E2E_AGENT_PASSWORD, E2E_OUT).  It uses
// browsers of its own: a session cookie is kept per host, not per port, so
// signing in to this server would sign the other browsers out of theirs.

import { launch, watch, ok, is, diag, api, apiOk, horch, shot, startServer, waitFor } from './lib.mjs';
import * as lib from './lib.mjs';
import path from 'node:path';

const env = process.env;
const nonce = Date.now().toString(36);
let seq = 0;
let token = '';     // an analyst token of this server

function base() {
	return lib.BASE;
}

async function call(method, urlPath, body) {
	return apiOk(method, urlPath, body, token);
}

function post(text, ageMs) {
	seq++;
	return {
		source: 'e2e',
		external_id: `alerts-${nonce}-${seq}`,
		url: `https://example.com/e2e/alerts/${nonce}/${seq}`,
		author: { handle: `asker${seq}`, name: `Asker ${seq}` },
		created_at: new Date(Date.now() - ageMs).toISOString(),
		text,
		lang: 'en',
	};
}

// The alert of rule `rule`, as the API has it (null until there is one).
async function alertOf(rule) {
	const res = await call('GET', '/api/alerts?state=all&limit=50');
	return (res.alerts || []).find((a) => a.rule === rule) || null;
}

function tickerItem(page, id) {
	return page.$(`#alerts > li[data-id="${id}"]`);
}

async function rowState(page, id) {
	return page.$eval(`#alert-list tr[data-id="${id}"]`, (n) => n.dataset.state).catch(() => null);
}

// signIn(page, name, password, next) signs in on the login page.
async function signIn(page, name, password, next) {
	await page.goto(base() + next);
	await page.waitForURL(/\/login\?next=/, { timeout: 10000 });
	await page.fill('#name', name);
	await page.fill('#password', password);
	await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 10000 }),
		page.click('#login-form button[type=submit]')]);
}

// buzz() makes a topic and a spike rule for it.  Returns [the rule's
// name, its posts]: seven hours of one or two posts per 5 minutes ending
// 12 minutes ago, with a burst of 30 posts 25 minutes ago.
async function buzz() {
	const word = 'quorbel' + nonce;
	const rule = 'e2e-buzz-' + nonce;
	await call('POST', '/api/topics', { name: rule, query: word, team: 'engineering' });
	await call('POST', '/api/alert-rules', { name: rule, signal: 'spike', threshold: 0.5, topics: [rule],
		severity: 'warning' });
	const now = Date.now();
	const posts = [];
	for (let t = now - 7 * 3600 * 1000, i = 0; t < now - 30 * 60 * 1000; t += 5 * 60 * 1000, i++) {
		posts.push(post(`The ${word} works, day ${i}.`, now - t - 7000));
		if (i % 2)
			posts.push(post(`Another note on the ${word}, ${i}.`, now - t - 67000));
	}
	for (let i = 0; i < 30; i++)
		posts.push(post(`The ${word} broke, the ${word} is cracked (${i})`, 25 * 60 * 1000 - 5000 * i));
	posts.push(post(`The ${word} is fine.`, 12 * 60 * 1000));
	return [rule, posts];
}

// testChart(page, rule): the buzz of seedSpike() on the agent's alerts
// page, its evidence drawn.
async function testChart(page, rule) {
	const buzz = await waitFor(() => alertOf(rule), 10000);
	ok(buzz && buzz.kind === 'spike', 'alerts-2.1 the burst raised a buzz', buzz && buzz.title);
	if (!buzz)
		return;
	await page.goto(base() + '/alerts?state=all&id=' + buzz.id);
	const canvas = await waitFor(() => page.$('#d-chart:not(.hidden) canvas'), 10000);
	ok(canvas, 'alerts-2.2 its evidence is drawn as a chart');
	const labels = await page.$$eval('#d-chart .u-legend .u-series .u-label', (n) => n.map((x) => x.textContent));
	ok(labels.includes('posts') && labels.includes('when it fired'),
		'alerts-2.3 with the posts and, marked, the interval that fired', JSON.stringify(labels));
	const score = await page.$$eval('#d-figures dt', (n) => n.map((x) => x.textContent));
	ok(score[0] === 'Score', 'alerts-2.4 and the figures of a buzz', JSON.stringify(score));
	const sign = await page.$eval(`#alert-list tr[data-id="${buzz.id}"] .alert-sign`, (n) => [n.textContent, n.className]);
	is(sign.join(' '), '▲ alert-sign sev-warning', 'alerts-2.5 its sign is a warning\'s ▲');
	diag('screenshot ' + await shot(page, 'alert-buzz-1366x768.png'));
}

// testAlerts(agent, screen, wall): agent is a browser context signed in as
// the agent (E2E_AGENT), screen one signed in with a viewer token, wall
// the wall page open in it.  Returns the topic made, for testLaunches.
async function testAlerts(agent, screen, wall) {
	const wallProblems = watch(wall);
	const topicName = 'e2e-alerts-' + nonce;
	const word = 'zorbix' + nonce;
	const topic = await call('POST', '/api/topics', { name: topicName, query: word, team: 'care' });
	const rule = 'e2e-slow-' + nonce;
	await call('POST', '/api/alert-rules', { name: rule, signal: 'unanswered', sla_s: 60, min_priority: 0,
		threshold: 1, topics: [topicName], recipients: [env.E2E_AGENT], severity: 'critical' });
	const [buzzRule, buzzPosts] = await buzz();

	// The agent's alerts page is open before the alert exists: its row
	// must arrive on the stream.
	const page = await agent.newPage();
	const problems = watch(page);
	await page.goto(base() + '/alerts');
	await waitFor(() => page.$eval('#topbar .conn', (n) => n.dataset.state === 'live').catch(() => false), 10000);
	const evil = `How do I reset my ${word}? Please help? <img src=x onerror="window.__xss=1;alert(1)"> <b>now</b>`;
	await wall.evaluate(() => { window.__xss = 0; });
	await page.evaluate(() => { window.__xss = 0; });
	// One call: the engine closes the intervals of stream time (with the
	// clock, once the posts are recent) only forward, so the question and
	// the burst must be in before the post of now moves it on.
	await call('POST', '/api/ingest', [...buzzPosts, post(evil, 10 * 60 * 1000), post(`The ${word} arrived today.`, 0)]);
	const raised = await waitFor(() => alertOf(rule), 15000);
	ok(raised, 'alerts-1.1 a question unanswered past the SLA raises an alert', raised && JSON.stringify(raised));
	if (!raised)
		return topic;
	const id = raised.id;

	// The wall's ticker.
	const item = await waitFor(() => tickerItem(wall, id), 10000);
	ok(item, 'alerts-1.2 the alert appears in the wall\'s ticker');
	if (item) {
		const cls = await item.getAttribute('class');
		ok(/\bsev-critical\b/.test(cls) && /\bstate-open\b/.test(cls), 'alerts-1.3 coloured as critical, open', cls);
		is(await item.$eval('.alert-topic', (n) => n.textContent), topicName, 'alerts-1.4 the ticker names the topic');
		is(await item.$eval('.alert-title', (n) => n.textContent), raised.title, 'alerts-1.5 and shows the title');
		is(await item.$eval('.alert-sign', (n) => n.textContent), '◷', 'alerts-1.6 with the sign of "unanswered"');
		const first = await wall.$eval('#alerts > li', (n) => Number(n.dataset.id));
		is(first, id, 'alerts-1.7 the newest alert is first');
		diag('screenshot ' + await shot(wall, 'wall-alerts-1366x768.png'));
	}

	// The alerts page: the row came live; the detail.
	const row = await waitFor(() => page.$(`#alert-list tr[data-id="${id}"]`), 10000);
	ok(row, 'alerts-1.8 the alerts page lists it without a reload');
	if (!row)
		return topic;
	is(await rowState(page, id), 'open', 'alerts-1.9 as open');
	await page.click(`#alert-list tr[data-id="${id}"] a`);
	const title = await waitFor(() => page.$eval('#d-title', (n) => n.textContent).catch(() => ''), 10000);
	ok(title.endsWith(raised.title), 'alerts-1.10 choosing it shows its title', title);
	ok(new URL(page.url()).search.includes('id=' + id), 'alerts-1.11 the address keeps the alert', page.url());
	const quoted = await waitFor(() => page.$$eval('#d-posts .post-text', (n) => n.map((x) => x.textContent)), 10000);
	ok(Array.isArray(quoted) && quoted.includes(evil), 'alerts-1.12 the quoted post shows exactly as written',
		JSON.stringify(quoted));
	is(await page.$$eval('#detail img, #detail b, #detail [onerror]', (n) => n.length), 0,
		'alerts-1.13 no element was made from it');
	const deliveries = await page.textContent('#d-deliveries');
	is(deliveries.trim(), 'Shown here only: no webhook or e-mail.', 'alerts-1.14 the deliveries say there are none');
	const buttons = await page.$$eval('#d-actions button', (n) => n.map((b) => [b.className, b.disabled]));
	is(JSON.stringify(buttons), JSON.stringify([['ack', false], ['resolve', false]]),
		'alerts-1.15 an agent may acknowledge and resolve an open alert');

	// A viewer's alerts page: the same alert, no buttons.
	const viewer = await screen.newPage();
	const viewerProblems = watch(viewer);
	await viewer.goto(base() + '/alerts?id=' + id);
	await waitFor(() => viewer.$eval('#d-title', (n) => n.textContent).catch(() => ''), 10000);
	await waitFor(() => viewer.$eval('#topbar .conn', (n) => n.dataset.state === 'live').catch(() => false), 10000);
	is(await viewer.$$eval('#detail button.ack, #detail button.resolve', (n) => n.length), 0,
		'alerts-1.16 a viewer has no Acknowledge or Resolve button');
	is(await rowState(viewer, id), 'open', 'alerts-1.17 the viewer sees it open');

	// Acknowledge: the agent's page, the viewer's page and the wall follow.
	// The key "a" acknowledges the chosen alert (the focus is on its link).
	await page.focus(`#alert-list tr[data-id="${id}"] a`);
	await page.keyboard.press('a');
	const acked = await waitFor(async () => (await rowState(page, id)) === 'acked', 10000);
	ok(acked, 'alerts-1.18 Acknowledge (the key a) marks the row acknowledged');
	const status = await page.textContent('#d-status');
	is(status.trim(), 'Acknowledged.', 'alerts-1.19 and says so');
	const after = await page.$$eval('#d-actions button', (n) => n.map((b) => [b.className, b.disabled]));
	is(JSON.stringify(after), JSON.stringify([['ack', true], ['resolve', false]]),
		'alerts-1.20 then only Resolve is enabled');
	const seen = await waitFor(async () => (await rowState(viewer, id)) === 'acked', 10000);
	ok(seen, 'alerts-1.21 the viewer\'s page hears the change on the stream');
	const who = await viewer.$eval(`#alert-list tr[data-id="${id}"] .alert-state`, (n) => n.textContent).catch(() => '');
	is(who, `acknowledged by ${env.E2E_AGENT}`, 'alerts-1.22 and names who acknowledged');
	const dim = await waitFor(() => wall.$eval(`#alerts > li[data-id="${id}"]`, (n) => n.classList.contains('state-acked'))
		.catch(() => false), 10000);
	ok(dim, 'alerts-1.23 the ticker dims the acknowledged alert');
	diag('screenshot ' + await shot(page, 'alerts-1366x768.png'));

	// The radio of the agent named as a recipient (not subscribed to the
	// topic): the alert, with Resolve.
	const radio = await agent.newPage();
	const radioProblems = watch(radio);
	await radio.goto(base() + '/radio');
	const mine = await waitFor(() => radio.$(`#radio-alerts > li[data-id="${id}"]`), 10000);
	ok(mine, 'alerts-1.24 the radio of the agent named lists the alert');
	if (mine) {
		const rb = await radio.$$eval(`#radio-alerts > li[data-id="${id}"] button`, (n) => n.map((b) => [b.className, b.disabled]));
		is(JSON.stringify(rb), JSON.stringify([['ack', true], ['resolve', false]]),
			'alerts-1.25 with Acknowledge done and Resolve to do');
		await radio.click(`#radio-alerts > li[data-id="${id}"] button.resolve`);
		const gone = await waitFor(() => radio.$(`#radio-alerts > li[data-id="${id}"]`).then((n) => !n), 10000);
		ok(gone, 'alerts-1.26 Resolve takes it off the radio');
	}
	const offWall = await waitFor(() => tickerItem(wall, id).then((n) => !n), 10000);
	ok(offWall, 'alerts-1.27 and off the wall\'s ticker');
	const resolved = await waitFor(async () => (await rowState(page, id)) === 'resolved', 10000);
	ok(resolved, 'alerts-1.28 the alerts page shows it resolved, in place');
	const final = await call('GET', `/api/alerts/${id}`);
	is(`${final.state} ${final.acked_by} ${final.resolved_by}`, `resolved ${env.E2E_AGENT} ${env.E2E_AGENT}`,
		'alerts-1.29 the server has it acknowledged and resolved by the agent');
	await page.selectOption('#state', 'resolved');
	const listed = await waitFor(() => page.$(`#alert-list tr[data-id="${id}"]`), 10000);
	ok(listed && new URL(page.url()).searchParams.get('state') === 'resolved',
		'alerts-1.30 the filter "resolved" lists it', page.url());

	is(await page.evaluate(() => window.__xss) + await wall.evaluate(() => window.__xss), 0,
		'alerts-1.31 no script of the quoted post ran');
	await testChart(page, buzzRule);
	is([...problems, ...viewerProblems, ...radioProblems, ...wallProblems].join('\n'), '',
		'alerts-2.6 no errors on the alerts pages, the radio and the wall');
	await call('DELETE', '/api/alert-rules?name=' + encodeURIComponent(rule));
	await call('DELETE', '/api/alert-rules?name=' + encodeURIComponent(buzzRule));
	await Promise.all([page.close(), viewer.close(), radio.close()]);
	return topic;
}

// testLaunches(agent, topic): a launch made through the API, shown on the
// launches page (to the agent); then an analyst adds one with the form.
async function testLaunches(agent, topic) {
	const at = new Date(Date.now() - 30 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
	const made = await call('POST', '/api/launches', { name: 'E2E ' + nonce, topic: topic.name, at });
	const card = await call('GET', `/api/launches/${made.id}`);
	const page = await agent.newPage();
	const problems = watch(page);
	await page.goto(base() + '/launches?id=' + made.id);
	const rows = await waitFor(() => page.$$eval('#sc-windows tbody tr', (n) => n.map((tr) => ({
		label: tr.querySelector('th').textContent,
		volume: tr.querySelector('.volume').textContent,
		authors: tr.querySelector('.authors').textContent,
		questions: tr.querySelector('.questions').textContent,
	}))).then((r) => r.length && r), 10000);
	ok(rows, 'launches-1.1 the scorecard of a launch made through the API is shown');
	if (rows) {
		const want = card.windows.map((w) => ({
			label: w.complete ? w.label : `${w.label} (so far)`,
			volume: w.volume.toLocaleString('en-GB'),
			authors: w.authors.toLocaleString('en-GB'),
			questions: w.questions.toLocaleString('en-GB'),
		}));
		is(JSON.stringify(rows), JSON.stringify(want), 'launches-1.2 a row per window with the API\'s numbers');
		is(rows[0].label, '1h (so far)', 'launches-1.3 the running hour says "so far"');
	}
	is(await page.textContent('#sc-title'), 'Scorecard: E2E ' + nonce, 'launches-1.4 the scorecard names the launch');
	const listed = await page.$$eval('#launch-list tr', (n) => n.map((tr) => Number(tr.dataset.id)));
	ok(listed.includes(made.id), 'launches-1.5 the list has the launch', JSON.stringify(listed));
	ok(await page.$eval('#launch-form', (n) => n.classList.contains('hidden')),
		'launches-1.6 an agent gets no form to add a launch');
	diag('screenshot ' + await shot(page, 'launch-1366x768.png'));
	is(problems.join('\n'), '', 'launches-1.7 no errors on the launches page');
	await page.close();

	// An analyst adds a launch with the form, then deletes it.
	const ctx = await launch();
	try {
		const a = await ctx.newPage();
		const aProblems = watch(a);
		await signIn(a, env.E2E_ANALYST, env.E2E_ANALYST_PASSWORD, '/launches');
		await a.waitForSelector('#launch-form:not(.hidden)', { timeout: 10000 });
		const name = 'Form ' + nonce;
		await a.fill('#l-name', name);
		await a.selectOption('#l-topic', String(topic.id));
		await a.fill('#l-at', '2026-01-15T09:30');
		await a.click('#l-save');
		const title = await waitFor(() => a.textContent('#sc-title').then((s) => s === 'Scorecard: ' + name && s), 10000);
		ok(title, 'launches-1.8 an analyst adds a launch with the form and sees its scorecard');
		const stored = (await call('GET', '/api/launches')).launches.find((l) => l.name === name);
		is(stored && stored.at, new Date('2026-01-15T09:30').toISOString().replace(/\.\d{3}Z$/, 'Z'),
			'launches-1.9 its time is the one typed, in the browser\'s time zone');
		const complete = await a.$$eval('#sc-windows tbody tr.running', (n) => n.length);
		is(complete, 0, 'launches-1.10 a launch long past has no running window');
		aProblems.acceptDialog = true;
		await a.click('#sc-delete');
		const gone = await waitFor(async () => !(await call('GET', '/api/launches')).launches.some((l) => l.name === name), 10000);
		ok(gone, 'launches-1.11 Delete launch (after the confirmation) removes it');
		is(aProblems.join('\n'), '', 'launches-1.12 no errors for the analyst');
	} finally {
		await ctx.close().catch(() => {});
	}
	await call('DELETE', `/api/launches/${made.id}`);
}

// testAlertsAndLaunches() starts a server on a fresh database with the
// agent, the analyst and a viewer token, runs both tests in browsers of
// their own, and stops it.  Skipped when all.mjs did not start the server
// (HORCH_URL).
export async function testAlertsAndLaunches() {
	if (env.HORCH_URL || !env.HORCH_BIN || !env.E2E_TMP) {
		diag('alerts, launches: skipped (the server was not started by this test)');
		return;
	}
	const main = lib.BASE;
	const db = path.join(env.E2E_TMP, 'alerts.db');
	horch(db, ['user', 'add', env.E2E_ANALYST, '--role', 'analyst', '--password-stdin'], env.E2E_ANALYST_PASSWORD + '\n');
	horch(db, ['user', 'add', env.E2E_AGENT, '--role', 'agent', '--password-stdin'], env.E2E_AGENT_PASSWORD + '\n');
	token = horch(db, ['token', 'create', '--role', 'analyst', '--name', 'e2e-alerts']);
	const viewerToken = horch(db, ['token', 'create', '--role', 'viewer', '--name', 'e2e-alerts-wall']);
	const server = await startServer('127.0.0.1:0', db, 'alerts.log');
	const agent = await launch();
	const screen = await launch();
	try {
		const first = await agent.newPage();
		await signIn(first, env.E2E_AGENT, env.E2E_AGENT_PASSWORD, '/alerts');
		await first.close();
		const wall = await screen.newPage();
		await wall.goto(base() + '/wall#token=' + encodeURIComponent(viewerToken));
		await waitFor(() => wall.$eval('#topbar .conn', (n) => n.dataset.state === 'live').catch(() => false), 10000);
		const topic = await testAlerts(agent, screen, wall);
		await testLaunches(agent, topic);
	} finally {
		await agent.close().catch(() => {});
		await screen.close().catch(() => {});
		await server.stop();
		lib.setBase(main);
	}
}
