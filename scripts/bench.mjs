// `npm run bench`: installs what is missing (dependencies; Debian's Chromium when the browser
// figures are measured; PostgreSQL's server binaries for BENCH_DB=postgres), then runs the bench:
// bench/run.ts on SQLite (the default), or bench/postgres.ts, which builds, serves and measures.
import { prepare, run } from './lib/setup.mjs';

const BENCHES = { sqlite: 'bench/run.ts', postgres: 'bench/postgres.ts' };
const store = process.env.BENCH_DB || 'sqlite';
if (!Object.hasOwn(BENCHES, store)) {
	console.error(`BENCH_DB must be unset, sqlite or postgres; got "${store}".`);
	process.exit(1);
}
const postgres = store === 'postgres';
const env = prepare({
	browser: !postgres && ['all', 'browser'].includes(process.env.BENCH_ONLY ?? 'all'),
	postgres
});
process.exit(run('npx', ['tsx', BENCHES[store]], { env }));
