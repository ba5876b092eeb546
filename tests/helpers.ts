/**
 * Shared helpers for the end-to-end suite: the real pack, drivers that answer any question type
 * through the UI (by pointer and by keyboard alone), wrong and partial responses with known
 * credit, an axe check, and an error collector.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';
import { loadPack } from '../src/lib/content/loader';
import type { Pack, Question } from '../src/lib/content/pack';
import type { QuestionOf, ScenarioPicks } from '../src/lib/content/schema';
import { quoted } from '../src/lib/journey/describe';

export const PACK_ID = 'mali-russia';
export const LEARN_URL = `/learn/${PACK_ID}`;
export const STORAGE_KEY = `causeway:journey:${PACK_ID}`;

/** The real pack, loaded and checked exactly as the app loads it. */
export function realPack(): Pack {
	const { pack, problems } = loadPack(join(process.cwd(), 'content', PACK_ID));
	if (!pack)
		throw new Error(`content/${PACK_ID} does not load:\n${JSON.stringify(problems, null, 2)}`);
	return pack;
}

export const pack = realPack();
export const allQuestions: Question[] = pack.steps.flatMap((s) => s.questions);
export const sources = pack.article.sources;

const here = dirname(fileURLToPath(import.meta.url));
export const SCREENS_DIR = join(here, '.artifacts', 'screens');

/** Saves a screenshot of the viewport (and optionally the whole page) under tests/.artifacts/screens. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
	mkdirSync(SCREENS_DIR, { recursive: true });
	await page.screenshot({
		path: join(SCREENS_DIR, `${name}.png`),
		fullPage,
		animations: 'disabled'
	});
}

/** Collects uncaught page errors and console errors; assert `errors` is empty at the end. */
export function collectErrors(page: Page): string[] {
	const errors: string[] = [];
	page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
	page.on('console', (message) => {
		if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
	});
	return errors;
}

const IMPACTS = ['minor', 'moderate', 'serious', 'critical'] as const;

/**
 * Axe's full run (every rule, as configured by default) on the page. Legacy mode runs axe.run()
 * in the page itself: the default mode also opens a blank page per run to merge the results of
 * each frame, which costs most of a second per run and changes nothing here, where no page has
 * frames.
 */
export function axeResults(page: Page) {
	return new AxeBuilder({ page }).setLegacyMode().analyze();
}

/**
 * Axe violations of at least `least` impact (serious and critical unless told), as "rule at
 * target" lines, with a readable report.
 */
export async function seriousAxeViolations(
	page: Page,
	least: (typeof IMPACTS)[number] = 'serious'
): Promise<{ found: string[]; report: string }> {
	const results = await axeResults(page);
	const serious = results.violations.filter(
		(v) => IMPACTS.indexOf(v.impact ?? 'minor') >= IMPACTS.indexOf(least)
	);
	const report = serious
		.map(
			(v) =>
				`[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n` +
				v.nodes
					.map(
						(n) =>
							`    at ${n.target.join(' ')}: ${n.html}\n      ${n.failureSummary?.replace(/\n/g, '\n      ')}`
					)
					.join('\n')
		)
		.join('\n');
	return {
		found: serious.flatMap((v) => v.nodes.map((n) => `${v.id} at ${n.target.join(' ')}`)),
		report
	};
}

/**
 * Runs axe on the page and fails on any serious or critical violation, printing each violation
 * with the elements it concerns.
 */
export async function expectNoSeriousAxeViolations(page: Page, where: string): Promise<void> {
	const { found, report } = await seriousAxeViolations(page);
	expect(found, `axe on ${where}:\n${report}`).toEqual([]);
}

/** Like expectNoSeriousAxeViolations, with every impact counted: moderate and minor too. */
export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
	const { found, report } = await seriousAxeViolations(page, 'minor');
	expect(found, `axe on ${where}:\n${report}`).toEqual([]);
}

/** The path a link leads to, however its href is written (the app writes relative hrefs). */
export async function linkPath(link: Locator): Promise<string> {
	return link.evaluate((a) => new URL((a as HTMLAnchorElement).href).pathname);
}

/**
 * The horizontal overflow of the page in CSS pixels (0 when nothing sticks out sideways). Measured
 * against the width the page was given: on a phone (`isMobile`) the layout viewport widens to
 * fit whatever sticks out, and the window's and the root's widths widen with it.
 */
export async function horizontalOverflow(page: Page): Promise<number> {
	const { scrollWidth, clientWidth } = await page.evaluate(() => ({
		scrollWidth: document.documentElement.scrollWidth,
		clientWidth: document.documentElement.clientWidth
	}));
	const given = page.viewportSize()?.width ?? clientWidth;
	return Math.max(0, scrollWidth - Math.min(given, clientWidth));
}

/**
 * Opens the player and starts the journey. The intro is rendered on the server; the button only
 * works once the page has hydrated, so the click is repeated until the first link shows.
 */
export async function startJourney(page: Page): Promise<void> {
	await page.goto(LEARN_URL);
	await expect(page.getByRole('heading', { level: 1, name: pack.title })).toBeVisible();
	const first = pack.steps[0]!;
	const linkHeading = page.getByRole('heading', { level: 1, name: first.title });
	await expect(async () => {
		// A click that worked may take more than a second to show the link on a busy machine:
		// the button is gone by the next try, and the link's heading is what to wait for.
		if (!(await linkHeading.isVisible())) {
			await page.getByRole('button', { name: 'Start the journey' }).click({ timeout: 1000 });
		}
		await expect(linkHeading).toBeVisible({ timeout: 1000 });
	}).toPass({ timeout: 15_000 });
}

/** The eyebrow line above a question. */
export function questionEyebrow(linkIndex: number, questionIndex: number): string {
	const step = pack.steps[linkIndex]!;
	return `Link ${linkIndex + 1} of ${pack.steps.length}: ${step.title} · question ${questionIndex + 1} of ${step.questions.length}`;
}

export const stageHeading = (page: Page) => page.locator('#stage-heading');
export const feedbackHeading = (page: Page) => page.locator('#feedback-heading');
/** The article beside the questions on wide screens (hidden on phones). */
export const articlePanel = (page: Page) => page.locator('aside.article-panel');
/** The article as a modal sheet on phones: a native <dialog>, hidden while closed. */
export const articleSheet = (page: Page) => page.locator('dialog.article-sheet');

/** What each type's options are called on screen (the accessible name of each radio or checkbox). */
const optionName = (text: string, quote: boolean) => (quote ? quoted(text) : text);

function textOf(items: ReadonlyArray<{ id: string; text: string }>, id: string): string {
	const item = items.find((i) => i.id === id);
	if (!item) throw new Error(`No item "${id}" in ${JSON.stringify(items.map((i) => i.id))}`);
	return item.text;
}

function sourceName(id: string): string {
	const source = sources.find((s) => s.id === id);
	if (!source) throw new Error(`No source "${id}" in the article's frontmatter`);
	return source.name;
}

/** The legend of each type's radio or checkbox group, as QuestionForm writes it. */
const LEGEND = {
	choice: 'Choose one answer',
	evidence: 'Choose the sentence that proves it',
	source: 'Choose who reported it',
	multi: 'Tick every answer that is right',
	order: 'Put them in order, first at the top',
	truefalse: 'Say whether the article supports the statement'
} as const;

/** A truefalse question's two answers, as QuestionForm names them: supported first. */
const SAYS = ['The article supports it', 'The article does not support it'] as const;

function group(page: Page, legend: string): Locator {
	return page.getByRole('group', { name: legend, exact: true });
}

/** The on-screen names of the options a choice-like response picks. */
function chosenNames(question: Question, response: unknown): { legend: string; names: string[] } {
	switch (question.type) {
		case 'choice':
			return { legend: LEGEND.choice, names: [textOf(question.options, response as string)] };
		case 'evidence':
			return {
				legend: LEGEND.evidence,
				names: [optionName(textOf(question.options, response as string), true)]
			};
		case 'source':
			return { legend: LEGEND.source, names: [sourceName(response as string)] };
		case 'multi':
			return {
				legend: LEGEND.multi,
				names: (response as string[]).map((id) => textOf(question.options, id))
			};
		case 'truefalse':
			return { legend: LEGEND.truefalse, names: [SAYS[response ? 0 : 1]] };
		default:
			throw new Error(`${question.type} is not a choice-like question`);
	}
}

/** The order of items the list shows now, as item ids (once it shows them all: the form may
 * render after the question's heading). */
async function shownOrder(page: Page, question: QuestionOf<'order'>): Promise<string[]> {
	const items = group(page, LEGEND.order).locator('li[data-item]');
	await expect(items).toHaveCount(question.items.length);
	return items.evaluateAll((all) => all.map((li) => li.getAttribute('data-item') ?? ''));
}

function moveButton(
	page: Page,
	question: QuestionOf<'order'>,
	id: string,
	direction: 'up' | 'down'
): Locator {
	return page.getByRole('button', {
		name: `Move “${textOf(question.items, id)}” ${direction}`,
		exact: true
	});
}

function matchSelect(page: Page, question: QuestionOf<'match'>, leftId: string): Locator {
	return page.getByRole('combobox', {
		name: `${question.leftLabel}: ${textOf(question.left, leftId)}`,
		exact: true
	});
}

function numericInput(page: Page, question: QuestionOf<'numeric'>): Locator {
	// The unit shown beside the field is aria-hidden: the name is the label alone.
	return page.getByRole('textbox', { name: `Your answer, in ${question.unit}`, exact: true });
}

/**
 * Fills in the question's control with `response` (in the shape of the question's `answer`)
 * using the pointer, then presses the submit button.
 */
export async function answer(
	page: Page,
	question: Question,
	response: unknown,
	options: AnswerOptions = {}
): Promise<void> {
	await expect(stageHeading(page)).toHaveText(question.prompt);
	switch (question.type) {
		case 'choice':
		case 'evidence':
		case 'source':
		case 'truefalse': {
			const { legend, names } = chosenNames(question, response);
			await group(page, legend).getByRole('radio', { name: names[0], exact: true }).check();
			break;
		}
		case 'multi': {
			const { legend, names } = chosenNames(question, response);
			for (const name of names)
				await group(page, legend).getByRole('checkbox', { name, exact: true }).check();
			break;
		}
		case 'order': {
			const wanted = response as string[];
			for (let target = 0; target < wanted.length; target++) {
				const id = wanted[target]!;
				const at = (await shownOrder(page, question)).indexOf(id);
				for (let i = at; i > target; i--) await moveButton(page, question, id, 'up').click();
			}
			expect(await shownOrder(page, question)).toEqual(wanted);
			break;
		}
		case 'match': {
			const pairs = response as Record<string, string>;
			for (const left of question.left) {
				const rightId = pairs[left.id];
				if (rightId === undefined) continue;
				await matchSelect(page, question, left.id).selectOption({
					label: textOf(question.right, rightId)
				});
			}
			break;
		}
		case 'numeric':
			await numericInput(page, question).fill(String(response));
			break;
		case 'scenario':
			if (await isExploration(page)) {
				await exploreScenarios(page, question, response as ScenarioResponse, options);
				return;
			}
			for (const scenario of question.scenarios)
				await setPicks(page, question, scenario, (response as ScenarioResponse)[scenario.id]!);
			break;
	}
	// "Send my answer" in a class the teacher paces, "Check my answer" everywhere else.
	await page.getByRole('button', { name: /^(Check|Send) my answer$/ }).click();
}

/* ------------------------------------------------------------------ scenario questions */

/** A scenario question's response: for each scenario, the passages for it and against it. */
export type ScenarioResponse = Record<string, ScenarioPicks>;

export type Confidence = 'sure' | 'think-so' | 'guessing';
/** How each confidence level is named on screen. */
export const CONFIDENCE_NAMES: Record<Confidence, string> = {
	sure: 'Sure',
	'think-so': 'I think so',
	guessing: 'Guessing'
};

/** The learner's own view at the end of a scenario question: recorded, never graded. */
export interface Judgement {
	scenarioId: string;
	confidence: Confidence;
}

export interface AnswerOptions {
	/** The judgement given at the end of a scenario exploration (default: the first, "Guessing"). */
	judgement?: Judgement;
	/**
	 * How a scenario's passages are put on their sides: tapping the choices on a touch screen,
	 * or swiping each card with a finger (default: the mouse on the radios).
	 */
	by?: 'touch' | 'drag';
	/** Called at each step of a scenario exploration (to check the page there), by step name. */
	onStep?: (step: 'picking' | 'revealed' | 'judging') => Promise<void>;
}

/** The timestamp of each page's last synthetic touch event, in seconds. */
const lastTouchAt = new WeakMap<Page, number>();

/**
 * Drags a finger from one point to another in steps (Chrome DevTools Protocol touch events, which
 * the page receives as touch pointer events). The page must be in a context with hasTouch.
 */
export async function touchDrag(
	page: Page,
	from: { x: number; y: number },
	to: { x: number; y: number },
	steps = 8
): Promise<void> {
	const cdp = await page.context().newCDPSession(page);
	const point = (x: number, y: number) => [{ x: Math.round(x), y: Math.round(y), id: 1 }];
	// The events carry a finger's timing (a move per frame, then a rest before lifting) instead of
	// the test's own pace: Chromium measures the release velocity from these timestamps, and a
	// release it takes for a fling makes it spend the next tap on stopping the fling, not clicking.
	// Each gesture starts after the previous one's last timestamp, as time never runs back.
	const frame = 1 / 60;
	let at = Math.max(Date.now() / 1000, (lastTouchAt.get(page) ?? 0) + frame);
	const send = (
		type: 'touchStart' | 'touchMove' | 'touchEnd',
		touchPoints: ReturnType<typeof point> | []
	) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints, timestamp: at });
	await send('touchStart', point(from.x, from.y));
	for (let i = 1; i <= steps; i++) {
		at += frame;
		await send(
			'touchMove',
			point(from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps)
		);
	}
	at += 0.3;
	await send('touchMove', point(to.x, to.y));
	at += frame;
	await send('touchEnd', []);
	lastTouchAt.set(page, at);
	await cdp.detach();
}

/** The centre of an element on screen, scrolled into view first. */
export async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
	await locator.scrollIntoViewIfNeeded();
	const box = await locator.boundingBox();
	if (!box) throw new Error(`${locator} has no box`);
	return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

const SIDE_NAMES = ['Supports it', 'Cuts against it', 'Neither'] as const;

/**
 * The share of one scenario earned by some picks, by the rule in docs/SCORING.md (worked out here,
 * not by the grader): each passage on its right side counts one, each on a side it does not
 * belong to takes one back, out of the scenario's passages on either side.
 */
export function scenarioCredit(
	question: QuestionOf<'scenario'>,
	scenarioId: string,
	picks: ScenarioPicks
): number {
	const scenario = question.scenarios.find((s) => s.id === scenarioId)!;
	const against = scenario.against ?? [];
	const right =
		picks.supports.filter((id) => scenario.supports.includes(id)).length +
		picks.against.filter((id) => against.includes(id)).length;
	const stray = picks.supports.length + picks.against.length - right;
	return Math.max(0, (right - stray) / (scenario.supports.length + against.length));
}

/** "right", "partly right" or "not right", as the scenario reveal words a share. */
export function verdictWord(credit: number): string {
	return credit === 1 ? 'right' : credit > 0 ? 'partly right' : 'not right';
}

/** Whether the question on screen is a scenario explored one scenario at a time (self-study). */
async function isExploration(page: Page): Promise<boolean> {
	const form = page.getByRole('button', { name: 'Check my answer' });
	const menu = page.getByRole('button', { name: /^(Weigh|Look again at) “/ }).first();
	await expect(form.or(menu)).toBeVisible();
	return (await menu.count()) > 0;
}

/**
 * Puts each passage on its side for one scenario (ScenarioPicks.svelte: a radio group per
 * passage, "Neither" checked to begin with): with the pointer, or Tab to the group and arrows.
 */
async function setPicks(
	page: Page,
	question: QuestionOf<'scenario'>,
	scenario: { id: string; title: string },
	picks: ScenarioPicks,
	keyboard = false,
	by?: AnswerOptions['by']
): Promise<void> {
	const scope = page.getByRole('group', { name: scenario.title, exact: true });
	for (const passage of question.passages) {
		const side = picks.supports.includes(passage.id)
			? 0
			: picks.against.includes(passage.id)
				? 1
				: 2;
		const radios = scope
			.getByRole('group', { name: optionName(passage.text, true), exact: true })
			.getByRole('radio');
		await expect(radios).toHaveCount(3);
		await expect(radios.nth(side)).toHaveAccessibleName(SIDE_NAMES[side]);
		if (side === 2) {
			await expect(radios.nth(2)).toBeChecked();
			continue;
		}
		if (keyboard) {
			await tabTo(page, radios.nth(2));
			for (let i = 2; i > side; i--) await page.keyboard.press('ArrowUp');
			await expect(radios.nth(side)).toBeFocused();
		} else if (by === 'touch') {
			// The whole label is the target a finger taps.
			await scope.locator(`[data-passage="${passage.id}"] label`).nth(side).tap();
		} else if (by === 'drag') {
			// Swipe the card right for "Supports it", left for "Cuts against it", from its legend.
			const card = scope.locator(`[data-passage="${passage.id}"]`);
			const start = await centreOf(card.locator('legend'));
			const width = (await card.boundingBox())!.width;
			await touchDrag(page, start, {
				x: start.x + (side === 0 ? 1 : -1) * width * 0.4,
				y: start.y
			});
		} else {
			await radios.nth(side).check();
		}
		await expect(radios.nth(side)).toBeChecked();
	}
}

/**
 * A scenario question in self-study: weigh each scenario in turn (its picks, "Check this
 * scenario", the reveal, back to the menu), then give a judgement. Leaves the page at the
 * question's feedback.
 */
export async function exploreScenarios(
	page: Page,
	question: QuestionOf<'scenario'>,
	response: ScenarioResponse,
	{ judgement, keyboard = false, by, onStep }: AnswerOptions & { keyboard?: boolean } = {}
): Promise<void> {
	const press = async (name: string) => {
		if (keyboard) await pressButton(page, name);
		else await page.getByRole('button', { name, exact: true }).click();
	};
	for (const [i, scenario] of question.scenarios.entries()) {
		await expect(
			page.getByText(`${i} of ${question.scenarios.length} scenarios weighed.`)
		).toBeVisible();
		await press(`Weigh “${scenario.title}”`);
		await expect(stageHeading(page)).toBeFocused();
		await onStep?.('picking');
		await setPicks(page, question, scenario, response[scenario.id]!, keyboard, by);
		await press('Check this scenario');
		const credit = scenarioCredit(question, scenario.id, response[scenario.id]!);
		await expect(feedbackHeading(page)).toHaveText(
			new RegExp(`^. ${escape(scenario.title)}: your passages are ${verdictWord(credit)}$`)
		);
		await expect(feedbackHeading(page)).toBeFocused();
		await onStep?.('revealed');
		await press('Back to the scenarios');
		// Back on the menu, the focus is on the scenario's own button, now "Look again at …".
		await expect(
			page.getByRole('button', { name: `Look again at “${scenario.title}”`, exact: true })
		).toBeFocused();
	}
	await expect(
		page.getByText(
			`${question.scenarios.length} of ${question.scenarios.length} scenarios weighed.`
		)
	).toBeVisible();
	await press('Give my judgement');
	await onStep?.('judging');
	const { scenarioId, confidence } = judgement ?? {
		scenarioId: question.scenarios[0]!.id,
		confidence: 'guessing'
	};
	const likeliest = page
		.getByRole('group', { name: 'Which scenario do you find most likely?' })
		.getByRole('radio');
	const sure = page.getByRole('group', { name: 'How sure are you?' }).getByRole('radio');
	const at = question.scenarios.findIndex((s) => s.id === scenarioId);
	const level = (Object.keys(CONFIDENCE_NAMES) as Confidence[]).indexOf(confidence);
	if (keyboard) {
		await pickRadio(page, likeliest, at);
		await pickRadio(page, sure, level);
	} else {
		await likeliest.nth(at).check();
		await sure.nth(level).check();
	}
	await expect(likeliest.nth(at)).toHaveAccessibleName(question.scenarios[at]!.title);
	await expect(sure.nth(level)).toHaveAccessibleName(CONFIDENCE_NAMES[confidence]);
	await press('Record my judgement');
}

/** How often tabTo pressed each key, so that a test can show it went both ways. */
export const tabPresses = { Tab: 0, 'Shift+Tab': 0 };

/**
 * Moves the keyboard focus to `target` with Tab (or Shift+Tab when the target comes before the
 * focused element), as a keyboard user would. Fails after `max` presses.
 */
export async function tabTo(page: Page, target: Locator, max = 60): Promise<void> {
	await expect(target).toBeVisible();
	// The target is looked up once (a role query walks the whole page, article included), then
	// each press costs one round trip that says where the focus is; it is looked up again if the
	// page removed or hid the element it found.
	let element = await target.elementHandle();
	try {
		for (let presses = 0; presses <= max; presses++) {
			const where = await element.evaluate((el): 'stale' | 'focused' | 'Tab' | 'Shift+Tab' => {
				if (!el.isConnected || !el.checkVisibility()) return 'stale';
				const active = document.activeElement;
				if (active === el) return 'focused';
				if (!active || active === document.body) return 'Tab';
				return active.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING
					? 'Shift+Tab'
					: 'Tab';
			});
			if (where === 'focused') return;
			if (where === 'stale') {
				await element.dispose();
				element = await target.elementHandle();
				continue;
			}
			tabPresses[where] += 1;
			await page.keyboard.press(where);
		}
	} finally {
		await element.dispose();
	}
	throw new Error(`Could not reach ${target} with ${max} presses of Tab`);
}

/** Tabs to a button and presses Enter on it. */
export async function pressButton(page: Page, name: string): Promise<void> {
	await tabTo(page, page.getByRole('button', { name, exact: true }));
	await page.keyboard.press('Enter');
}

/** Picks option `index` of a radio group from the keyboard: Tab into the group, then arrows (or Space for the first). */
async function pickRadio(page: Page, radios: Locator, index: number): Promise<void> {
	await tabTo(page, radios.first());
	if (index === 0) await page.keyboard.press('Space');
	else for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
	await expect(radios.nth(index)).toBeChecked();
	await expect(radios.nth(index)).toBeFocused();
}

/** Ticks the checkboxes at `indexes` from the keyboard: Tab to each, Space. */
async function tickBoxes(page: Page, boxes: Locator, indexes: number[]): Promise<void> {
	for (const index of [...indexes].sort((a, b) => a - b)) {
		await tabTo(page, boxes.nth(index));
		await page.keyboard.press('Space');
		await expect(boxes.nth(index)).toBeChecked();
	}
}

function indexOf(ids: readonly string[], id: string): number {
	const index = ids.indexOf(id);
	if (index < 0) throw new Error(`No option "${id}" in ${JSON.stringify(ids)}`);
	return index;
}

/**
 * Like `answer`, with the keyboard alone: Tab and Shift+Tab to move, arrows in radio groups and
 * selects, Space on radios and checkboxes, Enter on buttons. No pointer events at all.
 */
export async function answerWithKeyboard(
	page: Page,
	question: Question,
	response: unknown,
	options: AnswerOptions = {}
): Promise<void> {
	await expect(stageHeading(page)).toHaveText(question.prompt);
	switch (question.type) {
		case 'choice':
		case 'evidence':
		case 'source': {
			const ids = question.type === 'source' ? question.options : question.options.map((o) => o.id);
			const legend = LEGEND[question.type];
			await pickRadio(
				page,
				group(page, legend).getByRole('radio'),
				indexOf(ids, response as string)
			);
			break;
		}
		case 'truefalse':
			await pickRadio(page, group(page, LEGEND.truefalse).getByRole('radio'), response ? 0 : 1);
			break;
		case 'multi': {
			const ids = question.options.map((o) => o.id);
			const boxes = group(page, LEGEND.multi).getByRole('checkbox');
			await tickBoxes(
				page,
				boxes,
				(response as string[]).map((id) => indexOf(ids, id))
			);
			break;
		}
		case 'order': {
			const wanted = response as string[];
			for (let target = 0; target < wanted.length; target++) {
				const id = wanted[target]!;
				const at = (await shownOrder(page, question)).indexOf(id);
				if (at === target) continue;
				await tabTo(page, moveButton(page, question, id, 'up'));
				// Each move keeps the focus on the moved item's button, so Enter again moves it again.
				for (let i = at; i > target; i--) await page.keyboard.press('Enter');
			}
			expect(await shownOrder(page, question)).toEqual(wanted);
			break;
		}
		case 'match': {
			const pairs = response as Record<string, string>;
			const rightIds = question.right.map((r) => r.id);
			// Bottom row first, then Shift+Tab back up through the others.
			for (const left of [...question.left].reverse()) {
				const rightId = pairs[left.id];
				if (rightId === undefined) continue;
				const select = matchSelect(page, question, left.id);
				await tabTo(page, select);
				// The first option is the "Choose the …" placeholder.
				for (let i = 0; i <= indexOf(rightIds, rightId); i++)
					await page.keyboard.press('ArrowDown');
				await expect(select).toHaveValue(rightId);
			}
			break;
		}
		case 'numeric':
			await tabTo(page, numericInput(page, question));
			await page.keyboard.type(String(response));
			break;
		case 'scenario':
			if (await isExploration(page)) {
				await exploreScenarios(page, question, response as ScenarioResponse, {
					...options,
					keyboard: true
				});
				return;
			}
			for (const scenario of question.scenarios)
				await setPicks(
					page,
					question,
					scenario,
					(response as ScenarioResponse)[scenario.id]!,
					true
				);
			break;
	}
	await pressButton(page, 'Check my answer');
}

/** A valid response that earns no credit at all. */
export function wrongResponse(question: Question): unknown {
	switch (question.type) {
		case 'choice':
		case 'evidence':
			return question.options.find((o) => o.id !== question.answer)!.id;
		case 'source':
			return question.options.find((id) => id !== question.answer)!;
		case 'multi': {
			const wrong = question.options
				.filter((o) => !question.answer.includes(o.id))
				.map((o) => o.id);
			if (wrong.length === 0) throw new Error(`${question.id}: every option is right`);
			return wrong;
		}
		case 'order':
			// Rotated by one: no item in its place.
			return [...question.answer.slice(1), question.answer[0]];
		case 'match': {
			const rightIds = question.right.map((r) => r.id);
			return Object.fromEntries(
				question.left.map((l) => {
					const right = question.answer[l.id]!;
					return [l.id, rightIds[(rightIds.indexOf(right) + 1) % rightIds.length]];
				})
			);
		}
		case 'numeric':
			return question.answer + question.tolerance + 1000;
		case 'scenario':
			// Each scenario backed by one passage that does not support it: one stray, no credit.
			return Object.fromEntries(
				question.scenarios.map((s) => [
					s.id,
					{ supports: [question.passages.find((p) => !s.supports.includes(p.id))!.id], against: [] }
				])
			);
		case 'truefalse':
			return !question.answer;
	}
}

/** An order response with the first two items swapped: (n − 2) of n items in place. */
export function swapFirstTwo(question: QuestionOf<'order'>): string[] {
	const [a, b, ...rest] = question.answer;
	return [b!, a!, ...rest];
}

/** A match response with exactly one pair wrong. */
export function oneMatchWrong(question: QuestionOf<'match'>): Record<string, string> {
	const wrong = wrongResponse(question) as Record<string, string>;
	const first = question.left[0]!.id;
	return { ...question.answer, [first]: wrong[first]! };
}

export function questionById<T extends Question['type']>(id: string, type: T): QuestionOf<T> {
	const question = allQuestions.find((q) => q.id === id);
	if (!question || question.type !== type)
		throw new Error(`No ${type} question "${id}" in the pack`);
	return question as QuestionOf<T>;
}

/** `text` as a literal inside a regular expression. */
export function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * After "Start the session" on /host: a new teacher is shown their key once, in a dialog, before
 * going on to the session. Returns the key (null when no dialog came) once the session's page,
 * headed by `title`, is there.
 */
export async function passTeacherKey(page: Page, title: string): Promise<string | null> {
	const dialog = page.getByRole('dialog', { name: 'Your teacher key' });
	const session = page.getByRole('heading', { level: 1, name: title, exact: true });
	await expect(dialog.or(session)).toBeVisible();
	let key: string | null = null;
	if (await dialog.isVisible()) {
		key = (await dialog.locator('code').textContent())?.trim() ?? '';
		await dialog.getByRole('button', { name: /^Continue to session/ }).click();
	}
	await expect(page).toHaveURL(/\/host\/[A-Z2-9]{6}$/);
	await expect(session).toBeVisible();
	return key;
}
