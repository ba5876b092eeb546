// `npm run bench`: installs what is missing (dependencies; Debian's Chromium when the browser
// figures are measured), then runs bench/run.ts, which builds, serves and measures.
import { prepare, run } from './lib/setup.mjs';

const env = prepare({ browser: ['all', 'browser'].includes(process.env.BENCH_ONLY ?? 'all') });
process.exit(run('npx', ['tsx', 'bench/run.ts'], { env }));
