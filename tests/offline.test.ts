/**
 * Offline self-study (issue 15): after one visit, the home page, the player, the article and
 * /progress work with the network off, and the pages that need the server show our own page.
 */
import { expect, test, type Page } from '@playwright/test';
import {
	answer,
	collectErrors,
	expectNoAxeViolations,
	LEARN_URL,
	pack,
	PACK_ID,
	stageHeading
} from './helpers';

// The tests that let the service worker run.
test.use({ serviceWorkers: 'allow' });

/**
 * What the service worker may keep for offline use, in bytes (uncompressed, as cached): the
 * whole built app (every page's scripts and styles, a classroom's included), the static files,
 * the offline page and the self-study pages with their data. Measured at 460,866 bytes for the
 * one pack on 1 December 2026; the budget leaves room for a second pack's pages, not for a
 * heavy dependency.
 */
const PRECACHE_BUDGET = 600_000;

/** Waits until the service worker is installed and controls the page, with its cache filled. */
async function installed(page: Page): Promise<number> {
	return page.evaluate(async (learn) => {
		await navigator.serviceWorker.ready;
		const names = await caches.keys();
		const cache = await caches.open(names.find((n) => n.startsWith('causeway-'))!);
		if (!(await cache.match(learn))) throw new Error(`${learn} is not cached`);
		let bytes = 0;
		for (const request of await cache.keys()) {
			bytes += (await (await cache.match(request))!.blob()).size;
		}
		return bytes;
	}, LEARN_URL);
}

test('after one visit, the learner page and /progress load with the network off', async ({
	page,
	context
}) => {
	await page.goto(LEARN_URL);
	await installed(page);
	await page.goto('/progress');
	await page.goto(LEARN_URL);
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(pack.title);
	await page.getByRole('button', { name: 'Start the journey' }).click();
	await expect(page.locator('#stage-heading')).toHaveText(pack.steps[0]!.title);
	await page.goto('/progress');
	await expect(page.getByRole('heading', { level: 1, name: 'Your progress' })).toBeVisible();
	await context.setOffline(false);
});

test.describe('on a phone, one visit to the home page, then offline', () => {
	test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });

	test('home, a question answered, the article, /progress and /join: no error page, no 5xx', async ({
		page,
		context
	}) => {
		const errors = collectErrors(page);
		const failures: string[] = [];
		page.on('response', (r) => {
			if (r.status() >= 500) failures.push(`${r.status()} ${r.url()}`);
		});
		await page.goto('/');
		const bytes = await installed(page);
		expect(bytes, `precache of ${bytes} bytes`).toBeLessThanOrEqual(PRECACHE_BUDGET);
		await context.setOffline(true);

		// 1. The home page, loaded afresh.
		const home = await page.reload();
		expect(home?.status()).toBe(200);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'Learn a news story as a chain of causes'
		);
		// 2. Two taps to the first question, answered.
		await page.getByRole('link', { name: `Start: ${pack.title}`, exact: true }).tap();
		await expect(stageHeading(page)).toHaveText(pack.steps[0]!.title);
		await page.getByRole('button', { name: 'Start the questions' }).tap();
		const first = pack.steps[0]!.questions[0]!;
		await answer(page, first, first.answer);
		await expect(page.locator('#feedback-heading')).toHaveText(/^✓ Right/);
		// 3. The article: the sheet beside the question, and the article's own page.
		await page.getByRole('button', { name: 'Show it in the article' }).tap();
		await expect(page.getByRole('dialog', { name: 'The article' })).toBeVisible();
		await page.getByRole('button', { name: 'Close' }).tap();
		const article = await page.goto(`/article/${PACK_ID}`);
		expect(article?.status()).toBe(200);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(pack.article.title);
		// 4. /progress from the header, then back home by the logo (an in-app navigation).
		const nav = page.getByRole('navigation', { name: 'Site' });
		await nav.getByRole('link', { name: 'Your progress' }).tap();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your progress');
		await page.getByRole('link', { name: 'Causeway' }).tap();
		await expect(page.getByRole('link', { name: `Continue: ${pack.title}` })).toBeVisible();
		// 5. /join needs the server: our page says so and leads back to self-study.
		await nav.getByRole('link', { name: 'Join a class' }).tap();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('A class needs a connection');
		await expectNoAxeViolations(page, 'the offline page');
		for (const path of ['/host', '/teacher', '/join/ABCDEF']) {
			const response = await page.goto(path);
			expect(response?.status(), path).toBe(200);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(
				'A class needs a connection'
			);
		}
		await page.getByRole('link', { name: 'Study a story on your own' }).tap();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(
			'Learn a news story as a chain of causes'
		);
		// The journey went on offline and is still there.
		await page.getByRole('link', { name: `Continue: ${pack.title}` }).tap();
		await expect(page.locator('#feedback-heading')).toHaveText(/^✓ Right/);
		expect(failures).toEqual([]);
		expect(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
		await context.setOffline(false);
	});

	test('a class page never makes the worker cache answer keys', async ({ page }) => {
		await page.goto('/join');
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});
		const cached = await page.evaluate(async () => {
			const names = await caches.keys();
			const cache = await caches.open(names.find((n) => n.startsWith('causeway-'))!);
			return (await cache.keys()).map((r) => new URL(r.url).pathname);
		});
		expect(cached).toContain('/offline');
		expect(cached.filter((path) => path.startsWith('/learn/'))).toEqual([]);
		expect(cached.filter((path) => /^\/(join|host|teacher)/.test(path))).toEqual([]);
	});
});
