/**
 * The teacher's screens (issue 13): the presenter at projector sizes with 27 students joined
 * through the API and 3 in browsers, a short session end to end (report, both CSVs, xAPI), and
 * axe with moderate violations included on every host page and the join page.
 *
 * Every test makes its own sessions: the suite's database is shared by both workers.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { Question } from '../src/lib/content/pack';
import { presentQuestion } from '../src/lib/content/present';
import { describeAnswer } from '../src/lib/journey/describe';
import { kindOf } from '../src/lib/questions/registry';
import { axeResults, collectErrors, screenshot } from './helpers';
import {
	Classroom,
	MAX_POINTS_PER_QUESTION,
	pack,
	playwrightSend,
	questions,
	rightResponse,
	uniqueNickname,
	wrongResponse,
	type Created,
	type Joined
} from './lib/api-client';
import { parseCsv } from './lib/csv-reader';

const PROJECTORS = [
	{ width: 1280, height: 720 },
	{ width: 1920, height: 1080 }
] as const;
const API_STUDENTS = 27;
const BROWSER_STUDENTS = 3;
const CLASS = API_STUDENTS + BROWSER_STUDENTS;
const NOT_ASKED = 'not asked';

/** The first question of each type in the pack, in pack order: every projected form. */
const oneOfEachType: Question[] = questions.filter(
	(q, i) => questions.findIndex((other) => other.type === q.type) === i
);
const scenarioQuestion = questions.find((q) => q.type === 'scenario')!;
const answerText = (q: Question) => describeAnswer(q, pack.article.sources);
/**
 * Everything the session's questions say without their keys, as every phone shows them: the
 * questions as sent, and the options their kind offers (a true/false's two sayings are code, not data).
 */
const publicText = JSON.stringify([
	...oneOfEachType.map(presentQuestion),
	...oneOfEachType.map((q) =>
		kindOf(q)
			.choices?.(q, pack.article.sources)
			.options.map((o) => o.text)
	)
]).replace(/\\"/g, '"');

/** A CSV download as its header and one record per row, keyed by the header. */
function readCsv(text: string): { header: string[]; rows: Array<Record<string, string>> } {
	const [header = [], ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
	return {
		header,
		rows: rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i] ?? ''])))
	};
}

/** Axe violations of moderate impact or worse, as readable lines. */
async function axeViolations(page: Page): Promise<string[]> {
	const results = await axeResults(page);
	return results.violations
		.filter((v) => v.impact === 'moderate' || v.impact === 'serious' || v.impact === 'critical')
		.flatMap((v) =>
			v.nodes.map((n) => `[${v.impact}] ${v.id} at ${n.target.join(' ')}: ${v.help}`)
		);
}

async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
	expect(await axeViolations(page), `axe on ${where}`).toEqual([]);
}

/** Whether the page fits its window with nothing to scroll, and the stage shows all it holds. */
async function fit(page: Page) {
	return page.evaluate(() => {
		const stage = document.querySelector<HTMLElement>('.stage');
		return {
			scrollHeight: document.documentElement.scrollHeight,
			scrollWidth: document.documentElement.scrollWidth,
			innerHeight: window.innerHeight,
			innerWidth: window.innerWidth,
			stageFits: stage
				? stage.scrollHeight <= stage.clientHeight + 1 && stage.scrollWidth <= stage.clientWidth + 1
				: false,
			fontSize: stage?.dataset.fitted ?? ''
		};
	});
}

async function expectFits(page: Page, where: string): Promise<string> {
	// The stage's text is sized after each change: wait for a size that fits.
	await expect
		.poll(async () => (await fit(page)).stageFits, { message: `${where}: the stage fits` })
		.toBe(true);
	const measured = await fit(page);
	expect(measured.scrollHeight, `${where}: scrollHeight ≤ innerHeight`).toBeLessThanOrEqual(
		measured.innerHeight
	);
	expect(measured.scrollWidth, `${where}: no sideways scrolling`).toBeLessThanOrEqual(
		measured.innerWidth
	);
	return measured.fontSize;
}

/** A browser context that is the host of a session created through the API. */
async function hostContext(
	browser: Browser,
	baseURL: string,
	created: Created,
	viewport: { width: number; height: number }
): Promise<BrowserContext> {
	const context = await browser.newContext({ baseURL, viewport });
	await context.addCookies([
		{ name: `cw_host_${created.code}`, value: created.hostToken, url: baseURL }
	]);
	return context;
}

test.describe('the presenter on a projector', () => {
	test.describe.configure({ timeout: 300_000 });

	test('fits 1280×720 and 1920×1080 from the lobby through every question type and reveal, with no key and no answer before the reveal', async ({
		browser,
		baseURL,
		request
	}) => {
		const api = new Classroom(playwrightSend(request));
		// The host makes the session on /host, choosing one question of each type.
		const hostCtx = await browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
		const host = await hostCtx.newPage();
		const hostErrors = collectErrors(host);
		await host.goto('/host');
		await host.waitForLoadState('networkidle');
		await host.getByRole('radio', { name: /^I set the pace/ }).check();
		await host.getByRole('radio', { name: /^Choose the links and questions/ }).check();
		for (const box of await host.locator('input[name="questionIds"]').all()) await box.uncheck();
		for (const q of oneOfEachType)
			await host.locator(`input[name="questionIds"][value="${q.id}"]`).check();
		await expect(
			host.getByText(`${oneOfEachType.length} of ${questions.length} questions chosen`)
		).toBeVisible();
		await host.getByLabel('Title (optional, e.g. your class name)').fill('Projector test');
		await host.getByRole('button', { name: 'Start the session' }).click();

		// A new teacher: the key, once, in a dialog that says what it is for.
		const dialog = host.getByRole('dialog', { name: 'Your teacher key' });
		await expect(dialog).toBeVisible();
		await expect(dialog).toContainText('opens your sessions and their reports on any device');
		// Focus on what to do with the key, not on the link in its text that leaves the page.
		await expect(dialog.getByRole('button', { name: 'Copy the key' })).toBeFocused();
		await expect(dialog.getByRole('button', { name: /^Download it/ })).toBeVisible();
		const teacherKey = (await dialog.locator('code').textContent())!.trim();
		expect(teacherKey).toMatch(/^[A-Z2-9-]{20,}$/);
		await dialog.getByRole('button', { name: /^Continue to session/ }).click();
		await expect(host).toHaveURL(/\/host\/[A-Z2-9]{6}$/);
		const code = new URL(host.url()).pathname.split('/')[2]!;
		expect(await host.content()).not.toContain(teacherKey);
		await expect(host.getByText(`${oneOfEachType.length} questions`)).toBeVisible();

		// The projector: two screens, as a teacher might have.
		const screens = await Promise.all(
			PROJECTORS.map(async (size) => {
				const page = await hostCtx.newPage();
				await page.setViewportSize(size);
				const errors = collectErrors(page);
				await page.goto(`/host/${code}/present`);
				await expect(page.locator('footer .status')).toHaveText('Live');
				return { page, size, errors, name: `${size.width}x${size.height}` };
			})
		);
		const small = screens[0]!;
		/** Nothing of the teacher key on any screen, and (before a reveal) nothing of the answer. */
		async function expectNothingGivenAway(q?: Question) {
			for (const s of screens) {
				const html = await s.page.content();
				expect(html, `${s.name}: the teacher key`).not.toContain(teacherKey);
				expect(await s.page.locator('header.site').count()).toBe(0);
				if (!q) continue;
				expect(html, `${s.name}: the explanation of ${q.id}`).not.toContain(q.explanation);
				// The proving sentence and the answer in words, unless the questions themselves (as
				// every phone gets them) hold those words: an evidence question's options, a choice.
				for (const passage of q.evidence.filter((p) => !publicText.includes(p)))
					expect(html, `${s.name}: the evidence of ${q.id}`).not.toContain(passage);
				if (!publicText.includes(answerText(q)))
					expect(html, `${s.name}: the answer of ${q.id}`).not.toContain(answerText(q));
				await expect(s.page.locator('.answer, .bars')).toHaveCount(0);
			}
		}

		// 27 join through the API, 3 in their own browsers.
		const joined: Joined[] = [];
		for (let i = 0; i < API_STUDENTS; i++) joined.push(await api.join(code, uniqueNickname('s')));
		const phones = [];
		for (const name of ['Ana', 'Ben', 'Chloé']) {
			const ctx = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 } });
			const page = await ctx.newPage();
			await page.goto(`/join/${code}`);
			await page.waitForLoadState('networkidle');
			await page.getByLabel('Your nickname (what your teacher will see)').fill(name);
			await page.getByRole('button', { name: 'Join' }).click();
			await expect(page.locator('header.who')).toContainText(name);
			phones.push({ ctx, page });
		}

		// The lobby: code, QR and every name, arrived live.
		for (const s of screens) {
			await expect(s.page.locator('.lobby .code')).toHaveText(code);
			await expect(s.page.locator('.lobby .qr svg')).toBeVisible();
			await expect(s.page.locator('.names li')).toHaveCount(CLASS);
			await expect(s.page.locator('.names li').filter({ hasText: 'Chloé' })).toHaveCount(1);
			const size = await expectFits(s.page, `${s.name} lobby`);
			test.info().annotations.push({ type: 'fitted', description: `${s.name} lobby: ${size}` });
			await screenshot(s.page, `presenter-${s.name}-lobby`);
		}
		await expectNothingGivenAway();
		await expect(small.page.getByText('Show the top five')).toBeVisible();
		await expect(small.page.locator('footer')).toContainText('Page Down');

		// The clicker's forward key starts the session, then opens each question in turn.
		await small.page.keyboard.press('PageDown');
		await expect(small.page.locator('#waiting-h')).toHaveText('Ready for the first question');
		for (const [index, q] of oneOfEachType.entries()) {
			await small.page.keyboard.press('ArrowRight');
			for (const s of screens) {
				await expect(s.page.locator('#question-h')).toHaveText(q.prompt);
				await expect(s.page.locator('.where')).toContainText(
					`Question ${index + 1} of ${oneOfEachType.length}`
				);
			}
			// Answers arrive: the count goes up on the wall, nothing else.
			const answering = joined.slice(0, 10 + index);
			for (const [i, student] of answering.entries()) {
				const graded = i % 3 === 0 ? wrongResponse(q) : rightResponse(q);
				const reply = await api.answer(code, student.participantToken, q.id, graded.response);
				expect(reply.status, reply.text).toBe(200);
			}
			for (const s of screens) {
				await expect(s.page.locator('.count .number')).toHaveText(String(answering.length));
				await expect(s.page.locator('.count')).toContainText(`of ${CLASS} answered`);
				const size = await expectFits(s.page, `${s.name} ${q.type} open`);
				test.info().annotations.push({
					type: 'fitted',
					description: `${s.name} ${q.type} open: ${size}`
				});
			}
			// A type that lists options letters them, and a student's phone (360×740) gives each
			// option the letter the wall gives it: "most of you picked C" means one option to all.
			const list = kindOf(q).choices?.(presentQuestion(q), pack.article.sources);
			if (list) {
				const phone = phones[0]!.page;
				for (const option of list.options) {
					const onWall = small.page
						.locator('.projected ol.lettered li')
						.filter({ hasText: option.text })
						.locator('.letter');
					const box = phone.getByRole(list.multiple ? 'checkbox' : 'radio', {
						name: option.text
					});
					const onPhone = phone.locator('label', { has: box }).locator('.letter');
					await expect(onPhone).toHaveText((await onWall.textContent())!.trim());
				}
				if (q.type === 'choice') {
					await screenshot(phone, 'phone-360x740-choice-lettered');
					await screenshot(small.page, 'presenter-1280x720-choice-open');
				}
			}
			await expectNothingGivenAway(q);
			if (q === scenarioQuestion)
				for (const s of screens) await screenshot(s.page, `presenter-${s.name}-scenario-open`);

			// Reveal from the keyboard: the answer, the proving sentence and the distribution.
			await small.page.keyboard.press('r');
			for (const s of screens) {
				if (q.type === 'scenario')
					for (const scenario of q.scenarios)
						await expect(s.page.locator('.answer-text')).toContainText(scenario.title);
				else await expect(s.page.locator('.answer-text')).toContainText(answerText(q));
				await expect(s.page.locator('blockquote').first()).toContainText(q.evidence[0]!);
				await expect(s.page.locator('.bars li').first()).toBeVisible();
				const size = await expectFits(s.page, `${s.name} ${q.type} revealed`);
				test.info().annotations.push({
					type: 'fitted',
					description: `${s.name} ${q.type} revealed: ${size}`
				});
				expect(await s.page.content()).not.toContain(teacherKey);
			}
			if (q === scenarioQuestion)
				for (const s of screens) await screenshot(s.page, `presenter-${s.name}-scenario-revealed`);
			if (q.type === 'choice')
				for (const s of screens) await screenshot(s.page, `presenter-${s.name}-choice-revealed`);
		}
		// After the last question the forward key has nothing left to do.
		await expect(small.page.getByRole('button', { name: 'Next question' })).toHaveCount(0);

		// The host page, for the record.
		await host.reload();
		await screenshot(host, 'host-1280x800-revealed');
		await screenshot(host, 'host-1280x800-full', true);

		for (const s of screens) expect(s.errors).toEqual([]);
		expect(hostErrors).toEqual([]);
		for (const p of phones) await p.ctx.close();
		await hostCtx.close();
	});
});

test.describe('a five-question session', () => {
	test('report, both CSVs and xAPI count 5 questions and 50 points; unasked links say "not asked"', async ({
		browser,
		baseURL,
		request
	}) => {
		const api = new Classroom(playwrightSend(request));
		// Five questions from the first two links, sent out of order: kept in pack order.
		const [first, second] = pack.steps;
		const five = [...first!.questions.slice(0, 3), ...second!.questions.slice(0, 2)];
		const reply = await api.send('POST', '/api/sessions', {
			data: {
				scenario: pack.id,
				mode: 'teacher-paced',
				title: 'Five',
				questionIds: five.map((q) => q.id).reverse()
			}
		});
		expect(reply.status, reply.text).toBe(201);
		const created = reply.json as Created;
		const students = [await api.join(created.code, 'Ana'), await api.join(created.code, 'Ben')];
		await api.pace(created.code, created.hostToken, 'start');
		for (const q of five) {
			const pacing = await api.pace(created.code, created.hostToken, 'next');
			expect(pacing.openQuestionId).toBe(q.id);
			// Ana gets everything right; Ben answers only the first question, wrongly.
			expect(
				(
					await api.answer(
						created.code,
						students[0]!.participantToken,
						q.id,
						rightResponse(q).response
					)
				).status
			).toBe(200);
			if (q === five[0])
				expect(
					(
						await api.answer(
							created.code,
							students[1]!.participantToken,
							q.id,
							wrongResponse(q).response
						)
					).status
				).toBe(200);
			await api.pace(created.code, created.hostToken, 'reveal');
		}
		// There is no sixth question.
		expect((await api.control(created.code, created.hostToken, 'next')).status).toBe(409);
		await api.pace(created.code, created.hostToken, 'end');

		const results = await api.results(created.code, created.hostToken);
		expect(results.maxPoints).toBe(five.length * MAX_POINTS_PER_QUESTION);
		expect(results.maxPoints).toBe(50);
		const ana = results.participants.find((p) => p.nickname === 'Ana')!;
		expect(ana.totals).toEqual({ answered: 5, correct: 5, points: 50, maxPoints: 50 });

		const get = (path: string) =>
			api.send('GET', `/api/sessions/${created.code}/${path}`, { token: created.hostToken });
		// Answers CSV: only the session's questions.
		const answersCsv = readCsv((await get('export.csv')).text);
		expect(new Set(answersCsv.rows.map((r) => r.question))).toEqual(new Set(five.map((q) => q.id)));
		// Totals CSV: 50 possible; links not asked say so, never 0.
		const totals = readCsv((await get('totals.csv')).text);
		const anaRow = totals.rows.find((r) => r.participant === 'Ana')!;
		expect(anaRow.max_points).toBe('50');
		expect(anaRow.points).toBe('50');
		expect(anaRow[`link:${first!.id}`]).toBe('30');
		expect(anaRow[`link:${second!.id}`]).toBe('20');
		for (const step of pack.steps.slice(2))
			expect(anaRow[`link:${step.id}`], step.id).toBe(NOT_ASKED);
		const askedSkills = new Set(five.map((q) => q.skill));
		for (const column of totals.header.filter((h) => h.startsWith('skill:')))
			if (!askedSkills.has(column.slice('skill:'.length) as Question['skill']))
				expect(anaRow[column], column).toBe(NOT_ASKED);
		// xAPI: five questions answered by Ana, one by Ben; scores out of 50.
		const statements = (await get('xapi')).json as Array<{
			verb: { id: string };
			actor: { name: string };
			result?: { score?: { raw: number; max: number } };
		}>;
		const answered = statements.filter((s) => s.verb.id.endsWith('/answered'));
		expect(answered).toHaveLength(6);
		const completed = statements.filter((s) => s.verb.id.endsWith('/completed'));
		expect(
			completed.map((s) => [s.actor.name, s.result?.score?.raw, s.result?.score?.max])
		).toEqual(
			expect.arrayContaining([
				['Ana', 50, 50],
				['Ben', 0, 50]
			])
		);

		// The report page, on a phone: "not asked", 50 points, no sideways scrolling.
		for (const viewport of [
			{ width: 1280, height: 800 },
			{ width: 360, height: 740 }
		]) {
			const context = await hostContext(browser, baseURL!, created, viewport);
			const page = await context.newPage();
			await page.goto(`/host/${created.code}/report`);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText('Report: Five');
			await expect(page.getByText('5 questions', { exact: false }).first()).toBeVisible();
			const anaReport = page.locator('table.students tbody tr').filter({ hasText: 'Ana' }).first();
			await expect(anaReport).toContainText('50 of 50 points');
			await expect(anaReport).toContainText(`Link 3: ${NOT_ASKED}`);
			await expect(anaReport).not.toContainText(/(^|\D)0%/);
			const linksTable = page.locator('section[aria-labelledby="links-h"] tbody tr');
			await expect(linksTable.nth(2)).toContainText(NOT_ASKED);
			const { overflow, widest } = await page.evaluate(() => {
				const width = document.documentElement.clientWidth;
				return {
					overflow: document.documentElement.scrollWidth - width,
					// What sticks out, to say what to fix.
					widest: [...document.querySelectorAll('body *')]
						.filter((e) => e.getBoundingClientRect().right > width + 1)
						.slice(0, 5)
						.map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${e.textContent?.slice(0, 40)}`)
				};
			});
			expect(
				overflow,
				`report at ${viewport.width}px scrolls sideways: ${widest.join(' | ')}`
			).toBeLessThanOrEqual(0);
			await screenshot(page, `report-five-${viewport.width}`);
			await context.close();
		}
	});
});

test.describe('axe, moderate violations included', () => {
	test.describe.configure({ timeout: 180_000 });

	for (const viewport of [
		{ width: 1280, height: 800 },
		{ width: 360, height: 740 }
	])
		test(`/host, /host/{code}, the presenter, the report and /join/{code} at ${viewport.width}×${viewport.height}`, async ({
			browser,
			baseURL,
			request
		}) => {
			const api = new Classroom(playwrightSend(request));
			const teacherPaced = await api.create('teacher-paced', 'Axe paced');
			const selfPaced = await api.create('self-paced', 'Axe self');
			const [q1] = questions;
			const students = [
				await api.join(teacherPaced.code, 'Ana'),
				await api.join(teacherPaced.code, 'Ben')
			];
			await api.pace(teacherPaced.code, teacherPaced.hostToken, 'start');
			await api.pace(teacherPaced.code, teacherPaced.hostToken, 'next');
			await api.answer(
				teacherPaced.code,
				students[0]!.participantToken,
				q1!.id,
				rightResponse(q1!).response
			);
			const selfStudent = await api.join(selfPaced.code, 'Cy');
			await api.pace(selfPaced.code, selfPaced.hostToken, 'start');
			await api.answer(
				selfPaced.code,
				selfStudent.participantToken,
				q1!.id,
				wrongResponse(q1!).response
			);

			const context = await hostContext(browser, baseURL!, teacherPaced, viewport);
			await context.addCookies([
				{ name: `cw_host_${selfPaced.code}`, value: selfPaced.hostToken, url: baseURL! }
			]);
			const page = await context.newPage();
			const errors = collectErrors(page);
			const visit = async (path: string, ready: () => Promise<void>) => {
				await page.goto(path);
				await ready();
				await expectNoAxeViolations(page, `${path} at ${viewport.width}px`);
			};
			await visit('/host', () =>
				expect(page.getByRole('button', { name: 'Start the session' })).toBeVisible()
			);
			await page.getByRole('radio', { name: /^Choose the links and questions/ }).check();
			await expectNoAxeViolations(page, `/host with the question picker at ${viewport.width}px`);
			await visit(`/host/${teacherPaced.code}`, () =>
				expect(page.getByRole('button', { name: 'Reveal the answer' })).toBeVisible()
			);
			if (viewport.width === 1280) await screenshot(page, 'host-1280x800-open');
			await visit(`/host/${selfPaced.code}`, () =>
				expect(page.getByRole('heading', { name: 'Where each student is' })).toBeVisible()
			);
			if (viewport.width === 1280) await screenshot(page, 'host-1280x800-self-paced');
			await visit(`/host/${teacherPaced.code}/present`, () =>
				expect(page.locator('footer .status')).toHaveText('Live')
			);
			await page.keyboard.press('r');
			await expect(page.locator('.answer-text')).toBeVisible();
			await expectNoAxeViolations(page, `presenter revealed at ${viewport.width}px`);
			await visit(`/host/${teacherPaced.code}/report`, () =>
				expect(page.getByRole('heading', { level: 1 })).toHaveText('Report: Axe paced')
			);
			const guest = await browser.newContext({ baseURL, viewport });
			const join = await guest.newPage();
			await join.goto(`/join/${teacherPaced.code}`);
			await expect(join.getByRole('button', { name: 'Join' })).toBeVisible();
			await expectNoAxeViolations(join, `/join/{code} at ${viewport.width}px`);
			expect(errors).toEqual([]);
			await guest.close();
			await context.close();
		});
});
