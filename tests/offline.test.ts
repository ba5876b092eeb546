import { expect, test } from '@playwright/test';
import { LEARN_URL, pack } from './helpers';

// The one test that lets the service worker run.
test.use({ serviceWorkers: 'allow' });

test('after one visit, the learner page and /progress load with the network off', async ({
	page,
	context
}) => {
	await page.goto(LEARN_URL);
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
	await page.goto('/progress');
	await page.goto(LEARN_URL);
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(pack.title);
	await page.getByRole('button', { name: 'Start the journey' }).click();
	await expect(page.locator('#stage-heading')).toHaveText(pack.steps[0]!.title);
	await page.goto('/progress');
	await expect(page.getByRole('heading', { level: 1, name: 'Your progress' })).toBeVisible();
	await context.setOffline(false);
});
