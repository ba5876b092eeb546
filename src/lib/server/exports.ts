/**
 * The host's downloads: answers and totals as CSV, statements as xAPI. Built from the report so
 * that every export says the same thing the report page shows. A class of 2,000 makes files of
 * tens of megabytes: each is sent as a stream, made a slice at a time as the client reads it, in
 * a worker thread (see `download`), so that building it never holds up the server's other
 * requests.
 */
import { error, json } from '@sveltejs/kit';
import { csvPieces } from '$lib/classroom/csv';
import { SKILLS } from '$lib/content/schema';
import { availableParallelism, constants, setPriority } from 'node:os';
import {
	isMainThread,
	parentPort,
	Worker,
	workerData,
	type MessagePort,
	type TransferListItem
} from 'node:worker_threads';
import type { DatabaseConfig } from './config';
import { closeDatabase, databaseConfig, openReader, yieldToOthers } from './db';
import { reportOf } from './results';
import { loadSession, type LoadedSession } from './session-store';
import { createSlots } from './slots';
import { eachStatement, type Statement, type StatementsInput } from './xapi';

/** `items` each turned by `map`, one at a time as they are read. */
function* mapped<T, R>(items: Iterable<T>, map: (item: T) => R): Generator<R> {
	for (const item of items) yield map(item);
}

/** One row per answer, as CSV pieces. */
async function answersCsv(session: LoadedSession): Promise<Iterable<string>> {
	const { report } = await reportOf(session);
	return csvPieces(
		[
			'session',
			'participant',
			'question',
			'link',
			'skill',
			'response',
			'correct',
			'points',
			'max_points',
			'answered_at',
			'seconds'
		],
		mapped(report.rows, (r) => [
			session.row.code,
			r.nickname,
			r.questionId,
			r.linkId,
			r.skill,
			r.responseText,
			r.correct,
			r.points,
			r.maxPoints,
			r.answeredAt,
			r.seconds
		])
	);
}

/** What a totals cell says for a link or skill the session did not ask: never a 0. */
export const NOT_ASKED = 'not asked';

/**
 * One row per participant: totals, then points per link and per skill ("not asked" when none
 * was), as CSV pieces.
 */
async function totalsCsv(session: LoadedSession): Promise<Iterable<string>> {
	const { report } = await reportOf(session);
	const links = session.pack.steps.map((s) => s.id);
	return csvPieces(
		[
			'session',
			'participant',
			'answered',
			'correct',
			'points',
			'max_points',
			...links.map((id) => `link:${id}`),
			...SKILLS.map((skill) => `skill:${skill}`)
		],
		mapped(report.participants, (p) => [
			session.row.code,
			p.nickname,
			p.answered,
			p.correct,
			p.points,
			p.maxPoints,
			...links.map((id) => p.byLink[id]?.points ?? NOT_ASKED),
			...SKILLS.map((skill) => p.bySkill[skill]?.points ?? NOT_ASKED)
		])
	);
}

async function statementsInput(session: LoadedSession, origin: string): Promise<StatementsInput> {
	const { report, participants, endedAt } = await reportOf(session);
	return { origin, code: session.row.code, pack: session.pack, participants, report, endedAt };
}

/** The session's xAPI statements, each made as it is read. */
export async function statementsOf(
	session: LoadedSession,
	origin: string
): Promise<Iterable<Statement>> {
	return eachStatement(await statementsInput(session, origin));
}

/**
 * The session's xAPI statements as pieces of one JSON array, written exactly as
 * `JSON.stringify(statements, null, 2)` would write it.
 */
async function statementsJson(session: LoadedSession, origin: string): Promise<Iterable<string>> {
	const statements = eachStatement(await statementsInput(session, origin));
	return (function* () {
		let first = true;
		for (const statement of statements) {
			yield `${first ? '[\n  ' : ',\n  '}${JSON.stringify(statement, null, 2).replaceAll('\n', '\n  ')}`;
			first = false;
		}
		yield first ? '[]' : '\n]';
	})();
}

/** A download the host asked for: which file, of which session. */
export type ExportJob =
	| { kind: 'answers' | 'totals'; session: LoadedSession }
	/** `origin` is the one the statements' ids are made from. */
	| { kind: 'xapi'; session: LoadedSession; origin: string };

/** The pieces of the file a job makes. */
function piecesOf(job: ExportJob): Promise<Iterable<string>> {
	if (job.kind === 'xapi') return statementsJson(job.session, job.origin);
	return job.kind === 'answers' ? answersCsv(job.session) : totalsCsv(job.session);
}

/** About this many characters are made per slice of a download. */
const SLICE_CHARACTERS = 16 * 1024;

/** The pieces joined into slices of about SLICE_CHARACTERS characters. */
function* slices(pieces: Iterable<string>): Generator<string> {
	let slice = '';
	for (const piece of pieces) {
		slice += piece;
		if (slice.length >= SLICE_CHARACTERS) {
			yield slice;
			slice = '';
		}
	}
	if (slice) yield slice;
}

const encoder = new TextEncoder();

/**
 * Built files are made in a worker thread of their own when the server runs from its build (the
 * worker loads this very module, which Node cannot do from TypeScript source under Vite). The
 * server's thread then only passes bytes on: however many exports are being built, it stays free
 * for every other request, and the garbage they make is collected on the workers' heaps.
 */
const IN_WORKER = !import.meta.url.endsWith('.ts');
/** How many slices a worker may make ahead of the download's reader. */
const SLICES_AHEAD = 4;
/** What tells this module, loaded in a worker thread, that it is there to build an export. */
const EXPORT_WORKER = 'causeway-export';

/** What the server hands an export worker: the job, with the session by its code. */
type WorkerJob = {
	role: typeof EXPORT_WORKER;
	kind: ExportJob['kind'];
	code: string;
	origin: string;
	/** The server's database, which the worker reads on a connection of its own. */
	database: DatabaseConfig;
};
/**
 * Why a build failed, as a worker sends it: the message, a storage error's code, and the HTTP
 * status of a refusal (the session deleted after the server loaded it is a 410, not a 500).
 */
type WorkerFailure = { error: string; code?: string; status?: number };
/** What a worker sends back: a slice, the end (null), or why it failed. */
type WorkerMessage = Uint8Array | null | WorkerFailure;

/** A failure as the worker sends it across (errors do not cross threads with their fields). */
export function workerFailure(failure: unknown): WorkerFailure {
	const { message, code, status, body } = failure as {
		message?: string;
		code?: string;
		status?: number;
		body?: { message?: string };
	};
	// SvelteKit's refusals (`error(410, …)`) carry their status and say why in `body`.
	if (typeof status === 'number' && typeof body?.message === 'string')
		return { error: body.message, status };
	return { error: message ?? String(failure), code };
}

/** The worker's failure as the server's side throws it: a refusal keeps its status. */
export function failureFrom({ error: message, code, status }: WorkerFailure): unknown {
	if (status === undefined) return Object.assign(new Error(message), { code });
	try {
		error(status, message);
	} catch (refusal) {
		return refusal;
	}
}

/** The worker's side: makes the file a slice at a time, never more than SLICES_AHEAD ahead. */
async function buildInWorker(job: WorkerJob, port: MessagePort): Promise<void> {
	let credit = SLICES_AHEAD;
	let more: (() => void) | undefined;
	port.on('message', () => {
		credit += 1;
		more?.();
	});
	const send = (message: WorkerMessage, transfer: TransferListItem[] = []) =>
		port.postMessage(message, transfer);
	// On Linux a thread has a nice value of its own: the export yields the processor to the
	// server's thread (and to anything else the machine runs) whenever they want it.
	if (process.platform === 'linux') setPriority(constants.priority.PRIORITY_LOW);
	try {
		openReader(job.database);
		const session = await loadSession(job.code);
		const pieces = await piecesOf(
			job.kind === 'xapi'
				? { kind: job.kind, session, origin: job.origin }
				: { kind: job.kind, session }
		);
		for (const slice of slices(pieces)) {
			while (credit === 0) await new Promise<void>((resolve) => (more = resolve));
			credit -= 1;
			const bytes = encoder.encode(slice);
			send(bytes, [bytes.buffer]);
		}
		// Its own connection ends cleanly (on PostgreSQL the server would log a reset otherwise).
		await closeDatabase();
		send(null);
	} catch (failure) {
		await closeDatabase().catch(() => {});
		send(workerFailure(failure));
	}
}

if (!isMainThread && parentPort && (workerData as WorkerJob | undefined)?.role === EXPORT_WORKER)
	void buildInWorker(workerData as WorkerJob, parentPort);

/** The server's side: the file from a worker, its first slice (or failure) awaited. */
async function fromWorker(
	job: ExportJob,
	database: DatabaseConfig,
	release: () => void
): Promise<ReadableStream<Uint8Array>> {
	const worker = new Worker(new URL(import.meta.url), {
		workerData: {
			role: EXPORT_WORKER,
			kind: job.kind,
			code: job.session.row.code,
			origin: job.kind === 'xapi' ? job.origin : '',
			database
		} satisfies WorkerJob
	});
	const arrived: Uint8Array[] = [];
	let ended = false;
	let failure: unknown;
	let wake: (() => void) | undefined;
	const settle = () => wake?.();
	worker.on('message', (message: WorkerMessage) => {
		if (message instanceof Uint8Array) arrived.push(message);
		else if (message === null) ended = true;
		else failure = failureFrom(message);
		settle();
	});
	worker.on('error', (crash) => {
		failure = crash;
		settle();
	});
	worker.on('exit', (code) => {
		release();
		if (!ended) failure ??= new Error(`The export stopped (its worker exited with ${code}).`);
		settle();
	});
	const next = async () => {
		while (arrived.length === 0 && !ended && !failure)
			await new Promise<void>((resolve) => (wake = resolve));
	};
	const stop = () => void worker.terminate();
	await next();
	if (arrived.length === 0 && failure) {
		stop();
		throw failure;
	}
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			await next();
			const slice = arrived.shift();
			if (slice) {
				controller.enqueue(slice);
				worker.postMessage('more');
				return;
			}
			stop();
			if (failure) controller.error(failure);
			else controller.close();
		},
		cancel: stop
	});
}

/** The file made here, a slice per read, the event loop free between slices. */
async function inThisThread(
	job: ExportJob,
	release: () => void
): Promise<ReadableStream<Uint8Array>> {
	const iterator = slices(await piecesOf(job));
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			try {
				// Let waiting requests in first: the client may read as fast as we can write.
				await yieldToOthers();
				const next = iterator.next();
				if (next.done) {
					release();
					controller.close();
				} else controller.enqueue(encoder.encode(next.value));
			} catch (failure) {
				release();
				throw failure;
			}
		},
		cancel: release
	});
}

/**
 * Downloads built at the same time. Each holds a worker thread, with a heap and a database
 * connection of its own, for as long as its client reads: a host opening every download at once,
 * or a script asking again and again, must not start threads without end. Past these, a download
 * waits for its turn (a link clicked should not fail because others are being made); past a long
 * line, 503.
 */
export const EXPORTS_AT_ONCE = Math.max(2, availableParallelism());
export const EXPORTS_WAITING = 100;
const exportSlots = createSlots(EXPORTS_AT_ONCE, EXPORTS_WAITING);

/**
 * How long a download may wait for its reader to take the next slice. A browser's paused
 * download, or a script that opens downloads and never reads them, would otherwise hold a slot
 * (and a worker thread) for as long as it keeps the connection open: with every slot held that
 * way, no host could download anything.
 */
export const DOWNLOAD_STALL_MS = 60_000;

/** Why a download ended before its file did. */
export class StalledDownload extends Error {
	override name = 'StalledDownload';
}

/**
 * `body` as its reader takes it, a slice per read; once the reader has taken nothing for
 * `stallMs`, `body` is cancelled (which frees its slot and stops its worker) and the reader, if
 * it ever reads again, is told why.
 */
export function givenUpWhenStalled(
	body: ReadableStream<Uint8Array>,
	stallMs: number
): ReadableStream<Uint8Array> {
	const source = body.getReader();
	let timer: ReturnType<typeof setTimeout> | undefined;
	let controller!: ReadableStreamDefaultController<Uint8Array>;
	const waitForReader = () => {
		timer = setTimeout(() => {
			const reason = new StalledDownload(
				`The download was given up: nothing of it was read for ${stallMs / 1000} s.`
			);
			controller.error(reason);
			void source.cancel(reason).catch(() => {});
		}, stallMs);
		// A stalled download is no reason to keep a stopping server alive.
		timer.unref?.();
	};
	return new ReadableStream<Uint8Array>(
		{
			start(c) {
				controller = c;
				waitForReader();
			},
			async pull(c) {
				clearTimeout(timer);
				const { done, value } = await source.read();
				if (done) return c.close();
				c.enqueue(value);
				waitForReader();
			},
			cancel(reason) {
				clearTimeout(timer);
				return source.cancel(reason);
			}
		},
		// Nothing is taken from `body` before the reader asks: a slice waiting here unread is
		// what the stall limit counts.
		{ highWaterMark: 0 }
	);
}

/** A download with a file name, its body made a slice at a time as the client reads it. */
export async function download(
	job: ExportJob,
	type: string,
	filename: string,
	{ stallMs = DOWNLOAD_STALL_MS }: { stallMs?: number } = {}
): Promise<Response> {
	const release = await exportSlots.take();
	if (!release)
		return json(
			{ message: 'Too many downloads are being made right now; try again in a minute.' },
			{ status: 503, headers: { 'retry-after': '60' } }
		);
	try {
		const database = databaseConfig();
		const body =
			IN_WORKER && database
				? await fromWorker(job, database, release)
				: await inThisThread(job, release);
		return new Response(givenUpWhenStalled(body, stallMs), {
			headers: {
				'content-type': type,
				'content-disposition': `attachment; filename="${filename}"`,
				'cache-control': 'no-store'
			}
		});
	} catch (failure) {
		release();
		throw failure;
	}
}
