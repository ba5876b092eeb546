/**
 * `BENCH_DB=postgres npm run bench`: the server benches of run.ts (answers, joins, fan-out,
 * memory) on PostgreSQL, with one and with two `node build` processes sharing one database,
 * participants spread over both (participant i on process i mod N) and the host on the first.
 * PostgreSQL is a throwaway cluster started here (durable: fsync and synchronous_commit on, as
 * in production) and stopped at the end; each figure gets a fresh database and fresh servers.
 * Prints a table against issue 16's targets, writes bench/results-postgres.json and exits with
 * status 1 on a miss. 408 s on a 2-core machine busy with other jobs (docs/BENCHMARKS.md).
 *
 *   BENCH_DB=postgres npm run bench
 *   BENCH_PG_PROCESSES=2          # only two processes (a list: 1,2 by default)
 *   BENCH_ONLY=answers|fanout     # one figure only
 *   BENCH_PACED_RUNS=1 BENCH_PACED_SECONDS=3 BENCH_ANSWER_PARTICIPANTS=100 \
 *     BENCH_FANOUT_CLIENTS=200    # a short smoke run (its counts then miss their targets)
 *
 * BENCH_SKIP_BUILD, BENCH_CPU_PROF and BENCH_PORT (4398; the processes take it and the next
 * ports) as for the SQLite run. All traffic goes to the 127.0.0.1 servers started here.
 */
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startThrowawayPostgres } from '../scripts/lib/postgres.mjs';
import { loadPack } from '../src/lib/content/loader.ts';
import { DEFAULT_PG_POOL_SIZE } from '../src/lib/server/config.ts';
import { answersBench, client, cpuMs, fanoutBench, rssMb, type Client } from './load.ts';
import {
	buildUnlessSkipped,
	failOnMisses,
	reportRows,
	runHeader,
	startServer,
	stopServer,
	type Row
} from './server.ts';

const PORT = Number(process.env.BENCH_PORT ?? 4398);
const ONLY = process.env.BENCH_ONLY ?? 'all';
const PROCESS_COUNTS = (process.env.BENCH_PG_PROCESSES ?? '1,2').split(',').map(Number);
const ANSWER_PARTICIPANTS = Number(process.env.BENCH_ANSWER_PARTICIPANTS ?? 600);
const FANOUT_CLIENTS = Number(process.env.BENCH_FANOUT_CLIENTS ?? 2000);
const FANOUT_ACTIONS = 10;
/** Runs of answers at the offered rate, each of this many seconds; each must meet the target. */
const PACED_RUNS = Number(process.env.BENCH_PACED_RUNS ?? 3);
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 10);
/** The first seconds of fresh servers at the offered rate, reported apart (no target). */
const COLD_SECONDS = 3;
/** Connections of the load generator, spread over the processes. */
const CONNECTIONS = 100;

/**
 * Issue 16's targets on a 2-core machine, PostgreSQL, the Node processes and the load generator
 * all sharing it; the same with one process and with two.
 */
export const POSTGRES_TARGETS = {
	answersRps: 1000,
	answersOfferedRps: 750,
	/** p99 at the offered rate, in each paced run. */
	answersP99Ms: 100,
	joinsCount: 2000,
	joinsP99Ms: 300,
	fanoutClients: 2000,
	fanoutP99Ms: 300
};

if (PROCESS_COUNTS.some((n) => !Number.isInteger(n) || n < 1))
	throw new Error(`BENCH_PG_PROCESSES must list process counts, like 1,2; got ${PROCESS_COUNTS}.`);

const startedAt = Date.now();
const log = (message: string) =>
	console.log(`[bench postgres ${((Date.now() - startedAt) / 1000).toFixed(0)} s] ${message}`);

/** The CPU time (ms) of PostgreSQL: the postmaster, its live children and those that exited. */
function postgresCpuMs(postmasterPid: number): number {
	const statOf = (pid: string | number) => {
		try {
			return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
		} catch {
			return undefined; // gone meanwhile
		}
	};
	// stat(5): ppid is field 4; utime, stime, cutime, cstime 14–17, in ticks of 10 ms.
	const own = statOf(postmasterPid);
	if (!own) return NaN;
	let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
	for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
		const fields = statOf(pid);
		if (fields && Number(fields[1]) === postmasterPid)
			ticks += Number(fields[11]) + Number(fields[12]);
	}
	return ticks * 10;
}

/** The CPU time (ms) of the Node server processes and of PostgreSQL, to divide by a count. */
function cpuOf(servers: readonly ChildProcess[], postmasterPid: number) {
	return {
		node: servers.reduce((n, s) => n + cpuMs(s.pid!), 0),
		postgres: postgresCpuMs(postmasterPid)
	};
}

const { pack } = loadPack(join(process.cwd(), 'content', 'mali-russia'));
if (!pack) throw new Error('content/mali-russia does not load.');
const questions = pack.steps.flatMap((s) => s.questions);

const overrides = Object.entries(process.env)
	.filter(([name]) => /^(BENCH_|PG_POOL_SIZE$)/.test(name) && name !== 'BENCH_DB')
	.map(([name, value]) => `${name}=${value}`);
const results: Record<string, unknown> = {
	...runHeader(['BENCH_DB=postgres', ...overrides, 'npm run bench'].join(' ')),
	targets: POSTGRES_TARGETS
};

buildUnlessSkipped(log);
log('starting a throwaway PostgreSQL cluster');
const cluster = await startThrowawayPostgres();
const admin = new pg.Client({ connectionString: cluster.url });
const running = new Set<ChildProcess>();
const byProcessCount: Record<string, Record<string, unknown>> = {};
try {
	await admin.connect();
	const setting = async (name: string) =>
		(await admin.query<{ value: string }>(`select current_setting('${name}') as value`)).rows[0]!
			.value;
	const backend = (await admin.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!;
	const postmasterPid = Number(
		readFileSync(`/proc/${backend.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]
	);
	results.postgres = {
		version: await setting('server_version'),
		fsync: await setting('fsync'),
		synchronousCommit: await setting('synchronous_commit'),
		sharedBuffers: await setting('shared_buffers'),
		maxConnections: Number(await setting('max_connections')),
		poolSizePerProcess: Number(process.env.PG_POOL_SIZE ?? DEFAULT_PG_POOL_SIZE)
	};
	let databases = 0;

	/**
	 * Starts `count` server processes on a fresh database of the cluster (together, as a
	 * deployment would: their migrations take turns under the migrator's lock), runs `work` with
	 * one client per process, and stops them.
	 */
	const withServers = async <T>(
		count: number,
		work: (servers: ChildProcess[], clients: Client[]) => Promise<T>
	): Promise<T> => {
		const name = `bench_${(databases += 1)}`;
		await admin.query(`create database ${name}`);
		const url = new URL(cluster.url);
		url.pathname = `/${name}`;
		const ports = Array.from({ length: count }, (_, k) => PORT + k);
		const started = await Promise.allSettled(
			ports.map((port) =>
				startServer(port, url.href, Math.max(FANOUT_CLIENTS, ANSWER_PARTICIPANTS))
			)
		);
		const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
		for (const s of servers) running.add(s);
		const clients = ports.map((port) => client(`http://127.0.0.1:${port}`, CONNECTIONS));
		try {
			const failed = started.find((s) => s.status === 'rejected');
			if (failed) throw failed.reason;
			return await work(servers, clients);
		} finally {
			for (const c of clients) c.close();
			for (const s of servers) {
				await stopServer(s);
				running.delete(s);
			}
		}
	};

	for (const count of PROCESS_COUNTS) {
		const figures: Record<string, unknown> = {};
		byProcessCount[String(count)] = figures;
		const label = `${count} process${count > 1 ? 'es' : ''}`;
		if (['all', 'load', 'fanout'].includes(ONLY)) {
			log(`${label}: joins and fan-out, ${FANOUT_CLIENTS} participants with an event stream each`);
			Object.assign(
				figures,
				await withServers(count, (servers, clients) =>
					fanoutBench(
						clients,
						FANOUT_CLIENTS,
						FANOUT_ACTIONS,
						servers.map((s) => s.pid!),
						rssMb
					)
				)
			);
		}
		if (['all', 'load', 'answers'].includes(ONLY)) {
			figures.answers = await withServers(count, async (servers, clients) => {
				const rate = POSTGRES_TARGETS.answersOfferedRps;
				/** Answers offered at the target rate for `seconds`, by a class just big enough. */
				const atRate = (seconds: number) => {
					log(`${label}: answers, ${rate}/s offered for ${seconds} s`);
					const people = Math.ceil((rate * seconds) / questions.length);
					return answersBench(clients, questions, people, CONNECTIONS, (seconds + 5) * 1000, rate);
				};
				const coldStart = await atRate(COLD_SECONDS);
				const pacedRuns = [];
				for (let i = 0; i < PACED_RUNS; i++) pacedRuns.push(await atRate(PACED_SECONDS));
				log(`${label}: answers as fast as the servers take them`);
				const before = cpuOf(servers, postmasterPid);
				const saturated = await answersBench(
					clients,
					questions,
					ANSWER_PARTICIPANTS,
					CONNECTIONS,
					60_000
				);
				const after = cpuOf(servers, postmasterPid);
				const each = (ms: number) => Number((ms / saturated.count).toFixed(3));
				return {
					rps: saturated.rps,
					coldStart,
					pacedRuns,
					saturated: {
						...saturated,
						nodeCpuMsEach: each(after.node - before.node),
						postgresCpuMsEach: each(after.postgres - before.postgres)
					},
					serverRssMb: servers.map((s) => rssMb(s.pid!))
				};
			});
		}
	}
} finally {
	for (const s of running) await stopServer(s);
	await admin.end().catch(() => {});
	cluster.stop();
	log('PostgreSQL cluster stopped');
}
results.byProcessCount = byProcessCount;
results.seconds = Math.round((Date.now() - startedAt) / 1000);

/* ------------------------------------------------------------------ report */
const T = POSTGRES_TARGETS;
interface AnswerRun {
	count: number;
	errors: number;
	rps: number;
	p50Ms: number;
	p99Ms: number;
}
interface Fanout {
	clients: number;
	p50Ms: number;
	p99Ms: number;
	lost: number;
	rssMb: number;
	rssMbBeforeStreams: number;
	processes: Array<{ streams: number; p50Ms: number; p99Ms: number; lost: number; rssMb: number }>;
}
const rows: Row[] = [];
for (const [count, figures] of Object.entries(byProcessCount)) {
	const on = `${count} proc:`;
	const answers = figures.answers as
		| {
				coldStart: AnswerRun;
				pacedRuns: AnswerRun[];
				saturated: AnswerRun & { nodeCpuMsEach: number; postgresCpuMsEach: number };
				serverRssMb: number[];
		  }
		| undefined;
	if (answers) {
		const { saturated, pacedRuns, coldStart } = answers;
		rows.push([
			`${on} answers/s, as fast as taken (${CONNECTIONS} conns)`,
			`${saturated.rps} (${saturated.count} sent, ${saturated.errors} errors)`,
			`≥ ${T.answersRps}, 0 errors`,
			saturated.rps >= T.answersRps && saturated.errors === 0
		]);
		pacedRuns.forEach((run, i) =>
			rows.push([
				`${on} answers p50 / p99 at ${T.answersOfferedRps}/s, run ${i + 1} of ${pacedRuns.length}`,
				`${run.p50Ms} / ${run.p99Ms} ms (${run.rps}/s, ${run.errors} errors)`,
				`p99 ≤ ${T.answersP99Ms} ms`,
				run.p99Ms <= T.answersP99Ms && run.errors === 0
			])
		);
		rows.push([
			`${on} answers p50 / p99, first ${COLD_SECONDS} s of fresh servers`,
			`${coldStart.p50Ms} / ${coldStart.p99Ms} ms (${coldStart.errors} errors)`,
			'',
			undefined
		]);
		rows.push([
			`${on} CPU per answer: Node / PostgreSQL`,
			`${saturated.nodeCpuMsEach} / ${saturated.postgresCpuMsEach} ms`,
			'',
			undefined
		]);
		rows.push([
			`${on} RSS of each process after the answers`,
			answers.serverRssMb.map((mb) => `${mb} MB`).join(', '),
			'',
			undefined
		]);
	}
	const joins = figures.joins as { count: number; ok: number; p50Ms: number; p99Ms: number };
	const fanout = figures.fanout as Fanout | undefined;
	if (joins)
		rows.push([
			`${on} joins into one session, p50 / p99`,
			`${joins.ok}/${joins.count}: ${joins.p50Ms} / ${joins.p99Ms} ms`,
			`${T.joinsCount}, p99 ≤ ${T.joinsP99Ms} ms`,
			joins.ok >= T.joinsCount && joins.p99Ms <= T.joinsP99Ms
		]);
	if (fanout) {
		rows.push([
			`${on} fan-out to ${fanout.clients} streams p50 / p99`,
			`${fanout.p50Ms} / ${fanout.p99Ms} ms (${fanout.lost} lost)`,
			`${T.fanoutClients}, p99 ≤ ${T.fanoutP99Ms} ms`,
			fanout.clients >= T.fanoutClients && fanout.p99Ms <= T.fanoutP99Ms && fanout.lost === 0
		]);
		if (fanout.processes.length > 1)
			fanout.processes.forEach((p, i) =>
				rows.push([
					`${on}   its ${p.streams} streams on process ${i + 1}${i === 0 ? ' (the host’s)' : ''}`,
					`${p.p50Ms} / ${p.p99Ms} ms (${p.lost} lost)`,
					'',
					undefined
				])
			);
		const perStream = ((fanout.rssMb - fanout.rssMbBeforeStreams) * 1024) / fanout.clients;
		rows.push([
			`${on} RSS of each process with the streams open`,
			`${fanout.processes.map((p) => `${p.rssMb} MB`).join(', ')} (${perStream.toFixed(1)} KB per stream)`,
			'',
			undefined
		]);
	}
}
reportRows(
	`Causeway bench on PostgreSQL ${(results.postgres as { version: string }).version}, ${results.date}, ${results.seconds} s`,
	rows
);
writeFileSync('bench/results-postgres.json', JSON.stringify(results, null, '\t') + '\n');
console.log('\nWrote bench/results-postgres.json');
failOnMisses(rows);
