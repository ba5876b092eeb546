/**
 * The classroom service: create, join, answer, pace, lock, remove, delete. Every write runs in
 * one group-committed transaction (`writeBatched`) that reads what is stored, applies the rules
 * and writes; only then are the live dashboard and the event streams told. Every answer is graded
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
import {
	checkpoint,
	database,
	runNow,
	writeBatched,
	type AnswerRow,
	type ParticipantRow
} from './db';
import { closeStreams, publish } from './hub';
import { countAnswer, countJoin, forgetTotals, refreshDashboard } from './live-dashboard';
import { nicknameKey } from './nickname';
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
		const inserted = await writeBatched(() =>
			wasDeleted(code)
				? []
				: runNow(
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
								joining_locked: 0
							})
							.onConflict((oc) => oc.column('code').doNothing())
							.returning('code')
					)
		);
		if (inserted.length === 1) return { code, hostToken };
	}
	error(503, 'Could not find a free join code; try again.');
}

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
	const inserted = await writeBatched(() => {
		// Read inside the transaction: the host may have locked joining a moment ago.
		const [current] = runNow(
			db.selectFrom('sessions').select('joining_locked').where('code', '=', code)
		);
		if (!current) error(410, DELETED);
		if (current.joining_locked === 1)
			error(409, 'The host has locked this session: nobody new can join it.');
		const [counted] = runNow(
			db
				.selectFrom('participants')
				.select((eb) => eb.fn.countAll<number>().as('joined'))
				.where('session_code', '=', code)
		);
		if ((counted?.joined ?? 0) >= maxParticipants)
			error(409, `This session is full: it has room for ${maxParticipants} participants.`);
		return runNow(
			db
				.insertInto('participants')
				.values({
					id: participantId,
					session_code: code,
					nickname,
					nickname_key: nicknameKey(nickname),
					token_hash: hashToken(participantToken),
					joined_at: joinedAt
				})
				.onConflict((oc) => oc.columns(['session_code', 'nickname_key']).doNothing())
				.returning('id')
		);
	});
	if (inserted.length !== 1) error(409, `The nickname "${nickname}" is taken in this session.`);
	countJoin(code, { id: participantId, nickname, joinedAt });
	refreshDashboard(session);
	return { participantId, participantToken, nickname };
}

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
	const { row, state } = await writeBatched(() => {
		// Read the session's state inside the transaction: the host may have moved on.
		const state = storedSnapshot(session.row.code);
		if (!state) error(410, DELETED);
		// One look-up for both: this very answer again (a retry), or another answer already given.
		const found = runNow(
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
		const same = found.find((a) => a.answer_id === body.answerId);
		if (same) {
			if (same.participant_id !== participant.id || same.question_id !== body.questionId) {
				error(409, 'This answerId was already used for another answer.');
			}
			return { row: same, state };
		}
		if (found.length > 0) error(409, 'You have already answered this question.');
		if (statusOf(state) === 'ended') error(410, ENDED);
		if (!isQuestionOpen(state, body.questionId))
			error(409, 'This question is not open for answers.');
		const grade = gradeResponse(question, body.response);
		if (!grade.valid) error(400, grade.error);
		const fresh: AnswerRow = {
			answer_id: body.answerId,
			session_code: session.row.code,
			participant_id: participant.id,
			question_id: question.id,
			response: JSON.stringify(body.response),
			correct: grade.correct ? 1 : 0,
			credit: grade.credit,
			points: pointsFor(grade.credit, { attempt: 1, hintUsed: false }),
			max_points: MAX_POINTS,
			answered_at: now()
		};
		runNow(db.insertInto('answers').values(fresh));
		return { row: fresh, state };
	});
	// Committed: count it in the running totals (a retry of a counted answer is not counted twice,
	// so the response sent with it, which is not read, does no harm).
	const answer = answerOf(row, body);
	countAnswer(session.row.code, answer);
	refreshDashboard(session);
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
	const next = await writeBatched(() => {
		const snapshot = storedSnapshot(session.row.code);
		if (!snapshot) error(410, DELETED);
		const event = CONTROL_EVENTS[action](questionId);
		if (!snapshot.can(event))
			error(409, `The session cannot ${action} now (it is ${statusOf(snapshot)}).`);
		const [after] = transition(sessionMachine, snapshot, event);
		runNow(
			db
				.updateTable('sessions')
				.set({
					machine: machineText(after),
					...(action === 'end' ? { ended_at: now() } : {})
				})
				.where('code', '=', session.row.code)
		);
		return after;
	});
	const updated = { ...session, snapshot: next };
	publish(session.row.code, 'state', pacingOf(updated));
	refreshDashboard(updated);
	return next;
}

/**
 * Deletes a session with its participants and answers (foreign keys cascade). Its code is kept
 * (and never reused), so that it answers 410 from now on; every event stream of it is closed.
 */
export async function deleteSession(session: LoadedSession): Promise<void> {
	const db = database();
	const { code } = session.row;
	await writeBatched(() => {
		runNow(db.deleteFrom('sessions').where('code', '=', code));
		runNow(db.insertInto('deleted_sessions').values({ code, deleted_at: now() }));
	});
	forgetTotals(code);
	checkpoint();
	publish(code, 'state', { ...pacingOf(session), status: 'ended' });
	closeStreams(code);
}

/** Locks or unlocks joining (host only): while locked, nobody new can join. */
export async function setJoiningLocked(session: LoadedSession, locked: boolean): Promise<void> {
	const db = database();
	await writeBatched(() =>
		runNow(
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
	const removed = await writeBatched(() =>
		runNow(
			db
				.deleteFrom('participants')
				.where('id', '=', participantId)
				.where('session_code', '=', code)
				.returning('id')
		)
	);
	if (removed.length === 0) error(404, 'There is no such participant in this session.');
	forgetTotals(code);
	closeStreams(code, (listener) => listener.participantId === participantId);
	refreshDashboard(session);
}
