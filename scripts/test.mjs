// `npm test`: install what is missing (Chromium and PostgreSQL included), then run every check in
// order.
import { TEST_POSTGRES_ENV, useTestPostgres } from './lib/postgres.mjs';
import { prepare, runWithoutBlocking } from './lib/setup.mjs';

const prepared = prepare({ browser: true, postgres: true });
// One throwaway PostgreSQL cluster for the whole run, named to every step (vitest and Playwright
// workers make their own databases in it). Stopped at the end, and on Ctrl+C (see postgres.mjs).
const postgres = await useTestPostgres();
const env = { ...prepared, [TEST_POSTGRES_ENV]: postgres.url };

const steps = [
	['types (svelte-check)', 'check'],
	['lint (prettier + eslint)', 'lint'],
	['content check', 'content:check'],
	['unit and component tests (vitest)', 'test:unit'],
	['build', 'build'],
	['end-to-end tests (Playwright + axe)', 'test:e2e']
];

const results = [];
for (const [name, script] of steps) {
	// End-to-end tests run against the build: without one they would only repeat its failure.
	if (script === 'test:e2e' && results.some((r) => r.script === 'build' && !r.ok)) {
		results.push({ name, script, ok: false, skipped: true });
		continue;
	}
	console.log(`\n▶ ${name}: npm run ${script}`);
	const started = Date.now();
	const ok = (await runWithoutBlocking('npm', ['run', '--silent', script], { env })) === 0;
	results.push({ name, script, ok, seconds: Math.round((Date.now() - started) / 1000) });
}

console.log('\nSummary');
for (const r of results) {
	console.log(
		`  ${r.ok ? 'ok  ' : r.skipped ? 'skip' : 'FAIL'}  ${r.name}${r.seconds !== undefined ? ` (${r.seconds}s)` : ''}`
	);
}
const failed = results.filter((r) => !r.ok).length;
console.log(`checks: ${results.length - failed} passed, ${failed} failed`);
postgres.stop();
process.exit(failed > 0 ? 1 : 0);
