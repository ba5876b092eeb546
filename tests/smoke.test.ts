/**
 * Smoke: the home page, the article (also with JavaScript off), the health check, an unknown
 * scenario, and axe on the pages a learner lands on, at desktop and phone size.
 */
import { expect, test } from '@playwright/test';
import {
	collectErrors,
	expectNoSeriousAxeViolations,
	horizontalOverflow,
	LEARN_URL,
	linkPath,
	pack,
	PACK_ID
} from './helpers';

const questionCount = pack.steps.reduce((n, s) => n + s.questions.length, 0);
const paragraphs = pack.article.sections.flatMap((s) => s.paragraphs);

test('the home page lists the scenario and starts it', async ({ page }) => {
	const errors = collectErrors(page);
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Learn a news story as a chain of causes'
	);
	const card = page
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { name: pack.title }) });
	await expect(card).toHaveCount(1);
	await expect(card.getByRole('heading', { level: 3 })).toHaveText(pack.title);
	await expect(card.getByText(pack.summary, { exact: true })).toBeVisible();
	// A minute a question and half a minute a link, rounded up.
	const minutes = Math.ceil(questionCount + pack.steps.length / 2);
	await expect(card.locator('.facts')).toHaveText(
		`${pack.steps.length} links · ${questionCount} questions · about ${minutes} minutes`
	);
	await expect(
		card.getByRole('list', { name: 'The causal chain' }).getByRole('listitem')
	).toHaveText(pack.steps.map((s) => s.title));
	// Each link's name says which scenario it opens, so names stay unique among several scenarios.
	const start = card.getByRole('link', { name: `Start: ${pack.title}`, exact: true });
	await expect(start).toHaveText('Start');
	expect(await linkPath(start)).toBe(LEARN_URL);
	const read = card.getByRole('link', { name: `Read the article: ${pack.title}`, exact: true });
	await expect(read).toHaveText('Read the article');
	expect(await linkPath(read)).toBe(`/article/${PACK_ID}`);
	await expectNoSeriousAxeViolations(page, 'home (desktop)');
	// The learner page opened on its own, before any journey, shows the intro first.
	await page.goto(LEARN_URL);
	await expect(page.getByRole('heading', { level: 1, name: pack.title })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Start the journey' })).toBeVisible();
	await expect(page.getByRole('main').getByRole('listitem')).toHaveCount(pack.steps.length);
	await expectNoSeriousAxeViolations(page, 'intro (desktop)');
	// Start on the home page goes straight into the first link (two taps to a question).
	await page.goto('/');
	await start.click();
	await expect(page).toHaveURL(`${LEARN_URL}?start`);
	await expect(page.getByRole('heading', { level: 1, name: pack.steps[0]!.title })).toBeVisible();
	expect(errors).toEqual([]);
});

test('the article page has every section and paragraph, addressable by id; axe passes', async ({
	page
}) => {
	const errors = collectErrors(page);
	await page.goto(`/article/${PACK_ID}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(pack.article.title);
	await expect(page.locator('article > section')).toHaveCount(pack.article.sections.length);
	await expectNoSeriousAxeViolations(page, 'article (desktop)');
	expect(errors).toEqual([]);
});

test.describe('with JavaScript off', () => {
	test.use({ javaScriptEnabled: false });

	test('the article is readable, with an id on each section and paragraph', async ({ page }) => {
		const response = await page.goto(`/article/${PACK_ID}`);
		expect(response?.status()).toBe(200);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(pack.article.title);
		const sectionIds = await page
			.locator('article > section')
			.evaluateAll((els) => els.map((e) => e.id));
		expect(sectionIds).toEqual(pack.article.sections.map((s) => s.id));
		const paragraphIds = await page
			.locator('article > section > p')
			.evaluateAll((els) => els.map((e) => e.id));
		expect(paragraphIds).toEqual(paragraphs.map((p) => p.id));
		expect(new Set(paragraphIds).size).toBe(paragraphIds.length);
		for (const paragraph of [paragraphs[0]!, paragraphs.at(-1)!]) {
			await expect(page.locator(`[id="${paragraph.id}"]`)).toHaveText(paragraph.text);
			await expect(page.locator(`[id="${paragraph.id}"]`)).toBeVisible();
		}
		for (const section of pack.article.sections.filter((s) => s.heading)) {
			await expect(
				page.getByRole('heading', { level: 2, name: section.heading!, exact: true })
			).toBeVisible();
		}
		// Section links work without JavaScript.
		const last = pack.article.sections.at(-1)!;
		await page.getByText('Sections', { exact: true }).click();
		await page
			.getByRole('navigation', { name: 'Sections' })
			.getByRole('link', { name: last.heading!, exact: true })
			.click();
		await expect(page).toHaveURL(new RegExp(`#${last.id}$`));
		await expect(page.locator(`[id="${last.id}"]`)).toBeInViewport();
		await expect(page.getByRole('heading', { name: 'Who the article quotes' })).toBeVisible();
		for (const source of pack.article.sources)
			await expect(page.getByText(source.name, { exact: true })).toBeVisible();
		expect(
			await linkPath(page.getByRole('link', { name: 'Learn this story link by link →' }))
		).toBe(LEARN_URL);
	});

	test('the home page lists the scenario', async ({ page }) => {
		await page.goto('/');
		await expect(page.getByRole('heading', { level: 3, name: pack.title })).toBeVisible();
		const start = page.getByRole('link', { name: `Start: ${pack.title}`, exact: true });
		expect(await linkPath(start)).toBe(LEARN_URL);
		await start.click();
		await expect(page).toHaveURL(`${LEARN_URL}?start`);
		// The player needs JavaScript for the questions, but its intro is served as HTML.
		await expect(page.getByRole('heading', { level: 1, name: pack.title })).toBeVisible();
	});
});

test.describe('page titles, as served (before any script runs)', () => {
	test.use({ javaScriptEnabled: false });

	for (const [name, url, title] of [
		['home', '/', 'Causeway — learn a news story as a chain of causes'],
		['article', `/article/${PACK_ID}`, `${pack.article.title} — Causeway`],
		['intro', LEARN_URL, `${pack.title} — Causeway`]
	] as const) {
		test(`${name} has its own <title>`, async ({ page }) => {
			await page.goto(url);
			await expect(page).toHaveTitle(title);
		});
	}
});

test('/healthz answers ok', async ({ request }) => {
	const response = await request.get('/healthz');
	expect(response.status()).toBe(200);
	const body = await response.json();
	expect(body).toMatchObject({ ok: true });
	expect(body.packs).toContain(PACK_ID);
});

test('an unknown scenario is a 404 with a message', async ({ page }) => {
	const response = await page.goto('/learn/nope');
	expect(response?.status()).toBe(404);
	await expect(page.getByText('There is no scenario called "nope".')).toBeVisible();
	const article = await page.goto('/article/nope');
	expect(article?.status()).toBe(404);
	await expect(page.getByText('There is no scenario called "nope".')).toBeVisible();
});

test.describe('phone (360×640)', () => {
	test.use({ viewport: { width: 360, height: 640 } });

	for (const [name, url] of [
		['home', '/'],
		['article', `/article/${PACK_ID}`],
		['intro', LEARN_URL]
	] as const) {
		test(`${name}: no sideways scrolling, axe passes`, async ({ page }) => {
			await page.goto(url);
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			expect(await horizontalOverflow(page)).toBe(0);
			await expectNoSeriousAxeViolations(page, `${name} (360×640)`);
		});
	}
});
