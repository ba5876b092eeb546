/**
 * The classroom service: create, join, answer, pace, lock, remove, delete. Every write runs in
 * one transaction (`write`) that reads what is stored, applies the rules and writes, and
 * announces what it changed as facts: once it commits, they update the live dashboards and the
 * event streams of every server process (`live-events.ts`). Every answer is graded
 * here with the shared grader; whatever score or correctness a client sends is never read. An
 * answer is acknowledged only after its transaction has committed. Reading back is the store's
 * job (`session-store.ts`); what callers see is the views' (`session-views.ts`, `results.ts`).
 */
import { randomUUID } from 'node:crypto';
import { error } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { initialTransition, transition } from 'xstate';
import type { InferOutput } from 'valibot';
import type { AnswerAck, AnswerBody, ControlAction, CreateSessionBody } from '$lib/classroom/api';
import {
	isQuestionOpen,
	isQuestionRevealed,
	sessionMachine,
	statusOf,
	type SessionEvent,
	type SessionSnapshot
} from '$lib/classroom/session.machine';
import { pickQuestions } from '$lib/classroom/session-pack';
import { questionsOf } from '$lib/content/pack';
import { gradeResponse, MAX_POINTS, pointsFor } from '$lib/grading/score';
import { hashToken, newJoinCode, newToken } from './auth';
import { DEFAULT_MAX_PARTICIPANTS, positiveSetting } from './config';
import { findPack } from './content';
import { database, scrubDeleted, write, type AnswerRow, type ParticipantRow, type Tx } from './db';
import { nicknameKey } from './nickname';
import { queryTemplate } from './query-template';
import {
	answerOf,
	DELETED,
	machineText,
	storedSnapshot,
	wasDeleted,
	type LoadedSession
} from './session-store';
import { pacingOf, resultOf } from './session-views';

const now = () => new Date().toISOString();

const ENDED = 'This session has ended.';

/** Creates a session for a pack; the host token is returned once and stored only as a hash. */
export async function createSession(
	body: InferOutput<typeof CreateSessionBody>,
	teacherId: string | null = null
): Promise<{ code: string; hostToken: string }> {
	const pack = findPack(body.scenario);
	if (!pack) error(400, `There is no scenario called "${body.scenario}".`);
	const { picked, unknown } = pickQuestions(
		pack,
		body.questionIds ?? questionsOf(pack).map((q) => q.id)
	);
	if (unknown.length > 0)
		error(
			400,
			`The scenario "${pack.id}" has no question ${unknown.map((id) => `"${id}"`).join(', ')}.`
		);
	const [initial] = initialTransition(sessionMachine, { mode: body.mode, questionIds: picked });
	const hostToken = newToken();
	for (let tries = 0; tries < 8; tries++) {
		const code = newJoinCode();
		const db = database();
		const inserted = await write(async (tx) =>
			(await wasDeleted(code, tx.all))
				? []
				: tx.all(
						db
							.insertInto('sessions')
							.values({
								code,
								teacher_id: teacherId,
								scenario_id: pack.id,
								mode: body.mode,
								title: body.title || pack.title,
								host_token_hash: hashToken(hostToken),
								machine: machineText(initial),
								created_at: now(),
								ended_at: null,
								closed_book: body.closedBook ? 1 : 0,
								joining_locked: 0,
								version: 0
							})
							.onConflict((oc) => oc.column('code').doNothing())
							.returning('code')
					)
		);
		if (inserted.length === 1) return { code, hostToken };
	}
	error(503, 'Could not find a free join code; try again.');
}

/** How many have joined a session, read by every join (a class joins within seconds). */
const participantCount = queryTemplate((code: string) =>
	database()
		.selectFrom('participants')
		.select((eb) => eb.fn.countAll<number>().as('joined'))
		.where('session_code', '=', code)
);

/** Adds a participant unless their nickname's key is taken in the session (then no row comes back). */
const insertParticipant = queryTemplate((participant: ParticipantRow) =>
	database()
		.insertInto('participants')
		.values(participant)
		.onConflict((oc) => oc.columns(['session_code', 'nickname_key']).doNothing())
		.returning('id')
);

/**
 * Joins a session under a nickname, unique in the session whatever its case; refused (409) once
 * the host has locked joining or the session has MAX_PARTICIPANTS, and (410) once it has ended.
 */
export async function joinSession(
	session: LoadedSession,
	nickname: string
): Promise<{ participantId: string; participantToken: string; nickname: string }> {
	if (statusOf(session.snapshot) === 'ended') error(410, ENDED);
	const participantId = randomUUID();
	const participantToken = newToken();
	const joinedAt = now();
	const db = database();
	const { code } = session.row;
	const maxParticipants = positiveSetting(env.MAX_PARTICIPANTS, DEFAULT_MAX_PARTICIPANTS);
	// Group commit, as answers: a class joining at once shares transactions and disk flushes.
	const inserted = await write(async (tx) => {
		// Read inside the transaction: the host may have locked joining a moment ago. The row stays
		// share-locked until this join commits, so locking joining waits for the joins under way.
		const [current] = await tx.all(
			tx.locking(
				db.selectFrom('sessions').select('joining_locked').where('code', '=', code),
				'share'
			)
		);
		if (!current) error(410, DELETED);
		if (current.joining_locked === 1)
			error(409, 'The host has locked this session: nobody new can join it.');
		const [counted] = await tx.all(participantCount(code));
		if ((counted?.joined ?? 0) >= maxParticipants)
			error(409, `This session is full: it has room for ${maxParticipants} participants.`);
		const added = await tx.all(
			insertParticipant({
				id: participantId,
				session_code: code,
				nickname,
				nickname_key: nicknameKey(nickname),
				token_hash: hashToken(participantToken),
				joined_at: joinedAt
			})
		);
		if (added.length === 1)
			tx.announce({
				kind: 'joined',
				code,
				participant: { id: participantId, nickname, joinedAt }
			});
		return added;
	});
	if (inserted.length !== 1) error(409, `The nickname "${nickname}" is taken in this session.`);
	return { participantId, participantToken, nickname };
}

/**
 * Stores an answer unless this answerId, or an answer of this participant to this question, is
 * stored already: then nothing is stored and no row comes back (see `submitAnswer`).
 */
const insertAnswer = queryTemplate((answer: AnswerRow) =>
	database()
		.insertInto('answers')
		.values(answer)
		.onConflict((oc) => oc.doNothing())
		.returning('answer_id')
);

/**
 * Grades and stores one answer. A retry with the same answerId returns the stored result and
 * stores nothing; another answer to a question already answered, or to a question not open, is
 * a 409. The acknowledgement is sent only once the row is committed; in a teacher-paced session
 * it holds the result only after the host has revealed the question, so that the first student to
 * answer cannot read the answer out to the class.
 */
export async function submitAnswer(
	session: LoadedSession,
	participant: Pick<ParticipantRow, 'id'>,
	body: InferOutput<typeof AnswerBody>
): Promise<AnswerAck> {
	const question = questionsOf(session.pack).find((q) => q.id === body.questionId);
	if (!question) error(400, `There is no question "${body.questionId}" in this session.`);
	const db = database();
	const { code } = session.row;
	/** This very answer again (a retry), or another answer already given to the question. */
	const givenBefore = (read: Tx['all']) =>
		read(
			db
				.selectFrom('answers')
				.selectAll()
				.where((w) =>
					w.or([
						w('answer_id', '=', body.answerId),
						w.and([
							w('participant_id', '=', participant.id),
							w('question_id', '=', body.questionId)
						])
					])
				)
		);
	/** A retry's stored answer, or a 409 for another answer to the same question. */
	const storedAnswer = (found: AnswerRow[]): AnswerRow | undefined => {
		const same = found.find((a) => a.answer_id === body.answerId);
		if (same && (same.participant_id !== participant.id || same.question_id !== body.questionId))
			error(409, 'This answerId was already used for another answer.');
		if (!same && found.length > 0) error(409, 'You have already answered this question.');
		return same;
	};
	const { row, state } = await write(async (tx) => {
		// Read the session's state inside the transaction: the host may have moved on. Share-locked
		// until this answer commits: pacing waits for the answers under way, never the reverse.
		const stored = await storedSnapshot(tx, code, 'share');
		if (!stored) error(410, DELETED);
		const state = stored.snapshot;
		if (statusOf(state) === 'ended' || !isQuestionOpen(state, body.questionId)) {
			// Closed now: a retry of an answer stored while it was open still gets its result.
			const retried = storedAnswer(await givenBefore(tx.all));
			if (retried) return { row: retried, state };
			if (statusOf(state) === 'ended') error(410, ENDED);
			error(409, 'This question is not open for answers.');
		}
		const grade = gradeResponse(question, body.response);
		if (!grade.valid) error(400, grade.error);
		const fresh: AnswerRow = {
			answer_id: body.answerId,
			session_code: code,
			participant_id: participant.id,
			question_id: question.id,
			response: JSON.stringify(body.response),
			correct: grade.correct ? 1 : 0,
			credit: grade.credit,
			points: pointsFor(grade.credit, { attempt: 1, hintUsed: false }),
			max_points: MAX_POINTS,
			answered_at: now()
		};
		// Stored unless this answerId, or an answer of this participant to this question, is stored
		// already (a retry; another answer; the same retry sent to another server process at this
		// very moment): then nothing is stored and the stored one decides. No error is raised,
		// which on PostgreSQL would abort the whole transaction. The common case costs one query.
		const inserted = await tx.all(insertAnswer(fresh));
		if (inserted.length === 0) {
			const before = storedAnswer(await givenBefore(tx.all));
			if (!before) error(409, 'You have already answered this question.');
			return { row: before, state };
		}
		tx.announce({ kind: 'answered', code, answer: answerOf(fresh, body) });
		return { row: fresh, state };
	});
	// Committed (a retry of a counted answer is not counted twice, so its facts do no harm).
	const answer = answerOf(row, body);
	return isQuestionRevealed(state, answer.questionId)
		? { revealed: true, ...resultOf(answer, session.pack) }
		: { revealed: false, answerId: answer.answerId, questionId: answer.questionId };
}

const CONTROL_EVENTS: Record<ControlAction, (questionId?: string) => SessionEvent> = {
	start: () => ({ type: 'session.start' }),
	open: (questionId) => ({ type: 'question.open', questionId: questionId ?? '' }),
	reveal: () => ({ type: 'question.reveal' }),
	next: () => ({ type: 'question.next' }),
	end: () => ({ type: 'session.end' })
};

/** Applies a host's pacing action; an action the session cannot take now is a 409. */
export async function controlSession(
	session: LoadedSession,
	action: ControlAction,
	questionId?: string
): Promise<SessionSnapshot> {
	if (action === 'open' && !questionId) error(400, 'open needs a questionId.');
	const db = database();
	const { code } = session.row;
	return write(async (tx) => {
		// Locked for update: waits for the answers and joins under way, and holds off new ones
		// until the change commits.
		const stored = await storedSnapshot(tx, code, 'update');
		if (!stored) error(410, DELETED);
		const event = CONTROL_EVENTS[action](questionId);
		if (!stored.snapshot.can(event))
			error(409, `The session cannot ${action} now (it is ${statusOf(stored.snapshot)}).`);
		const [after] = transition(sessionMachine, stored.snapshot, event);
		const version = stored.version + 1;
		await tx.all(
			db
				.updateTable('sessions')
				.set({
					machine: machineText(after),
					version,
					...(action === 'end' ? { ended_at: now() } : {})
				})
				.where('code', '=', code)
		);
		tx.announce({
			kind: 'state',
			code,
			version,
			pacing: pacingOf({ ...session, snapshot: after })
		});
		return after;
	});
}

/**
 * Deletes a session with its participants and answers (foreign keys cascade). Its code is kept
 * (and never reused), so that it answers 410 from now on; every event stream of it is closed.
 */
export async function deleteSession(session: LoadedSession): Promise<void> {
	const db = database();
	const { code } = session.row;
	await write(async (tx) => {
		await tx.all(db.deleteFrom('sessions').where('code', '=', code));
		await tx.all(db.insertInto('deleted_sessions').values({ code, deleted_at: now() }));
		tx.announce({ kind: 'deleted', code, pacing: { ...pacingOf(session), status: 'ended' } });
	});
	scrubDeleted();
}

/** Locks or unlocks joining (host only): while locked, nobody new can join. */
export async function setJoiningLocked(session: LoadedSession, locked: boolean): Promise<void> {
	const db = database();
	await write((tx) =>
		tx.all(
			db
				.updateTable('sessions')
				.set({ joining_locked: locked ? 1 : 0 })
				.where('code', '=', session.row.code)
		)
	);
}

/**
 * Removes a participant (host only): their row and every answer they gave are deleted, so their
 * token stops working at once, their event stream is closed, and nothing of theirs is left in
 * the dashboard, results, report or exports. Unless joining is locked they can join again, as
 * someone new.
 */
export async function removeParticipant(
	session: LoadedSession,
	participantId: string
): Promise<void> {
	const db = database();
	const { code } = session.row;
	const removed = await write(async (tx) => {
		const gone = await tx.all(
			db
				.deleteFrom('participants')
				.where('id', '=', participantId)
				.where('session_code', '=', code)
				.returning('id')
		);
		if (gone.length > 0) tx.announce({ kind: 'removed', code, participantId });
		return gone;
	});
	if (removed.length === 0) error(404, 'There is no such participant in this session.');
}
