/**
 * A classroom session's lifecycle as a pure XState machine: lobby → running → ended. In a
 * teacher-paced session the host opens one question at a time and reveals it; in a self-paced
 * session every question is open while the session runs. The server keeps the persisted
 * snapshot in the database and moves it with `transition()`, so a restart resumes every session.
 */
import { assign, setup, type SnapshotFrom } from 'xstate';

export const SESSION_MODES = ['teacher-paced', 'self-paced'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

export interface SessionInput {
	mode: SessionMode;
	/** The pack's question ids in the order the learner meets them. */
	questionIds: string[];
}

export interface SessionContext extends SessionInput {
	/** The question open for answers (teacher-paced), or the last one opened; null before any. */
	openQuestionId: string | null;
	/** Questions whose answers the host has revealed (teacher-paced). */
	revealed: string[];
	/** Questions the host has opened at least once, in the session's order (teacher-paced). */
	asked: string[];
}

export type SessionEvent =
	| { type: 'session.start' }
	| { type: 'question.open'; questionId: string }
	| { type: 'question.reveal' }
	| { type: 'question.next' }
	| { type: 'session.end' };

/**
 * The context after opening a question: it is the open one, and it counts as asked. Asked
 * questions are kept in the session's order, not the order opened: the set is what matters.
 */
function opened(context: SessionContext, questionId: string | null) {
	const asked = context.asked ?? [];
	return {
		openQuestionId: questionId,
		asked:
			questionId === null || asked.includes(questionId)
				? asked
				: context.questionIds.filter((id) => id === questionId || asked.includes(id))
	};
}

/** The session's machine. One definition for every session; the pack comes in through input. */
export const sessionMachine = setup({
	types: {
		input: {} as SessionInput,
		context: {} as SessionContext,
		events: {} as SessionEvent
	},
	guards: {
		isTeacherPaced: ({ context }) => context.mode === 'teacher-paced',
		isKnownQuestion: ({ context, event }) =>
			event.type === 'question.open' && context.questionIds.includes(event.questionId),
		hasNextQuestion: ({ context }) =>
			context.questionIds.indexOf(context.openQuestionId ?? '') + 1 < context.questionIds.length
	},
	actions: {
		openQuestion: assign(({ context, event }) =>
			opened(context, event.type === 'question.open' ? event.questionId : null)
		),
		openNextQuestion: assign(({ context }) =>
			opened(
				context,
				context.questionIds[context.questionIds.indexOf(context.openQuestionId ?? '') + 1] ?? null
			)
		),
		revealQuestion: assign(({ context }) => ({
			revealed:
				context.openQuestionId === null || context.revealed.includes(context.openQuestionId)
					? context.revealed
					: [...context.revealed, context.openQuestionId]
		}))
	}
}).createMachine({
	id: 'session',
	context: ({ input }) => ({ ...input, openQuestionId: null, revealed: [], asked: [] }),
	initial: 'lobby',
	states: {
		lobby: {
			on: {
				'session.start': [
					{ guard: 'isTeacherPaced', target: 'running.waiting' },
					{ target: 'running.selfPaced' }
				],
				'session.end': 'ended'
			}
		},
		running: {
			// Entered through session.start, which picks the child by mode.
			initial: 'waiting',
			on: { 'session.end': 'ended' },
			states: {
				/** Self-paced: every question is open; the host only ends the session. */
				selfPaced: {},
				/** Teacher-paced, no question open: the host opens one. */
				waiting: {
					on: {
						'question.open': { guard: 'isKnownQuestion', target: 'open', actions: 'openQuestion' },
						'question.next': {
							guard: 'hasNextQuestion',
							target: 'open',
							actions: 'openNextQuestion'
						}
					}
				},
				open: {
					on: {
						'question.reveal': { target: 'revealed', actions: 'revealQuestion' },
						'question.open': {
							guard: 'isKnownQuestion',
							target: 'open',
							actions: 'openQuestion',
							reenter: true
						}
					}
				},
				revealed: {
					on: {
						'question.open': { guard: 'isKnownQuestion', target: 'open', actions: 'openQuestion' },
						'question.next': {
							guard: 'hasNextQuestion',
							target: 'open',
							actions: 'openNextQuestion'
						}
					}
				}
			}
		},
		ended: { type: 'final' }
	}
});

export type SessionSnapshot = SnapshotFrom<typeof sessionMachine>;

/** Where a session stands, in the words the API uses. */
export type SessionStatus = 'lobby' | 'running' | 'ended';

/** The status of a session snapshot. */
export function statusOf(snapshot: SessionSnapshot): SessionStatus {
	if (snapshot.matches('lobby')) return 'lobby';
	if (snapshot.matches('ended')) return 'ended';
	return 'running';
}

/** Where a session stands, as participants follow it (the event stream's `state` message). */
export interface Pacing {
	status: SessionStatus;
	mode: SessionMode;
	/** The question open for answers in a teacher-paced session, or null. */
	openQuestionId: string | null;
	/**
	 * Teacher-paced: the question on everyone's screen, open or just revealed, until the host
	 * opens another; null otherwise.
	 */
	currentQuestionId: string | null;
	/** Questions the host has revealed. */
	revealed: string[];
}

/** What participants need to follow the pace: status, the question on screen, revealed questions. */
export function pacingOf(snapshot: SessionSnapshot): Pacing {
	const { context } = snapshot;
	const status = statusOf(snapshot);
	return {
		status,
		mode: context.mode,
		openQuestionId: isQuestionOpen(snapshot, context.openQuestionId ?? '')
			? context.openQuestionId
			: null,
		currentQuestionId:
			status === 'running' && context.mode === 'teacher-paced' ? context.openQuestionId : null,
		revealed: context.revealed
	};
}

/**
 * The session snapshot a participant's pacing stands for, so that a participant's screen asks
 * the same `isQuestionOpen` and `isQuestionRevealed` as the server. The inverse of `pacingOf`
 * for every state a session can reach.
 */
export function sessionSnapshotOf(pacing: Pacing, questionIds: string[]): SessionSnapshot {
	const { status, mode, openQuestionId, currentQuestionId, revealed } = pacing;
	const value =
		status !== 'running'
			? status
			: mode === 'self-paced'
				? { running: 'selfPaced' }
				: openQuestionId !== null
					? { running: 'open' }
					: currentQuestionId !== null
						? { running: 'revealed' }
						: { running: 'waiting' };
	return sessionMachine.resolveState({
		value,
		context: {
			mode,
			questionIds,
			openQuestionId: openQuestionId ?? currentQuestionId,
			revealed,
			// Pacing does not carry what was asked; askedQuestions() falls back to open and revealed.
			asked: []
		}
	});
}

/** Whether a participant may answer this question now. */
export function isQuestionOpen(snapshot: SessionSnapshot, questionId: string): boolean {
	if (!snapshot.context.questionIds.includes(questionId)) return false;
	if (snapshot.matches({ running: 'selfPaced' })) return true;
	return snapshot.matches({ running: 'open' }) && snapshot.context.openQuestionId === questionId;
}

/**
 * Whether a question's answer key may be shown to participants: as soon as they answer when
 * self-paced, after the host reveals it when teacher-paced, and for every question once ended.
 */
export function isQuestionRevealed(snapshot: SessionSnapshot, questionId: string): boolean {
	return (
		snapshot.context.mode === 'self-paced' ||
		snapshot.matches('ended') ||
		snapshot.context.revealed.includes(questionId)
	);
}

/**
 * The questions the class has been asked so far, in the session's order: every question of a
 * self-paced session once it has started, and in a teacher-paced one those the host has opened.
 * A question not asked is "not asked" in reports, never a 0.
 */
export function askedQuestions(snapshot: SessionSnapshot): string[] {
	const { context } = snapshot;
	if (context.mode === 'self-paced')
		return snapshot.matches('lobby') ? [] : [...context.questionIds];
	// Sessions stored before `asked` existed: what was revealed or is open was asked.
	const asked = new Set([
		...(context.asked ?? []),
		...context.revealed,
		...(context.openQuestionId ? [context.openQuestionId] : [])
	]);
	return context.questionIds.filter((id) => asked.has(id));
}
