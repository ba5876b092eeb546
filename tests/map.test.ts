import { expect, test } from '@playwright/test';
import { eventsThrough, seed } from './journey-seed';
import { expectNoSeriousAxeViolations, LEARN_URL, pack, screenshot, STORAGE_KEY } from './helpers';

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
	await expect(calibration.getByRole('row', { name: /Sure/ })).toContainText('4 of 4');
	await expect(
		page.locator('p.judgement, p.card').filter({ hasText: 'Your judgement' })
	).toContainText(scenarioQ.scenarios[2]!.title);
	await expect(page.locator('section.map .node')).toHaveCount(pack.steps.length);
	await screenshot(page, 'summary-phone', true);
});
