/**
 * What the presenter's page loads (issue 17): the projected forms come with the page (see
 * src/lib/questions/projections.ts), and not one answer form, script or stylesheet. SvelteKit puts in a page's head the styles of whatever the
 * page imports dynamically, so a presenter that reached the answer forms' finder
 * (src/lib/questions/forms.ts) would load every form's stylesheet before its first paint.
 *
 * The built files are told apart with the build's Vite manifest, which names each file's source.
 */
import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { kindOf } from '../src/lib/questions/registry';
import { collectErrors } from './helpers';
import { Classroom, playwrightSend, questions } from './lib/api-client';

type Manifest = Record<string, { file: string; css?: string[] }>;
const MANIFEST = '.svelte-kit/output/client/.vite/manifest.json';

/** The files built from each source file, as the browser requests them. */
function builtFiles(manifest: Manifest, source: string): string[] {
	const entry = manifest[source];
	if (!entry) throw new Error(`${source} is not in ${MANIFEST}: build with npx vite build.`);
	return [entry.file, ...(entry.css ?? [])].map((file) => `/${file}`);
}

test('the presenter shows the open question’s projected form and loads no answer form', async ({
	browser,
	baseURL,
	request
}) => {
	const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
	const formSources = Object.keys(manifest).filter((source) =>
		/^src\/lib\/questions\/[^/]+\/Form\.svelte$/.test(source)
	);
	expect(formSources.length, 'answer forms in the build').toBeGreaterThan(0);
	const formFiles = new Set(formSources.flatMap((source) => builtFiles(manifest, source)));

	const api = new Classroom(playwrightSend(request));
	const session = await api.create('teacher-paced');
	await api.join(session.code);
	await api.pace(session.code, session.hostToken, 'start');
	const pacing = await api.pace(session.code, session.hostToken, 'next');
	const open = questions.find((q) => q.id === pacing.openQuestionId)!;

	const context = await browser.newContext({ baseURL });
	await context.addCookies([
		{ name: `cw_host_${session.code}`, value: session.hostToken, url: baseURL! }
	]);
	const page = await context.newPage();
	const errors = collectErrors(page);
	const requested: string[] = [];
	page.on('request', (r) => requested.push(new URL(r.url()).pathname));
	await page.goto(`/host/${session.code}/present`);
	await expect(page.locator('footer .status')).toHaveText('Live');
	await expect(page.getByRole('heading', { name: open.prompt })).toBeVisible();

	// Its projected form is drawn; the page's scripts were seen
	// (so an answer form's would have been), and none of them is an answer form's.
	expect(existsSync(`src/lib/questions/${kindOf(open).components}/Projected.svelte`)).toBe(true);
	await expect(page.locator('.projected :is(ol, ul)').first()).toBeVisible();
	expect(
		requested.some((path) => path.startsWith('/_app/immutable/') && path.endsWith('.js'))
	).toBe(true);
	expect(requested.filter((path) => formFiles.has(path))).toEqual([]);
	expect(errors).toEqual([]);
	await context.close();
});
