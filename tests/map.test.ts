import { expect, test } from '@playwright/test';
import { eventsThrough, seed } from './journey-seed';
import {
	escape,
	expectNoSeriousAxeViolations,
	horizontalOverflow,
	LEARN_URL,
	pack,
	screenshot,
	STORAGE_KEY
} from './helpers';

test('the map reveals links as the learner goes and reopens a visited link without rescoring', async ({
	page
}) => {
	await seed(page, eventsThrough(2));
	await page.goto(LEARN_URL);
	await expect(page.locator('#stage-heading')).toHaveText(pack.steps[2]!.title);
	await page.getByText('Causal map and timeline').click();
	const map = page.locator('section.map');
	await expect(map.locator('.node')).toHaveCount(3);
	await expect(map).toContainText('4 more links to discover');
	await expect(map.locator('.node').nth(2)).toContainText('You are here');
	await expect(map.locator('.node').first()).toContainText('Read right');
	await expect(map.locator('.node').first()).toContainText('Stated');
	await expect(map).toContainText(pack.steps[0]!.leadsTo);
	await expect(map).toContainText('2021');
	await expectNoSeriousAxeViolations(page, 'causal map');
	await screenshot(page, 'map-desktop', true);
	const before = await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY);
	const stored = JSON.parse(before ?? '{}') as { snapshot: { context: { answers: unknown } } };
	await map.getByRole('button', { name: new RegExp(pack.steps[0]!.title) }).focus();
	await page.keyboard.press('Enter');
	await expect(page.locator('#revisit-heading')).toBeVisible();
	const after = JSON.parse(
		(await page.evaluate((key) => localStorage.getItem(key), STORAGE_KEY)) ?? '{}'
	) as { snapshot: { context: { answers: unknown } } };
	expect(after.snapshot.context.answers).toEqual(stored.snapshot.context.answers);
	await page.setViewportSize({ width: 360, height: 640 });
	await screenshot(page, 'map-revisit-phone', true);
});

test('the map draws the causal arrows from the data, one against the reading order, and dates in time order', async ({
	page
}) => {
	await seed(page, eventsThrough(pack.steps.length - 1));
	await page.goto(LEARN_URL);
	await page.getByText('Causal map and timeline').click();
	const map = page.locator('section.map');
	await expect(map.locator('.node')).toHaveCount(pack.steps.length);

	const place = (id: string) => pack.steps.findIndex((s) => s.id === id);
	const relations = pack.steps.flatMap((step) =>
		step.causes.map((cause) => ({ from: step.id, to: cause.link, because: cause.because }))
	);
	// The pack's own data says the resurgence causes the compromise, told before it.
	const reversed = relations.find((r) => r.from === 'jihadist-resurgence' && r.to === 'compromise');
	expect(reversed, 'the pack links the resurgence to the compromise').toBeDefined();
	expect(place(reversed!.to)).toBeLessThan(place(reversed!.from));
	// Every relation between neighbours in the telling is drawn, and nothing else.
	const neighbours = relations.filter((r) => Math.abs(place(r.to) - place(r.from)) === 1);
	await expect(map.locator('p.relation[data-from]')).toHaveCount(neighbours.length);
	await expect(
		map.locator('p.relation[data-from="compromise"][data-to="jihadist-resurgence"]')
	).toHaveCount(0);

	const reversedLabel = 'p.relation[data-from="jihadist-resurgence"][data-to="compromise"]';
	const label = map.locator(reversedLabel);
	await expect(label).toContainText(
		`Link ${place('jihadist-resurgence') + 1} causes Link ${place('compromise') + 1}`
	);
	await expect(label).toContainText('against the reading order');
	// The arrow sits between the two nodes and points up: its head above the middle of its shaft.
	const gap = map.locator('.gap', { has: page.locator(reversedLabel) });
	const compromiseBox = (await map
		.locator('.node')
		.nth(place('compromise'))
		.locator('.box')
		.boundingBox())!;
	const gapBox = (await gap.boundingBox())!;
	expect(gapBox.y).toBeGreaterThanOrEqual(compromiseBox.y + compromiseBox.height - 1);
	const arrow = gap.locator('svg.arrow.backward');
	await expect(arrow).toHaveCount(1);
	const head = (await arrow.locator('polygon').boundingBox())!;
	const shaft = (await arrow.locator('line').boundingBox())!;
	expect(head.y + head.height / 2).toBeLessThan(shaft.y + shaft.height / 2);
	// The sentence that proves it, one press away.
	await gap.getByText("The article's words for this arrow").click();
	await expect(gap.locator('blockquote')).toContainText(reversed!.because.slice(0, 40));

	// The timeline follows time, not the telling: every event, sorted by date, stably.
	const expected = pack.steps
		.flatMap((step) => step.events)
		.map((event, i) => ({ event, i }))
		.sort((a, b) => a.event.when.localeCompare(b.event.when) || a.i - b.i)
		.map(({ event }) => event.date);
	const items = map.locator('.timeline li');
	await expect(items.locator('strong')).toHaveText(expected);
	const whens = await items.evaluateAll((lis) =>
		lis.map((li) => li.getAttribute('data-when') ?? '')
	);
	expect(whens).toEqual([...whens].sort());
	expect(expected.indexOf('September 2024')).toBeLessThan(expected.indexOf('the summer of 2025'));

	await expectNoSeriousAxeViolations(page, 'causal map with every link');
	await label.scrollIntoViewIfNeeded();
	await screenshot(page, 'map-arrows-desktop');
	await page.setViewportSize({ width: 360, height: 740 });
	await label.scrollIntoViewIfNeeded();
	await screenshot(page, 'map-arrows-phone');
	expect(await horizontalOverflow(page)).toBe(0);
});

test('a glossary term opens its definition with a tap or the keyboard, in the article and the prompt', async ({
	page
}) => {
	await seed(page, eventsThrough(0));
	await page.goto(LEARN_URL);
	const step = pack.steps[0]!;
	await expect(page.locator('#stage-heading')).toHaveText(step.title);
	// A term of the link's summary: the first glossary entry its text uses.
	const entry = pack.glossary.find((g) =>
		new RegExp(`\\b${escape(g.term)}\\b`, 'i').test(step.summary)
	)!;
	expect(entry, 'the first summary uses a glossary term').toBeDefined();
	const term = page.locator('p.lede').getByRole('button', { name: entry.term, exact: false });
	await expect(term).toHaveAttribute('aria-expanded', 'false');
	await term.focus();
	await page.keyboard.press('Enter');
	await expect(term).toHaveAttribute('aria-expanded', 'true');
	const definition = page.locator(`#${await term.getAttribute('aria-controls')}`);
	await expect(definition).toContainText(entry.definition);
	await expectNoSeriousAxeViolations(page, 'a glossary definition open');
	await screenshot(page, 'glossary-desktop');
	await page.keyboard.press('Space');
	await expect(term).toHaveAttribute('aria-expanded', 'false');
	await expect(definition).toHaveCount(0);

	// Phones: a tap, in the article sheet.
	await page.setViewportSize({ width: 360, height: 740 });
	await term.click();
	await expect(definition).toBeVisible();
	await screenshot(page, 'glossary-phone');
	await term.click();
	await page.getByRole('button', { name: 'Read it in the article' }).click();
	const sheet = page.locator('dialog.article-sheet');
	const inArticle = sheet.getByRole('button', { name: 'Sahel', exact: true }).first();
	await inArticle.click();
	await expect(inArticle).toHaveAttribute('aria-expanded', 'true');
	await expect(sheet).toContainText(pack.glossary.find((g) => g.term === 'Sahel')!.definition);
	await screenshot(page, 'glossary-article-phone');
});

test('a full exploration of the coup link, and confidence in the summary', async ({ page }) => {
	const coup = pack.steps.at(-1)!;
	const scenarioQ = coup.questions[0]!;
	if (scenarioQ.type !== 'scenario')
		throw new Error('the coup link opens with its scenario question');
	await seed(page, eventsThrough(pack.steps.length - 1));
	await page.goto(LEARN_URL);
	await expect(page.locator('#stage-heading')).toHaveText(coup.title);
	await page.getByRole('button', { name: 'Start the questions' }).click();
	// Any order: the last scenario first.
	for (const scenario of [...scenarioQ.scenarios].reverse()) {
		await page.getByRole('button', { name: `Weigh “${scenario.title}”` }).click();
		const group = page.getByRole('group', { name: scenario.title });
		for (const passage of scenarioQ.passages) {
			const side = scenario.supports.includes(passage.id)
				? 'Supports it'
				: scenario.against.includes(passage.id)
					? 'Cuts against it'
					: 'Neither';
			await group
				.getByRole('group', { name: `“${passage.text}”` })
				.getByRole('radio', { name: side })
				.check();
		}
		if (scenario === scenarioQ.scenarios.at(-1)) {
			await expectNoSeriousAxeViolations(page, 'scenario picking');
			await screenshot(page, 'exploration-desktop', true);
		}
		await page.getByRole('button', { name: 'Check this scenario' }).click();
		await expect(page.locator('#feedback-heading')).toContainText('right');
		await expect(page.getByText('Hypothetical: a possibility')).toBeVisible();
		await page.getByRole('button', { name: 'Back to the scenarios' }).click();
	}
	await page.setViewportSize({ width: 360, height: 640 });
	await screenshot(page, 'exploration-phone', true);
	await page.getByRole('button', { name: 'Give my judgement' }).click();
	await page.getByRole('radio', { name: scenarioQ.scenarios[2]!.title }).check();
	await page.getByRole('radio', { name: 'I think so' }).check();
	await page.getByRole('button', { name: 'Record my judgement' }).click();
	await expect(page.locator('#feedback-heading')).toContainText('10 of 10');
	await expect(
		page.locator('p.judgement, p.card').filter({ hasText: 'Your judgement' })
	).toContainText(scenarioQ.scenarios[2]!.title);
	await page.getByRole('button', { name: 'Continue' }).click();
	// The remaining questions, answered right with "Sure".
	for (const q of coup.questions.slice(1)) {
		await expect(page.locator('#stage-heading')).toHaveText(q.prompt.trim());
		if (q.type === 'choice') {
			await page
				.getByRole('radio', { name: q.options.find((o) => o.id === q.answer)!.text })
				.check();
		} else if (q.type === 'source') {
			const name = pack.article.sources.find((s) => s.id === q.answer)!.name;
			await page.getByRole('radio', { name }).check();
		} else if (q.type === 'multi') {
			for (const id of q.answer) {
				await page
					.getByRole('checkbox', { name: q.options.find((o) => o.id === id)!.text })
					.check();
			}
		}
		await page.getByRole('radio', { name: 'Sure' }).check();
		await page.getByRole('button', { name: 'Check my answer' }).click();
		await page.getByRole('button', { name: 'Continue' }).click();
	}
	await expect(page.locator('#stage-heading')).toHaveText('Your journey through the story');
	const calibration = page.getByRole('table', { name: 'Accuracy at each confidence level' });
	const rest = coup.questions.length - 1;
	await expect(calibration.getByRole('row', { name: /Sure/ })).toContainText(`${rest} of ${rest}`);
	await expect(
		page.locator('p.judgement, p.card').filter({ hasText: 'Your judgement' })
	).toContainText(scenarioQ.scenarios[2]!.title);
	await expect(page.locator('section.map .node')).toHaveCount(pack.steps.length);
	await screenshot(page, 'summary-phone', true);
});
