import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createServer, type Rollup } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pack } from './pack.ts';
import { contentPlugin } from './vite-plugin.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

const temps: string[] = [];
afterEach(() => {
	for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A Vite root with an entry that imports the packs, and a content folder holding `fixture`'s pack. */
function project(fixture: string): { root: string; content: string } {
	const root = mkdtempSync(join(tmpdir(), 'causeway-plugin-'));
	temps.push(root);
	writeFileSync(join(root, 'entry.js'), `export { packs } from 'virtual:causeway/packs';\n`);
	const content = join(root, 'content');
	cpSync(join(FIXTURES, fixture), content, { recursive: true });
	return { root, content };
}

function buildProject(root: string) {
	return build({
		root,
		configFile: false,
		logLevel: 'silent',
		plugins: [contentPlugin()],
		build: {
			write: false,
			lib: { entry: join(root, 'entry.js'), formats: ['es'], fileName: 'entry' }
		}
	});
}

describe('contentPlugin in vite build', () => {
	it('bundles the packs as plain data', async () => {
		const { root } = project('good');
		const output = (await buildProject(root)) as Rollup.RollupOutput | Rollup.RollupOutput[];
		const chunks = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output);
		const code = chunks.map((c) => (c.type === 'chunk' ? c.code : '')).join('\n');
		expect(code).toMatch(/\bid: "tiny"/);
		expect(code).toMatch(/paragraphId: "a-dry-summer-2"/);
	}, 30_000);

	it('fails the build naming the file and the field', async () => {
		const { root } = project('bad-evidence');
		await expect(buildProject(root)).rejects.toThrow(
			/Content check failed \(4 problems\):[^]*content\/tiny\/scenario\.yaml: steps\[0\]\.questions\[0\]\.evidence\[0\]: not found verbatim in article\.md/
		);
	}, 30_000);

	it('fails the build when there are no packs', async () => {
		const { root } = project('good/tiny');
		await expect(buildProject(root)).rejects.toThrow(/no content packs found under/);
	}, 30_000);
});

describe('contentPlugin in the dev server', () => {
	it('serves the packs, and the edited content after a content file changes', async () => {
		const { root, content } = project('good');
		const server = await createServer({
			root,
			configFile: false,
			logLevel: 'silent',
			plugins: [contentPlugin({ dir: 'content' })],
			server: { middlewareMode: true, hmr: false }
		});
		try {
			const load = async () =>
				(await server.ssrLoadModule('virtual:causeway/packs')) as { packs: Pack[] };
			expect((await load()).packs.map((p) => p.title)).toEqual(["Tinyville's dry summer"]);

			const scenario = join(content, 'tiny', 'scenario.yaml');
			writeFileSync(
				scenario,
				readFileSync(scenario, 'utf8').replace("title: Tinyville's dry summer", 'title: Edited')
			);
			server.watcher.emit('change', scenario);
			expect((await load()).packs.map((p) => p.title)).toEqual(['Edited']);

			writeFileSync(
				scenario,
				readFileSync(scenario, 'utf8').replace('answer: board\n', 'answer: nobody\n')
			);
			server.watcher.emit('change', scenario);
			await expect(load()).rejects.toThrow(/steps\[0\]\.questions\[0\]\.answer: names no option/);
		} finally {
			await server.close();
		}
	}, 30_000);
});
