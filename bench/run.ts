/**
 * `npm run bench`: builds, serves the build on a temporary database, measures, prints a table and
 * writes bench/results.json. About 5–7 minutes on a 2-core machine.
 *
 *   npm run bench                     # everything
 *   BENCH_SKIP_BUILD=1 npm run bench  # reuse ./build
 *   LIGHTHOUSE_RUNS=0 npm run bench   # skip Lighthouse (results then lack that key)
 *   BENCH_ONLY=load npm run bench     # only the server benches (answers, joins, fan-out);
 *                                     # also browser, answers or fanout alone
 *   BENCH_CPU_PROF=/tmp/prof npm run bench  # write the server's CPU profiles there
 *
 * All traffic goes to the 127.0.0.1 server this script starts (port BENCH_PORT, 4398 by default).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPack } from '../src/lib/content/loader.ts';
import { javascriptOf, lighthouseOf } from './browser.ts';
import {
	answersBench,
	client,
	control,
	cpuMs,
	createSession,
	fanoutBench,
	floorAtRate,
	floorBench,
	joinMany,
	measuringSteal,
	rssMb
} from './load.ts';
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
const BASE = `http://127.0.0.1:${PORT}`;
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const ONLY = process.env.BENCH_ONLY ?? 'all';
const SIZE_PAGES = ['/learn/mali-russia', '/', '/article/mali-russia', '/join', '/host'];
const LIGHTHOUSE_PAGES = ['/', '/learn/mali-russia', '/join'];
const ANSWER_PARTICIPANTS = Number(process.env.BENCH_ANSWER_PARTICIPANTS ?? 600);
const FANOUT_CLIENTS = Number(process.env.BENCH_FANOUT_CLIENTS ?? 2000);
const FANOUT_ACTIONS = 10;
/** An unknown API path: a JSON 404 from a catch-all route, the framework's floor. */
const FLOOR_PATH = '/api/bench-floor';
/** Runs of answers at the target rate; the median by p99 is reported. */
const PACED_RUNS = 3;

/** Issue 17's targets (docs/BENCHMARKS.md): a run that misses one exits with status 1. */
export const TARGETS = {
	learnerJsGzipBytes: 50 * 1024,
	lighthousePerformance: 97,
	lighthouseTbtMs: 150,
	lighthouseAccessibility: 100,
	answersRps: 1500,
	/** Answers per second as a share of the framework floor measured in the same run. */
	answersShareOfFloor: 0.6,
	/** p99 at the target rate, in each of the paced runs (not only their median). */
	answersP99Ms: 50,
	coldStartP99Ms: 100,
	joinsCount: 2000,
	joinsP99Ms: 200,
	fanoutClients: 2000,
	fanoutP50Ms: 30,
	fanoutP99Ms: 80,
	fanoutRssMb: 300,
	/** Server memory per open event stream: RSS with the streams open minus before, per stream. */
	fanoutKbPerStream: 15
};
/** Students in the class whose question the presenter page shows to Lighthouse. */
const PRESENTER_CLASS = 30;

const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(0)} s`;
const log = (message: string) => console.log(`[bench ${elapsed()}] ${message}`);

/** Starts `node build` on a fresh database, with room for 2,000+ sockets and event streams. */
const startSqliteServer = (dir: string, tag: string) =>
	startServer(
		PORT,
		`sqlite:${join(dir, `${tag}.sqlite`)}`,
		Math.max(FANOUT_CLIENTS, ANSWER_PARTICIPANTS)
	);

buildUnlessSkipped(log);
const { pack } = loadPack(join(process.cwd(), 'content', 'mali-russia'));
if (!pack) throw new Error('content/mali-russia does not load.');
const questions = pack.steps.flatMap((s) => s.questions);

const dir = mkdtempSync(join(tmpdir(), 'causeway-bench-'));
const results: Record<string, unknown> = { ...runHeader('npm run bench'), targets: TARGETS };
let server: ChildProcess | undefined;
try {
	if (ONLY === 'all' || ONLY === 'browser') {
		server = await startSqliteServer(dir, 'browser');
		log('JavaScript size in Chromium');
		const pages: Record<string, Awaited<ReturnType<typeof javascriptOf>>> = {};
		for (const path of SIZE_PAGES) pages[path] = await javascriptOf(BASE + path);
		results.size = {
			learnerJsGzipBytes: pages['/learn/mali-russia']!.gzipBytes,
			homeJsGzipBytes: pages['/']!.gzipBytes,
			articleJsGzipBytes: pages['/article/mali-russia']!.gzipBytes,
			joinJsGzipBytes: pages['/join']!.gzipBytes,
			hostJsGzipBytes: pages['/host']!.gzipBytes,
			pages
		};
		if (RUNS > 0) {
			const lighthouse: Record<string, Awaited<ReturnType<typeof lighthouseOf>>> = {};
			for (const path of LIGHTHOUSE_PAGES) {
				log(`Lighthouse ${path} ×${RUNS}`);
				lighthouse[path] = await lighthouseOf(BASE + path, RUNS);
			}
			// The projector's page as a lesson shows it: a class joined, the first question open.
			const c = client(BASE, 10);
			const session = await createSession(c, 'teacher-paced');
			await joinMany(c, session.code, PRESENTER_CLASS, 10);
			await control(c, session.code, session.hostToken, 'start');
			await control(c, session.code, session.hostToken, 'next');
			c.close();
			log(`Lighthouse /host/{code}/present ×${RUNS}`);
			lighthouse['/host/{code}/present'] = await lighthouseOf(
				`${BASE}/host/${session.code}/present`,
				RUNS,
				{ Cookie: `cw_host_${session.code}=${session.hostToken}` }
			);
			results.lighthouse = lighthouse;
		}
		await stopServer(server);
	}
	// A fresh server (and database) for each load figure, so one does not warm or fill the next.
	if (['all', 'load', 'fanout'].includes(ONLY)) {
		server = await startSqliteServer(dir, 'fanout');
		const c = client(BASE, 100);
		log(`joins and fan-out: ${FANOUT_CLIENTS} participants, each with an event stream`);
		const { joins, fanout } = await fanoutBench(
			c,
			FANOUT_CLIENTS,
			FANOUT_ACTIONS,
			server.pid!,
			rssMb
		);
		results.joins = joins;
		results.fanout = fanout;
		c.close();
		await stopServer(server);
	}
	if (['all', 'load', 'answers'].includes(ONLY)) {
		server = await startSqliteServer(dir, 'answers');
		const a = client(BASE, 100);
		log(
			`answers: ${ANSWER_PARTICIPANTS} participants × ${questions.length} questions at 100 connections`
		);
		/** Answers offered at the target rate for `seconds`, by a class just big enough. */
		const atTarget = (seconds: number) => {
			log(`answers, ${TARGETS.answersRps}/s offered for ${seconds} s`);
			const people = Math.ceil((TARGETS.answersRps * seconds) / questions.length);
			return measuringSteal(() =>
				answersBench(a, questions, people, 100, (seconds + 5) * 1000, TARGETS.answersRps)
			);
		};
		// Each run in a class of its own. The first, 3 s on the fresh server, is reported apart: it
		// pays for V8 compiling the grading of every question type (and so warms the server).
		const coldStart = await atTarget(3);
		// Three runs at the target rate, as Lighthouse gets three: on a shared machine one run's tail
		// can be another tenant's. The median by p99 is the figure; every run is kept.
		const pacedRuns = [];
		for (let i = 0; i < PACED_RUNS; i++) pacedRuns.push(await atTarget(10));
		const byTail = [...pacedRuns].sort((x, y) => x.p99Ms - y.p99Ms);
		const atTargetRate = {
			...byTail[Math.floor(byTail.length / 2)]!,
			errors: pacedRuns.reduce((n, r) => n + r.errors, 0),
			runs: pacedRuns.map(
				({ count, errors, rps, p50Ms, p90Ms, p99Ms, maxMs, resent, stealMs }) => ({
					count,
					errors,
					rps,
					p50Ms,
					p90Ms,
					p99Ms,
					maxMs,
					resent,
					stealMs
				})
			)
		};
		log('answers as fast as the server takes them');
		const cpuBefore = cpuMs(server.pid!);
		const saturated = await answersBench(a, questions, ANSWER_PARTICIPANTS, 100, 60_000);
		const answersCpuMs = cpuMs(server.pid!) - cpuBefore;
		// The throughput is the most the server sustains; the latency is what learners see at the
		// target rate (at saturation every request queues behind the other 99 by construction).
		results.answers = {
			rps: saturated.rps,
			p50Ms: atTargetRate.p50Ms,
			p99Ms: atTargetRate.p99Ms,
			atTargetRate,
			saturated: { ...saturated, cpuMsEach: Number((answersCpuMs / saturated.count).toFixed(3)) },
			coldStart
		};
		results.answersServerRssMb = rssMb(server.pid!);
		log('the floor: an empty JSON 404, as fast as taken');
		const floorCpuBefore = cpuMs(server.pid!);
		const floor = await floorBench(a, FLOOR_PATH);
		results.floor = {
			...floor,
			cpuMsEach: Number(((cpuMs(server.pid!) - floorCpuBefore) / floor.count).toFixed(3))
		};
		a.close();
		await stopServer(server);
		// The target rate offered to the framework alone, on a fresh server and as the answers were:
		// how much of the latency targets an empty 404 already takes on this machine.
		server = await startSqliteServer(dir, 'floor');
		const f = client(BASE, 100);
		log(
			`the floor at ${TARGETS.answersRps}/s: a cold server's first 3 s, then ${PACED_RUNS} × 10 s`
		);
		const floorColdStart = await measuringSteal(() =>
			floorAtRate(f, FLOOR_PATH, TARGETS.answersRps, 3)
		);
		const floorRuns = [];
		for (let i = 0; i < PACED_RUNS; i++)
			floorRuns.push(
				await measuringSteal(() => floorAtRate(f, FLOOR_PATH, TARGETS.answersRps, 10))
			);
		results.floorAtTargetRate = { coldStart: floorColdStart, runs: floorRuns };
		f.close();
		await stopServer(server);
	}
} finally {
	if (server) await stopServer(server);
	rmSync(dir, { recursive: true, force: true });
}
results.seconds = Math.round((Date.now() - startedAt) / 1000);

/* ------------------------------------------------------------------ report */
const rows: Row[] = [];
const kb = (b: number) => `${(b / 1024).toFixed(1)} kB`;
const size = results.size as Record<string, number> | undefined;
if (size) {
	rows.push([
		'learner JS (gzip) /learn/mali-russia',
		kb(size.learnerJsGzipBytes!),
		`≤ ${kb(TARGETS.learnerJsGzipBytes)}`,
		size.learnerJsGzipBytes! <= TARGETS.learnerJsGzipBytes
	]);
	for (const [key, page] of [
		['homeJsGzipBytes', '/'],
		['articleJsGzipBytes', '/article/mali-russia'],
		['joinJsGzipBytes', '/join'],
		['hostJsGzipBytes', '/host']
	] as const)
		rows.push([`JS (gzip) ${page}`, kb(size[key]!), '', undefined]);
}
const lighthouse = results.lighthouse as
	| Record<
			string,
			{ performance: number; accessibility: number; lcpMs: number; tbtMs: number; cls: number }
	  >
	| undefined;
for (const [path, l] of Object.entries(lighthouse ?? {})) {
	rows.push([
		`Lighthouse ${path} perf / a11y`,
		`${l.performance} / ${l.accessibility}`,
		`≥ ${TARGETS.lighthousePerformance} / ${TARGETS.lighthouseAccessibility}`,
		l.performance >= TARGETS.lighthousePerformance &&
			l.accessibility >= TARGETS.lighthouseAccessibility
	]);
	rows.push([
		`Lighthouse ${path} LCP / TBT / CLS`,
		`${l.lcpMs} ms / ${l.tbtMs} ms / ${l.cls}`,
		`TBT ≤ ${TARGETS.lighthouseTbtMs} ms`,
		l.tbtMs <= TARGETS.lighthouseTbtMs
	]);
}
interface AnswerRun {
	rps: number;
	stealMs?: number;
	p50Ms: number;
	p99Ms: number;
	errors: number;
	count: number;
}
type FloorRun = Omit<AnswerRun, 'errors'>;
/** What the hypervisor took from this machine during a run, as the table shows it. */
const stolen = (run: { stealMs?: number }) => `steal ${run.stealMs ?? '?'} ms`;
const answers = results.answers as
	| {
			rps: number;
			atTargetRate: AnswerRun & { runs: AnswerRun[] };
			saturated: AnswerRun & { cpuMsEach: number };
			coldStart: AnswerRun;
	  }
	| undefined;
const floor = results.floor as
	{ rps: number; p50Ms: number; p99Ms: number; cpuMsEach: number } | undefined;
if (answers) {
	const { atTargetRate: paced, saturated, coldStart } = answers;
	rows.push([
		'answers/s, as fast as taken (100 conns)',
		`${saturated.rps} (${saturated.count} sent, ${saturated.errors} errors)`,
		`≥ ${TARGETS.answersRps}, 0 errors`,
		saturated.rps >= TARGETS.answersRps && saturated.errors === 0
	]);
	if (floor)
		rows.push([
			'answers/s as a share of the floor',
			`${Math.round((saturated.rps / floor.rps) * 100)} % (${saturated.rps} / ${floor.rps})`,
			`≥ ${TARGETS.answersShareOfFloor * 100} %`,
			saturated.rps >= TARGETS.answersShareOfFloor * floor.rps
		]);
	paced.runs.forEach((run, i) =>
		rows.push([
			`answers p50 / p99 at ${TARGETS.answersRps}/s, run ${i + 1} of ${paced.runs.length}`,
			`${run.p50Ms} / ${run.p99Ms} ms (${run.rps}/s, ${run.errors} errors, ${stolen(run)})`,
			`p99 ≤ ${TARGETS.answersP99Ms} ms`,
			run.p99Ms <= TARGETS.answersP99Ms && run.errors === 0
		])
	);
	rows.push([
		'answers p50 / p99, first 3 s of a cold server',
		`${coldStart.p50Ms} / ${coldStart.p99Ms} ms (${stolen(coldStart)})`,
		`p99 ≤ ${TARGETS.coldStartP99Ms} ms`,
		coldStart.p99Ms <= TARGETS.coldStartP99Ms && coldStart.errors === 0
	]);
	rows.push([
		'answers p50 / p99 as fast as taken',
		`${saturated.p50Ms} / ${saturated.p99Ms} ms`,
		'(queueing)',
		undefined
	]);
}
if (floor)
	rows.push([
		'floor: empty JSON 404 as fast as taken',
		`${floor.rps}/s, ${floor.p50Ms} / ${floor.p99Ms} ms`,
		'(framework)',
		undefined
	]);
const floorAtTargetRate = results.floorAtTargetRate as
	{ coldStart: FloorRun; runs: FloorRun[] } | undefined;
if (floorAtTargetRate) {
	const { coldStart, runs } = floorAtTargetRate;
	runs.forEach((run, i) =>
		rows.push([
			`floor: empty 404 p50 / p99 at ${TARGETS.answersRps}/s, run ${i + 1} of ${runs.length}`,
			`${run.p50Ms} / ${run.p99Ms} ms (${run.rps}/s, ${stolen(run)})`,
			'(framework)',
			undefined
		])
	);
	rows.push([
		'floor: empty 404 p50 / p99, first 3 s of a cold server',
		`${coldStart.p50Ms} / ${coldStart.p99Ms} ms (${stolen(coldStart)})`,
		'(framework)',
		undefined
	]);
}
if (answers && floor) {
	// Server CPU per request: what the code costs, whatever else the machine was doing.
	const each = answers.saturated.cpuMsEach;
	rows.push([
		'server CPU per answer / per empty 404',
		`${each} / ${floor.cpuMsEach} ms (${Math.round((floor.cpuMsEach / each) * 100)} %)`,
		'',
		undefined
	]);
}
const joins = results.joins as
	{ count: number; ok: number; p50Ms: number; p99Ms: number } | undefined;
if (joins)
	rows.push([
		'joins into one session, p50 / p99',
		`${joins.ok}/${joins.count}: ${joins.p50Ms} / ${joins.p99Ms} ms`,
		`${TARGETS.joinsCount}, p99 ≤ ${TARGETS.joinsP99Ms} ms`,
		joins.ok >= TARGETS.joinsCount && joins.p99Ms <= TARGETS.joinsP99Ms
	]);
const fanout = results.fanout as
	| {
			clients: number;
			p50Ms: number;
			p99Ms: number;
			rssMb: number;
			rssMbBeforeStreams: number;
			lost: number;
			cpuUsPerDelivery: number;
	  }
	| undefined;
if (fanout) {
	rows.push([
		`fan-out to ${fanout.clients} streams p50 / p99`,
		`${fanout.p50Ms} / ${fanout.p99Ms} ms (${fanout.lost} lost)`,
		`p50 ≤ ${TARGETS.fanoutP50Ms}, p99 ≤ ${TARGETS.fanoutP99Ms} ms`,
		fanout.clients >= TARGETS.fanoutClients &&
			fanout.p50Ms <= TARGETS.fanoutP50Ms &&
			fanout.p99Ms <= TARGETS.fanoutP99Ms &&
			fanout.lost === 0
	]);
	rows.push([
		'server CPU per event delivered to a stream',
		`${fanout.cpuUsPerDelivery} µs`,
		'',
		undefined
	]);
	rows.push([
		'server RSS with the streams open',
		`${fanout.rssMb} MB`,
		`< ${TARGETS.fanoutRssMb} MB`,
		fanout.rssMb < TARGETS.fanoutRssMb
	]);
	const perStream = ((fanout.rssMb - fanout.rssMbBeforeStreams) * 1024) / fanout.clients;
	rows.push([
		'server memory per open stream',
		`${perStream.toFixed(1)} KB (${fanout.rssMbBeforeStreams} → ${fanout.rssMb} MB)`,
		`≤ ${TARGETS.fanoutKbPerStream} KB`,
		perStream <= TARGETS.fanoutKbPerStream
	]);
}
reportRows(
	`Causeway bench, ${results.date}, Node ${process.version}, ${cpus().length} cores, ${results.seconds} s`,
	rows
);
writeFileSync('bench/results.json', JSON.stringify(results, null, '\t') + '\n');
console.log('\nWrote bench/results.json');
failOnMisses(rows);
