/**
 * A participant's life in a class session as a pure XState machine, in four parallel regions:
 * - `connection`: joining (the event stream not yet open), live, reconnecting;
 * - `outbox`: answers on their way, oldest first: idle, sending, retrying (backing off);
 * - `catchUp`: fetching the participant's own answers with their results as far as revealed;
 * - `screen`: what the phone shows — lobby, waiting, answering, sending, sent, revealed,
 *   missed (revealed without an answer from this participant: the answer is shown), finished
 *   (self-paced, every question answered) and ended.
 * The event stream, the outbox (device storage and the network) and the catch-up fetch are
 * invoked actors that the page supplies with `.provide()`; the machine only decides. Whether a
 * question is open or revealed is asked of the session machine, as the server asks it.
 */
import {
	and,
	assign,
	fromCallback,
	fromPromise,
	raise,
	sendTo,
	setup,
	type SnapshotFrom
} from 'xstate';
import type { AnswerAck, OwnAnswer, RevealedKey } from './api';
import type { PendingAnswer } from './outbox';
import {
	isQuestionOpen,
	isQuestionRevealed,
	sessionSnapshotOf,
	type Pacing,
	type SessionSnapshot
} from './session.machine';

export interface ParticipantInput {
	/** The session's question ids, in the order the learner meets them. */
	questionIds: string[];
	pacing: Pacing;
	/** The participant's answers as the server last listed them. */
	answers: OwnAnswer[];
	/** Answers kept on the device and not yet acknowledged (from before a reload). */
	pending: PendingAnswer[];
	/** The answers of the questions revealed so far. */
	keys: RevealedKey[];
}

export interface ParticipantContext {
	questionIds: string[];
	pacing: Pacing;
	answers: Record<string, OwnAnswer>;
	/** The answers of revealed questions, by question id. */
	keys: Record<string, RevealedKey>;
	/** The outbox as the machine sees it: oldest first; the first is the one being sent. */
	pending: PendingAnswer[];
	/** How long to wait before trying the answer being sent again; 0 until a try fails. */
	retryDelayMs: number;
	/** Self-paced: the question whose feedback stays on screen until the learner continues. */
	lingering: string | null;
	/** Why the server refused the last answer, or ''. */
	problem: string;
}

/** What a catch-up brings: the participant's own answers and the revealed questions' answers. */
export interface CatchUp {
	answers: OwnAnswer[];
	keys: RevealedKey[];
}

export type ParticipantEvent =
	// From the event stream.
	| { type: 'stream.opened' }
	| { type: 'stream.failed' }
	| { type: 'pacing.changed'; pacing: Pacing }
	// From the learner; the page gives each answer its id, so that a retry reuses it.
	| { type: 'answer.submit'; answer: PendingAnswer }
	| { type: 'feedback.continue' }
	// From the outbox.
	| { type: 'answer.acknowledged'; ack: AnswerAck }
	| { type: 'answer.refused'; answerId: string; message: string }
	| { type: 'answer.failed'; answerId: string }
	// Raised once a catch-up has been applied.
	| { type: 'view.caughtUp' };

/** What the machine asks of the outbox actor. */
export type OutboxCommand =
	/** Keep this answer on the device before anything else happens to it. */
	| { type: 'outbox.keep'; answer: PendingAnswer }
	/** Send it (once): the outbox answers with answer.acknowledged, .refused or .failed. */
	| { type: 'outbox.send'; answer: PendingAnswer };

/** The longest wait between two tries of an answer. */
export const MAX_BACKOFF_MS = 15_000;

/** The wait before the next try, after one of `previousMs`: 1 s, 2 s, 4 s … up to 15 s. */
export const backoffAfter = (previousMs: number) =>
	Math.min(MAX_BACKOFF_MS, previousMs === 0 ? 1000 : previousMs * 2);

/**
 * The question on this participant's screen: the host's current one when teacher-paced; when
 * self-paced, the one whose feedback is showing, else the first neither answered nor on its way.
 */
export function currentQuestionOf(context: ParticipantContext): string | null {
	if (context.pacing.mode === 'teacher-paced') return context.pacing.currentQuestionId;
	if (context.lingering) return context.lingering;
	return (
		context.questionIds.find(
			(id) => !context.answers[id] && !context.pending.some((p) => p.questionId === id)
		) ?? null
	);
}

/** Pacing as a session snapshot, made once per pacing message (guards ask it often). */
const sessions = new WeakMap<Pacing, { questionIds: string[]; session: SessionSnapshot }>();
function sessionOf(pacing: Pacing, questionIds: string[]): SessionSnapshot {
	const known = sessions.get(pacing);
	if (known?.questionIds === questionIds) return known.session;
	const session = sessionSnapshotOf(pacing, questionIds);
	sessions.set(pacing, { questionIds, session });
	return session;
}

/** The current question and what is known of it. */
function current(context: ParticipantContext) {
	const id = currentQuestionOf(context);
	return {
		id,
		answer: id ? context.answers[id] : undefined,
		pending: id !== null && context.pending.some((p) => p.questionId === id)
	};
}

const keysById = (keys: RevealedKey[]) => Object.fromEntries(keys.map((k) => [k.questionId, k]));

/** Keeps an answer known here as revealed: a copy that is not (an older view) never replaces it. */
function merged(known: Record<string, OwnAnswer>, incoming: OwnAnswer[]) {
	const answers = { ...known };
	for (const a of incoming)
		if (!answers[a.questionId]?.revealed || a.revealed) answers[a.questionId] = a;
	return answers;
}

export const participantMachine = setup({
	types: {
		input: {} as ParticipantInput,
		context: {} as ParticipantContext,
		events: {} as ParticipantEvent
	},
	actors: {
		// Placeholders: the page provides these (EventSource, localStorage and fetch live outside).
		stream: fromCallback<ParticipantEvent>(() => {}),
		outbox: fromCallback<OutboxCommand>(() => {}),
		catchUp: fromPromise<CatchUp>(async () => ({ answers: [], keys: [] }))
	},
	delays: {
		backoff: ({ context }) => context.retryDelayMs
	},
	guards: {
		inLobby: ({ context }) => context.pacing.status === 'lobby',
		hasEnded: ({ context }) => context.pacing.status === 'ended',
		isSelfPaced: ({ context }) => context.pacing.mode === 'self-paced',
		hasNoQuestion: ({ context }) => currentQuestionOf(context) === null,
		isCurrentRevealed: ({ context }) => current(context).answer?.revealed === true,
		isCurrentPending: ({ context }) => current(context).pending,
		isCurrentAnswered: ({ context }) => current(context).answer !== undefined,
		isCurrentOpen: ({ context }) => {
			const id = currentQuestionOf(context);
			return id !== null && isQuestionOpen(sessionOf(context.pacing, context.questionIds), id);
		},
		isForCurrentQuestion: ({ context, event }) =>
			event.type === 'answer.submit' && event.answer.questionId === currentQuestionOf(context),
		hasPending: ({ context }) => context.pending.length > 0,
		isForAnswerBeingSent: ({ context, event }) => {
			const answerId =
				event.type === 'answer.acknowledged'
					? event.ack.answerId
					: event.type === 'answer.refused' || event.type === 'answer.failed'
						? event.answerId
						: undefined;
			return answerId !== undefined && context.pending[0]?.answerId === answerId;
		},
		/** Acknowledged without its result, though the host has revealed it meanwhile. */
		isAckBehindReveal: ({ context, event }) =>
			event.type === 'answer.acknowledged' &&
			!event.ack.revealed &&
			isQuestionRevealed(sessionOf(context.pacing, context.questionIds), event.ack.questionId),
		/** A result or an answer may now be shown, or the session is over: time to catch up. */
		bringsResults: ({ context, event }) =>
			event.type === 'pacing.changed' &&
			(event.pacing.status === 'ended' ||
				event.pacing.revealed.some((id) => !context.keys[id]) ||
				Object.values(context.answers).some(
					(a) =>
						!a.revealed &&
						isQuestionRevealed(sessionOf(event.pacing, context.questionIds), a.questionId)
				))
	},
	actions: {
		applyPacing: assign(({ event }) =>
			event.type === 'pacing.changed' ? { pacing: event.pacing } : {}
		),
		queueAnswer: assign(({ context, event }) =>
			event.type === 'answer.submit'
				? { pending: [...context.pending, event.answer], problem: '' }
				: {}
		),
		keepAnswer: sendTo('outbox', ({ event }): OutboxCommand => {
			if (event.type !== 'answer.submit') throw new Error(`keepAnswer on ${event.type}`);
			return { type: 'outbox.keep', answer: event.answer };
		}),
		sendFirstAnswer: sendTo('outbox', ({ context }): OutboxCommand => {
			const [first] = context.pending;
			if (!first) throw new Error('sendFirstAnswer with an empty outbox');
			return { type: 'outbox.send', answer: first };
		}),
		recordAcknowledgement: assign(({ context, event }) => {
			if (event.type !== 'answer.acknowledged') return {};
			const [sent, ...rest] = context.pending;
			return {
				pending: rest,
				retryDelayMs: 0,
				answers: {
					...context.answers,
					[event.ack.questionId]: { ...event.ack, response: sent?.response }
				},
				lingering: context.pacing.mode === 'self-paced' ? event.ack.questionId : context.lingering
			};
		}),
		recordRefusal: assign(({ context, event }) =>
			event.type === 'answer.refused'
				? { pending: context.pending.slice(1), retryDelayMs: 0, problem: event.message }
				: {}
		),
		countFailure: assign(({ context }) => ({ retryDelayMs: backoffAfter(context.retryDelayMs) })),
		applyCatchUp: assign(({ context, event }) => {
			const { output } = event as unknown as { output: CatchUp };
			return {
				answers: merged(context.answers, output.answers),
				keys: { ...context.keys, ...keysById(output.keys) }
			};
		}),
		announceCatchUp: raise({ type: 'view.caughtUp' }),
		dismissFeedback: assign({ lingering: null })
	}
}).createMachine({
	id: 'participant',
	context: ({ input }) => ({
		questionIds: input.questionIds,
		pacing: input.pacing,
		answers: merged({}, input.answers),
		keys: keysById(input.keys),
		// An answer the server already has is settled, whatever the device still keeps.
		pending: input.pending.filter(
			(p) => !input.answers.some((a) => a.answerId === p.answerId || a.questionId === p.questionId)
		),
		retryDelayMs: 0,
		lingering: null,
		problem: ''
	}),
	invoke: [
		{ id: 'stream', src: 'stream' },
		{ id: 'outbox', src: 'outbox' }
	],
	type: 'parallel',
	states: {
		connection: {
			initial: 'joining',
			states: {
				/** The page came from the server just now; its event stream is opening. */
				joining: {
					on: {
						'stream.opened': 'live',
						'stream.failed': 'reconnecting',
						'answer.failed': 'reconnecting'
					}
				},
				live: {
					on: { 'stream.failed': 'reconnecting', 'answer.failed': 'reconnecting' }
				},
				/** Offline or the server is restarting: answers are kept and retried. */
				reconnecting: {
					on: {
						'stream.opened': 'live',
						'answer.acknowledged': 'live',
						'answer.refused': 'live'
					}
				}
			}
		},
		outbox: {
			initial: 'idle',
			states: {
				idle: {
					always: { guard: 'hasPending', target: 'sending' }
				},
				sending: {
					entry: 'sendFirstAnswer',
					on: {
						'answer.acknowledged': {
							guard: 'isForAnswerBeingSent',
							target: 'idle',
							actions: 'recordAcknowledgement'
						},
						'answer.refused': {
							guard: 'isForAnswerBeingSent',
							target: 'idle',
							actions: 'recordRefusal'
						},
						'answer.failed': {
							guard: 'isForAnswerBeingSent',
							target: 'retrying',
							actions: 'countFailure'
						}
					}
				},
				/** Waits before the next try; a stream that opens again means the server is back. */
				retrying: {
					after: { backoff: 'sending' },
					on: { 'stream.opened': 'sending' }
				}
			}
		},
		catchUp: {
			initial: 'idle',
			states: {
				idle: {
					on: {
						'stream.opened': 'fetching',
						'answer.refused': 'fetching',
						'answer.acknowledged': { guard: 'isAckBehindReveal', target: 'fetching' },
						'pacing.changed': { guard: 'bringsResults', target: 'fetching' }
					}
				},
				/**
				 * A newer request starts the fetch again: the view it brings back is the later one.
				 * Pacing is left to the event stream, whose messages arrive in order; a view fetched a
				 * moment earlier must not put an older question back on screen, so only answers are
				 * taken from it.
				 */
				fetching: {
					invoke: {
						id: 'catchUp',
						src: 'catchUp',
						onDone: { target: 'idle', actions: ['applyCatchUp', 'announceCatchUp'] },
						onError: 'idle'
					},
					on: {
						'stream.opened': { target: 'fetching', reenter: true },
						'answer.refused': { target: 'fetching', reenter: true },
						'answer.acknowledged': {
							guard: 'isAckBehindReveal',
							target: 'fetching',
							reenter: true
						},
						'pacing.changed': {
							guard: 'bringsResults',
							target: 'fetching',
							reenter: true
						}
					}
				}
			}
		},
		screen: {
			initial: 'following',
			states: {
				following: {
					initial: 'routing',
					always: { guard: 'hasEnded', target: 'ended' },
					// Whatever changes what is known sends the screen back through routing.
					on: {
						'pacing.changed': { target: '.routing', actions: 'applyPacing' },
						'answer.acknowledged': '.routing',
						'answer.refused': '.routing',
						'view.caughtUp': '.routing'
					},
					states: {
						/** Picks the screen for what is known now; never stays here. */
						routing: {
							always: [
								{ guard: 'inLobby', target: 'lobby' },
								{ guard: and(['isSelfPaced', 'hasNoQuestion']), target: 'finished' },
								{ guard: 'hasNoQuestion', target: 'waiting' },
								{ guard: 'isCurrentRevealed', target: 'revealed' },
								{ guard: 'isCurrentPending', target: 'sending' },
								{ guard: 'isCurrentAnswered', target: 'sent' },
								{ guard: 'isCurrentOpen', target: 'answering' },
								{ target: 'missed' }
							]
						},
						lobby: {},
						/** Teacher-paced, no question on screen yet. */
						waiting: {},
						answering: {
							on: {
								'answer.submit': {
									guard: 'isForCurrentQuestion',
									target: 'routing',
									actions: ['queueAnswer', 'keepAnswer']
								}
							}
						},
						sending: {},
						/** Acknowledged; the result waits for the host's reveal. */
						sent: {},
						revealed: {
							on: {
								'feedback.continue': {
									guard: 'isSelfPaced',
									target: 'routing',
									actions: 'dismissFeedback'
								}
							}
						},
						/** Not answered and no longer open (revealed): the answer is shown. */
						missed: {},
						/** Self-paced: every question answered. */
						finished: {}
					}
				},
				ended: { type: 'final' }
			}
		}
	}
});

export type ParticipantMachine = typeof participantMachine;
export type ParticipantSnapshot = SnapshotFrom<typeof participantMachine>;

/** The screen a snapshot shows, as one word. */
export function screenOf(snapshot: ParticipantSnapshot): string {
	const screen = (snapshot.value as { screen: string | { following: string } }).screen;
	return typeof screen === 'string' ? screen : screen.following;
}
