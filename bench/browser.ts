/**
 * Browser measurements for the bench: gzipped JavaScript on a first load in Chromium, and
 * Lighthouse (mobile preset, the default) as the median of several runs.
 */
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromiumLaunch } from '../playwright.config.ts';

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Gzipped (level 9) and on-the-wire bytes of every script a fresh load of `url` fetches. */
export async function javascriptOf(url: string) {
	const browser = await chromium.launch(chromiumLaunch);
	try {
		const page = await browser.newPage();
		const scripts: Array<Promise<{ url: string; gzip: number; wire: number }>> = [];
		page.on('response', (response) => {
			if (response.request().resourceType() !== 'script') return;
			scripts.push(
				(async () => {
					const body = await response.body();
					const sizes = await response.request().sizes();
					return {
						url: new URL(response.url()).pathname,
						gzip: gzipSync(body, { level: 9 }).length,
						wire: sizes.responseBodySize
					};
				})()
			);
		});
		await page.goto(url, { waitUntil: 'networkidle' });
		const all = await Promise.all(scripts);
		return {
			files: all.length,
			gzipBytes: all.reduce((n, s) => n + s.gzip, 0),
			wireBytes: all.reduce((n, s) => n + s.wire, 0)
		};
	} finally {
		await browser.close();
	}
}

/**
 * Median of `runs` Lighthouse runs (mobile preset) on `url`: scores, LCP, TBT and CLS.
 * `headers` go with every request (the presenter page needs the host's cookie).
 */
export async function lighthouseOf(url: string, runs: number, headers?: Record<string, string>) {
	const all: Array<{
		performance: number;
		accessibility: number;
		lcpMs: number;
		tbtMs: number;
		cls: number;
	}> = [];
	for (let i = 0; i < runs; i++) {
		const chrome = await chromeLauncher.launch({
			chromePath: chromiumLaunch.executablePath,
			chromeFlags: [...chromiumLaunch.args, '--headless=new']
		});
		try {
			const result = await lighthouse(url, {
				port: chrome.port,
				output: 'json',
				logLevel: 'error',
				...(headers ? { extraHeaders: headers } : {}),
				onlyCategories: ['performance', 'accessibility']
			});
			const lhr = result?.lhr;
			if (!lhr) throw new Error(`Lighthouse returned nothing for ${url}`);
			all.push({
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
		runs: all.length,
		performance: median(all.map((r) => r.performance)),
		accessibility: median(all.map((r) => r.accessibility)),
		lcpMs: median(all.map((r) => r.lcpMs)),
		tbtMs: median(all.map((r) => r.tbtMs)),
		cls: median(all.map((r) => r.cls)),
		each: all
	};
}
