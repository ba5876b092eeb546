// `npm test`: install what is missing (Chromium and PostgreSQL included), then run every check
// (in the stages below).
import { TEST_POSTGRES_ENV, useTestPostgres } from './lib/postgres.mjs';
import { prepare, runCapturing, runWithoutBlocking } from './lib/setup.mjs';

const prepared = prepare({ browser: true, postgres: true });
// One throwaway PostgreSQL cluster for the whole run, named to every step (vitest and Playwright
// workers make their own databases in it). Stopped at the end, and on Ctrl+C (see postgres.mjs).
const postgres = await useTestPostgres();
const env = { ...prepared, [TEST_POSTGRES_ENV]: postgres.url };

/**
 * The checks, in stages: a stage starts once the one before it has ended, and the steps of a
 * stage run at the same time. Types, formatting/lint and content are one process each, so on a
 * 2-core machine they share the cores instead of waiting in turn; vitest and Playwright use every
 * core they get and run alone. A step that runs beside others has its output printed in one piece
 * when it ends, so that outputs never interleave.
 */
const stages = [
	[
		['types (svelte-check)', 'check'],
		['lint (prettier + eslint)', 'lint'],
		['content check', 'content:check']
	],
	[['unit and component tests (vitest)', 'test:unit']],
	[['build', 'build']],
	[['end-to-end tests (Playwright + axe)', 'test:e2e']]
];

const startedAll = Date.now();
// ESLint's typed rules read .svelte-kit/tsconfig.json, which a fresh clone has only once SvelteKit
// has synced: the types step syncs first, but it now runs beside lint. (A failed sync fails the
// types step, which syncs again.)
await runWithoutBlocking('npx', ['svelte-kit', 'sync'], { env });
const results = [];
/** Runs one step, its output live when it runs alone; records whether it passed and its seconds. */
async function runStep([name, script], alone) {
	const args = ['run', '--silent', script];
	const started = Date.now();
	if (alone) console.log(`\n▶ ${name}: npm run ${script}`);
	const { status, output } = alone
		? { status: await runWithoutBlocking('npm', args, { env }), output: '' }
		: await runCapturing('npm', args, { env });
	const seconds = Math.round((Date.now() - started) / 1000);
	if (!alone) process.stdout.write(`\n▶ ${name}: npm run ${script} (${seconds}s)\n${output}`);
	results.push({ name, script, ok: status === 0, seconds });
}
for (const stage of stages) {
	// End-to-end tests run against the build: without one they would only repeat its failure.
	const runnable = stage.filter(([name, script]) => {
		if (script !== 'test:e2e' || !results.some((r) => r.script === 'build' && !r.ok)) return true;
		results.push({ name, script, ok: false, skipped: true });
		return false;
	});
	await Promise.all(runnable.map((step) => runStep(step, runnable.length === 1)));
}

console.log('\nSummary');
// In the order the steps are listed, whichever ended first.
const listed = stages.flat().map(([, script]) => results.find((r) => r.script === script));
for (const r of listed) {
	console.log(
		`  ${r.ok ? 'ok  ' : r.skipped ? 'skip' : 'FAIL'}  ${r.name}${r.seconds !== undefined ? ` (${r.seconds}s)` : ''}`
	);
}
const failed = results.filter((r) => !r.ok).length;
console.log(
	`checks: ${results.length - failed} passed, ${failed} failed (${Math.round((Date.now() - startedAll) / 1000)}s in all)`
);
postgres.stop();
process.exit(failed > 0 ? 1 : 0);
