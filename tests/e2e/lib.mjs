// lib.mjs - what the browser tests share: starting Debian's chromium through
// playwright-core (from web/node_modules), TAP output, and a page that
// fails the test on any console error, page error, CSP violation or dialog
// (an alert() from a post would be one).
//
// Environment (set by tests/e2e/run): HORCH_URL (the server), E2E_OUT (where
// screenshots go), E2E_PROFILE (a fresh chromium profile directory),
// CHROMIUM (default /usr/bin/chromium), plus the names and secrets of the
// test users (see run).

import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawn, execFileSync } from 'node:child_process';
import readline from 'node:readline';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../web/package.json'));
const { chromium } = require('playwright-core');

export let BASE = (process.env.HORCH_URL || '').replace(/\/$/, '');
export function setBase(url) {
	BASE = url;
}
export const OUT = process.env.E2E_OUT || path.join(here, 'screenshots');

let n = 0;
let failed = 0;

// ok(cond, name, diag): one TAP check.
export function ok(cond, name, diag) {
	n++;
	if (cond) {
		console.log(`ok ${n} - ${name}`);
	} else {
		failed++;
		console.log(`not ok ${n} - ${name}`);
		if (diag !== undefined)
			for (const line of String(diag).split('\n').slice(0, 20))
				console.log('#   ' + line);
	}
	return !!cond;
}

export function is(got, want, name) {
	return ok(got === want, name, `got:  ${JSON.stringify(got)}\nwant: ${JSON.stringify(want)}`);
}

export function diag(msg) {
	for (const line of String(msg).split('\n'))
		console.log('# ' + line);
}

// done() prints the plan and sets the exit status.
export function done() {
	console.log(`1..${n}`);
	process.exitCode = failed ? 1 : 0;
}

// launch(viewport) starts chromium with a fresh profile directory (given
// to chromium as --user-data-dir; playwright wants it as the persistent
// context's directory).  Returns the browser context; close() ends it.
export async function launch(viewport = { width: 1366, height: 768 }) {
	const profile = fs.mkdtempSync(path.join(process.env.E2E_PROFILE || process.env.TMPDIR || '/tmp',
		'horch-e2e-profile-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		viewport,
		locale: 'en-GB',
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync',
			'--disable-dev-shm-usage'],
	});
	return context;
}

// watch(page) records what must never happen on a page: uncaught errors,
// console errors (a CSP violation is one), and dialogs (but the one a test
// announces by setting .acceptDialog on the list, which is accepted).  Returns the list,
// which the test checks at the end.
export function watch(page) {
	const problems = [];
	page.on('pageerror', (e) => problems.push('page error: ' + e.message));
	page.on('console', (msg) => {
		// A 4xx the page expects (a 422 from a bad query) is logged by the
		// browser as "Failed to load resource"; the page shows it itself.
		if (msg.type() === 'error' && !/^Failed to load resource/.test(msg.text()))
			problems.push('console error: ' + msg.text());
	});
	// A test that expects one dialog (a confirm) sets problems.acceptDialog.
	page.on('dialog', (d) => {
		if (problems.acceptDialog) {
			problems.acceptDialog = false;
			d.accept().catch(() => {});
			return;
		}
		problems.push(`dialog ${d.type()}: ${d.message()}`);
		d.dismiss().catch(() => {});
	});
	return problems;
}

// apiOk(method, path, body, token) is api() that throws unless the answer is 2xx;
// returns its JSON.
export async function apiOk(method, urlPath, body, token) {
	const res = await api(method, urlPath, body, token);
	if (res.status < 200 || res.status > 299)
		throw new Error(`${method} ${urlPath}: ${res.status} ${JSON.stringify(res.json)}`);
	return res.json;
}

// horch(db, args, input) runs the command line ($HORCH_BIN) on database db;
// returns its standard output, trimmed.
export function horch(db, args, input) {
	return execFileSync(process.env.HORCH_BIN, ['--db', db, ...args], { input, encoding: 'utf8',
		stdio: ['pipe', 'pipe', 'pipe'] }).trim();
}

// api(method, path, body, token) calls the server with a bearer token from
// node (to put posts in while a page watches).  Returns {status, json}.
export async function api(method, urlPath, body, token) {
	const res = await fetch(BASE + urlPath, {
		method,
		headers: { 'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	let json = null;
	const text = await res.text();
	try {
		json = text ? JSON.parse(text) : null;
	} catch (e) {
		json = text;
	}
	return { status: res.status, json };
}

export async function shot(page, name) {
	fs.mkdirSync(OUT, { recursive: true });
	const file = path.join(OUT, name);
	await page.screenshot({ path: file });
	return file;
}

// startServer(listen, db, logName, args) starts `$HORCH_BIN --db DB serve --listen
// LISTEN --print-url ARGS...` (DB default $E2E_DB) and waits for the URL on its
// first line of stdout (20 s at most).  Sets BASE; returns {url, port,
// stop()}.  Its stderr goes to $E2E_TMP/LOGNAME (default serve.log); its pid is appended to $E2E_TMP/serve.pids, so the run
// script can end it if a test dies.
export function startServer(listen = '127.0.0.1:0', db = process.env.E2E_DB, logName = 'serve.log', args = []) {
	const tmp = process.env.E2E_TMP;
	const log = fs.openSync(path.join(tmp, logName), 'a');
	const child = spawn(process.env.HORCH_BIN, ['--db', db, 'serve', '--listen', listen,
		'--print-url', ...args], { stdio: ['ignore', 'pipe', log] });
	fs.appendFileSync(path.join(tmp, 'serve.pids'), child.pid + '\n');
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error('horch serve printed no URL within 20 s')), 20000);
		child.on('exit', (code, sig) => {
			clearTimeout(timer);
			reject(new Error(`horch serve exited (status ${code}, signal ${sig}) before printing its URL`));
		});
		const lines = readline.createInterface({ input: child.stdout });
		lines.once('line', (line) => {
			clearTimeout(timer);
			const m = /(https?:\/\/[^\s/]+:(\d+))/.exec(line);
			if (!m) {
				reject(new Error('horch serve printed no URL: ' + line));
				return;
			}
			BASE = m[1];
			lines.on('line', () => {});   // keep reading, never block the server
			resolve({
				url: m[1],
				port: Number(m[2]),
				stop() {
					return new Promise((done) => {
						if (child.exitCode !== null || child.signalCode !== null) {
							done();
							return;
						}
						child.removeAllListeners('exit');
						child.once('exit', () => done());
						child.kill('SIGTERM');
						setTimeout(() => child.kill('SIGKILL'), 10000).unref();
					});
				},
			});
		});
	});
}

// waitFor(fn, ms) polls fn() every 100 ms until it returns a true value
// (returned) or ms pass (returns the last value).
export async function waitFor(fn, ms = 5000) {
	const end = Date.now() + ms;
	let v;
	while (Date.now() < end) {
		v = await fn();
		if (v)
			return v;
		await new Promise((r) => setTimeout(r, 100));
	}
	return v;
}
