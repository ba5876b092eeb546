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
import { queryTemplate } from './query-template';
import {
	database,
	rows,
	yieldToOthers,
	type AnswerRow,
	type ParticipantRow,
	type SessionRow,
	type Tx
} from './db';
import type { Read } from './store';

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
export async function wasDeleted(code: string, read: Read = rows): Promise<boolean> {
	const found = await read(
		database().selectFrom('deleted_sessions').select('code').where('code', '=', code)
	);
	return found.length > 0;
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
 * The session machine's state as stored, with its version, or undefined once the session is
 * gone. Read inside a write's transaction, so that the write acts on what is committed, not on
 * the copy its request loaded (the host may have moved on since); the row stays locked as `mode`
 * says until the write commits.
 */
export async function storedSnapshot(
	tx: Tx,
	code: string,
	mode: 'share' | 'update'
): Promise<{ snapshot: SessionSnapshot; version: number } | undefined> {
	const [current] = await tx.all(
		tx.locking(
			database().selectFrom('sessions').select(['machine', 'version']).where('code', '=', code),
			mode
		)
	);
	return current && { snapshot: restore(current.machine), version: current.version };
}

/** Every request of a session reads its row first. */
const sessionRow = queryTemplate((code: string) =>
	database().selectFrom('sessions').selectAll().where('code', '=', code)
);

/** The session with this code as stored now, or a 404 (a 410 once deleted). */
export async function loadSession(code: string): Promise<LoadedSession> {
	const [row] = await rows(sessionRow(code));
	if (!row) {
		if (await wasDeleted(code)) error(410, DELETED);
		error(404, `There is no session with the code ${code}.`);
	}
	const pack = findPack(row.scenario_id);
	if (!pack) error(410, `This session's scenario "${row.scenario_id}" is no longer served.`);
	const snapshot = restore(row.machine);
	return { row, pack: sessionPack(pack, snapshot.context.questionIds), snapshot };
}

/** Every request of a participant reads their row by their token's hash. */
const participantRow = queryTemplate((tokenHash: string, code: string) =>
	database()
		.selectFrom('participants')
		.selectAll()
		.where('token_hash', '=', tokenHash)
		.where('session_code', '=', code)
);

/** The participant of session `code` whose token this is, or null. */
export async function participantByToken(
	code: string,
	token: string
): Promise<ParticipantRow | null> {
	const [participant] = await rows(participantRow(hashToken(token), code));
	return participant ?? null;
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

/** A session's participants, in the order they joined. */
export async function participantsOf(
	code: string,
	read: Read = rows
): Promise<ReportParticipant[]> {
	const found = await read(
		database()
			.selectFrom('participants')
			.select(['id', 'nickname', 'joined_at'])
			.where('session_code', '=', code)
			.orderBy('joined_at')
			.orderBy('id')
	);
	return found.map((row) => ({ id: row.id, nickname: row.nickname, joinedAt: row.joined_at }));
}

/**
 * Every answer of a session in the order given, for a tally read once, then kept running (with
 * `participantsOf` in one `readTogether`); a long job reads `answerPages` instead.
 */
export async function answersOf(code: string, read: Read = rows): Promise<ReportAnswer[]> {
	const found = await read(
		database()
			.selectFrom('answers')
			.selectAll()
			.where('session_code', '=', code)
			.orderBy('answered_at')
			.orderBy('answer_id')
	);
	return found.map((row) => answerOf(row));
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
		const page = await rows(
			db
				.selectFrom('answers')
				.selectAll()
				.where('session_code', '=', code)
				// A row value, so that the database walks answers_by_session_time from where the page ended.
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
