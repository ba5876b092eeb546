import { expect, test } from '@playwright/test';
import { answer, pack, startJourney, STORAGE_KEY, stageHeading } from './helpers';
test('debug hint persist', async ({ page }) => {
	await startJourney(page);
	await page.getByRole('button', { name: 'Start the questions' }).click();
	const q = pack.steps[0]!.questions[0]!;
	await expect(stageHeading(page)).toHaveText(q.prompt);
	await page.getByRole('button', { name: 'Show a hint (costs 3 points)' }).click();
	await expect(page.getByText(`Hint: ${q.hint}`)).toBeVisible();
	const stored = await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY);
	console.log(stored);
	await page.waitForTimeout(300);
	console.log(await page.evaluate((k) => localStorage.getItem(k), STORAGE_KEY));
	void answer;
});
