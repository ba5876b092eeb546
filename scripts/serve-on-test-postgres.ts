// The suite's second web server (playwright.config.ts, project `postgres`): `node build` on a
// fresh database of the test PostgreSQL cluster. PORT, HOST and the other settings come from the
// environment. Uses the cluster named by CAUSEWAY_TEST_POSTGRES (npm test's) or starts one, and
// prints its address once the server answers: Playwright reads it from that line into its own
// environment before its global setup runs, so the whole run shares this one cluster.
// Run with `node --import tsx scripts/serve-on-test-postgres.ts`.
import { spawn } from 'node:child_process';
import { fstatSync } from 'node:fs';
import { freshPostgresDatabase } from '../src/lib/server/testing/postgres.ts';
import { TEST_POSTGRES_ENV, useTestPostgres } from './lib/postgres.mjs';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** How long the server may take to finish its requests and close its connections when stopped. */
const STOP_GRACE_MS = 10_000;
const START_TIMEOUT_MS = 30_000;

const cluster = await useTestPostgres();
// A cluster started here stops at once on a signal, under the server still using it: here the
// server ends first, then the cluster (see `end`). It is still stopped when this process exits.
for (const signal of SIGNALS) process.removeAllListeners(signal);
const database = await freshPostgresDatabase('e2e');

const server = spawn(process.execPath, ['build'], {
	stdio: ['ignore', 'inherit', 'inherit'],
	env: { ...process.env, DATABASE_URL: database.url }
});
const exited = new Promise<number>((resolve) =>
	server.once('exit', (code, signal) => resolve(code ?? (signal ? 0 : 1)))
);

let ending: Promise<number> | undefined;
/** Stops the server (killing it if it outlasts STOP_GRACE_MS), then its database and cluster. */
function end(signal: NodeJS.Signals = 'SIGTERM'): Promise<number> {
	ending ??= (async () => {
		if (server.exitCode === null && server.signalCode === null) server.kill(signal);
		const timer = setTimeout(() => server.kill('SIGKILL'), STOP_GRACE_MS);
		const code = await exited;
		clearTimeout(timer);
		await database.drop().catch((error: unknown) => console.error(`Dropping failed: ${error}`));
		cluster.stop();
		return code;
	})();
	return ending;
}
const endAndExit = (signal?: NodeJS.Signals) => void end(signal).then((code) => process.exit(code));

for (const signal of SIGNALS) process.on(signal, endAndExit);
// Ended on its own (it crashed, or could not start): nothing is served any more.
void exited.then(() => endAndExit());
// Playwright gives its web servers a pipe as stdin: when it closes, the runner is gone (killed
// without tearing down), and nothing else would stop this server and its cluster.
if (fstatSync(0).isFIFO()) {
	process.stdin.on('end', () => endAndExit()).resume();
}

const address = `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? 3000}`;
const deadline = Date.now() + START_TIMEOUT_MS;
for (;;) {
	const status = await fetch(`${address}/healthz`).then(
		(reply) => reply.status,
		() => undefined
	);
	if (status === 200) break;
	if (Date.now() > deadline) {
		console.error(`node build did not answer on ${address} within ${START_TIMEOUT_MS} ms.`);
		endAndExit();
		break;
	}
	await new Promise((resolve) => setTimeout(resolve, 100));
}
if (!ending) console.log(`Causeway on PostgreSQL: ${address}, ${TEST_POSTGRES_ENV}=${cluster.url}`);
