/**
 * The player, end to end, on the real pack (content/mali-russia: 7 links, a question of every type).
 * Two full walks: every question right with the keyboard alone on a desktop screen, and a walk
 * with hints, wrong answers, retries and a review on a phone-sized screen. Then a reload in the
 * middle, and stored progress that cannot be read.
 */
import { expect, test, type Page } from '@playwright/test';
import {
	allQuestions,
	answer,
	answerWithKeyboard,
	articlePanel,
	articleSheet,
	collectErrors,
	escape,
	expectNoSeriousAxeViolations,
	feedbackHeading,
	horizontalOverflow,
	LEARN_URL,
	oneMatchWrong,
	type Judgement,
	type ScenarioResponse,
	pack,
	pressButton,
	questionById,
	questionEyebrow,
	screenshot,
	SCREENS_DIR,
	stageHeading,
	startJourney,
	STORAGE_KEY,
	swapFirstTwo,
	tabPresses,
	tabTo,
	wrongResponse
} from './helpers';
import type { Question } from '../src/lib/content/pack';
import type { JourneyEvent } from '../src/lib/journey/journey.machine';
import { SKILL_NAMES } from '../src/lib/content/schema';
import { quoted } from '../src/lib/content/text';
import { QUESTION_TYPES } from '../src/lib/questions/registry';
import { eventsThrough, seed } from './journey-seed';

const CLAIM_LABEL = {
	stated: 'Stated in the article',
	inferred: 'Inferred from the article',
	hypothetical: 'A possibility the article raises'
} as const;

const TOTAL = allQuestions.length * 10;

test('the real pack is the one these tests are written for: every question type is in it', () => {
	expect(pack.steps.length).toBe(7);
	// Every question the scripts below treat specially is still in the pack.
	const ids = new Set(allQuestions.map((q) => q.id));
	expect(SCRIPTED.filter((id) => !ids.has(id))).toEqual([]);
	expect(new Set(allQuestions.map((q) => q.type))).toEqual(new Set(QUESTION_TYPES));
});

/** The exact texts the article panel should mark for these passages, in document order. */
function markedTexts(passages: readonly string[]): string[] {
	const paragraphs = new Map(
		pack.article.sections.flatMap((s) => s.paragraphs).map((p) => [p.id, p.text])
	);
	const order = [...paragraphs.keys()];
	return passages
		.map((p) => {
			const anchor = pack.anchors[p];
			if (!anchor) throw new Error(`Passage not located in the article: ${p}`);
			return anchor;
		})
		.sort(
			(a, b) => order.indexOf(a.paragraphId) - order.indexOf(b.paragraphId) || a.start - b.start
		)
		.map((a) => paragraphs.get(a.paragraphId)!.slice(a.start, a.end));
}

/** The passages are marked in the article panel, and the first mark is scrolled into view. */
async function expectMarked(page: Page, passages: readonly string[]): Promise<void> {
	const marks = articlePanel(page).locator('mark[data-evidence]');
	await expect(marks).toHaveText(markedTexts(passages));
	await expect(marks.first()).toBeVisible();
	await expect(marks.first()).toBeInViewport();
}

/** The rows of a summary table as [name, points, right] cell texts. */
async function rowsOf(page: Page, caption: 'Link' | 'Skill'): Promise<string[][]> {
	const table = page.getByRole('table', { name: caption, exact: true });
	await expect(table).toBeVisible();
	return table
		.locator('tbody tr')
		.evaluateAll((rows) =>
			rows.map((r) =>
				[...r.querySelectorAll('th, td')].map((c) =>
					(c.textContent ?? '').replace(/\s+/g, ' ').trim()
				)
			)
		);
}

/**
 * The two summary tables, row by row: each link and each skill (named in words, in the order
 * skills first appear in the pack) with "<points> of <max>" and "k of n" right, worked out from
 * what each question earned.
 */
async function expectSummaryTables(
	page: Page,
	earned: (q: Question) => { points: number; right: boolean }
): Promise<void> {
	const row = (name: string, questions: readonly Question[]) => [
		name,
		`${questions.reduce((n, q) => n + earned(q).points, 0)} of ${questions.length * 10}`,
		`${questions.filter((q) => earned(q).right).length} of ${questions.length}`
	];
	expect(await rowsOf(page, 'Link')).toEqual(
		pack.steps.map((s, i) => row(`${i + 1}. ${s.title}`, s.questions))
	);
	const skills = [...new Set(allQuestions.map((q) => q.skill))];
	expect(await rowsOf(page, 'Skill')).toEqual(
		skills.map((skill) =>
			row(
				SKILL_NAMES[skill],
				allQuestions.filter((q) => q.skill === skill)
			)
		)
	);
	await expect(
		page.getByText(
			'Points show how surely you got there: a hint or a second try earns fewer points, even when the answer ends up right.'
		)
	).toBeVisible();
}

/** A new stage starts at the top of the page: progress strip and eyebrow line in view. */
async function expectAtTop(page: Page): Promise<void> {
	await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
	await expect(page.getByRole('navigation', { name: 'The causal chain' })).toBeInViewport();
	await expect(page.locator('.eyebrow')).toBeInViewport();
}

/**
 * The keyboard walk in two parts of about half the questions each, links [from, to), so that the
 * two workers share it; the second starts where the first ends, on the feedback of its last
 * question.
 */
const KEYBOARD_PARTS = (() => {
	let asked = 0;
	const split =
		pack.steps.findIndex((s) => (asked += s.questions.length) >= allQuestions.length / 2) + 1;
	return [
		[0, split],
		[split, pack.steps.length]
	] as const;
})();

test.describe('desktop', () => {
	for (const [from, to] of KEYBOARD_PARTS)
		test(`every question answered right with the keyboard alone: full points, evidence marked (links ${from + 1} to ${to})`, async ({
			page
		}) => {
			// A long walk: every question of these links by Tab alone, past each glossary term's button.
			test.setTimeout(240_000);
			const errors = collectErrors(page);
			const shiftTabsBefore = tabPresses['Shift+Tab'];
			if (from === 0) {
				await page.goto(LEARN_URL);
				await expect(page.getByRole('heading', { level: 1, name: pack.title })).toBeVisible();
				// The intro is server-rendered; Enter starts the journey once the page has hydrated.
				await expect(async () => {
					await tabTo(page, page.getByRole('button', { name: 'Start the journey' }), 10);
					await page.keyboard.press('Enter');
					await expect(stageHeading(page)).toHaveText(pack.steps[0]!.title, { timeout: 1000 });
				}).toPass({ timeout: 15_000 });
			} else {
				// Where the part before ends: every question before right, the last one's feedback shown.
				await seed(page, eventsThrough(from).slice(0, -1));
				await page.goto(LEARN_URL);
				await expect(feedbackHeading(page)).toHaveText('✓ Right — 10 of 10 points');
				await pressButton(page, 'Continue');
			}

			const typesByKeyboard = new Set<string>();
			for (const [linkIndex, step] of pack.steps.entries()) {
				if (linkIndex < from || linkIndex >= to) continue;
				// Reading: the link, its summary and its key passage, marked in the article.
				await expect(stageHeading(page)).toHaveText(step.title);
				await expect(stageHeading(page)).toBeFocused();
				await expect(page.locator('.eyebrow')).toHaveText(
					`Link ${linkIndex + 1} of ${pack.steps.length} · ${CLAIM_LABEL[step.claim]}`
				);
				await expectAtTop(page);
				await expect(page.getByText(step.summary, { exact: true })).toBeVisible();
				await expectMarked(page, [step.keyPassage]);
				if (linkIndex === 0) await expectNoSeriousAxeViolations(page, 'reading (desktop)');
				await pressButton(page, 'Start the questions');

				for (const [questionIndex, question] of step.questions.entries()) {
					await expect(page.locator('.eyebrow')).toHaveText(
						questionEyebrow(linkIndex, questionIndex)
					);
					await expect(stageHeading(page)).toBeFocused();
					await expect(articlePanel(page).locator('mark[data-evidence]')).toHaveCount(0);
					await expectAtTop(page);
					if (linkIndex === 0 && questionIndex === 0)
						await expectNoSeriousAxeViolations(page, 'question (desktop)');

					await answerWithKeyboard(page, question, question.answer, {
						judgement: { scenarioId: 'new-coup', confidence: 'guessing' }
					});
					typesByKeyboard.add(question.type);

					await expect(feedbackHeading(page)).toBeFocused();
					await expect(feedbackHeading(page)).toHaveText('✓ Right — 10 of 10 points');
					await expect(page.getByText('The answer:')).toHaveCount(0);
					if (question.type === 'scenario')
						await expect(page.locator('.judgement')).toHaveText(
							'Your judgement (not marked): you find “Another coup shuts Russia out” most likely (how sure: Guessing).'
						);
					await expect(page.locator('.feedback blockquote')).toHaveText(
						question.evidence.map(quoted)
					);
					await expectMarked(page, question.evidence);
					if (linkIndex === 0 && questionIndex === 0) {
						await expectNoSeriousAxeViolations(page, 'feedback (desktop)');
						// "Read the whole section" opens the article at the section of the first evidence.
						const section = pack.anchors[question.evidence[0]!]!.sectionId;
						const link = page.getByRole('link', { name: 'Read the whole section' });
						expect(
							await link.evaluate(
								(a) =>
									new URL((a as HTMLAnchorElement).href).pathname +
									new URL((a as HTMLAnchorElement).href).hash
							)
						).toBe(`/article/${pack.id}#${section}`);
					}
					await pressButton(page, 'Continue');
				}
			}

			const questions = pack.steps.slice(from, to).flatMap((s) => s.questions);
			// A match question is answered bottom row first, then Shift+Tab back up.
			if (questions.some((q) => q.type === 'match'))
				expect(tabPresses['Shift+Tab']).toBeGreaterThan(shiftTabsBefore);
			// Every question type of these links was answered by keyboard alone (the parts together
			// cover every link, and the pack has every type of the registry: see the first test).
			expect([...typesByKeyboard].sort()).toEqual(
				[...new Set(questions.map((q) => q.type))].sort()
			);
			if (to < pack.steps.length) {
				// The next link's reading, where the next part goes on.
				await expect(stageHeading(page)).toHaveText(pack.steps[to]!.title);
				await expect(stageHeading(page)).toBeFocused();
				expect(errors).toEqual([]);
				return;
			}
			await expect(stageHeading(page)).toHaveText('Your journey through the story');
			await expect(page.locator('.score')).toHaveText(
				`${TOTAL} of ${TOTAL} points (100%) · ${allQuestions.length} of ${allQuestions.length} questions right`
			);
			await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
			await expect(page.getByRole('button', { name: /Review what I missed/ })).toHaveCount(0);
			const coup = questionById('coup-scenarios', 'scenario');
			await expect(page.getByText(/^Your judgement \(never marked\)/)).toHaveText(
				`Your judgement (never marked): asked “${coup.prompt}”, you find “Another coup shuts Russia out” most likely (how sure: Guessing).`
			);
			await expect(
				page.getByText('You missed nothing. Every link of the chain, proved from the text.')
			).toBeVisible();
			await expectSummaryTables(page, () => ({ points: 10, right: true }));
			await expectNoSeriousAxeViolations(page, 'summary (desktop)');
			expect(errors).toEqual([]);
		});

	test('on a slow connection the first link still takes the focus once its part arrives', async ({
		page
	}) => {
		const errors = collectErrors(page);
		await page.goto(LEARN_URL);
		const start = page.getByRole('button', { name: 'Start the journey' });
		await expect(start).toBeVisible();
		await page.waitForLoadState('networkidle');
		// From here every script the page asks for (the machine, the stages) takes 1.5 s: far
		// longer than the few frames a focus move used to wait before giving up.
		await page.route('**/_app/immutable/**/*.js', async (route) => {
			await new Promise((resolve) => setTimeout(resolve, 1500));
			await route.continue();
		});
		await start.click();
		await expect(stageHeading(page)).toHaveText(pack.steps[0]!.title, { timeout: 15_000 });
		await expect(stageHeading(page)).toBeFocused();
		expect(errors).toEqual([]);
	});

	test('a reload in the middle resumes at the same question with the same answers', async ({
		page
	}) => {
		const errors = collectErrors(page);
		await startJourney(page);
		// Links 1 and 2 right, then the first question of link 3.
		for (const step of pack.steps.slice(0, 2)) {
			await page.getByRole('button', { name: 'Start the questions' }).click();
			for (const question of step.questions) {
				await answer(page, question, question.answer);
				await expect(feedbackHeading(page)).toHaveText('✓ Right — 10 of 10 points');
				await page.getByRole('button', { name: 'Continue' }).click();
			}
		}
		const link3 = pack.steps[2]!;
		await page.getByRole('button', { name: 'Start the questions' }).click();
		await answer(page, link3.questions[0]!, link3.questions[0]!.answer);
		await page.getByRole('button', { name: 'Continue' }).click();
		// Question 2 of link 3, with its hint shown.
		const question = link3.questions[1]!;
		expect(question.hint).toBeUndefined();
		const hinted = link3.questions[2]!;
		expect(hinted.hint).toBeDefined();
		await answer(page, question, question.answer);
		await page.getByRole('button', { name: 'Continue' }).click();
		await expect(stageHeading(page)).toHaveText(hinted.prompt);
		await page.getByRole('button', { name: 'Show a hint (costs 3 points)' }).click();
		await expect(page.getByText(`Hint: ${hinted.hint}`)).toBeVisible();

		await page.reload();
		// The server renders the intro; the stored journey takes over after hydration.
		await expect(page.locator('.eyebrow')).toHaveText(questionEyebrow(2, 2));
		await expect(stageHeading(page)).toHaveText(hinted.prompt);
		await expect(page.getByText(`Hint: ${hinted.hint}`)).toBeVisible();
		await expect(page.getByRole('button', { name: /Show a hint/ })).toHaveCount(0);
		const strip = page.getByRole('navigation', { name: 'The causal chain' }).getByRole('listitem');
		await expect(strip).toHaveCount(7);
		for (const i of [0, 1]) {
			await expect(strip.nth(i).getByRole('button')).toHaveAccessibleName(
				new RegExp(`${escape(pack.steps[i]!.title)} \\(done — open to read again\\)$`)
			);
		}
		await expect(strip.nth(2)).toHaveAttribute('aria-current', 'step');
		await expect(strip.nth(2)).toContainText('(you are here)');
		for (const i of [3, 4, 5, 6]) await expect(strip.nth(i)).toContainText('(to come)');

		// The answers given before the reload are still there: link 1 read again shows them.
		await strip.nth(0).getByRole('button').click();
		await expect(
			page.getByRole('heading', { name: `Reading again: ${pack.steps[0]!.title}` })
		).toBeFocused();
		const said = page.locator('p', { hasText: 'You said:' });
		await expect(said).toHaveCount(pack.steps[0]!.questions.length);
		for (let i = 0; i < pack.steps[0]!.questions.length; i++) {
			await expect(said.nth(i)).toHaveText(/— ✓ right, 10\s+(of 10\s+)?points$/);
		}
		const first = questionById('partnership-terms', 'choice');
		await expect(said.first()).toContainText(
			first.options.find((o) => o.id === first.answer)!.text
		);
		await page.getByRole('button', { name: 'Back to where I was' }).click();
		await expect(stageHeading(page)).toHaveText(hinted.prompt);

		// The hint taken before the reload still costs its 3 points.
		await answer(page, hinted, hinted.answer);
		await expect(feedbackHeading(page)).toHaveText('✓ Right — 7 of 10 points');
		expect(errors).toEqual([]);
	});

	test('stored progress that cannot be read gives a notice and the intro, and no crash', async ({
		page
	}) => {
		const errors = collectErrors(page);
		await page.goto('/');
		await page.evaluate((key) => localStorage.setItem(key, '{bad'), STORAGE_KEY);
		await page.goto(LEARN_URL);
		await expect(page.getByRole('status')).toHaveText(
			'Your saved progress could not be read, so this journey starts afresh.'
		);
		await expect(page.getByRole('heading', { level: 1, name: pack.title })).toBeVisible();
		expect(await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY)).toBeNull();
		await page.getByRole('button', { name: 'Start the journey' }).click();
		await expect(stageHeading(page)).toHaveText(pack.steps[0]!.title);
		const stored = await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY);
		expect(JSON.parse(stored ?? 'null')).toMatchObject({ packId: pack.id, version: pack.version });

		// Progress saved for another version of the questions is dropped too, with its own notice.
		await page.evaluate(({ key, value }) => localStorage.setItem(key, value), {
			key: STORAGE_KEY,
			value: stored!.replace(pack.version, 'an-older-version')
		});
		await page.reload();
		await expect(page.getByRole('status')).toHaveText(
			'This story’s questions have changed since your last visit, so your journey starts afresh.'
		);
		await expect(page.getByRole('button', { name: 'Start the journey' })).toBeVisible();
		expect(errors).toEqual([]);
	});
});

/** How one question is played in the scoring walk, and what it must earn. */
interface Script {
	hint?: boolean;
	/** Responses submitted in turn; a second one follows "Try again". */
	tries: unknown[];
	/** The heading of the retry offer after a first try that is not right. */
	offer?: string;
	/** After the first try, "Show me the answer" instead of trying again. */
	reveal?: boolean;
	verdict: string;
	points: number;
}

const right = (q: Question): Script => ({
	tries: [q.answer],
	verdict: '✓ Right — 10 of 10 points',
	points: 10
});

/**
 * The phone walk's picks at the scenario question: the junta holding on backed but nothing
 * against it (2 of 4 passages: ½), a new coup exactly right (1), and Somalia with a stray
 * passage beside a right one (1 − 1: 0).
 */
const COUP_PICKS: ScenarioResponse = {
	'junta-holds': { supports: ['p-compromise'], against: ['p-slate', 'p-raids'] },
	'new-coup': {
		supports: ['p-slate', 'p-raids', 'p-deeper', 'p-rise'],
		against: ['p-compromise']
	},
	somalia: { supports: ['p-somalia', 'p-minerals'], against: [] }
};
const COUP_JUDGEMENT: Judgement = { scenarioId: 'somalia', confidence: 'sure' };

/** The questions `scriptFor` plays other than right at the first try. */
const SCRIPTED = [
	'partnership-terms',
	'partnership-minerals',
	'partnership-who-reported',
	'partnership-services',
	'partnership-civilians',
	'concessions-why',
	'suspension-order',
	'compromise-source',
	'resurgence-timeline',
	'resurgence-causes',
	'blockade-gallon',
	'coup-scenarios',
	'coup-somalia'
];

/**
 * The scoring rules: 10 points for a first try, 3 less after a hint, at most 5 on the retry,
 * partial credit as a share of those points rounded to whole points, and the last try counts.
 */
function scriptFor(q: Question): Script {
	switch (q.id) {
		case 'partnership-terms': // hint, then right: 10 − 3
			return { hint: true, tries: [q.answer], verdict: '✓ Right — 7 of 10 points', points: 7 };
		case 'partnership-minerals': // wrong, then right on the retry: at most 5
			return {
				tries: [wrongResponse(q), q.answer],
				offer: 'Not right yet',
				verdict: '✓ Right — 5 of 10 points',
				points: 5
			};
		case 'partnership-who-reported': // hint, wrong, right on the retry: 5 − 3
			return {
				hint: true,
				tries: [wrongResponse(q), q.answer],
				offer: 'Not right yet',
				verdict: '✓ Right — 2 of 10 points',
				points: 2
			};
		case 'partnership-services': // wrong, then "Show me the answer"
			return {
				tries: [wrongResponse(q)],
				offer: 'Not right yet',
				reveal: true,
				verdict: '✗ Not right — 0 of 10 points',
				points: 0
			};
		case 'partnership-civilians': // wrong twice
			return {
				tries: [wrongResponse(q), wrongResponse(q)],
				offer: 'Not right yet',
				verdict: '✗ Not right — 0 of 10 points',
				points: 0
			};
		case 'concessions-why': // hint, wrong, then "Show me the answer"
			return {
				hint: true,
				tries: [wrongResponse(q)],
				offer: 'Not right yet',
				reveal: true,
				verdict: '✗ Not right — 0 of 10 points',
				points: 0
			};
		case 'suspension-order': // 2 of 4 in place, kept: 0.5 × 10
			return {
				tries: [swapFirstTwo(questionById(q.id, 'order'))],
				offer: 'Partly right (5 points so far)',
				reveal: true,
				verdict: '◐ Partly right — 5 of 10 points',
				points: 5
			};
		case 'compromise-source': // wrong, then right on the retry
			return {
				tries: [wrongResponse(q), q.answer],
				offer: 'Not right yet',
				verdict: '✓ Right — 5 of 10 points',
				points: 5
			};
		case 'resurgence-timeline': // nothing in place, then 3 of 5 on the retry: 0.6 × 5
			return {
				tries: [wrongResponse(q), swapFirstTwo(questionById(q.id, 'order'))],
				offer: 'Not right yet',
				verdict: '◐ Partly right — 3 of 10 points',
				points: 3
			};
		case 'resurgence-causes': // 3 of 4 pairs (0.75 × 10 → 8 so far), then right on the retry: the last try counts
			return {
				tries: [oneMatchWrong(questionById(q.id, 'match')), q.answer],
				offer: 'Partly right (8 points so far)',
				verdict: '✓ Right — 5 of 10 points',
				points: 5
			};
		case 'blockade-gallon': // hint, then right
			return { hint: true, tries: [q.answer], verdict: '✓ Right — 7 of 10 points', points: 7 };
		case 'coup-scenarios': // hint; explored: 3/5, 1 and 0 (a stray passage) → mean 8/15 × 7 ≈ 3.7 → 4, one try only
			return {
				hint: true,
				tries: [COUP_PICKS],
				verdict: '◐ Partly right — 4 of 10 points',
				points: 4
			};
		case 'coup-somalia': // wrong twice
			return {
				tries: [wrongResponse(q), wrongResponse(q)],
				offer: 'Not right yet',
				verdict: '✗ Not right — 0 of 10 points',
				points: 0
			};
		default:
			return right(q);
	}
}

const scripts = new Map(allQuestions.map((q) => [q.id, scriptFor(q)]));
const EXPECTED_POINTS = [...scripts.values()].reduce((sum, s) => sum + s.points, 0);
const MISSED = allQuestions.filter((q) => !scripts.get(q.id)!.verdict.startsWith('✓'));

/** Plays one question by its script with the pointer, up to its feedback. */
async function play(
	page: Page,
	question: Question,
	script: Script,
	phone: PhoneChecks | undefined
): Promise<void> {
	if (script.hint) {
		await page.getByRole('button', { name: 'Show a hint (costs 3 points)' }).click();
		await expect(page.getByText(`Hint: ${question.hint}`)).toBeVisible();
		await expect(page.getByRole('button', { name: /Show a hint/ })).toHaveCount(0);
	}
	for (const [i, response] of script.tries.entries()) {
		if (i > 0) {
			await page.getByRole('button', { name: 'Try again' }).click();
			await expect(stageHeading(page)).toBeFocused();
			await expect(page.getByText('Second try: worth up to 5 points.')).toBeVisible();
		}
		await answer(page, question, response, { judgement: COUP_JUDGEMENT });
		if (question.type === 'scenario') await phone?.once('scenario-reveal');
		if (i === 0 && script.offer) {
			await expect(feedbackHeading(page)).toHaveText(script.offer);
			await expect(feedbackHeading(page)).toBeFocused();
			await expect(
				page.getByText(
					`You can try once more (worth up to 5 points${script.hint ? ', less the hint' : ''})`
				)
			).toBeVisible();
			// The form is gone: the offer says what was sent.
			const given = page.locator('.feedback .given');
			await expect(given).toContainText('Your answer:');
			if (question.type === 'choice')
				await expect(given).toContainText(question.options.find((o) => o.id === response)!.text);
			await phone?.once('retry-offer');
			if (script.reveal) await page.getByRole('button', { name: 'Show me the answer' }).click();
		}
	}
	await expect(feedbackHeading(page)).toHaveText(script.verdict);
	await expect(feedbackHeading(page)).toBeFocused();
	if (!script.verdict.startsWith('✓')) await expect(page.getByText('The answer:')).toBeVisible();
	if (question.type === 'scenario') {
		await expect(page.locator('.judgement')).toHaveText(
			'Your judgement (not marked): you find “A Somalia in West Africa” most likely (how sure: Sure).'
		);
		await phone?.once('scenario-feedback');
	}
}

/** Phone-size checks done once per kind of screen: no sideways scrolling, axe, a screenshot. */
class PhoneChecks {
	private seen = new Set<string>();
	constructor(private page: Page) {}
	async once(screen: string, fullPage = false): Promise<void> {
		if (this.seen.has(screen)) return;
		this.seen.add(screen);
		// The summary's width has its own test below ("the summary fits a 360 px phone").
		if (screen !== 'summary')
			expect(await horizontalOverflow(this.page), `sideways overflow on ${screen}`).toBe(0);
		await expectNoSeriousAxeViolations(this.page, `${screen} (360×640)`);
		await screenshot(this.page, `phone-${screen}`);
		if (fullPage) await screenshot(this.page, `phone-${screen}-full`, true);
	}
}

test.describe('phone (360×640)', () => {
	test.use({ viewport: { width: 360, height: 640 } });

	test('hints, wrong answers and retries score by the rules; the review re-asks only what was missed', async ({
		page
	}) => {
		test.setTimeout(240_000);
		// The expected total, worked out by hand from the rules above: the pack's points − 87.
		expect(EXPECTED_POINTS).toBe(TOTAL - 87);
		expect(MISSED.map((q) => q.id)).toEqual([
			'partnership-services',
			'partnership-civilians',
			'concessions-why',
			'suspension-order',
			'resurgence-timeline',
			'coup-scenarios',
			'coup-somalia'
		]);
		const errors = collectErrors(page);
		const phone = new PhoneChecks(page);
		await startJourney(page);

		for (const [linkIndex, step] of pack.steps.entries()) {
			await expect(stageHeading(page)).toHaveText(step.title);
			await expect(articlePanel(page)).toBeHidden();
			await phone.once('reading');
			if (linkIndex === 0) {
				// "Read it in the article": the sheet, with the key passage marked and in view.
				await page.getByRole('button', { name: 'Read it in the article' }).click();
				const sheet = page.getByRole('dialog', { name: 'The article' });
				await expect(sheet).toBeVisible();
				await expect(page.locator('#article-sheet-heading')).toBeFocused();
				await expect(sheet.locator('mark[data-evidence]')).toHaveText(
					markedTexts([step.keyPassage])
				);
				await expect(sheet.locator('mark[data-evidence]').first()).toBeInViewport();
				await phone.once('sheet-reading');
				await sheet.getByRole('button', { name: 'Close' }).click();
				await expect(articleSheet(page)).toBeHidden();
				// Focus goes back to what opened the sheet.
				await expect(page.getByRole('button', { name: 'Read it in the article' })).toBeFocused();
			}
			await page.getByRole('button', { name: 'Start the questions' }).click();
			for (const [questionIndex, question] of step.questions.entries()) {
				await expect(page.locator('.eyebrow')).toHaveText(
					questionEyebrow(linkIndex, questionIndex)
				);
				await expect(stageHeading(page)).toBeFocused();
				// On a phone the last screen was long: the new question starts at the top.
				await expectAtTop(page);
				if (linkIndex === 0 && questionIndex === 0) {
					await phone.once('question', true);
					// The article opens as a sheet over the question; Escape closes it.
					await page.getByRole('button', { name: 'Look in the article' }).click();
					const sheet = page.getByRole('dialog', { name: 'The article' });
					await expect(sheet).toBeVisible();
					await expect(page.locator('#article-sheet-heading')).toBeFocused();
					// Nothing is marked before an answer.
					await expect(sheet.locator('mark[data-evidence]')).toHaveCount(0);
					await phone.once('sheet-question');
					await page.keyboard.press('Escape');
					await expect(articleSheet(page)).toBeHidden();
					await expect(articlePanel(page)).toBeHidden();
					// Focus goes back to what opened the sheet.
					await expect(page.getByRole('button', { name: 'Look in the article' })).toBeFocused();
				}
				const script = scripts.get(question.id)!;
				await play(page, question, script, phone);
				if (script.points === 0) await phone.once('feedback-wrong');
				if (script.points === 10) await phone.once('feedback', true);
				if (linkIndex === 0 && questionIndex === 0) {
					// "Show it in the article": the sheet, with the evidence marked and in view.
					await page.getByRole('button', { name: 'Show it in the article' }).click();
					const sheet = page.getByRole('dialog', { name: 'The article' });
					await expect(sheet).toBeVisible();
					await expect(sheet.locator('mark[data-evidence]').first()).toBeInViewport();
					await expect(sheet.locator('mark[data-evidence]')).toHaveText(
						markedTexts(question.evidence)
					);
					await expect(page.locator('#article-sheet-heading')).toBeFocused();
					await phone.once('sheet-evidence');
					await sheet.getByRole('button', { name: 'Close' }).click();
					await expect(articleSheet(page)).toBeHidden();
					// Back to the button that opened the sheet, under the feedback.
					await expect(page.getByRole('button', { name: 'Show it in the article' })).toBeFocused();
				}
				await page.getByRole('button', { name: 'Continue' }).click();
			}
		}

		const percent = Math.round((EXPECTED_POINTS / TOTAL) * 100);
		const scoreLine = `${EXPECTED_POINTS} of ${TOTAL} points (${percent}%) · ${allQuestions.length - MISSED.length} of ${allQuestions.length} questions right`;
		await expect(stageHeading(page)).toHaveText('Your journey through the story');
		await expect(page.locator('.score')).toHaveText(scoreLine);
		await expect(page.locator('.missed > li .prompt')).toHaveText(MISSED.map((q) => q.prompt));
		// One line each until opened: the answers and their passages, all shown, were a long page.
		const firstMissed = page.locator('.missed > li').first();
		await expect(firstMissed.getByText('The answer:')).toBeHidden();
		await firstMissed.locator('summary').click();
		await expect(firstMissed.getByText('The answer:')).toBeVisible();
		await expectSummaryTables(page, (q) => ({
			points: scripts.get(q.id)!.points,
			right: scripts.get(q.id)!.verdict.startsWith('✓')
		}));
		await phone.once('summary');
		await page
			.getByRole('table')
			.first()
			.screenshot({ path: `${SCREENS_DIR}/phone-summary-links.png` });
		await page
			.getByRole('table')
			.nth(1)
			.screenshot({ path: `${SCREENS_DIR}/phone-summary-skills.png` });
		await page
			.locator('.missed > li')
			.first()
			.screenshot({ path: `${SCREENS_DIR}/phone-summary-missed.png` });

		// The review asks the missed questions again, in order, and only those.
		await page.getByRole('button', { name: `Review what I missed (${MISSED.length})` }).click();
		for (const [i, question] of MISSED.entries()) {
			await expect(page.locator('.eyebrow')).toHaveText(
				`Review · question ${i + 1} of ${MISSED.length}`
			);
			await expect(stageHeading(page)).toHaveText(question.prompt);
			await phone.once('review-question');
			if (i === 1) {
				// Wrong in review: the same retry offer, kept apart from the score.
				await answer(page, question, wrongResponse(question));
				await expect(feedbackHeading(page)).toHaveText('Not right yet');
				await page.getByRole('button', { name: 'Show me the answer' }).click();
				await expect(feedbackHeading(page)).toHaveText('✗ Not right — 0 of 10 points');
			} else {
				await answer(page, question, question.answer);
				await expect(feedbackHeading(page)).toHaveText('✓ Right — 10 of 10 points');
			}
			await page.getByRole('button', { name: 'Continue' }).click();
		}
		await expect(stageHeading(page)).toHaveText('Your journey through the story');
		await expect(page.locator('.score')).toHaveText(scoreLine);
		await expect(
			page.getByText(
				`In your review you got ${MISSED.length - 1} of ${MISSED.length} right this time. Reviews are practice: they do not change your score.`
			)
		).toBeVisible();
		await expect(
			page.getByRole('button', { name: `Review what I missed (${MISSED.length})` })
		).toBeVisible();

		// Start again: a fresh journey at the first link, with nothing done.
		await page.getByRole('button', { name: 'Start again' }).click();
		await expect(stageHeading(page)).toHaveText(pack.steps[0]!.title);
		await expect(
			page.getByRole('navigation', { name: 'The causal chain' }).getByRole('button')
		).toHaveCount(0);
		await page.reload();
		await expect(page.locator('.eyebrow')).toHaveText(/^Link 1 of 7 · /);
		expect(errors).toEqual([]);
	});
});

/** Every link but the last answered right, then the last one's reading done: its scenario question is next. */
const eventsToScenarioQuestion = (): JourneyEvent[] => [
	...eventsThrough(pack.steps.length - 1),
	{ type: 'link.continue' }
];

test.describe('the scenario question', () => {
	test('weighed one scenario at a time, in any order, kept over a reload; the judgement is said back', async ({
		page
	}) => {
		const errors = collectErrors(page);
		const question = questionById('coup-scenarios', 'scenario');
		const [junta, coup, somalia] = question.scenarios;
		await seed(page, eventsToScenarioQuestion());
		await page.goto(LEARN_URL);
		await expect(page.locator('.eyebrow')).toHaveText(questionEyebrow(6, 0));
		await expect(stageHeading(page)).toHaveText(question.prompt);
		await expect(page.getByText('0 of 3 scenarios weighed.')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Give my judgement' })).toHaveCount(0);

		// Somalia first, with one of its passages: partly right.
		await page.getByRole('button', { name: `Weigh “${somalia!.title}”` }).click();
		await expect(stageHeading(page)).toBeFocused();
		// Nothing marked: said, and not sent.
		await page.getByRole('button', { name: 'Check this scenario' }).click();
		await expect(page.getByRole('alert')).toHaveText(
			'Mark at least one passage that supports this scenario first.'
		);
		const passage = (id: string) => question.passages.find((p) => p.id === id)!.text;
		await page
			.getByRole('group', { name: somalia!.title, exact: true })
			.getByRole('group', { name: `“${passage('p-somalia')}”`, exact: true })
			.getByRole('radio', { name: 'Supports it' })
			.check();
		await page.getByRole('button', { name: 'Check this scenario' }).click();
		await expect(feedbackHeading(page)).toHaveText(
			`◐ ${somalia!.title}: your passages are partly right`
		);
		await expect(feedbackHeading(page)).toBeFocused();
		await expect(
			page.getByText('Hypothetical: a possibility the article raises, not an event it reports')
		).toBeVisible();
		// Every passage the key says supports Somalia: the one marked, and the others missed.
		await expect(page.locator('.reveal blockquote')).toHaveText(
			question.answer[somalia!.id]!.supports.map((id) =>
				id === 'p-somalia' ? `“${passage(id)}” ✓ you marked it` : `“${passage(id)}” — you missed it`
			)
		);
		await expect(page.getByText('None of the passages cuts against it.')).toBeVisible();
		await expectNoSeriousAxeViolations(page, 'scenario reveal (desktop)');
		await page.getByRole('button', { name: 'Back to the scenarios' }).click();
		await expect(page.getByText('1 of 3 scenarios weighed.')).toBeVisible();
		const somaliaRow = page.getByRole('listitem').filter({ hasText: somalia!.title });
		await expect(somaliaRow).toContainText('Weighed: partly right');

		// A reload keeps what was weighed; "Look again" shows the reveal, without picking again.
		await page.reload();
		await expect(page.getByText('1 of 3 scenarios weighed.')).toBeVisible();
		await page.getByRole('button', { name: `Look again at “${somalia!.title}”` }).click();
		await expect(feedbackHeading(page)).toHaveText(
			`◐ ${somalia!.title}: your passages are partly right`
		);
		await page.getByRole('button', { name: 'Back to the scenarios' }).click();

		// The other two exactly right, with the pointer, through the shared driver's steps.
		for (const scenario of [junta!, coup!]) {
			await page.getByRole('button', { name: `Weigh “${scenario.title}”` }).click();
			const scope = page.getByRole('group', { name: scenario.title, exact: true });
			for (const id of question.answer[scenario.id]!.supports)
				await scope
					.getByRole('group', { name: `“${passage(id)}”`, exact: true })
					.getByRole('radio', { name: 'Supports it' })
					.check();
			for (const id of question.answer[scenario.id]!.against)
				await scope
					.getByRole('group', { name: `“${passage(id)}”`, exact: true })
					.getByRole('radio', { name: 'Cuts against it' })
					.check();
			await page.getByRole('button', { name: 'Check this scenario' }).click();
			await expect(feedbackHeading(page)).toHaveText(
				`✓ ${scenario.title}: your passages are right`
			);
			await page.getByRole('button', { name: 'Back to the scenarios' }).click();
		}
		await expect(page.getByText('3 of 3 scenarios weighed.')).toBeVisible();

		// The judgement: both parts are needed; it is recorded, never marked.
		await page.getByRole('button', { name: 'Give my judgement' }).click();
		await expect(stageHeading(page)).toBeFocused();
		await page.getByRole('button', { name: 'Record my judgement' }).click();
		await expect(page.getByRole('alert')).toHaveText(
			'Choose the scenario you find most likely first.'
		);
		await page.getByRole('radio', { name: coup!.title, exact: true }).check();
		await page.getByRole('button', { name: 'Record my judgement' }).click();
		await expect(page.getByRole('alert')).toHaveText('Say how sure you are first.');
		await page.getByRole('radio', { name: 'I think so', exact: true }).check();
		await expectNoSeriousAxeViolations(page, 'scenario judgement (desktop)');
		await page.getByRole('button', { name: 'Record my judgement' }).click();

		// One graded try: (⅓ + 1 + 1) / 3 of 10 points → 8 (Somalia has three supporting passages).
		await expect(feedbackHeading(page)).toHaveText('◐ Partly right — 8 of 10 points');
		await expect(feedbackHeading(page)).toBeFocused();
		await expect(page.getByRole('button', { name: 'Try again' })).toHaveCount(0);
		expect(errors).toEqual([]);
		// "I think so" keeps its capital I when it is said back.
		await expect(page.locator('.judgement')).toHaveText(
			`Your judgement (not marked): you find “${coup!.title}” most likely (how sure: I think so).`
		);
	});
});

test.describe('phone (360×640), the summary', () => {
	test.use({ viewport: { width: 360, height: 640 } });

	test('the summary fits a 360 px phone: no sideways scrolling', async ({ page }) => {
		await seed(page, eventsThrough(pack.steps.length));
		await page.goto(LEARN_URL);
		await expect(stageHeading(page)).toHaveText('Your journey through the story');
		await expect(page.locator('.score')).toHaveText(
			`${TOTAL} of ${TOTAL} points (100%) · ${allQuestions.length} of ${allQuestions.length} questions right`
		);
		// Which parts cannot be narrower than the screen (their min-content width), for the report.
		const wide = await page.evaluate(() =>
			[...document.querySelectorAll<HTMLElement>('.stage > *')].flatMap((e) => {
				const before = e.style.width;
				e.style.width = 'min-content';
				const width = e.getBoundingClientRect().width;
				e.style.width = before;
				return width > document.documentElement.clientWidth
					? [`${e.tagName.toLowerCase()}.${[...e.classList].join('.')} (${Math.round(width)} px)`]
					: [];
			})
		);
		expect(await horizontalOverflow(page), `wider than the screen: ${wide.join(', ')}`).toBe(0);
	});
});
