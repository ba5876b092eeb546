/**
 * Answer keys stay off the devices that have not earned them (issue 11 §2, docs/HARDENING.md).
 *
 * - Default mode (ANSWER_KEYS=client): a browser that only opened a classroom page has nothing
 *   key-bearing in Cache Storage, even after that page fetched the self-study data itself.
 * - ANSWER_KEYS=server, on a server of this file's own (tests/lib/ports.ts): through
 *   a class (join, answer) and a whole self-study journey (every question type, a hint, a wrong
 *   try, an answer given offline, the scenario exploration, the summary), every response body
 *   and every Cache Storage entry is searched for each question's explanation and hint, and pages,
 *   their data (received or cached) and the classroom API for key fields (`answer:` and the
 *   like, so an answer is found even where its text is also an option's): none arrives before that question is answered (or, for a hint, asked
 *   for), and the journey scores by the rules.
 *
 * The secrets are taken from the pack, not written here.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Question } from '../src/lib/content/pack';
import { HINT_COST, MAX_POINTS, RETRY_MAX_POINTS } from '../src/lib/grading/score';
import {
	allQuestions,
	answer,
	collectErrors,
	feedbackHeading,
	LEARN_URL,
	pack,
	screenshot,
	stageHeading,
	wrongResponse
} from './helpers';
import { Classroom, fetchSend, startServer, stopServer, type OwnServer } from './lib/api-client';
import { testPort } from './lib/ports';

test.use({ serviceWorkers: 'allow' });
test.describe.configure({ mode: 'default' });

/** A field of a question that only its answer reveals, as it appears in JSON or page data. */
const KEY_FIELD = /["']?\b(answer|explanation|evidence|hint|supports|against)["']?\s*:/;

/** A page or its data (not the app's code), where no key field of a question may appear. */
const isPageData = (path: string) => /__data\.json$|^\/(learn|join|article|progress)\b/.test(path);

/** The texts that would give a question away: its explanation and its hint. */
function secretsOf(question: Question): string[] {
	return [question.explanation, ...(question.hint ? [question.hint] : [])];
}

/** Whether `text` holds a secret of `question`, as it is or escaped in JSON or page data. */
const carriesSecret = (text: string, question: Question) =>
	secretsOf(question).some(
		(secret) => text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1))
	);

/** What a browser received, with the questions it had answered (or asked a hint of) by then. */
interface Received {
	what: string;
	earned: ReadonlySet<string>;
	body: Promise<string>;
}

/** Records every response the context's pages and service worker receive, except streams. */
function recordResponses(context: BrowserContext, earned: () => ReadonlySet<string>): Received[] {
	const received: Received[] = [];
	context.on('response', (response) => {
		const url = new URL(response.url());
		if (url.pathname.endsWith('/events')) return;
		received.push({
			what: `${response.request().method()} ${url.pathname}`,
			earned: earned(),
			body: response.text().catch(() => '')
		});
	});
	return received;
}

/** Every body that carries the secret of a question not yet earned when it arrived. */
async function leaks(received: readonly Received[]): Promise<string[]> {
	const found: string[] = [];
	for (const { what, earned, body } of received) {
		const text = await body;
		for (const question of allQuestions) {
			if (!earned.has(question.id) && carriesSecret(text, question))
				found.push(`${what} carries a secret of ${question.id}`);
		}
		// Pages, their data and the classroom API never name a key field (the class never reaches a
		// reveal here); a study verdict does, for the question it reveals.
		const [method, path = ''] = what.split(' ');
		const isData =
			(method === 'GET' && isPageData(path)) ||
			(path.startsWith('/api/') && !path.startsWith('/api/study/'));
		if (isData && KEY_FIELD.test(text))
			found.push(`${what} has a key field: ${KEY_FIELD.exec(text)?.[0]}`);
	}
	return found;
}

/** Every Cache Storage entry of the page's origin: its URL and its body. */
function cacheEntries(page: Page) {
	return page.evaluate(async () => {
		const entries: { url: string; body: string }[] = [];
		for (const name of await caches.keys()) {
			const cache = await caches.open(name);
			for (const request of await cache.keys()) {
				const response = await cache.match(request);
				entries.push({
					url: request.url,
					body: (await response?.text()) ?? ''
				});
			}
		}
		return entries;
	});
}

/** Cache entries carrying a secret of a question not in `earned`. */
async function cacheLeaks(page: Page, earned: ReadonlySet<string>): Promise<string[]> {
	const found: string[] = [];
	for (const entry of await cacheEntries(page)) {
		if (isPageData(new URL(entry.url).pathname) && KEY_FIELD.test(entry.body))
			found.push(`${entry.url} is cached with a key field: ${KEY_FIELD.exec(entry.body)?.[0]}`);
		for (const question of allQuestions)
			if (!earned.has(question.id) && carriesSecret(entry.body, question))
				found.push(`${entry.url} carries a secret of ${question.id}`);
	}
	return found;
}

/** Waits until the service worker controls the page and has finished installing. */
async function serviceWorkerReady(page: Page): Promise<void> {
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
	await expect.poll(() => page.evaluate(() => caches.keys().then((k) => k.length))).toBe(1);
}

test.describe('default mode (ANSWER_KEYS=client)', () => {
	test('a classroom-only visitor has no key-bearing data in Cache Storage', async ({
		page,
		request
	}) => {
		const created = await request.post('/api/sessions', {
			data: { scenario: pack.id, mode: 'teacher-paced', title: 'Cache check' }
		});
		expect(created.status(), await created.text()).toBe(201);
		const { code } = (await created.json()) as { code: string };
		await page.goto(`/join/${code}`);
		await serviceWorkerReady(page);
		// Reloaded under the worker's control, then the classroom page itself fetches the
		// self-study data: the worker passes it through without keeping it.
		await page.reload();
		await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
		const fetched = await page.evaluate(async (url) => {
			const response = await fetch(`${url}/__data.json`);
			return { status: response.status, body: await response.text() };
		}, LEARN_URL);
		// It does carry the keys (client mode), so that keeping it would be seen below.
		expect(fetched.status).toBe(200);
		expect(allQuestions.every((q) => carriesSecret(fetched.body, q))).toBe(true);
		const entries = await cacheEntries(page);
		expect(entries.map((e) => new URL(e.url).pathname)).toContain('/progress');
		expect(await cacheLeaks(page, new Set())).toEqual([]);
	});
});

test.describe('ANSWER_KEYS=server', () => {
	let server: OwnServer | undefined;
	let dir = '';

	test.beforeAll(async () => {
		dir = mkdtempSync(join(tmpdir(), 'causeway-keys-'));
		const saved = process.env.ANSWER_KEYS;
		process.env.ANSWER_KEYS = 'server';
		try {
			server = await startServer(testPort('answerKeys'), join(dir, 'keys.sqlite'));
		} finally {
			if (saved === undefined) delete process.env.ANSWER_KEYS;
			else process.env.ANSWER_KEYS = saved;
		}
	});

	test.afterAll(async () => {
		await stopServer(server);
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	test('through a class and a whole self-study journey, no key reaches the browser before its answer', async ({
		browser
	}) => {
		test.setTimeout(240_000);
		const baseURL = server!.baseURL;
		const context = await browser.newContext({ baseURL, serviceWorkers: 'allow' });
		const page = await context.newPage();
		const errors = collectErrors(page);
		let earned = new Set<string>();
		const received = recordResponses(context, () => earned);
		const earn = (id: string) => (earned = new Set([...earned, id]));

		// A class: join, the teacher opens the first question, the pupil sees and answers it.
		const classroom = new Classroom(fetchSend(baseURL));
		const host = await classroom.create('teacher-paced', 'Server keys');
		await page.goto(`/join/${host.code}`);
		await serviceWorkerReady(page);
		await page.getByLabel('Your nickname (what your teacher will see)').fill('Ana');
		await page.getByRole('button', { name: 'Join' }).click();
		await expect(page.locator('header.who')).toContainText('Ana');
		await classroom.pace(host.code, host.hostToken, 'start');
		const first = allQuestions[0]!;
		await classroom.pace(host.code, host.hostToken, 'open', first.id);
		await expect(stageHeading(page)).toHaveText(first.prompt);
		expect(await cacheLeaks(page, earned)).toEqual([]);
		expect(await leaks(received)).toEqual([]);
		earn(first.id);
		await answer(page, first, first.answer);
		await expect(page.getByText(/Answer sent/)).toBeVisible();

		// Self-study in the same browser: every question, one wrong try and one hint on the way.
		await page.goto(LEARN_URL);
		// The intro is server-rendered: the button works once the page has hydrated.
		const startButton = page.getByRole('button', { name: 'Start the journey' });
		await expect(async () => {
			if (await startButton.isVisible()) await startButton.click({ timeout: 1000 });
			await expect(stageHeading(page)).toHaveText(pack.steps[0]!.title, { timeout: 2000 });
		}).toPass({ timeout: 20_000 });
		// The learner page and its data, before any self-study answer: no key of a question not
		// yet answered, received or cached.
		expect(await leaks(received), 'the learner page').toEqual([]);
		expect(await cacheLeaks(page, earned), 'the cache after the learner page').toEqual([]);
		const hinted = allQuestions.find((q) => q.hint !== undefined && q.type !== 'scenario')!;
		const wrongFirst = allQuestions.find((q) => q.type === 'choice' && q !== hinted)!;
		expect(new Set([hinted.id, wrongFirst.id]).size).toBe(2);
		const offlineAt = allQuestions.find((q) => q.type === 'numeric')!;
		let screenshotTaken = false;
		for (const step of pack.steps) {
			await expect(stageHeading(page)).toHaveText(step.title);
			await page.getByRole('button', { name: 'Start the questions' }).click();
			for (const question of step.questions) {
				await expect(stageHeading(page)).toHaveText(question.prompt);
				if (question === hinted) {
					earn(question.id);
					await page.getByRole('button', { name: /^Show a hint/ }).click();
					await expect(page.getByText(question.hint!)).toBeVisible();
				}
				if (question === wrongFirst) {
					// A wrong first try is answered, but the key would make the retry a formality:
					// the server keeps it until the question is done.
					await answer(page, question, wrongResponse(question));
					await expect(feedbackHeading(page)).toHaveText(/Not right yet/);
					expect(await leaks(received), 'after a wrong first try').toEqual([]);
					await page.getByRole('button', { name: 'Try again' }).click();
				}
				// The question's key arrives with the verdict on its answer: earned from here on.
				earn(question.id);
				if (question === offlineAt) {
					// Offline: the answer waits on the device, the learner is told, and it is graded
					// once the connection is back.
					await context.setOffline(true);
					await answer(page, question, question.answer);
					await expect(page.getByRole('status').filter({ hasText: 'You are offline.' })).toHaveText(
						'You are offline. Your answer is kept on this device and will be graded as soon as you are back online.'
					);
					await context.setOffline(false);
				} else {
					await answer(page, question, question.answer);
				}
				await expect(feedbackHeading(page)).toBeVisible();
				await expect(page.getByText(question.explanation)).toBeVisible();
				if (!screenshotTaken && question !== hinted && question !== wrongFirst) {
					await page.setViewportSize({ width: 360, height: 740 });
					await screenshot(page, 'server-graded-feedback-360');
					await page.setViewportSize({ width: 1280, height: 800 });
					screenshotTaken = true;
				}
				await page.getByRole('button', { name: 'Continue' }).click();
			}
			expect(await cacheLeaks(page, earned), `cache after ${step.id}`).toEqual([]);
		}
		await expect(stageHeading(page)).toHaveText('Your journey through the story');
		// Full points but for the retry (capped) and the hint (charged).
		const total = allQuestions.length * MAX_POINTS;
		const expected = total - (MAX_POINTS - RETRY_MAX_POINTS) - HINT_COST;
		await expect(page.locator('.score')).toHaveText(new RegExp(`^${expected} of ${total} points`));
		expect(await leaks(received)).toEqual([]);
		expect(errors).toEqual([]);
		await context.close();
	});
});
