/**
 * The learner's journey through a pack's causal chain, as a pure XState machine built from the
 * pack: one state per link (named by the link's id, in chain order), each reading → asking →
 * feedback, then a summary and an optional review of what was missed. A link with a scenario
 * question also has `exploring` (a choosing menu, then picking and the reveal for one scenario at
 * a time, in any order) and `judging` (which scenario the learner finds likeliest, never graded).
 *
 * Pure: no Svelte, DOM, storage, network or clock. Saving, focus moves and keeping a finished
 * attempt are placeholder actions (`saveJourney`, `focusStage`, `focusFeedback`, `focusScenario`,
 * `recordAttempt`)
 * that the page supplies with `.provide()`; times come in on events.
 *
 * Grading is where the answer keys are. Built from the whole pack (ANSWER_KEYS=client), the
 * machine grades with the one grader as events arrive. Built with a `GradingPlug` (server grading,
 * journey.server-grading.ts, which the page loads only then), it holds questions without keys and
 * the plug's states ask the server instead.
 */
import { and, assertEvent, assign, setup, type PromiseActorLogic, type SnapshotFrom } from 'xstate';
import type { Anchor, Pack, Question } from '$lib/content/pack';
import type { StudyQuestion } from '$lib/content/public-pack';
import type { ScenarioPicks } from '$lib/content/schema';
import type { RevealedScenario, StudyBody, StudyVerdict } from '$lib/content/study-api';
import { gradeResponse, gradeScenarioPicks, MAX_ATTEMPTS } from '$lib/grading/score';
import { isScenario } from '$lib/questions/scenario/kind';
import { INTRO, REVIEW, SUMMARY } from './journey.keys';
import {
	missedQuestionIds,
	type AnswerBook,
	type AnswerRecord,
	type Attempt,
	type Confidence
} from './journey.progress';

/** What the page hands the machine when a journey begins. */
export interface JourneyInput {
	/** The pack's version; a stored journey from another version is not resumed. */
	version: string;
	/**
	 * Questions to practise straight away, in this order (from the device's history of attempts):
	 * the journey starts in review and its answers never count.
	 */
	review?: readonly string[];
}

/** What the server has told this device about one question (server grading). */
export interface QuestionKeys {
	hint?: string;
	/** Scenarios whose own passages were shown after the learner's picks. */
	scenarios?: Record<string, RevealedScenario>;
	/** The whole question, once it is done. */
	question?: Question;
	anchors?: Record<string, Anchor>;
}

/** A question as the machine may hold it: whole (device grading) or without its key. */
export type JourneyQuestion = Question | StudyQuestion;

/** The pack's steps as the machine needs them, with or without answer keys. */
export interface JourneySteps {
	steps: ReadonlyArray<{ id: string; questions: readonly JourneyQuestion[] }>;
}

/** A question with its answer key. */
export const isKeyed = (question: JourneyQuestion): question is Question => 'answer' in question;

/** Every question carries its key: the page grades on the device. */
export const isWholePack = <P extends JourneySteps>(pack: P): pack is P & Pick<Pack, 'steps'> =>
	pack.steps.every((step) => step.questions.every(isKeyed));

/** Which scenario the learner finds likeliest, and how sure they are: recorded, never graded. */
export interface Judgement {
	scenarioId: string;
	confidence: Confidence;
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
	/** Scenario question being explored: the picks checked so far, by scenario id. */
	exploration: Record<string, ScenarioPicks>;
	/** The scenario open in the exploration, or null at the choosing menu. */
	scenarioId: string | null;
	/** Judgements by scenario question id. */
	judgements: Record<string, Judgement>;
	/** When the journey was started (ms since the epoch, from the page's clock), or null. */
	startedAt: number | null;
	/** Server grading: what the server has revealed, by question id. */
	keys: Record<string, QuestionKeys>;
	/**
	 * Server grading: the receipt of each question's last verdict, sent back with its next
	 * request; by `answers:<id>` and, for practice in review, `reviewAnswers:<id>`.
	 */
	receipts: Record<string, string>;
	/** Server grading: the answer on its way to the server. */
	pending: { response: unknown; confidence?: Confidence } | null;
	/** Server grading: why the last request failed (the learner can try again), or null. */
	problem: string | null;
}

export type JourneyEvent =
	| { type: 'journey.start'; at?: number }
	| { type: 'link.continue' }
	| { type: 'hint.request' }
	| { type: 'answer.submit'; response: unknown; confidence?: Confidence }
	| { type: 'answer.retry' }
	| { type: 'answer.reveal' }
	| { type: 'question.next' }
	| { type: 'review.start' }
	| { type: 'link.revisit'; linkId: string }
	| { type: 'revisit.close' }
	| { type: 'journey.restart'; at?: number }
	| { type: 'scenario.open'; scenarioId: string }
	| { type: 'scenario.check'; picks: unknown }
	| { type: 'scenario.close' }
	| { type: 'exploration.finish' }
	| { type: 'judgement.submit'; scenarioId: string; confidence: Confidence };

/** Which answer book a question state writes to. */
export type Book = { book: 'answers' | 'reviewAnswers' };
/** Where a question state takes its questions from: one link's questions, or the review queue. */
type Scope = { linkId: string } | { linkId: null };

export { INTRO, REVIEW, SUMMARY };

/** What the machine lends a grading plug's actions and guards. */
export interface JourneyKit {
	/** The current question's record in one answer book. */
	recordOf: (context: JourneyContext, book: Book) => AnswerRecord | undefined;
	/** The current question's answer book with one more try. */
	withAttempt: (context: JourneyContext, book: Book['book'], attempt: Attempt) => AnswerBook;
	/** MAX_ATTEMPTS of the one grader: lent, so that the plug's chunk does not import it. */
	maxAttempts: number;
}

/** The request to the server that the page supplies with `.provide()` in server grading. */
type AskServer = PromiseActorLogic<StudyVerdict, StudyBody>;

/**
 * A transition or states of a grading plug. They name the plug's own actions and guards, which
 * XState's types of this file's `setup` do not know: the plug's tests check them instead.
 */
type Plugged = { readonly target: string };
type PluggedStates = object;

/**
 * Grading somewhere other than on this device: what the plug adds to the machine and where it
 * takes over a question's transitions. `hinting`, `grading`, `revealing` (question states) and
 * `hinting`, `grading`, `checking` (exploration states) are the plug's state names.
 */
export interface GradingPlug {
	implement(kit: JourneyKit): { actors: { askServer: AskServer }; guards: object; actions: object };
	hintOn(book: Book): Plugged;
	/** An answer is submitted; `target` is the plug's `grading` state, as seen from there. */
	submitOn(target: string): Plugged;
	revealOn(book: Book): Plugged;
	questionStates(book: Book): PluggedStates;
	finishExplorationOn(linkId: string): Plugged;
	checkPicksOn(): Plugged;
	explorationStates(linkId: string): PluggedStates;
}

/** Builds the journey machine for one pack. */
export function createJourneyMachine(pack: JourneySteps, plug?: GradingPlug) {
	const questionsById = new Map<string, JourneyQuestion>(
		pack.steps.flatMap((s) => s.questions).map((q) => [q.id, q])
	);
	const linkQuestionIds = new Map(pack.steps.map((s) => [s.id, s.questions.map((q) => q.id)]));
	const queueOf = (context: JourneyContext, scope: Scope): string[] =>
		scope.linkId === null ? context.reviewQueue : (linkQuestionIds.get(scope.linkId) ?? []);
	const current = (context: JourneyContext): JourneyQuestion | undefined =>
		context.questionId === null ? undefined : questionsById.get(context.questionId);
	const recordOf = (context: JourneyContext, { book }: Book) =>
		context[book][context.questionId ?? ''];
	const gradeEvent = (context: JourneyContext, event: JourneyEvent) => {
		const question = current(context);
		if (!question || !isKeyed(question) || event.type !== 'answer.submit') return undefined;
		const grade = gradeResponse(question, event.response);
		return grade.valid ? grade : undefined;
	};
	const scenarioQuestion = (context: JourneyContext) => {
		const question = current(context);
		return isScenario(question) ? question : undefined;
	};
	/** The scenario question's own picks for one scenario, when the event's picks are valid. */
	const checkedPicks = (question: JourneyQuestion | undefined, id: string, picks: unknown) =>
		question !== undefined &&
		isKeyed(question) &&
		isScenario(question) &&
		gradeScenarioPicks(question, id, picks).valid
			? (picks as ScenarioPicks)
			: undefined;
	const emptyJourney = (version: string, startedAt: number | null = null): JourneyContext => ({
		version,
		questionId: null,
		answers: {},
		reviewQueue: [],
		reviewAnswers: {},
		revisitLinkId: null,
		exploration: {},
		scenarioId: null,
		judgements: {},
		startedAt,
		keys: {},
		receipts: {},
		pending: null,
		problem: null
	});
	const withAttempt = (context: JourneyContext, book: Book['book'], attempt: Attempt) => {
		const id = context.questionId ?? '';
		const record = context[book][id] ?? { attempts: [], hintUsed: false };
		return { ...context[book], [id]: { ...record, attempts: [...record.attempts, attempt] } };
	};
	// The plug's implementations join this file's; their names are not in the types (see Plugged),
	// except `askServer`, typed on every journey machine so that the page can provide it.
	const plugged = (plug?.implement({ recordOf, withAttempt, maxAttempts: MAX_ATTEMPTS }) ?? {}) as {
		actors: { askServer: AskServer };
		guards?: object;
		actions?: object;
	};

	const journey = setup({
		types: {
			input: {} as JourneyInput,
			context: {} as JourneyContext,
			events: {} as JourneyEvent
		},
		actors: { ...plugged.actors },
		guards: {
			...plugged.guards,
			isValidResponse: ({ context, event }) => gradeEvent(context, event) !== undefined,
			isCorrect: ({ context, event }) => gradeEvent(context, event)?.correct === true,
			/** A try is left after the one being made now. */
			canRetry: ({ context }, params: Book) =>
				(recordOf(context, params)?.attempts.length ?? 0) + 1 < MAX_ATTEMPTS,
			hasUnusedHint: ({ context }, params: Book) => {
				const question = current(context);
				const hasHint =
					question && (isKeyed(question) ? question.hint !== undefined : question.hasHint);
				return hasHint === true && recordOf(context, params)?.hintUsed !== true;
			},
			hasNextQuestion: ({ context }, params: Scope) => {
				const queue = queueOf(context, params);
				return queue.indexOf(context.questionId ?? '') + 1 < queue.length;
			},
			hasMissed: ({ context }) => missedQuestionIds(pack, context.answers).length > 0,
			isReviewOnly: ({ context }) => context.reviewQueue.length > 0,
			/** The question about to be asked is a scenario question: it is explored. */
			isExplorable: ({ context }, params: Scope & { next: boolean }) => {
				const queue = queueOf(context, params);
				const id = params.next
					? queue[queue.indexOf(context.questionId ?? '') + 1]
					: context.questionId;
				return isScenario(questionsById.get(id ?? ''));
			},
			isUnexploredScenario: ({ context, event }) =>
				event.type === 'scenario.open' &&
				scenarioQuestion(context)?.scenarios.some((s) => s.id === event.scenarioId) === true &&
				context.exploration[event.scenarioId] === undefined,
			isExploredScenario: ({ context, event }) =>
				event.type === 'scenario.open' && context.exploration[event.scenarioId] !== undefined,
			isValidPicks: ({ context, event }) =>
				event.type === 'scenario.check' &&
				checkedPicks(scenarioQuestion(context), context.scenarioId ?? '', event.picks) !==
					undefined,
			isExplorationDone: ({ context }) =>
				scenarioQuestion(context)?.scenarios.every((s) => context.exploration[s.id]) === true,
			isJudgement: ({ context, event }) =>
				event.type === 'judgement.submit' &&
				scenarioQuestion(context)?.scenarios.some((s) => s.id === event.scenarioId) === true,
			/** Only a link with at least one answer can be reopened: the learner has been there. */
			isVisitedLink: ({ context, event }) =>
				event.type === 'link.revisit' &&
				// A record with only a hint opened is not an answer.
				(linkQuestionIds.get(event.linkId) ?? []).some(
					(id) => (context.answers[id]?.attempts.length ?? 0) > 0
				)
		},
		actions: {
			...plugged.actions,
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
				const attempt = {
					response: event.response,
					credit: grade?.credit ?? 0,
					confidence: event.confidence
				};
				return { [params.book]: withAttempt(context, params.book, attempt) };
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
			restartJourney: assign(({ context, event }) => {
				assertEvent(event, 'journey.restart');
				return emptyJourney(context.version, event.at ?? null);
			}),
			stampStart: assign(({ event }) => {
				assertEvent(event, 'journey.start');
				return { startedAt: event.at ?? null };
			}),
			startExploration: assign({ exploration: {}, scenarioId: null }),
			openScenario: assign(({ event }) => {
				assertEvent(event, 'scenario.open');
				return { scenarioId: event.scenarioId };
			}),
			closeScenario: assign({ scenarioId: null }),
			recordPicks: assign(({ context, event }) => {
				assertEvent(event, 'scenario.check');
				const id = context.scenarioId ?? '';
				const picks = checkedPicks(scenarioQuestion(context), id, event.picks);
				return picks ? { exploration: { ...context.exploration, [id]: picks } } : {};
			}),
			/** The explored picks are the question's one try, graded whole as the classroom grades it. */
			recordExploration: assign(({ context }) => {
				const question = current(context);
				const grade =
					question && isKeyed(question) ? gradeResponse(question, context.exploration) : undefined;
				const credit = grade?.valid ? grade.credit : 0;
				return {
					answers: withAttempt(context, 'answers', { response: context.exploration, credit }),
					exploration: {},
					scenarioId: null
				};
			}),
			recordJudgement: assign(({ context, event }) => {
				assertEvent(event, 'judgement.submit');
				const judgement = { scenarioId: event.scenarioId, confidence: event.confidence };
				return { judgements: { ...context.judgements, [context.questionId ?? '']: judgement } };
			}),
			// Placeholders: the page provides these (storage, focus and the clock live outside).
			saveJourney: () => {},
			focusStage: () => {},
			focusFeedback: () => {},
			/** Focus the button of the open scenario (read before closeScenario forgets it). */
			focusScenario: () => {},
			/** A journey has just reached its summary for the first time: keep it in the history. */
			recordAttempt: () => {}
		}
	});

	/** What a question state does with a whole response; `to` names the sibling states. */
	const submitTransitions = (book: Book, to: (state: 'feedback' | 'retryOffer') => string) =>
		[
			// Guards run before actions, so canRetry still counts the tries made before this one.
			{
				guard: 'isCorrect',
				target: to('feedback'),
				actions: [{ type: 'recordAnswer', params: book }, 'saveJourney']
			},
			{
				guard: and(['isValidResponse', { type: 'canRetry', params: book }]),
				target: to('retryOffer'),
				actions: [{ type: 'recordAnswer', params: book }, 'saveJourney']
			},
			{
				guard: 'isValidResponse',
				target: to('feedback'),
				actions: [{ type: 'recordAnswer', params: book }, 'saveJourney']
			}
		] as const;
	const hintTransition = (book: Book) =>
		({
			guard: { type: 'hasUnusedHint', params: book },
			actions: [{ type: 'requestHint', params: book }, 'saveJourney']
		}) as const;

	const hintOn = (book: Book) => plug?.hintOn(book) ?? hintTransition(book);
	const submitOn = (book: Book, to: (state: 'feedback' | 'retryOffer' | 'grading') => string) =>
		plug?.submitOn(to('grading')) ?? submitTransitions(book, to);

	/**
	 * A scenario question in a link: choose a scenario (any order), pick passages for it, see what
	 * the article says; once every scenario is weighed, the picks are the question's one graded try,
	 * then the learner's judgement. A whole response (as the classroom form sends) is taken too.
	 */
	const explorationStates = (linkId: string) =>
		({
			exploring: {
				initial: 'choosing',
				// The menu takes the focus when the exploration begins; coming back from one
				// scenario, the focus goes to that scenario's button instead (focusScenario).
				entry: ['startExploration', 'focusStage'],
				states: {
					choosing: {
						on: {
							'scenario.open': [
								{
									guard: 'isUnexploredScenario',
									target: 'picking',
									actions: ['openScenario', 'saveJourney']
								},
								{
									guard: 'isExploredScenario',
									target: 'revealed',
									actions: ['openScenario', 'saveJourney']
								}
							],
							'exploration.finish':
								plug?.finishExplorationOn(linkId) ??
								({
									guard: 'isExplorationDone',
									target: `#journey.${linkId}.judging`,
									actions: ['recordExploration', 'saveJourney']
								} as const),
							'hint.request': hintOn({ book: 'answers' }),
							'answer.submit': submitOn(
								{ book: 'answers' },
								(state) => `#journey.${linkId}.${state}`
							)
						}
					},
					...plug?.explorationStates(linkId),
					picking: {
						entry: 'focusStage',
						on: {
							'scenario.check':
								plug?.checkPicksOn() ??
								({
									guard: 'isValidPicks',
									target: 'revealed',
									actions: ['recordPicks', 'saveJourney']
								} as const),
							'scenario.close': {
								target: 'choosing',
								actions: ['focusScenario', 'closeScenario', 'saveJourney']
							}
						}
					},
					revealed: {
						entry: 'focusFeedback',
						on: {
							'scenario.close': {
								target: 'choosing',
								actions: ['focusScenario', 'closeScenario', 'saveJourney']
							}
						}
					}
				}
			},
			judging: {
				entry: 'focusStage',
				on: {
					'judgement.submit': {
						guard: 'isJudgement',
						target: 'feedback',
						actions: ['recordJudgement', 'saveJourney']
					}
				}
			}
		}) as const;

	/**
	 * asking → (retry offer) → feedback, shared by every link and by the review round. `explorable`
	 * links send their scenario questions to `exploring` instead of `asking`; `last` records the
	 * finished attempt on the way to the summary.
	 */
	const questionStates = (
		book: Book,
		scope: Scope,
		after: string,
		{ explorable = false, last = false } = {}
	) =>
		({
			asking: {
				entry: 'focusStage',
				on: {
					'hint.request': hintOn(book),
					'answer.submit': submitOn(book, (state) => state)
				}
			},
			...plug?.questionStates(book),
			retryOffer: {
				entry: 'focusFeedback',
				on: {
					'answer.retry': { target: 'asking', actions: 'saveJourney' },
					'answer.reveal':
						plug?.revealOn(book) ?? ({ target: 'feedback', actions: 'saveJourney' } as const)
				}
			},
			feedback: {
				entry: 'focusFeedback',
				on: {
					'question.next': [
						...(explorable
							? [
									{
										guard: and([
											{ type: 'hasNextQuestion', params: scope },
											{ type: 'isExplorable', params: { ...scope, next: true } }
										]),
										target: 'exploring',
										actions: [{ type: 'selectNextQuestion', params: scope }, 'saveJourney']
									} as const
								]
							: []),
						{
							guard: { type: 'hasNextQuestion', params: scope },
							target: 'asking',
							actions: [{ type: 'selectNextQuestion', params: scope }, 'saveJourney']
						},
						{
							target: after,
							actions: last ? (['saveJourney', 'recordAttempt'] as const) : 'saveJourney'
						}
					]
				}
			}
		}) as const;

	const linkIds = pack.steps.map((s) => s.id);
	const firstLink = linkIds[0] ?? SUMMARY;
	const linkStates = Object.fromEntries(
		pack.steps.map((step, i) => {
			const linkId = step.id;
			const scope = { linkId };
			const explorable = step.questions.some(isScenario);
			const toQuestions = explorable
				? [
						{
							guard: { type: 'isExplorable', params: { ...scope, next: false } },
							target: 'exploring',
							actions: 'saveJourney'
						} as const,
						{ target: 'asking', actions: 'saveJourney' } as const
					]
				: ({ target: 'asking', actions: 'saveJourney' } as const);
			return [
				linkId,
				{
					initial: 'reading',
					entry: { type: 'selectFirstQuestion', params: scope },
					states: {
						reading: {
							entry: 'focusStage',
							on: { 'link.continue': toQuestions }
						},
						...questionStates({ book: 'answers' }, scope, `#journey.${linkIds[i + 1] ?? SUMMARY}`, {
							explorable,
							last: i === linkIds.length - 1
						}),
						...(explorable ? explorationStates(linkId) : {})
					}
				}
			] as const;
		})
	);

	return journey.createMachine({
		id: 'journey',
		context: ({ input }) => ({
			...emptyJourney(input.version),
			reviewQueue: (input.review ?? []).filter((id) => questionsById.has(id))
		}),
		initial: INTRO,
		on: {
			'journey.restart': { target: `.${firstLink}`, actions: ['restartJourney', 'saveJourney'] },
			'link.revisit': { guard: 'isVisitedLink', actions: ['openRevisit', 'saveJourney'] },
			'revisit.close': { actions: ['closeRevisit', 'saveJourney'] }
		},
		states: {
			[INTRO]: {
				// Practice from the history starts in review; the page does not save it as a journey.
				always: { guard: 'isReviewOnly', target: REVIEW },
				on: { 'journey.start': { target: firstLink, actions: ['stampStart', 'saveJourney'] } }
			},
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
