// `npm run bench`: installs what is missing (dependencies; Debian's Chromium when the browser
// figures are measured), then runs bench/run.ts, which builds, serves and measures.
import {
	chromiumPath,
	ensureChromium,
	ensureDependencies,
	requireNode,
	run
} from './lib/setup.mjs';

requireNode();
ensureDependencies();
if (['all', 'browser'].includes(process.env.BENCH_ONLY ?? 'all')) ensureChromium();
const env = { ...process.env, CHROMIUM_PATH: chromiumPath };
process.exit(run('npx', ['tsx', 'bench/run.ts'], { env }));
