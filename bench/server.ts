/**
 * The bench's servers: `node build` started on 127.0.0.1 with room for thousands of sockets and
 * event streams, waited for, and stopped; and the header every results file starts with. Shared
 * by the SQLite run (run.ts) and the PostgreSQL run (postgres.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Builds the app into ./build unless BENCH_SKIP_BUILD is set; exits on a failed build. */
export function buildUnlessSkipped(log: (message: string) => void): void {
	if (process.env.BENCH_SKIP_BUILD) return;
	log('building');
	const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { stdio: 'inherit' });
	if (build.status !== 0) process.exit(1);
}

/** The date, command, commit and machine of a run: what makes its figures comparable. */
export function runHeader(command: string) {
	const git = (args: string[]) => spawnSync('git', args, { encoding: 'utf8' }).stdout.trim();
	return {
		date: new Date().toISOString(),
		command,
		commit: git(['rev-parse', 'HEAD']),
		/**
		 * Files changed since that commit when the run was made: its figures are then not the commit's.
		 * The bench's own results are not counted: a run after a run has them changed.
		 */
		uncommittedChanges:
			git([
				'status',
				'--porcelain',
				'--untracked-files=no',
				'--',
				'.',
				':(exclude)bench/results.json',
				':(exclude)bench/results-postgres.json'
			]) !== '',
		machine: {
			node: process.version,
			cpus: cpus().length,
			cpuModel: cpus()[0]?.model ?? '',
			memoryGb: Math.round(totalmem() / 2 ** 30)
		}
	};
}

async function waitForServer(server: ChildProcess, base: string): Promise<void> {
	for (let i = 0; i < 200; i++) {
		if (server.exitCode !== null) throw new Error(`The server exited with ${server.exitCode}.`);
		try {
			if ((await fetch(`${base}/healthz`)).ok) return;
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error('The server did not start within 20 s.');
}

/** The servers collect their garbage on SIGUSR2 (`collectGarbage` in load.ts). */
const COLLECT_ON_SIGNAL = `--expose-gc --require '${fileURLToPath(new URL('./collect-garbage-on-signal.cjs', import.meta.url))}' `;

/**
 * Starts `node build` on `port` and `databaseUrl`, with room for `streams` event streams and
 * participants from the one address the load comes from, and waits until it answers /healthz.
 */
export async function startServer(
	port: number,
	databaseUrl: string,
	streams: number
): Promise<ChildProcess> {
	// Write out what earlier phases left dirty (the build, browser profiles), so the kernel's
	// write-back does not land on this phase's fsyncs.
	spawnSync('sync');
	// exec: the shell becomes node, so the pid is the server's (for its RSS).
	const prof = process.env.BENCH_CPU_PROF
		? `--cpu-prof --cpu-prof-dir='${process.env.BENCH_CPU_PROF}' `
		: '';
	const server = spawn(
		'bash',
		[
			'-c',
			`ulimit -n 65535 2>/dev/null || ulimit -n 16384 2>/dev/null; exec node ${prof}${COLLECT_ON_SIGNAL}build`
		],
		{
			env: {
				...process.env,
				PORT: String(port),
				HOST: '127.0.0.1',
				DATABASE_URL: databaseUrl,
				SSE_MAX_PER_ADDRESS: String(streams + 100),
				// One load client stands in for whole classes behind one address.
				MAX_PARTICIPANTS: String(streams + 100)
			},
			stdio: ['ignore', 'ignore', 'inherit']
		}
	);
	try {
		await waitForServer(server, `http://127.0.0.1:${port}`);
	} catch (error) {
		await stopServer(server);
		throw error;
	}
	return server;
}

export async function stopServer(server: ChildProcess): Promise<void> {
	if (server.exitCode !== null || server.signalCode !== null) return;
	const exited = new Promise((r) => server.once('exit', r));
	server.kill('SIGTERM');
	const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
	await exited;
	clearTimeout(timer);
}

/** One line of a bench's table: figure, value, target, and whether it was met (undefined: none). */
export type Row = [string, string, string, boolean | undefined];

/** Prints the rows as a table under `title`, each met or missed target marked. */
export function reportRows(title: string, rows: Row[]): void {
	console.log(`\n${title}\n`);
	const width = Math.max(...rows.map((r) => r[0].length));
	for (const [name, value, target, ok] of rows)
		console.log(
			`${name.padEnd(width)}  ${value.padEnd(44)}  ${target.padEnd(22)}  ${ok === undefined ? '' : ok ? 'ok' : 'MISS'}`
		);
}

/**
 * Marks the run failed (exit status 1) when any row missed its target, and says which: a miss
 * must not pass unseen, in a script or in CI.
 */
export function failOnMisses(rows: Row[]): void {
	const misses = rows.filter((row) => row[3] === false).map((row) => row[0]);
	if (misses.length === 0) return;
	console.log(`\n${misses.length} target(s) missed: ${misses.join('; ')}`);
	process.exitCode = 1;
}
