/**
 * The article beside the questions: the side panel on wide screens and the modal sheet on
 * phones. Regression tests for problems found earlier and fixed in JourneyPlayer.svelte: the
 * panel could not be scrolled from the keyboard, "Show it in the article" turned the permanent
 * side panel into a modal dialog, Tab escaped the phone sheet, and the sheet opened at the top of
 * the article instead of at the marked passage.
 */
import { expect, test, type Page } from '@playwright/test';
import {
	answer,
	articlePanel,
	articleSheet,
	collectErrors,
	feedbackHeading,
	pack,
	seriousAxeViolations,
	stageHeading,
	startJourney
} from './helpers';

const sheetHeading = (page: Page) => page.locator('#article-sheet-heading');

/** Answers the first question of link 1 right and waits for its feedback. */
async function firstFeedback(page: Page): Promise<void> {
	await startJourney(page);
	await page.getByRole('button', { name: 'Start the questions' }).click();
	const question = pack.steps[0]!.questions[0]!;
	await answer(page, question, question.answer);
	await expect(feedbackHeading(page)).toHaveText('✓ Right — 10 of 10 points');
}

/** Reads a value until it stops changing (keyboard scrolling is animated). */
async function settled(read: () => Promise<number>): Promise<number> {
	let last = await read();
	for (let i = 0; i < 40; i++) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		const now = await read();
		if (now === last) return now;
		last = now;
	}
	return last;
}

/** No id appears twice in the document (the panel and the sheet each prefix theirs). */
async function duplicateIds(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const seen = new Map<string, number>();
		for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
		return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
	});
}

test.describe('desktop (1280×800), the side panel', () => {
	test('the scrolling panel is focusable: axe finds no scrollable-region-focusable problem', async ({
		page
	}) => {
		const errors = collectErrors(page);
		await startJourney(page);
		await expect(stageHeading(page)).toHaveText(pack.steps[0]!.title);
		await expect(articlePanel(page)).toBeVisible();
		await expect(articlePanel(page)).toHaveAttribute('tabindex', '0');
		await expect(articlePanel(page)).toHaveAccessibleName('The article');
		const { found, report } = await seriousAxeViolations(page);
		expect(found, report).toEqual([]);
		// The sheet exists for phones but stays closed and hidden here.
		await expect(articleSheet(page)).toBeHidden();
		expect(await duplicateIds(page)).toEqual([]);
		await expect(
			articlePanel(page).locator(`[id="panel-${pack.article.sections[0]!.id}"]`)
		).toHaveCount(1);
		await expect(
			articleSheet(page).locator(`[id="sheet-${pack.article.sections[0]!.id}"]`)
		).toHaveCount(1);
		expect(errors).toEqual([]);
	});

	test('Tab reaches the panel and PageDown / PageUp scroll it', async ({ page }) => {
		const errors = collectErrors(page);
		await startJourney(page);
		await expect(stageHeading(page)).toBeFocused();
		const panel = articlePanel(page);
		const scrollTop = () => panel.evaluate((el) => el.scrollTop);
		// Forward from the stage heading: the reading stage's button(s), then the panel.
		let presses = 0;
		while (!(await panel.evaluate((el) => el === document.activeElement)) && presses < 10) {
			await page.keyboard.press('Tab');
			presses++;
		}
		await expect(panel).toBeFocused();
		const pageY = () => page.evaluate(() => window.scrollY);
		const before = await settled(pageY);
		const start = await scrollTop();
		await page.keyboard.press('PageDown');
		const down = await settled(scrollTop);
		expect(down).toBeGreaterThan(start + 100);
		await page.keyboard.press('PageUp');
		expect(await settled(scrollTop)).toBeLessThan(down);
		// The keys scrolled the panel, not the page.
		expect(await settled(pageY)).toBe(before);
		expect(errors).toEqual([]);
	});

	test('"Show it in the article" scrolls the panel to the evidence and focuses it; no dialog', async ({
		page
	}) => {
		const errors = collectErrors(page);
		await firstFeedback(page);
		const panel = articlePanel(page);
		// Scroll the panel away from the mark first, so the button has something to do.
		await panel.evaluate((el) => (el.scrollTop = el.scrollHeight));
		const mark = panel.locator('mark[data-evidence]').first();
		await expect(mark).not.toBeInViewport();
		await page.getByRole('button', { name: 'Show it in the article' }).click();
		await expect(panel).toBeFocused();
		await expect(mark).toBeInViewport();
		// The mark sits inside the panel's visible box, not merely in the window.
		const inside = await mark.evaluate((m) => {
			const box = m.getBoundingClientRect();
			const frame = m.closest('aside')!.getBoundingClientRect();
			return box.top >= frame.top && box.bottom <= frame.bottom;
		});
		expect(inside).toBe(true);
		// The permanent side column is never a modal dialog.
		await expect(panel).not.toHaveAttribute('role', /.+/);
		await expect(panel).not.toHaveAttribute('aria-modal', /.+/);
		await expect(page.getByRole('dialog')).toHaveCount(0);
		await expect(articleSheet(page)).toBeHidden();
		// The question's feedback and Continue are still reachable by Shift+Tab / Tab.
		await expect(page.getByRole('button', { name: 'Continue' })).toBeVisible();
		expect(errors).toEqual([]);
	});

	test('the side panel fits in the window under the header and progress strip', async ({
		page
	}) => {
		await firstFeedback(page);
		const box = await articlePanel(page).boundingBox();
		expect(box).not.toBeNull();
		expect(box!.y + box!.height).toBeLessThanOrEqual(800);
		await expect(articlePanel(page).locator('mark[data-evidence]').first()).toBeInViewport();
	});
});

test.describe('phone (360×640), the article sheet', () => {
	test.use({ viewport: { width: 360, height: 640 } });

	test('"Read it in the article" opens the sheet at the key passage; Close brings focus back to it', async ({
		page
	}) => {
		const errors = collectErrors(page);
		await startJourney(page);
		await expect(articleSheet(page)).toBeHidden();
		await expect(articlePanel(page)).toBeHidden();
		const opener = page.getByRole('button', { name: 'Read it in the article' });
		await opener.click();
		const sheet = page.getByRole('dialog', { name: 'The article' });
		await expect(sheet).toBeVisible();
		await expect(sheetHeading(page)).toBeFocused();
		await expect(sheetHeading(page)).toHaveText('The article');
		const mark = sheet.locator('mark[data-evidence]').first();
		await expect(mark).toBeInViewport();
		await expect(sheet.locator('mark[data-evidence]')).toHaveText([pack.steps[0]!.keyPassage]);
		await sheet.getByRole('button', { name: 'Close' }).click();
		await expect(articleSheet(page)).toBeHidden();
		await expect(page.getByRole('dialog')).toHaveCount(0);
		await expect(opener).toBeFocused();
		expect(errors).toEqual([]);
	});

	test('"Show it in the article" opens the sheet at the evidence; Escape returns to that button', async ({
		page
	}) => {
		const errors = collectErrors(page);
		await startJourney(page);
		await page.getByRole('button', { name: 'Start the questions' }).click();
		// The second question's evidence lies further down the article than the first screen.
		const [first, second] = pack.steps[0]!.questions;
		await answer(page, first!, first!.answer);
		await page.getByRole('button', { name: 'Continue' }).click();
		await answer(page, second!, second!.answer);
		await expect(feedbackHeading(page)).toBeFocused();
		const opener = page.getByRole('button', { name: 'Show it in the article' });
		await opener.click();
		const sheet = page.getByRole('dialog', { name: 'The article' });
		await expect(sheet).toBeVisible();
		await expect(sheetHeading(page)).toBeFocused();
		const mark = sheet.locator('mark[data-evidence]').first();
		await expect(mark).toBeInViewport();
		expect(await sheet.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
		await page.keyboard.press('Escape');
		await expect(articleSheet(page)).toBeHidden();
		await expect(opener).toBeFocused();
		expect(errors).toEqual([]);
	});

	test('Tab and Shift+Tab from the sheet’s Close button never reach the page behind it', async ({
		page
	}) => {
		const errors = collectErrors(page);
		await startJourney(page);
		await page.getByRole('button', { name: 'Start the questions' }).click();
		const opener = page.getByRole('button', { name: 'Look in the article' });
		await opener.click();
		const sheet = page.getByRole('dialog', { name: 'The article' });
		await expect(sheetHeading(page)).toBeFocused();
		await page.keyboard.press('Tab');
		const close = sheet.getByRole('button', { name: 'Close' });
		await expect(close).toBeFocused();
		// A native modal dialog makes the page behind it inert. Close is the sheet's last stop, so
		// the next Tab leaves the web page for the browser's own controls (document.body here, as
		// headless Chromium has no toolbar) and the one after comes back into the sheet. The focus
		// must never land on an element of the page behind the sheet.
		const visited: string[] = [];
		for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
			await page.keyboard.press(key);
			const where = await page.evaluate(() => {
				const active = document.activeElement;
				if (!active || active === document.body) return 'outside the page';
				if (active.closest('dialog.article-sheet'))
					return `sheet: ${active.tagName.toLowerCase()} ${(active.textContent ?? '').slice(0, 12)}`;
				return `PAGE BEHIND: ${active.outerHTML.slice(0, 80)}`;
			});
			visited.push(`${key} → ${where}`);
		}
		expect(
			visited.filter((v) => v.includes('PAGE BEHIND')),
			visited.join('\n')
		).toEqual([]);
		// Two Tabs from Close are back inside the sheet.
		expect(visited[1], visited.join('\n')).toMatch(/→ sheet: /);
		// Opened as a modal (showModal), which is what makes the page behind inert.
		expect(await articleSheet(page).evaluate((d) => d.matches(':modal'))).toBe(true);
		await page.keyboard.press('Escape');
		await expect(page.getByRole('button', { name: 'Check my answer' })).toBeVisible();
		await expect(opener).toBeFocused();
		expect(errors).toEqual([]);
	});

	test('the sheet passes axe and uses its own ids', async ({ page }) => {
		const errors = collectErrors(page);
		await firstFeedback(page);
		await page.getByRole('button', { name: 'Show it in the article' }).click();
		await expect(page.getByRole('dialog', { name: 'The article' })).toBeVisible();
		const { found, report } = await seriousAxeViolations(page);
		expect(found, report).toEqual([]);
		expect(await duplicateIds(page)).toEqual([]);
		expect(
			await articleSheet(page)
				.locator('section[id], p[id]')
				.evaluateAll((els) => els.every((e) => e.id.startsWith('sheet-')))
		).toBe(true);
		expect(errors).toEqual([]);
	});
});
