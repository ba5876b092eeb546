/**
 * Classroom sessions: create, join, answer, pace, report. Every answer is graded here with the
 * shared grader; whatever score or correctness a client sends is never read. An answer is
 * acknowledged only after its transaction has committed.
 */
import { randomUUID } from 'node:crypto';
import { error, type RequestEvent } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { initialTransition, transition } from 'xstate';
import type { InferOutput } from 'valibot';
import type {
	AnswerAck,
	AnswerBody,
	AnswerResult,
	ControlAction,
	CreateSessionBody,
	OwnAnswer,
	Pacing,
	ParticipantView,
	RevealedKey
} from '$lib/classroom/api';
import { DashboardTally, type Dashboard } from '$lib/classroom/dashboard';
import { ReportBuilder, type ReportParticipant, type SessionReport } from '$lib/classroom/report';
import {
	askedQuestions,
	isQuestionOpen,
	isQuestionRevealed,
	pacingOf as pacingOfSnapshot,
	sessionMachine,
	statusOf,
	type SessionEvent,
	type SessionSnapshot
} from '$lib/classroom/session.machine';
import { pickQuestions, sessionPack } from '$lib/classroom/session-pack';
import { questionsOf, type Pack } from '$lib/content/pack';
import { presentQuestion } from '$lib/content/present';
import { gradeResponse, pointsFor } from '$lib/grading/score';
import { describeAnswer } from '$lib/journey/describe';
import {
	bearerToken,
	hashToken,
	hostCookie,
	newJoinCode,
	newToken,
	participantCookie,
	tokenMatches
} from './auth';
import { DEFAULT_MAX_PARTICIPANTS, positiveSetting } from './config';
import { findPack } from './content';
import {
	checkpoint,
	database,
	runNow,
	writeBatched,
	yieldToOthers,
	type AnswerRow,
	type ParticipantRow,
	type SessionRow
} from './db';
import { closeStreams, publish, scheduleDashboard } from './hub';
import { nicknameKey } from './nickname';
import { teacherOf } from './teachers';

/** A session as loaded for one request. */
export interface LoadedSession {
	row: SessionRow;
	/** The session's pack, narrowed to the questions the session asks (see sessionPack). */
	pack: Pack;
	snapshot: SessionSnapshot;
}

/** Who is calling, as far as this session is concerned. */
export interface Caller {
	host: boolean;
	participant: ParticipantRow | null;
}

const now = () => new Date().toISOString();

const DELETED = 'This session was deleted by its host.';
const ENDED = 'This session has ended.';

/** Whether a session with this code was deleted (its code is kept, and never given out again). */
function wasDeleted(code: string): boolean {
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
								machine: JSON.stringify(sessionMachine.getPersistedSnapshot(initial)),
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

/** Resolves the caller from a bearer token or the session's cookies. */
export async function identify(event: RequestEvent, session: LoadedSession): Promise<Caller> {
	const { code, host_token_hash } = session.row;
	const bearer = bearerToken(event.request);
	const hostToken = bearer ?? event.cookies.get(hostCookie(code));
	const participantToken = bearer ?? event.cookies.get(participantCookie(code));
	const participant = participantToken
		? (runNow(
				database()
					.selectFrom('participants')
					.selectAll()
					.where('token_hash', '=', hashToken(participantToken))
					.where('session_code', '=', code)
			)[0] ?? null)
		: null;
	const byToken = hostToken !== undefined && tokenMatches(hostToken, host_token_hash);
	const byTeacher =
		!byToken &&
		session.row.teacher_id !== null &&
		(await teacherOf(event))?.id === session.row.teacher_id;
	return { host: byToken || byTeacher, participant };
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
	tallies.get(code)?.addParticipant({ id: participantId, nickname, joinedAt });
	refreshDashboard(session);
	return { participantId, participantToken, nickname };
}

/** A question's answer, explanation and evidence: for participants once it is revealed. */
function keyOf(questionId: string, pack: Pack): RevealedKey {
	const question = questionsOf(pack).find((q) => q.id === questionId);
	const evidence = question?.evidence ?? [];
	return {
		questionId,
		answerText: question ? describeAnswer(question, pack.article.sources) : '',
		explanation: question?.explanation ?? '',
		evidence,
		highlights: evidence.flatMap((passage) => pack.anchors[passage] ?? [])
	};
}

function resultOf(row: AnswerRow, pack: Pack): AnswerResult {
	return {
		...keyOf(row.question_id, pack),
		answerId: row.answer_id,
		correct: row.correct === 1,
		credit: row.credit,
		points: row.points,
		maxPoints: row.max_points
	};
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
	participant: ParticipantRow,
	body: InferOutput<typeof AnswerBody>
): Promise<AnswerAck> {
	const question = questionsOf(session.pack).find((q) => q.id === body.questionId);
	if (!question) error(400, `There is no question "${body.questionId}" in this session.`);
	const db = database();
	const { row, state } = await writeBatched(() => {
		// Read the session's state inside the transaction: the host may have moved on.
		const [current] = runNow(
			db.selectFrom('sessions').select('machine').where('code', '=', session.row.code)
		);
		if (!current) error(410, DELETED);
		const state = restore(current.machine);
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
			max_points: pointsFor(1, { attempt: 1, hintUsed: false }),
			answered_at: now()
		};
		runNow(db.insertInto('answers').values(fresh));
		return { row: fresh, state };
	});
	// Committed: count it in the running totals (a retry of a counted answer is not counted twice).
	tallies.get(session.row.code)?.addAnswer({
		participantId: row.participant_id,
		questionId: row.question_id,
		response: body.response,
		correct: row.correct === 1,
		points: row.points,
		answeredAt: row.answered_at
	});
	refreshDashboard(session);
	return isQuestionRevealed(state, row.question_id)
		? { revealed: true, ...resultOf(row, session.pack) }
		: { revealed: false, answerId: row.answer_id, questionId: row.question_id };
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
		const [current] = runNow(
			db.selectFrom('sessions').select('machine').where('code', '=', session.row.code)
		);
		if (!current) error(410, DELETED);
		const snapshot = restore(current.machine);
		const event = CONTROL_EVENTS[action](questionId);
		if (!snapshot.can(event))
			error(409, `The session cannot ${action} now (it is ${statusOf(snapshot)}).`);
		const [after] = transition(sessionMachine, snapshot, event);
		runNow(
			db
				.updateTable('sessions')
				.set({
					machine: JSON.stringify(sessionMachine.getPersistedSnapshot(after)),
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

/** What participants need to follow the pace: status, the question on screen, revealed questions. */
export function pacingOf(session: LoadedSession): Pacing {
	return pacingOfSnapshot(session.snapshot);
}

/** Answers read per slice by `answerPages`: a few milliseconds of work each. */
const ANSWERS_PER_PAGE = 100;

/**
 * A session's answers in the order they were given, a page at a time, with the event loop free
 * between pages: a class of 2,000 has 66,000 answers, and reading or processing them in one go
 * would hold up every other request for the whole time.
 */
async function* answerPages(code: string): AsyncGenerator<AnswerRow[]> {
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
		if (page.length > 0) yield page;
		if (page.length < ANSWERS_PER_PAGE) return;
		after = page.at(-1);
		await yieldToOthers();
	}
}

async function participantsOf(code: string) {
	return database()
		.selectFrom('participants')
		.selectAll()
		.where('session_code', '=', code)
		.orderBy('joined_at')
		.orderBy('id')
		.execute();
}

/**
 * Running dashboard totals of the sessions whose dashboards were asked for lately. Each is read
 * from the database once, then kept up to date by every join and answer this server commits (it
 * is the only writer of its SQLite file), so a refresh costs the same with 20 or 20,000 answers.
 */
const tallies = new Map<string, DashboardTally>();
const TALLIES_KEPT = 64;

function tallyOf(session: LoadedSession): DashboardTally {
	const { code } = session.row;
	const kept = tallies.get(code);
	if (kept) {
		// Most recently used last, so the one dropped when full is the one used longest ago.
		tallies.delete(code);
		tallies.set(code, kept);
		return kept;
	}
	const tally = new DashboardTally(session.pack);
	// Read synchronously: no commit can land between the two reads and the tally's creation.
	const db = database();
	for (const p of runNow(
		db
			.selectFrom('participants')
			.select(['id', 'nickname', 'joined_at'])
			.where('session_code', '=', code)
			.orderBy('joined_at')
			.orderBy('id')
	))
		tally.addParticipant({ id: p.id, nickname: p.nickname, joinedAt: p.joined_at });
	for (const a of runNow(
		db
			.selectFrom('answers')
			.select(['participant_id', 'question_id', 'response', 'correct', 'points', 'answered_at'])
			.where('session_code', '=', code)
			.orderBy('answered_at')
			.orderBy('answer_id')
	))
		tally.addAnswer({
			participantId: a.participant_id,
			questionId: a.question_id,
			response: JSON.parse(a.response) as unknown,
			correct: a.correct === 1,
			points: a.points,
			answeredAt: a.answered_at
		});
	if (tallies.size >= TALLIES_KEPT) tallies.delete(tallies.keys().next().value!);
	tallies.set(code, tally);
	return tally;
}

/** The host's live figures for a session. */
export function dashboardOf(session: LoadedSession): Dashboard {
	return tallyOf(session).view(pacingOf(session).currentQuestionId);
}

function refreshDashboard(session: LoadedSession): void {
	scheduleDashboard(session.row.code, async () => dashboardOf(await loadSession(session.row.code)));
}

/** The session as the caller may see it: hosts get everything, participants no answer keys. */
export async function sessionView(session: LoadedSession, caller: Caller, origin: string) {
	const { row, pack } = session;
	const base = {
		code: row.code,
		title: row.title,
		scenario: { id: pack.id, title: pack.title },
		...pacingOf(session),
		joinUrl: `${origin}/join/${row.code}`,
		// A short session's links with none of its questions are left out.
		links: pack.steps
			.filter((s) => s.questions.length > 0)
			.map((s) => ({ id: s.id, title: s.title, questionIds: s.questions.map((q) => q.id) }))
	};
	if (caller.host) {
		return {
			...base,
			role: 'host' as const,
			joiningLocked: row.joining_locked === 1,
			dashboard: dashboardOf(session)
		};
	}
	if (caller.participant) {
		const own = await database()
			.selectFrom('answers')
			.selectAll()
			.where('participant_id', '=', caller.participant.id)
			.orderBy('answered_at')
			.execute();
		const answers = own.map((a): OwnAnswer => {
			const response = JSON.parse(a.response) as unknown;
			// Before the host reveals a question, its result, explanation and evidence stay back.
			return isQuestionRevealed(session.snapshot, a.question_id)
				? { ...resultOf(a, pack), response, revealed: true }
				: { answerId: a.answer_id, questionId: a.question_id, response, revealed: false };
		});
		const view: ParticipantView = {
			...base,
			role: 'participant',
			me: { participantId: caller.participant.id, nickname: caller.participant.nickname, answers },
			questions: questionsOf(pack).map(presentQuestion),
			sources: pack.article.sources,
			article: row.closed_book ? null : pack.article,
			// Revealed by the host: self-paced results come with each answer, never before it.
			keys: session.snapshot.context.revealed.map((id) => keyOf(id, pack)),
			glossary: pack.glossary
		};
		return view;
	}
	return { ...base, role: 'guest' as const };
}

/** Every participant with each answer and their totals (hosts only). */
export async function sessionResults(session: LoadedSession) {
	const participants = await participantsOf(session.row.code);
	const answersOf = new Map<string, AnswerRow[]>(participants.map((p) => [p.id, []]));
	for await (const page of answerPages(session.row.code))
		for (const a of page) answersOf.get(a.participant_id)?.push(a);
	const maxPoints =
		questionsOf(session.pack).length * pointsFor(1, { attempt: 1, hintUsed: false });
	return {
		code: session.row.code,
		scenario: session.pack.id,
		status: statusOf(session.snapshot),
		maxPoints,
		participants: participants.map((p) => {
			const own = answersOf.get(p.id) ?? [];
			return {
				participantId: p.id,
				nickname: p.nickname,
				joinedAt: p.joined_at,
				answers: own.map((a) => ({
					answerId: a.answer_id,
					questionId: a.question_id,
					response: JSON.parse(a.response) as unknown,
					correct: a.correct === 1,
					points: a.points,
					maxPoints: a.max_points,
					answeredAt: a.answered_at
				})),
				totals: {
					answered: own.length,
					correct: own.filter((a) => a.correct === 1).length,
					points: own.reduce((n, a) => n + a.points, 0),
					maxPoints
				}
			};
		})
	};
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
	tallies.delete(code);
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
	// The running totals cannot subtract; they are read again from the database when next needed.
	tallies.delete(code);
	closeStreams(code, (listener) => listener.participantId === participantId);
	refreshDashboard(session);
}

type BuiltReport = {
	report: SessionReport;
	participants: ReportParticipant[];
	endedAt: string | null;
};

/** Reports being built, by session: a second request while one is built waits for the same one. */
const reportsInProgress = new Map<string, Promise<BuiltReport>>();

/**
 * The session's report: every answer with its link, skill and time, totals and mastery. Built a
 * page of answers at a time, the event loop free in between (`answerPages`); requests that come
 * while it is being built (a host downloading every export at once) share it, so that a class of
 * 2,000 costs one build, not one per download.
 */
export function reportOf(session: LoadedSession): Promise<BuiltReport> {
	const { code } = session.row;
	let building = reportsInProgress.get(code);
	if (!building) {
		building = buildReportOf(session).finally(() => reportsInProgress.delete(code));
		reportsInProgress.set(code, building);
	}
	return building;
}

async function buildReportOf(session: LoadedSession): Promise<BuiltReport> {
	const participants = (await participantsOf(session.row.code)).map((p) => ({
		id: p.id,
		nickname: p.nickname,
		joinedAt: p.joined_at
	}));
	const builder = new ReportBuilder(session.pack, participants, askedQuestions(session.snapshot));
	for await (const page of answerPages(session.row.code)) {
		builder.add(
			page.map((a) => ({
				answerId: a.answer_id,
				participantId: a.participant_id,
				questionId: a.question_id,
				response: JSON.parse(a.response) as unknown,
				correct: a.correct === 1,
				credit: a.credit,
				points: a.points,
				maxPoints: a.max_points,
				answeredAt: a.answered_at
			}))
		);
	}
	const finishing = builder.finishing();
	for (;;) {
		const step = finishing.next();
		if (step.done) return { report: step.value, participants, endedAt: session.row.ended_at };
		await yieldToOthers();
	}
}
