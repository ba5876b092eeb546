import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs `npm run content:check`'s command, as a separate process, on `contentDir`. */
function check(contentDir: string) {
	const run = spawnSync(TSX, ['scripts/content-check.ts'], {
		cwd: ROOT,
		encoding: 'utf8',
		env: { ...process.env, CONTENT_DIR: contentDir }
	});
	return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run content:check', () => {
	it('prints one line per pack and exits 0 on good content', () => {
		const run = check(join(FIXTURES, 'good'));
		expect(run.stderr).toBe('');
		expect(run.stdout).toBe(
			[
				'ok tiny: 3 steps, 9 questions, types: choice, multi, order, match, numeric, evidence, source, scenario, 1 glossary term',
				'  evidence by section of the article:',
				'  (intro): well-scenario',
				'  A dry summer: drought-choice, drought-numeric, drought-evidence, rationing-match',
				'  Rationing: rationing-multi, rationing-match',
				'  A new well: rationing-order, well-source, well-choice',
				''
			].join('\n')
		);
		expect(run.status).toBe(0);
	}, 30_000);

	it('prints every problem with file and field, and exits 1', () => {
		const run = check(join(FIXTURES, 'bad-evidence'));
		const file = relative(ROOT, join(FIXTURES, 'bad-evidence', 'tiny', 'scenario.yaml'));
		expect(run.status).toBe(1);
		expect(run.stdout).toBe('');
		expect(run.stderr).toContain(
			`${file}: steps[0].questions[0].evidence[0]: not found verbatim in article.md`
		);
		expect(run.stderr).toContain(`${file}: steps[1].keyPassage: not found verbatim in article.md`);
		expect(run.stderr).toContain(
			`${file}: steps[0].questions[2].options[0].text: not found verbatim`
		);
		expect(run.stderr).toContain(
			`${file}: steps[2].questions[1].passages[2].text: spans more than one paragraph`
		);
		expect(run.stderr).toContain('content check failed: 4 problems');
	}, 30_000);

	it('fails on a bad glossary and on an uncovered section, naming file and field', () => {
		const glossary = check(join(FIXTURES, 'bad-glossary'));
		expect(glossary.status).toBe(1);
		expect(glossary.stderr).toContain(
			`${relative(ROOT, join(FIXTURES, 'bad-glossary', 'tiny', 'scenario.yaml'))}: glossary[1].term: "monsoon" occurs nowhere in the pack`
		);
		const uncovered = check(join(FIXTURES, 'uncovered-section'));
		expect(uncovered.status).toBe(1);
		expect(uncovered.stderr).toContain(
			`${relative(ROOT, join(FIXTURES, 'uncovered-section', 'tiny', 'article.md'))}: sections.next-summer: the section "## Next summer" is evidence for no question`
		);
	}, 30_000);

	it('exits 1 when there are no packs', () => {
		const run = check(join(FIXTURES, 'good', 'tiny'));
		expect(run.status).toBe(1);
		expect(run.stderr).toContain('no content packs found under');
	}, 30_000);
});
