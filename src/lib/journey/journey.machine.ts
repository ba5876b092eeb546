/**
 * The learner's journey through a pack's causal chain, as a pure XState machine built from the
 * pack: one state per link (named by the link's id, in chain order), each reading → asking →
 * feedback, then a summary and an optional review of what was missed.
 *
 * Pure: no Svelte, DOM, storage or network. Saving and focus moves are placeholder actions
 * (`saveJourney`, `focusStage`, `focusFeedback`) that the page supplies with `.provide()`.
 */
import { and, assertEvent, assign, setup, type SnapshotFrom } from 'xstate';
import type { Pack, Question } from '$lib/content/pack';
import { gradeResponse, MAX_ATTEMPTS } from '$lib/grading/score';
import { missedQuestionIds, type AnswerBook, type Confidence } from './journey.progress';

/** What the page hands the machine when a journey begins. */
export interface JourneyInput {
	/** The pack's version; a stored journey from another version is not resumed. */
	version: string;
}

export interface JourneyContext {
	version: string;
	/** The question being asked, or last asked; null before the first. */
	questionId: string | null;
	/** The journey's answers: these make the score. */
	answers: AnswerBook;
	/** The questions of the current or last review round, in the order they are asked. */
	reviewQueue: string[];
	/** Answers given in review: practice, kept apart so that they never change the score. */
	reviewAnswers: AnswerBook;
	/** A link the learner has reopened to read again (answers and evidence, read-only), or null. */
	revisitLinkId: string | null;
}

export type JourneyEvent =
	| { type: 'journey.start' }
	| { type: 'link.continue' }
	| { type: 'hint.request' }
	| { type: 'answer.submit'; response: unknown; confidence?: Confidence }
	| { type: 'answer.retry' }
	| { type: 'answer.reveal' }
	| { type: 'question.next' }
	| { type: 'review.start' }
	| { type: 'link.revisit'; linkId: string }
	| { type: 'revisit.close' }
	| { type: 'journey.restart' };

/** Which answer book a question state writes to. */
type Book = { book: 'answers' | 'reviewAnswers' };
/** Where a question state takes its questions from: one link's questions, or the review queue. */
type Scope = { linkId: string } | { linkId: null };

/** State ids outside the links. */
export const INTRO = 'intro';
export const SUMMARY = 'summary';
export const REVIEW = 'review';

/** Builds the journey machine for one pack. */
export function createJourneyMachine(pack: Pick<Pack, 'steps'>) {
	const questionsById = new Map<string, Question>(
		pack.steps.flatMap((s) => s.questions).map((q) => [q.id, q])
	);
	const linkQuestionIds = new Map(pack.steps.map((s) => [s.id, s.questions.map((q) => q.id)]));
	const queueOf = (context: JourneyContext, scope: Scope): string[] =>
		scope.linkId === null ? context.reviewQueue : (linkQuestionIds.get(scope.linkId) ?? []);
	const current = (context: JourneyContext): Question | undefined =>
		context.questionId === null ? undefined : questionsById.get(context.questionId);
	const recordOf = (context: JourneyContext, { book }: Book) =>
		context[book][context.questionId ?? ''];
	const gradeEvent = (context: JourneyContext, event: JourneyEvent) => {
		const question = current(context);
		if (!question || event.type !== 'answer.submit') return undefined;
		const grade = gradeResponse(question, event.response);
		return grade.valid ? grade : undefined;
	};
	const emptyJourney = (version: string): JourneyContext => ({
		version,
		questionId: null,
		answers: {},
		reviewQueue: [],
		reviewAnswers: {},
		revisitLinkId: null
	});

	const journey = setup({
		types: {
			input: {} as JourneyInput,
			context: {} as JourneyContext,
			events: {} as JourneyEvent
		},
		guards: {
			isValidResponse: ({ context, event }) => gradeEvent(context, event) !== undefined,
			isCorrect: ({ context, event }) => gradeEvent(context, event)?.correct === true,
			/** A try is left after the one being made now. */
			canRetry: ({ context }, params: Book) =>
				(recordOf(context, params)?.attempts.length ?? 0) + 1 < MAX_ATTEMPTS,
			hasUnusedHint: ({ context }, params: Book) =>
				current(context)?.hint !== undefined && recordOf(context, params)?.hintUsed !== true,
			hasNextQuestion: ({ context }, params: Scope) => {
				const queue = queueOf(context, params);
				return queue.indexOf(context.questionId ?? '') + 1 < queue.length;
			},
			hasMissed: ({ context }) => missedQuestionIds(pack, context.answers).length > 0,
			/** Only a link with at least one answer can be reopened: the learner has been there. */
			isVisitedLink: ({ context, event }) =>
				event.type === 'link.revisit' &&
				// A record with only a hint opened is not an answer.
				(linkQuestionIds.get(event.linkId) ?? []).some(
					(id) => (context.answers[id]?.attempts.length ?? 0) > 0
				)
		},
		actions: {
			selectFirstQuestion: assign(({ context }, params: Scope) => ({
				questionId: queueOf(context, params)[0] ?? null
			})),
			selectNextQuestion: assign(({ context }, params: Scope) => {
				const queue = queueOf(context, params);
				return { questionId: queue[queue.indexOf(context.questionId ?? '') + 1] ?? null };
			}),
			requestHint: assign(({ context }, params: Book) => {
				const id = context.questionId ?? '';
				const record = context[params.book][id] ?? { attempts: [], hintUsed: false };
				return { [params.book]: { ...context[params.book], [id]: { ...record, hintUsed: true } } };
			}),
			recordAnswer: assign(({ context, event }, params: Book) => {
				assertEvent(event, 'answer.submit');
				const grade = gradeEvent(context, event);
				const id = context.questionId ?? '';
				const record = context[params.book][id] ?? { attempts: [], hintUsed: false };
				const attempt = {
					response: event.response,
					credit: grade?.credit ?? 0,
					confidence: event.confidence
				};
				return {
					[params.book]: {
						...context[params.book],
						[id]: { ...record, attempts: [...record.attempts, attempt] }
					}
				};
			}),
			startReview: assign(({ context }) => ({
				reviewQueue: missedQuestionIds(pack, context.answers),
				reviewAnswers: {},
				revisitLinkId: null
			})),
			openRevisit: assign(({ event }) => {
				assertEvent(event, 'link.revisit');
				return { revisitLinkId: event.linkId };
			}),
			closeRevisit: assign({ revisitLinkId: null }),
			restartJourney: assign(({ context }) => emptyJourney(context.version)),
			// Placeholders: the page provides these (storage and focus live outside the machine).
			saveJourney: () => {},
			focusStage: () => {},
			focusFeedback: () => {}
		}
	});

	/** asking → (retry offer) → feedback, shared by every link and by the review round. */
	const questionStates = (book: Book, scope: Scope, after: string) =>
		({
			asking: {
				entry: 'focusStage',
				on: {
					'hint.request': {
						guard: { type: 'hasUnusedHint', params: book },
						actions: [{ type: 'requestHint', params: book }, 'saveJourney']
					},
					// Guards run before actions, so canRetry still counts the tries made before this one.
					'answer.submit': [
						{
							guard: 'isCorrect',
							target: 'feedback',
							actions: [{ type: 'recordAnswer', params: book }, 'saveJourney']
						},
						{
							guard: and(['isValidResponse', { type: 'canRetry', params: book }]),
							target: 'retryOffer',
							actions: [{ type: 'recordAnswer', params: book }, 'saveJourney']
						},
						{
							guard: 'isValidResponse',
							target: 'feedback',
							actions: [{ type: 'recordAnswer', params: book }, 'saveJourney']
						}
					]
				}
			},
			retryOffer: {
				entry: 'focusFeedback',
				on: {
					'answer.retry': { target: 'asking', actions: 'saveJourney' },
					'answer.reveal': { target: 'feedback', actions: 'saveJourney' }
				}
			},
			feedback: {
				entry: 'focusFeedback',
				on: {
					'question.next': [
						{
							guard: { type: 'hasNextQuestion', params: scope },
							target: 'asking',
							actions: [{ type: 'selectNextQuestion', params: scope }, 'saveJourney']
						},
						{ target: after, actions: 'saveJourney' }
					]
				}
			}
		}) as const;

	const linkIds = pack.steps.map((s) => s.id);
	const firstLink = linkIds[0] ?? SUMMARY;
	const linkStates = Object.fromEntries(
		linkIds.map((linkId, i) => {
			const scope = { linkId };
			return [
				linkId,
				{
					initial: 'reading',
					entry: { type: 'selectFirstQuestion', params: scope },
					states: {
						reading: {
							entry: 'focusStage',
							on: { 'link.continue': { target: 'asking', actions: 'saveJourney' } }
						},
						...questionStates({ book: 'answers' }, scope, `#journey.${linkIds[i + 1] ?? SUMMARY}`)
					}
				}
			] as const;
		})
	);

	return journey.createMachine({
		id: 'journey',
		context: ({ input }) => emptyJourney(input.version),
		initial: INTRO,
		on: {
			'journey.restart': { target: `.${firstLink}`, actions: ['restartJourney', 'saveJourney'] },
			'link.revisit': { guard: 'isVisitedLink', actions: ['openRevisit', 'saveJourney'] },
			'revisit.close': { actions: ['closeRevisit', 'saveJourney'] }
		},
		states: {
			[INTRO]: { on: { 'journey.start': { target: firstLink, actions: 'saveJourney' } } },
			...linkStates,
			[SUMMARY]: {
				entry: 'focusStage',
				on: {
					'review.start': {
						guard: 'hasMissed',
						target: REVIEW,
						actions: ['startReview', 'saveJourney']
					}
				}
			},
			[REVIEW]: {
				initial: 'asking',
				entry: { type: 'selectFirstQuestion', params: { linkId: null } },
				states: questionStates({ book: 'reviewAnswers' }, { linkId: null }, `#journey.${SUMMARY}`)
			}
		}
	});
}

export type JourneyMachine = ReturnType<typeof createJourneyMachine>;
export type JourneySnapshot = SnapshotFrom<JourneyMachine>;
