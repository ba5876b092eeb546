/**
 * The host's downloads: answers and totals as CSV, statements as xAPI. Built from the report so
 * that every export says the same thing the report page shows. A class of 2,000 makes files of
 * tens of megabytes: each is sent as a stream, made a slice at a time as the client reads it,
 * so that building it never holds up the server's other requests for long.
 */
import { csvPieces } from '$lib/classroom/csv';
import { SKILLS } from '$lib/content/schema';
import { yieldToOthers } from './db';
import { reportOf } from './results';
import type { LoadedSession } from './session-store';
import { eachStatement, sessionStatements, type Statement, type StatementsInput } from './xapi';

/** `items` each turned by `map`, one at a time as they are read. */
function* mapped<T, R>(items: Iterable<T>, map: (item: T) => R): Generator<R> {
	for (const item of items) yield map(item);
}

/** One row per answer, as CSV pieces. */
export async function answersCsv(session: LoadedSession): Promise<Iterable<string>> {
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
export async function totalsCsv(session: LoadedSession): Promise<Iterable<string>> {
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

/** The session's xAPI statements. */
export async function statementsOf(session: LoadedSession, origin: string): Promise<Statement[]> {
	return sessionStatements(await statementsInput(session, origin));
}

/**
 * The session's xAPI statements as pieces of one JSON array, written exactly as
 * `JSON.stringify(statements, null, 2)` would write it.
 */
export async function statementsJson(
	session: LoadedSession,
	origin: string
): Promise<Iterable<string>> {
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

/** About this many characters are made per slice of a download. */
const SLICE_CHARACTERS = 16 * 1024;

/**
 * A download with a file name, its body made a slice at a time as the client reads it, with the
 * event loop free between slices.
 */
export function download(pieces: Iterable<string>, type: string, filename: string): Response {
	const iterator = pieces[Symbol.iterator]();
	const encoder = new TextEncoder();
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			// Let waiting requests in first: the client may read as fast as we can write.
			await yieldToOthers();
			let slice = '';
			while (slice.length < SLICE_CHARACTERS) {
				const next = iterator.next();
				if (next.done) {
					if (slice) controller.enqueue(encoder.encode(slice));
					controller.close();
					return;
				}
				slice += next.value;
			}
			controller.enqueue(encoder.encode(slice));
		}
	});
	return new Response(body, {
		headers: {
			'content-type': type,
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'no-store'
		}
	});
}
