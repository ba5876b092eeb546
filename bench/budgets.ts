/**
 * The learner-facing budgets: gzipped JavaScript on first load, measured in a real browser, and
 * Lighthouse (mobile preset, median of 3) on the main pages. Builds, serves the build on a
 * temporary database, measures, prints a table and writes bench/budgets.json.
 *
 *   npm run bench:budgets            # LIGHTHOUSE_RUNS=0 skips Lighthouse
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromiumLaunch } from '../playwright.config';

const PORT = 4399;
const BASE = `http://127.0.0.1:${PORT}`;
const PAGES = ['/', '/learn/mali-russia', '/article/mali-russia'];
const LIGHTHOUSE_PAGES = ['/', '/learn/mali-russia'];
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const JS_BUDGET = 60 * 1024;

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function waitForServer(): Promise<void> {
	for (let i = 0; i < 100; i++) {
		try {
			if ((await fetch(`${BASE}/healthz`)).ok) return;
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error('The server did not start.');
}

/** Gzipped (level 9) and on-the-wire bytes of every script a fresh page load fetches. */
async function javascriptOf(path: string) {
	const browser = await chromium.launch(chromiumLaunch);
	const page = await browser.newPage();
	const scripts: Array<Promise<{ url: string; gzip: number; wire: number }>> = [];
	page.on('response', (response) => {
		if (response.request().resourceType() !== 'script') return;
		scripts.push(
			(async () => {
				const body = await response.body();
				const sizes = await response.request().sizes();
				return {
					url: response.url(),
					gzip: gzipSync(body, { level: 9 }).length,
					wire: sizes.responseBodySize
				};
			})()
		);
	});
	await page.goto(BASE + path, { waitUntil: 'networkidle' });
	const all = await Promise.all(scripts);
	await browser.close();
	return {
		files: all.length,
		gzipBytes: all.reduce((n, s) => n + s.gzip, 0),
		wireBytes: all.reduce((n, s) => n + s.wire, 0)
	};
}

async function lighthouseOf(path: string) {
	const runs: Array<{
		performance: number;
		accessibility: number;
		lcpMs: number;
		tbtMs: number;
		cls: number;
	}> = [];
	for (let i = 0; i < RUNS; i++) {
		const chrome = await chromeLauncher.launch({
			chromePath: chromiumLaunch.executablePath,
			chromeFlags: [...chromiumLaunch.args, '--headless=new']
		});
		try {
			const result = await lighthouse(BASE + path, {
				port: chrome.port,
				output: 'json',
				logLevel: 'error',
				onlyCategories: ['performance', 'accessibility']
			});
			const lhr = result?.lhr;
			if (!lhr) throw new Error(`Lighthouse returned nothing for ${path}`);
			runs.push({
				performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
				accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
				lcpMs: Math.round(lhr.audits['largest-contentful-paint']?.numericValue ?? NaN),
				tbtMs: Math.round(lhr.audits['total-blocking-time']?.numericValue ?? NaN),
				cls: Number((lhr.audits['cumulative-layout-shift']?.numericValue ?? NaN).toFixed(3))
			});
		} finally {
			chrome.kill();
		}
	}
	return {
		runs: runs.length,
		performance: median(runs.map((r) => r.performance)),
		accessibility: median(runs.map((r) => r.accessibility)),
		lcpMs: median(runs.map((r) => r.lcpMs)),
		tbtMs: median(runs.map((r) => r.tbtMs)),
		cls: median(runs.map((r) => r.cls))
	};
}

const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const server = spawn(process.execPath, ['build'], {
	env: {
		...process.env,
		PORT: String(PORT),
		HOST: '127.0.0.1',
		DATABASE_URL: `sqlite:${join(tmpdir(), `causeway-bench-${Date.now()}.sqlite`)}`
	},
	stdio: 'ignore'
});
try {
	await waitForServer();
	const size: Record<string, Awaited<ReturnType<typeof javascriptOf>>> = {};
	for (const path of PAGES) size[path] = await javascriptOf(path);
	const lighthouseResults: Record<string, Awaited<ReturnType<typeof lighthouseOf>>> = {};
	if (RUNS > 0)
		for (const path of LIGHTHOUSE_PAGES) lighthouseResults[path] = await lighthouseOf(path);

	console.log('\nJavaScript on first load (all scripts fetched, in Chromium)');
	console.log('page                     files  gzip (level 9)   on the wire');
	for (const [path, s] of Object.entries(size)) {
		console.log(
			`${path.padEnd(24)} ${String(s.files).padStart(5)}  ${(s.gzipBytes / 1024).toFixed(1).padStart(9)} kB  ${(s.wireBytes / 1024).toFixed(1).padStart(9)} kB`
		);
	}
	if (RUNS > 0) {
		console.log(
			`\nLighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, mobile preset, median of ${RUNS}`
		);
		console.log('page                     perf  a11y   LCP ms  TBT ms    CLS');
		for (const [path, l] of Object.entries(lighthouseResults)) {
			console.log(
				`${path.padEnd(24)} ${String(l.performance).padStart(4)}  ${String(l.accessibility).padStart(4)}  ${String(l.lcpMs).padStart(7)}  ${String(l.tbtMs).padStart(6)}  ${String(l.cls).padStart(5)}`
			);
		}
	}
	writeFileSync(
		'bench/budgets.json',
		JSON.stringify(
			{
				date: new Date().toISOString(),
				node: process.version,
				size,
				lighthouse: lighthouseResults
			},
			null,
			'\t'
		) + '\n'
	);
	const learner = size['/learn/mali-russia'];
	if (learner && learner.gzipBytes > JS_BUDGET) {
		console.error(
			`\nOver budget: /learn/mali-russia loads ${learner.gzipBytes} gzipped bytes of JavaScript (budget ${JS_BUDGET}).`
		);
		process.exitCode = 1;
	}
} finally {
	server.kill();
}
