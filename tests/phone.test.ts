/**
 * Self-study on a phone (issue 15): 360×740 with touch. Two taps from the home page to the first
 * question; "Continue" with where the learner is; nothing scrolls sideways; axe (every impact)
 * on every player state and page; the scenario question by touch, by swipe and by keyboard;
 * order and match by drag.
 */
import { expect, test, type Page } from '@playwright/test';
import type { Question } from '../src/lib/content/pack';
import type { QuestionOf } from '../src/lib/content/schema';
import type { JourneyEvent } from '../src/lib/journey/journey.machine';
import {
	allQuestions,
	answer,
	answerWithKeyboard,
	centreOf,
	collectErrors,
	expectNoAxeViolations,
	horizontalOverflow,
	LEARN_URL,
	pack,
	PACK_ID,
	passTeacherKey,
	screenshot,
	stageHeading,
	STORAGE_KEY,
	touchDrag,
	wrongResponse
} from './helpers';
import { eventsThrough, seed, storedJourney } from './journey-seed';

const PHONE = { width: 360, height: 740 };
test.use({ viewport: PHONE, isMobile: true, hasTouch: true });

const firstOfType = <T extends Question['type']>(type: T) =>
	allQuestions.find((q) => q.type === type) as QuestionOf<T>;

/** The machine's events from a fresh journey to `question` being asked (everything before it right). */
function eventsToQuestion(question: Question): JourneyEvent[] {
	const link = pack.steps.findIndex((s) => s.questions.some((q) => q.id === question.id));
	const before = pack.steps[link]!.questions.slice(
		0,
		pack.steps[link]!.questions.findIndex((q) => q.id === question.id)
	);
	return [
		...eventsThrough(link),
		{ type: 'link.continue' },
		...before.flatMap((q) => [
			{ type: 'answer.submit', response: q.answer } as const,
			{ type: 'question.next' } as const
		])
	];
}

/** Opens the learner page on a journey seeded up to `question`. */
async function openAt(page: Page, question: Question): Promise<void> {
	await seed(page, eventsToQuestion(question));
	await page.goto(LEARN_URL);
	await expect(stageHeading(page)).toHaveText(question.prompt);
}

test('two taps from the home page to the first question; Start is in the first screen', async ({
	page
}) => {
	const errors = collectErrors(page);
	let taps = 0;
	const tap = async (name: string, role: 'link' | 'button') => {
		await page.getByRole(role, { name, exact: true }).tap();
		taps += 1;
	};
	await page.goto('/');
	const start = page.getByRole('link', { name: `Start: ${pack.title}`, exact: true });
	// Entirely inside the first 360×740 screen, with no scrolling.
	await expect(start).toBeInViewport({ ratio: 1 });
	expect(await page.evaluate(() => window.scrollY)).toBe(0);
	await screenshot(page, 'phone-home');
	await tap(`Start: ${pack.title}`, 'link');
	await expect(stageHeading(page)).toHaveText(pack.steps[0]!.title);
	await tap('Start the questions', 'button');
	await expect(stageHeading(page)).toHaveText(pack.steps[0]!.questions[0]!.prompt);
	expect(taps).toBeLessThanOrEqual(2);
	expect(errors).toEqual([]);
});

test('"Continue" says where the journey is, on the home page and the learner page', async ({
	page
}) => {
	const errors = collectErrors(page);
	const [first, second] = pack.steps[0]!.questions;
	await page.goto('/');
	await expect(page.getByRole('link', { name: `Continue: ${pack.title}` })).toHaveCount(0);
	await page.getByRole('link', { name: `Start: ${pack.title}`, exact: true }).tap();
	await page.getByRole('button', { name: 'Start the questions' }).tap();
	await answer(page, first!, first!.answer);
	await page.getByRole('button', { name: 'Continue', exact: true }).tap();
	await expect(stageHeading(page)).toHaveText(second!.prompt);

	const where = `Link 1 of ${pack.steps.length}: ${pack.steps[0]!.title} · question 2 of ${pack.steps[0]!.questions.length}`;
	await page.getByRole('link', { name: 'Causeway' }).tap();
	const carryOn = page.getByRole('link', { name: `Continue: ${pack.title}`, exact: true });
	await expect(carryOn).toBeInViewport({ ratio: 1 });
	await expect(carryOn).toHaveAccessibleDescription(`You are at ${where}.`);
	await expect(page.getByRole('link', { name: `Start: ${pack.title}` })).toHaveCount(0);
	await carryOn.tap();
	await expect(stageHeading(page)).toHaveText(second!.prompt);
	await expect(page.getByRole('status').filter({ hasText: 'Continuing' })).toHaveText(
		`Continuing where you left off: ${where}.`
	);
	// The header reaches the learner's progress from any page.
	await page
		.getByRole('navigation', { name: 'Site' })
		.getByRole('link', { name: 'Your progress' })
		.tap();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your progress');
	expect(errors).toEqual([]);
});

test('no page scrolls sideways at 360 px, and axe finds nothing on any page', async ({
	page,
	browser,
	baseURL
}) => {
	test.setTimeout(300_000);
	// A class session, so that its pages exist: made by a teacher in another browser.
	const teacher = await browser.newContext({
		baseURL,
		viewport: PHONE,
		isMobile: true,
		hasTouch: true
	});
	const host = await teacher.newPage();
	await host.goto('/host');
	await host.getByLabel('Scenario').selectOption(pack.id);
	await host.getByRole('button', { name: 'Start the session' }).click();
	await passTeacherKey(host, pack.title);
	const code = new URL(host.url()).pathname.split('/')[2]!;
	const teacherPages = ['/host', `/host/${code}`, `/host/${code}/report`, '/teacher'];
	for (const path of teacherPages) {
		await host.goto(path);
		await host.waitForLoadState('networkidle');
		expect(await horizontalOverflow(host), path).toBeLessThanOrEqual(0);
		await expectNoAxeViolations(host, `${path} at 360 px`);
	}
	await teacher.close();

	const errors = collectErrors(page);
	for (const path of [
		'/',
		LEARN_URL,
		`/article/${PACK_ID}`,
		'/progress',
		'/join',
		`/join/${code}`
	]) {
		await page.goto(path);
		await page.waitForLoadState('networkidle');
		await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
		expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
		await expectNoAxeViolations(page, `${path} at 360 px`);
	}
	expect(errors).toEqual([]);
});

test('every player state has one h1, no sideways scroll and no axe violation of any impact', async ({
	page
}) => {
	// Axe of every impact at each new state: a minute on a loaded machine.
	test.setTimeout(600_000);
	const errors = collectErrors(page);
	const seen = new Set<string>();
	/** Checks the state once per kind (a question type's asking, feedback, …). */
	const check = async (kind: string) => {
		if (seen.has(kind)) return;
		seen.add(kind);
		await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
		expect(await horizontalOverflow(page), kind).toBeLessThanOrEqual(0);
		await expectNoAxeViolations(page, kind);
	};
	/** Answers the question on screen (the first one of the pack missed), checking on the way. */
	const play = async (question: Question) => {
		await expect(stageHeading(page)).toHaveText(question.prompt);
		await check(`${question.type} question`);
		if (question === allQuestions[0]) {
			// One miss, so that the retry offer and later the review exist.
			await answer(page, question, wrongResponse(question));
			await check('retry offer');
			await page.getByRole('button', { name: 'Show me the answer' }).tap();
		} else {
			await answer(page, question, question.answer, {
				onStep: (name) => check(`scenario ${name}`)
			});
		}
		await expect(page.locator('#feedback-heading')).toBeVisible();
		await check(`${question.type} feedback`);
	};
	/**
	 * Opens the learner page on the journey the machine makes from `events`, with the first
	 * question missed as `play` misses it: the states a walk would reach, without answering again
	 * the questions whose kinds of state are checked already.
	 */
	const openSeeded = async (events: JourneyEvent[]) => {
		const firstAnswer = events.findIndex((e) => e.type === 'answer.submit');
		const missedFirst: JourneyEvent[] = [
			...events.slice(0, firstAnswer),
			{ type: 'answer.submit', response: wrongResponse(allQuestions[0]!) },
			{ type: 'answer.reveal' },
			...events.slice(firstAnswer + 1)
		];
		await page.evaluate(([key, value]) => localStorage.setItem(key, value), [
			STORAGE_KEY,
			storedJourney(missedFirst)
		] as const);
		await page.goto(LEARN_URL);
	};

	await page.goto(LEARN_URL);
	await expect(page.getByRole('button', { name: 'Start the journey' })).toBeVisible();
	await check('intro');
	await page.getByRole('button', { name: 'Start the journey' }).tap();
	// The first link walked through: its reading, its questions, and reading it again once done.
	const [firstLink] = pack.steps;
	await expect(stageHeading(page)).toHaveText(firstLink!.title);
	await check('link reading');
	await page.getByRole('button', { name: 'Start the questions' }).tap();
	for (const question of firstLink!.questions) {
		await play(question);
		await page.getByRole('button', { name: 'Continue', exact: true }).tap();
	}
	await expect(stageHeading(page)).toHaveText(pack.steps[1]!.title);
	await page.getByRole('button', { name: new RegExp(`${firstLink!.title}.*read again`) }).tap();
	await expect(page.locator('#revisit-heading')).toBeFocused();
	await check('revisit');
	// Then each question of a type not seen yet, opened where the journey stands before it.
	for (const question of allQuestions) {
		const { type } = question;
		if (seen.has(`${type} question`) && seen.has(`${type} feedback`)) continue;
		await openSeeded(eventsToQuestion(question));
		await play(question);
	}
	// The summary of the whole journey, and the review of what was missed.
	await openSeeded(eventsThrough(pack.steps.length));
	await expect(stageHeading(page)).toHaveText('Your journey through the story');
	await check('summary');
	await page.getByRole('button', { name: 'Review what I missed (1)' }).tap();
	await expect(page.locator('.eyebrow')).toContainText('Review · question 1');
	await check('review');
	const types = new Set(allQuestions.map((q) => q.type));
	expect([...seen]).toEqual(
		expect.arrayContaining([
			...[...types].flatMap((t) => [`${t} question`, `${t} feedback`]),
			...(types.has('scenario')
				? ['scenario picking', 'scenario revealed', 'scenario judging']
				: [])
		])
	);
	expect(errors).toEqual([]);
});

test.describe('the scenario question on a phone', () => {
	const question = firstOfType('scenario');

	test('answered by touch: one scenario at a time, a summary before checking', async ({ page }) => {
		const errors = collectErrors(page);
		await openAt(page, question);
		const [scenario] = question.scenarios;
		await page.getByRole('button', { name: `Weigh “${scenario!.title}”` }).tap();
		// One scenario on screen, with a card per passage.
		await expect(page.locator('[data-passage]')).toHaveCount(question.passages.length);
		await expect(page.getByRole('heading', { name: question.scenarios[1]!.title })).toHaveCount(0);
		const summary = page.getByRole('region', { name: 'Your choices so far' });
		await expect(summary).toContainText('Supports it: none');
		const picks = question.answer[scenario!.id]!;
		const card = page.locator(`[data-passage="${picks.supports[0]}"]`);
		await card.getByText('Supports it').tap();
		await expect(card.getByRole('radio', { name: 'Supports it' })).toBeChecked();
		await expect(summary).toContainText('Supports it: 1 passage');
		await screenshot(page, 'phone-scenario');
		await card.getByText('Neither').tap();
		await expect(summary).toContainText('Supports it: none');
		await page.getByRole('button', { name: 'Back to the scenarios' }).tap();
		await answer(page, question, question.answer, { by: 'touch' });
		await expect(page.locator('#feedback-heading')).toHaveText(/^✓ Right/);
		expect(errors).toEqual([]);
	});

	test('answered by swiping each card', async ({ page }) => {
		const errors = collectErrors(page);
		await openAt(page, question);
		await answer(page, question, question.answer, { by: 'drag' });
		await expect(page.locator('#feedback-heading')).toHaveText(/^✓ Right/);
		expect(errors).toEqual([]);
	});

	test('answered by keyboard alone', async ({ page }) => {
		const errors = collectErrors(page);
		await openAt(page, question);
		await answerWithKeyboard(page, question, question.answer);
		await expect(page.locator('#feedback-heading')).toHaveText(/^✓ Right/);
		expect(errors).toEqual([]);
	});
});

test('an order question answered by dragging items with a finger; the buttons still work', async ({
	page
}) => {
	const errors = collectErrors(page);
	const question = firstOfType('order');
	await openAt(page, question);
	const shown = () =>
		page
			.locator('li[data-item]')
			.evaluateAll((items) => items.map((li) => li.getAttribute('data-item')));
	// The form may render after the heading: every item first, then the drags.
	await expect(page.locator('li[data-item]')).toHaveCount(question.items.length);
	// Drag each item, in the answer's order, onto the place it belongs.
	for (const [target, id] of question.answer.entries()) {
		const from = (await shown()).indexOf(id);
		if (from === target) continue;
		const handle = page.locator(`li[data-item="${id}"] .handle`);
		const place = page.locator('li[data-item]').nth(target);
		// The whole list on screen, so that the place to drop on is not above the top edge.
		await page
			.locator('ol:has(li[data-item])')
			.evaluate((list) => list.scrollIntoView({ block: 'center' }));
		await expect(place).toBeInViewport({ ratio: 1 });
		const start = await centreOf(handle);
		const box = (await place.boundingBox())!;
		await touchDrag(page, start, { x: start.x, y: box.y + (target < from ? 4 : box.height - 4) });
		await expect.poll(async () => (await shown()).indexOf(id)).toBe(target);
	}
	expect(await shown()).toEqual(question.answer);
	await screenshot(page, 'phone-order-dragged');
	// The keyboard's buttons are still there and still move items.
	const last = question.items.find((i) => i.id === question.answer.at(-1))!;
	await page.getByRole('button', { name: `Move “${last.text}” up` }).tap();
	await expect.poll(async () => (await shown()).at(-2)).toBe(last.id);
	await page.getByRole('button', { name: `Move “${last.text}” down` }).tap();
	await page.getByRole('button', { name: 'Check my answer' }).tap();
	await expect(page.locator('#feedback-heading')).toHaveText(/^✓ Right/);
	expect(errors).toEqual([]);
});

test('a match question answered by dragging cards onto the items, by finger and by mouse', async ({
	page
}) => {
	const errors = collectErrors(page);
	const question = firstOfType('match');
	await openAt(page, question);
	for (const [i, left] of question.left.entries()) {
		const rightId = question.answer[left.id]!;
		const card = page.locator(`[data-match-card="${rightId}"]`);
		const row = page.locator(`[data-match-row="${left.id}"]`);
		// The row first: the cards stay on screen (sticky) while the rows scroll under them.
		const to = await centreOf(row.locator('label'));
		const from = await centreOf(card);
		await expect(card).toBeInViewport({ ratio: 1 });
		await expect(row.locator('label')).toBeInViewport({ ratio: 0.5 });
		if (i % 2 === 0) {
			await touchDrag(page, from, to);
		} else {
			await page.mouse.move(from.x, from.y);
			await page.mouse.down();
			await page.mouse.move(to.x, to.y, { steps: 8 });
			await page.mouse.up();
		}
		await expect(row.getByRole('combobox')).toHaveValue(rightId);
	}
	await page.getByRole('button', { name: 'Check my answer' }).tap();
	await expect(page.locator('#feedback-heading')).toHaveText(/^✓ Right/);
	expect(errors).toEqual([]);
});
