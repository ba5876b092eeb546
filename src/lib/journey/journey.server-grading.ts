/**
 * Server grading (ANSWER_KEYS=server) for the journey machine: the machine holds questions
 * without keys, and answers, hints, give-ups and scenario checks go through the invoked actor
 * `askServer`, which the page supplies with `.provide()` (a request to the server, graded there
 * by the same grader); its verdicts, and the keys they reveal, land in the context's `keys`.
 *
 * A module of its own so that a learner graded on the device never downloads it: the page
 * imports it only when the pack it got has no keys. Pure like the machine it plugs into.
 */
import { assertEvent, assign, fromPromise } from 'xstate';
import type { ScenarioPicks } from '$lib/content/schema';
import type { StudyBody, StudyVerdict } from '$lib/content/study-api';
import type {
	Book,
	GradingPlug,
	JourneyContext,
	JourneyEvent,
	JourneyKit,
	QuestionKeys
} from './journey.machine';

/** The server's verdict, when `event` is the done event of an `askServer` request. */
function verdictOf(event: { type: string }): StudyVerdict | undefined {
	return event.type.startsWith('xstate.done.actor.')
		? (event as unknown as { output: StudyVerdict }).output
		: undefined;
}

/**
 * The request `askServer` makes about the current question. Practice in review is a fresh
 * question to the server: it goes without the journey's receipt, and its own is kept apart.
 */
const askAbout = (
	context: JourneyContext,
	{ book }: Book,
	request: StudyBody['request']
): StudyBody => ({
	questionId: context.questionId ?? '',
	receipt: context.receipts[`${book}:${context.questionId ?? ''}`],
	request
});

/** The actions, guards and actor that the states below name. */
const implement = ({ recordOf, withAttempt, maxAttempts }: JourneyKit) => ({
	actors: {
		/** The page provides the request to the server. */
		askServer: fromPromise<StudyVerdict, StudyBody>(() =>
			Promise.reject(new Error('Grading on the server needs the page to provide askServer.'))
		)
	},
	guards: {
		/** The answer just graded was right, or was the last try. */
		isFinished: ({ context }: { context: JourneyContext }, params: Book) =>
			recordOf(context, params)?.attempts.at(-1)?.credit === 1 ||
			(recordOf(context, params)?.attempts.length ?? 0) >= maxAttempts
	},
	actions: {
		/** Keep the answer while the server grades it. */
		holdAnswer: assign(({ event }: { event: JourneyEvent }) => {
			assertEvent(event, 'answer.submit');
			return { pending: { response: event.response, confidence: event.confidence }, problem: null };
		}),
		/** Keep what the verdict reveals, and its receipt for the next request. */
		storeVerdict: assign(
			(
				{ context, event }: { context: JourneyContext; event: { type: string } },
				{ book }: Book
			) => {
				const verdict = verdictOf(event);
				if (!verdict) return {};
				const id = context.questionId ?? '';
				const known = context.keys[id] ?? {};
				const receipts = { ...context.receipts, [`${book}:${id}`]: verdict.receipt };
				const scenarios =
					verdict.scenario && context.scenarioId
						? { ...known.scenarios, [context.scenarioId]: verdict.scenario }
						: known.scenarios;
				const keys: QuestionKeys = {
					...known,
					...(verdict.hint !== undefined ? { hint: verdict.hint } : {}),
					...(scenarios ? { scenarios } : {}),
					...(verdict.question ? { question: verdict.question, anchors: verdict.anchors } : {})
				};
				return { keys: { ...context.keys, [id]: keys }, receipts, problem: null };
			}
		),
		/** The server's credit for the held answer is a try. */
		recordVerdict: assign(
			({ context, event }: { context: JourneyContext; event: { type: string } }, params: Book) => {
				const attempt = {
					response: context.pending?.response,
					credit: verdictOf(event)?.credit ?? 0,
					confidence: context.pending?.confidence
				};
				return { [params.book]: withAttempt(context, params.book, attempt), pending: null };
			}
		),
		/** The explored picks, graded whole by the server, are the question's one try. */
		recordExplorationVerdict: assign(
			({ context, event }: { context: JourneyContext; event: { type: string } }) => ({
				answers: withAttempt(context, 'answers', {
					response: context.exploration,
					credit: verdictOf(event)?.credit ?? 0
				}),
				exploration: {},
				scenarioId: null
			})
		),
		/** Picks go to the server before their scenario is revealed. */
		holdPicks: assign(({ context, event }: { context: JourneyContext; event: JourneyEvent }) => {
			assertEvent(event, 'scenario.check');
			const id = context.scenarioId ?? '';
			return { exploration: { ...context.exploration, [id]: event.picks as ScenarioPicks } };
		}),
		/** Picks the server refused are not kept. */
		dropPicks: assign(({ context }: { context: JourneyContext }) => {
			const rest = { ...context.exploration };
			delete rest[context.scenarioId ?? ''];
			return { exploration: rest };
		}),
		/** The request failed; say why, keep everything else as it was. */
		noteProblem: assign(({ event }: { event: { type: string } }) => {
			const error = (event as unknown as { error: unknown }).error;
			return {
				pending: null,
				problem: error instanceof Error ? error.message : 'The server could not be reached.'
			};
		})
	}
});

/** A state that waits for `askServer`; a failure goes back to `onError`. */
const askingServer = (
	book: Book,
	request: (context: JourneyContext) => StudyBody['request'],
	onError: string
) => ({
	id: 'askServer',
	src: 'askServer',
	input: ({ context }: { context: JourneyContext }) => askAbout(context, book, request(context)),
	onError: { target: onError, actions: 'noteProblem' }
});

/** The hint comes from the server; `back` is the state that asked. */
const hintingState = (book: Book, back: string) => ({
	invoke: {
		...askingServer(book, () => ({ kind: 'hint' }), back),
		onDone: {
			target: back,
			actions: [
				{ type: 'requestHint', params: book },
				{ type: 'storeVerdict', params: book },
				'saveJourney'
			]
		}
	}
});

export const serverGrading: GradingPlug = {
	implement,
	hintOn: (book) => ({ guard: { type: 'hasUnusedHint', params: book }, target: 'hinting' }),
	// Saved while it waits: a reload resumes in `grading`, which sends it again (the outbox).
	submitOn: (target) => ({ target, actions: ['holdAnswer', 'saveJourney'] }),
	revealOn: () => ({ target: 'revealing' }),
	/** The held answer goes to the server; its verdict decides what follows. */
	questionStates: (book) => ({
		hinting: hintingState(book, 'asking'),
		grading: {
			invoke: {
				...askingServer(
					book,
					(context) => ({ kind: 'answer', response: context.pending?.response }),
					'asking'
				),
				onDone: {
					target: 'graded',
					actions: [
						{ type: 'recordVerdict', params: book },
						{ type: 'storeVerdict', params: book }
					]
				}
			}
		},
		graded: {
			always: [
				{ guard: { type: 'isFinished', params: book }, target: 'feedback', actions: 'saveJourney' },
				{ target: 'retryOffer', actions: 'saveJourney' }
			]
		},
		revealing: {
			invoke: {
				...askingServer(book, () => ({ kind: 'reveal' }), 'retryOffer'),
				onDone: {
					target: 'feedback',
					actions: [{ type: 'storeVerdict', params: book }, 'saveJourney']
				}
			}
		}
	}),
	finishExplorationOn: () => ({
		guard: 'isExplorationDone',
		target: 'grading',
		actions: 'saveJourney'
	}),
	checkPicksOn: () => ({ target: 'checking', actions: ['holdPicks', 'saveJourney'] }),
	explorationStates: (linkId) => {
		const book = { book: 'answers' } as const;
		return {
			hinting: hintingState(book, 'choosing'),
			/** The picks of every scenario, graded whole by the server: the one try. */
			grading: {
				invoke: {
					...askingServer(
						book,
						(context) => ({ kind: 'answer', response: context.exploration }),
						'choosing'
					),
					onDone: {
						target: `#journey.${linkId}.judging`,
						actions: [
							{ type: 'storeVerdict', params: book },
							'recordExplorationVerdict',
							'saveJourney'
						]
					}
				}
			},
			/** One scenario's picks, checked by the server, which then shows its passages. */
			checking: {
				invoke: {
					...askingServer(
						book,
						(context) => ({
							kind: 'picks',
							scenarioId: context.scenarioId ?? '',
							picks: context.exploration[context.scenarioId ?? '']
						}),
						'picking'
					),
					onError: { target: 'picking', actions: ['dropPicks', 'noteProblem'] },
					onDone: {
						target: 'revealed',
						actions: [{ type: 'storeVerdict', params: book }, 'saveJourney']
					}
				}
			}
		};
	}
};
