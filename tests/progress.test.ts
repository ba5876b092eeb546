import { expect, test, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { eventsToLastFeedback, seed } from './journey-seed';
import { expectNoSeriousAxeViolations, LEARN_URL, screenshot } from './helpers';

/** Finishes one attempt from its last question's feedback, in a new tab of the same browser. */
async function finishAttempt(page: Page) {
	await seed(page, eventsToLastFeedback());
	await page.goto(LEARN_URL);
	await page.getByRole('button', { name: 'Continue' }).click();
	await expect(page.locator('#stage-heading')).toHaveText('Your journey through the story');
}

test('/progress after two attempts shows both; export then import into a fresh browser restores them', async ({
	context,
	browser
}) => {
	await finishAttempt(await context.newPage());
	await finishAttempt(await context.newPage());
	const page = await context.newPage();
	await page.goto('/progress');
	const table = page.getByRole('table', { name: 'Every attempt kept on this device' });
	await expect(table.locator('tbody tr')).toHaveCount(2);
	await expect(page.getByText('Your progress stays on this device')).toBeVisible();
	await expect(
		page.getByRole('heading', { name: 'Mastery per link, latest attempt' })
	).toBeVisible();
	await expectNoSeriousAxeViolations(page, 'progress');
	await screenshot(page, 'progress-desktop', true);
	await page.setViewportSize({ width: 360, height: 640 });
	await screenshot(page, 'progress-phone', true);

	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Export to a file' }).click()
	]);
	const file = await download.path();

	const fresh = await browser.newContext({ serviceWorkers: 'block' });
	const other = await fresh.newPage();
	await other.goto('/progress');
	await expect(other.getByText('No finished attempts yet')).toBeVisible();
	await other.getByLabel('Import from a file').setInputFiles({
		name: 'bad.json',
		mimeType: 'application/json',
		buffer: Buffer.from('{"name": "my notes", "items": []}')
	});
	await expect(other.locator('p.message')).toHaveText(
		'That file is not a Causeway progress file. Choose the file that “Export to a file” saved (causeway-progress.json). Nothing was changed.'
	);
	await other.getByLabel('Import from a file').setInputFiles(file);
	await expect(other.locator('p.message')).toContainText('2 new attempts added');
	await expect(
		other.getByRole('table', { name: 'Every attempt kept on this device' }).locator('tbody tr')
	).toHaveCount(2);
	expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ format: 1 });
	await fresh.close();
});
