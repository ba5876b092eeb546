/**
 * What the presenter's page loads (issue 17): the open question's projected form, and not one
 * answer form, script or stylesheet. SvelteKit puts in a page's head the styles of whatever the
 * page imports dynamically, so a presenter that reached the answer forms' finder
 * (src/lib/questions/forms.ts) would load every form's stylesheet before its first paint.
 *
 * The built files are told apart with the build's Vite manifest, which names each file's source.
 */
import { readFileSync } from 'node:fs';
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

test('the presenter loads the open question’s projected form and no answer form', async ({
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
	const projection = `src/lib/questions/${kindOf(open).components}/Projected.svelte`;

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

	// The open question's own projected form came (so the requests were seen), and nothing else.
	expect(requested).toEqual(expect.arrayContaining(builtFiles(manifest, projection)));
	expect(requested.filter((path) => formFiles.has(path))).toEqual([]);
	expect(errors).toEqual([]);
	await context.close();
});
