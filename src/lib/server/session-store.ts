/**
 * How a session is stored and read back: its row, its session machine's snapshot (restored
 * through a cache), its participants and its answers, with the one mapping of an answer row to
 * the answer every other module reads. The writes, each with its rules, are the service's
 * (`classroom.ts`); everything here reads, the same way for every caller (and says how a machine's
 * snapshot is written as text, the inverse of restoring it).
 */
import { error } from '@sveltejs/kit';
import type { ReportAnswer, ReportParticipant } from '$lib/classroom/report';
import { sessionMachine, type SessionSnapshot } from '$lib/classroom/session.machine';
import { sessionPack } from '$lib/classroom/session-pack';
import type { Pack } from '$lib/content/pack';
import { hashToken } from './auth';
import { findPack } from './content';
import {
	database,
	runNow,
	yieldToOthers,
	type AnswerRow,
	type ParticipantRow,
	type SessionRow
} from './db';

/** A session as loaded for one request. */
export interface LoadedSession {
	row: SessionRow;
	/** The session's pack, narrowed to the questions the session asks (see sessionPack). */
	pack: Pack;
	snapshot: SessionSnapshot;
}

/** What a deleted session's callers are told. */
export const DELETED = 'This session was deleted by its host.';

/** Whether a session with this code was deleted (its code is kept, and never given out again). */
export function wasDeleted(code: string): boolean {
	return (
		runNow(database().selectFrom('deleted_sessions').select('code').where('code', '=', code))
			.length > 0
	);
}

/**
 * The last snapshot restored for each stored machine text. Snapshots are immutable, and every
 * answer request reads its session's machine: the same text need not be parsed and resolved again.
 */
const restored = new Map<string, SessionSnapshot>();
const RESTORED_KEPT = 500;

/** The session machine's snapshot from its stored JSON. */
function restore(machine: string): SessionSnapshot {
	const known = restored.get(machine);
	if (known) return known;
	const snapshot = parseMachine(machine);
	if (restored.size >= RESTORED_KEPT) restored.delete(restored.keys().next().value!);
	restored.set(machine, snapshot);
	return snapshot;
}

function parseMachine(machine: string): SessionSnapshot {
	const stored = JSON.parse(machine) as {
		value: SessionSnapshot['value'];
		context: SessionSnapshot['context'];
	};
	return sessionMachine.resolveState({ value: stored.value, context: stored.context });
}

/** A snapshot as stored: the JSON of its persisted form. */
export function machineText(snapshot: SessionSnapshot): string {
	return JSON.stringify(sessionMachine.getPersistedSnapshot(snapshot));
}

/**
 * The session machine's state as stored at this instant, or undefined once the session is gone.
 * Read inside a write's transaction, so that the write acts on what is committed, not on the copy
 * its request loaded (the host may have moved on since).
 */
export function storedSnapshot(code: string): SessionSnapshot | undefined {
	const [current] = runNow(
		database().selectFrom('sessions').select('machine').where('code', '=', code)
	);
	return current && restore(current.machine);
}

/** The session with this code, or a 404. */
export async function loadSession(code: string): Promise<LoadedSession> {
	return readSession(code);
}

/**
 * The session as stored at this instant, read synchronously: nothing (no commit, no event sent)
 * can happen between this read and the caller's next synchronous step.
 */
export function readSession(code: string): LoadedSession {
	const [row] = runNow(database().selectFrom('sessions').selectAll().where('code', '=', code));
	if (!row) {
		if (wasDeleted(code)) error(410, DELETED);
		error(404, `There is no session with the code ${code}.`);
	}
	const pack = findPack(row.scenario_id);
	if (!pack) error(410, `This session's scenario "${row.scenario_id}" is no longer served.`);
	const snapshot = restore(row.machine);
	return { row, pack: sessionPack(pack, snapshot.context.questionIds), snapshot };
}

/** The participant of session `code` whose token this is, or null. */
export function participantByToken(code: string, token: string): ParticipantRow | null {
	return (
		runNow(
			database()
				.selectFrom('participants')
				.selectAll()
				.where('token_hash', '=', hashToken(token))
				.where('session_code', '=', code)
		)[0] ?? null
	);
}

/**
 * A stored answer as every reader takes it: the one mapping from its row. `parsed` passes the
 * response when the caller has it already (the answer just sent), to spare parsing it again.
 */
export function answerOf(row: AnswerRow, parsed?: { response: unknown }): ReportAnswer {
	return {
		answerId: row.answer_id,
		participantId: row.participant_id,
		questionId: row.question_id,
		response: parsed ? parsed.response : (JSON.parse(row.response) as unknown),
		correct: row.correct === 1,
		credit: row.credit,
		points: row.points,
		maxPoints: row.max_points,
		answeredAt: row.answered_at
	};
}

/** A session's participants, in the order they joined; read synchronously, as `answersOf`. */
export function participantsOf(code: string): ReportParticipant[] {
	return runNow(
		database()
			.selectFrom('participants')
			.select(['id', 'nickname', 'joined_at'])
			.where('session_code', '=', code)
			.orderBy('joined_at')
			.orderBy('id')
	).map((row) => ({ id: row.id, nickname: row.nickname, joinedAt: row.joined_at }));
}

/**
 * Every answer of a session in the order given, read synchronously: read right after
 * `participantsOf`, no commit can land between the two. For a tally read once, then kept running;
 * a long job reads `answerPages` instead.
 */
export function answersOf(code: string): ReportAnswer[] {
	return runNow(
		database()
			.selectFrom('answers')
			.selectAll()
			.where('session_code', '=', code)
			.orderBy('answered_at')
			.orderBy('answer_id')
	).map((row) => answerOf(row));
}

/** One participant's answers, in the order they gave them. */
export async function answersOfParticipant(participantId: string): Promise<ReportAnswer[]> {
	const rows = await database()
		.selectFrom('answers')
		.selectAll()
		.where('participant_id', '=', participantId)
		.orderBy('answered_at')
		.execute();
	return rows.map((row) => answerOf(row));
}

/** Answers read per slice by `answerPages`: a few milliseconds of work each. */
const ANSWERS_PER_PAGE = 100;

/**
 * A session's answers in the order they were given, a page at a time, with the event loop free
 * between pages: a class of 2,000 has 66,000 answers, and reading or processing them in one go
 * would hold up every other request for the whole time.
 */
export async function* answerPages(code: string): AsyncGenerator<ReportAnswer[]> {
	const db = database();
	let after: AnswerRow | undefined;
	for (;;) {
		const last = after;
		const page = runNow(
			db
				.selectFrom('answers')
				.selectAll()
				.where('session_code', '=', code)
				// A row value, so that SQLite walks answers_by_session_time from where the page ended.
				.$if(last !== undefined, (q) =>
					q.where((eb) =>
						eb(
							eb.refTuple('answered_at', 'answer_id'),
							'>',
							eb.tuple(last!.answered_at, last!.answer_id)
						)
					)
				)
				.orderBy('answered_at')
				.orderBy('answer_id')
				.limit(ANSWERS_PER_PAGE)
		);
		if (page.length > 0) yield page.map((row) => answerOf(row));
		if (page.length < ANSWERS_PER_PAGE) return;
		after = page.at(-1);
		await yieldToOthers();
	}
}
