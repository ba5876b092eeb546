import { describe, expect, it, vi } from 'vitest';
import { createActor, initialTransition, transition, type StateValue } from 'xstate';
import {
	adjacencyMapToArray,
	createTestModel,
	getAdjacencyMap,
	getPathsFromEvents,
	getShortestPaths,
	getSimplePaths,
	getStateNodes,
	type StatePath
} from 'xstate/graph';
import { formatProblem, loadPack } from '$lib/content/loader';
import { questionsOf, type Pack, type Question } from '$lib/content/pack';
import {
	gradeResponse,
	HINT_COST,
	MAX_ATTEMPTS,
	MAX_POINTS,
	RETRY_MAX_POINTS
} from '$lib/grading/score';
import { scenarioPack, tinyPack } from './fixture';
import {
	createJourneyMachine,
	type JourneyContext,
	type JourneyEvent,
	type JourneyMachine,
	type JourneySnapshot
} from './journey.machine';
import {
	missedQuestionIds,
	outcomeOf,
	scoreOf,
	type AnswerBook,
	type Confidence
} from './journey.progress';

const input = { version: 'v1' };
const machine = createJourneyMachine(tinyPack);

// ---------------------------------------------------------------------------------------------
// Events and helpers

const start: JourneyEvent = { type: 'journey.start' };
const carryOn: JourneyEvent = { type: 'link.continue' };
const hint: JourneyEvent = { type: 'hint.request' };
const retry: JourneyEvent = { type: 'answer.retry' };
const reveal: JourneyEvent = { type: 'answer.reveal' };
const next: JourneyEvent = { type: 'question.next' };
const review: JourneyEvent = { type: 'review.start' };
const restart: JourneyEvent = { type: 'journey.restart' };
const closeRevisit: JourneyEvent = { type: 'revisit.close' };
const revisit = (linkId: string): JourneyEvent => ({ type: 'link.revisit', linkId });
const submit = (response: unknown): JourneyEvent => ({ type: 'answer.submit', response });

/**
 * A response of the right shape that is not fully right: another option, a reversed order, every
 * left item paired wrongly, a number outside the tolerance, a passage that does not support the
 * scenario. Some earn partial credit (the reverse of an odd-length order keeps its middle item).
 */
function wrongResponse(q: Question): unknown {
	switch (q.type) {
		case 'choice':
		case 'evidence':
			return q.options.map((o) => o.id).find((id) => id !== q.answer);
		case 'source':
			return q.options.find((id) => id !== q.answer);
		case 'multi': {
			const others = q.options.map((o) => o.id).filter((id) => !q.answer.includes(id));
			return others.length > 0 ? others : q.answer.slice(1);
		}
		case 'order':
			return [...q.answer].reverse();
		case 'match':
			return Object.fromEntries(
				q.left.map((l) => [l.id, q.right.find((r) => r.id !== q.answer[l.id])?.id])
			);
		case 'numeric':
			return q.answer + q.tolerance + 1;
		case 'scenario':
			// Every scenario's supporting passages, with the opposing ones left out.
			return Object.fromEntries(
				q.scenarios.map((s) => [s.id, { supports: s.supports, against: [] }])
			);
		case 'truefalse':
			return !q.answer;
	}
	// A type added to the registry without a case here fails to compile.
	const unhandled: never = q;
	throw new Error(`No wrong response for ${JSON.stringify(unhandled)}`);
}

function questionMap(pack: Pick<Pack, 'steps'>): Map<string, Question> {
	return new Map(questionsOf(pack).map((q) => [q.id, q]));
}
const tinyQuestions = questionMap(tinyPack);

function question(id: string, questions = tinyQuestions): Question {
	const q = questions.get(id);
	if (!q) throw new Error(`No question ${id}`);
	return q;
}
const right = (id: string, questions = tinyQuestions) => submit(question(id, questions).answer);
const wrong = (id: string, questions = tinyQuestions) =>
	submit(wrongResponse(question(id, questions)));

/** 'rain.asking' for `{ rain: 'asking' }`, 'summary' for 'summary'. */
function stateOf(value: StateValue): string {
	if (typeof value === 'string') return value;
	return Object.entries(value)
		.map(([key, child]) => (child === undefined ? key : `${key}.${stateOf(child)}`))
		.join(',');
}

function begin(m: JourneyMachine = machine): JourneySnapshot {
	return initialTransition(m, input)[0];
}

function run(from: JourneySnapshot, events: JourneyEvent[], m: JourneyMachine = machine) {
	return events.reduce((snapshot, event) => transition(m, snapshot, event)[0], from);
}

function pointsOf(answers: AnswerBook, id: string): number | undefined {
	return outcomeOf(answers[id])?.points;
}

/** Every question right first time, without hints: the events from intro to summary. */
function allRight(pack: Pick<Pack, 'steps'>): JourneyEvent[] {
	return [
		start,
		...pack.steps.flatMap((step) => [
			carryOn,
			...step.questions.flatMap((q) => [submit(q.answer), next])
		])
	];
}

const toRainAsking = [start, carryOn];
const toOrderAsking = [...toRainAsking, right('q-choice'), next];
const toMudAsking = [...toOrderAsking, right('q-order'), next, carryOn];
const toMessAsking = [...toMudAsking, right('q-numeric'), next, carryOn];

// ---------------------------------------------------------------------------------------------
// Graph traversal of the tiny pack

/**
 * Offers, at every state, the events a learner could send: a right and a wrong response to the
 * current question, every other control, and a revisit of each link.
 */
function offeredEvents(pack: Pick<Pack, 'steps'>) {
	const questions = questionMap(pack);
	const revisits = pack.steps.map((step) => revisit(step.id));
	return (snapshot: JourneySnapshot): JourneyEvent[] => {
		const id = snapshot.context.questionId;
		const q = id === null ? undefined : questions.get(id);
		const answers = q ? [submit(q.answer), submit(wrongResponse(q))] : [];
		return [
			start,
			carryOn,
			hint,
			...answers,
			retry,
			reveal,
			next,
			review,
			...revisits,
			closeRevisit,
			restart
		];
	};
}

/**
 * What can change what happens next: the state, the question, the current record's tries and hint,
 * which questions are missed, the review queue. Individual credits are summarised away, so the
 * traversal stays small.
 */
function serializeJourney(pack: Pick<Pack, 'steps'>) {
	return (snapshot: JourneySnapshot): string => {
		const { context } = snapshot;
		const book = snapshot.matches('review') ? context.reviewAnswers : context.answers;
		const record = context.questionId === null ? undefined : book[context.questionId];
		return JSON.stringify([
			snapshot.value,
			context.questionId,
			record ? [record.attempts.length, record.hintUsed] : null,
			missedQuestionIds(pack, context.answers),
			context.reviewQueue,
			context.revisitLinkId
		]);
	};
}

const traversal = {
	input,
	events: offeredEvents(tinyPack),
	serializeState: serializeJourney(tinyPack),
	limit: 50_000
};

const linkStates = ['reading', 'asking', 'retryOffer', 'feedback'];
const everyState = [
	'intro',
	...['rain', 'mud', 'mess'].flatMap((link) => linkStates.map((s) => `${link}.${s}`)),
	'summary',
	'review.asking',
	'review.retryOffer',
	'review.feedback'
];

describe('the tiny pack`s journey, traversed as a graph', () => {
	const paths = getShortestPaths(machine, traversal);
	const adjacency = adjacencyMapToArray(getAdjacencyMap(machine, traversal));

	it('reaches every state: each link`s reading, asking, retry offer and feedback, summary, review', () => {
		const reached = new Set(paths.map((p) => stateOf(p.state.value)));
		expect([...reached].sort()).toEqual([...everyState].sort());
	});

	it('has no state the traversal misses (the list above is every leaf of the machine)', () => {
		const leaves = getStateNodes(machine.root)
			.filter((node) => node.type === 'atomic')
			.map((node) => node.path.join('.'));
		expect(leaves.sort()).toEqual([...everyState].sort());
	});

	it('has no timed transitions anywhere: time is never part of the journey', () => {
		const timed = getStateNodes(machine.root).filter((node) => node.after.length > 0);
		expect(timed.map((node) => node.id)).toEqual([]);
	});

	it('reaches summary in the fewest steps by answering right: 1 + 3 links + 2 × 4 questions', () => {
		const toSummary = paths.filter((p) => p.state.matches('summary'));
		const shortest = Math.min(...toSummary.map((p) => p.weight));
		expect(shortest).toBe(12);
	});

	it(
		'calls saveJourney on every step that changes the journey, and runs nothing otherwise',
		{ timeout: 30_000 },
		() => {
			expect(adjacency.length).toBeGreaterThan(100);
			// Gathered, then asserted once: one expect per step would cost more than the steps.
			const wrong = adjacency.flatMap(({ state, event }) => {
				const [after, actions] = transition(machine, state, event);
				const types = actions.map((a) => a.type);
				const right = after === state ? types.length === 0 : types.includes('saveJourney');
				return right ? [] : [`${stateOf(state.value)} ${event.type}: ${types.join(', ')}`];
			});
			expect(wrong).toEqual([]);
		}
	);

	it('never changes the scored answers from summary or review, short of a restart', () => {
		const fromReview = adjacency.filter(
			({ state, event }) =>
				(state.matches('summary') || state.matches('review')) && event.type !== 'journey.restart'
		);
		expect(fromReview.length).toBeGreaterThan(0);
		for (const { state, nextState } of fromReview) {
			expect(nextState.context.answers).toBe(state.context.answers);
		}
	});

	it('never records more than two tries at a question', () => {
		const tries = adjacency.flatMap(({ nextState }) =>
			[nextState.context.answers, nextState.context.reviewAnswers]
				.flatMap((book) => Object.values(book))
				.map((record) => record.attempts.length)
		);
		expect(tries.length).toBeGreaterThan(0);
		expect(tries.filter((n) => n > MAX_ATTEMPTS)).toEqual([]);
	});

	it(
		'is followed step for step by a live actor, which saves once per step',
		{ timeout: 60_000 },
		async () => {
			const model = createTestModel(machine, traversal);
			// Shortest paths that are prefixes of longer ones are dropped; the rest still pass through
			// every state of the graph.
			const testPaths = model.getShortestPaths();
			const covered = new Set(
				testPaths.flatMap((p) => p.steps.map((step) => traversal.serializeState(step.state)))
			);
			expect(covered.size).toBe(paths.length);
			for (const path of testPaths) {
				const save = vi.fn();
				const actor = createActor(machine.provide({ actions: { saveJourney: save } }), { input });
				actor.start();
				const send = (step: { event: { type: string } }) => {
					actor.send(step.event as JourneyEvent);
				};
				await path.test({
					events: {
						'journey.start': send,
						'link.continue': send,
						'hint.request': send,
						'answer.submit': send,
						'answer.retry': send,
						'answer.reveal': send,
						'question.next': send,
						'review.start': send,
						'link.revisit': send,
						'revisit.close': send,
						'journey.restart': send
					},
					states: {
						// The graph keeps one snapshot per serialised state, so compare what the
						// serialisation captures: the state, the question, its tries, what is missed.
						'*': (expected) => {
							expect(actor.getSnapshot().value).toEqual(expected.value);
							expect(traversal.serializeState(actor.getSnapshot())).toBe(
								traversal.serializeState(expected)
							);
						}
					}
				});
				expect(save).toHaveBeenCalledTimes(path.steps.length - 1);
				actor.stop();
			}
		}
	);
});

// ---------------------------------------------------------------------------------------------
// Every way through one question

const labels: Partial<Record<JourneyEvent['type'], string>> = {
	'hint.request': 'hint',
	'answer.retry': 'retry',
	'answer.reveal': 'reveal'
};

/** The events of a path after its initial step, as 'hint', 'right', 'wrong', 'retry', 'reveal'. */
function labelsOf(path: StatePath<JourneySnapshot, JourneyEvent>, q: Question): string {
	return path.steps
		.slice(1)
		.map(({ event }) => {
			if (event.type !== 'answer.submit') return labels[event.type] ?? event.type;
			return JSON.stringify(event.response) === JSON.stringify(q.answer) ? 'right' : 'wrong';
		})
		.join(' ');
}

function waysThrough(from: JourneyEvent[], id: string, link: string): Array<[string, number]> {
	const q = question(id);
	const fromState = run(begin(), from);
	const atQuestion = new Set<string>([
		'hint.request',
		'answer.submit',
		'answer.retry',
		'answer.reveal'
	]);
	const paths = getSimplePaths(machine, {
		input,
		fromState,
		events: offeredEvents(tinyPack),
		filterEvents: (_snapshot, event) => atQuestion.has(event.type),
		serializeState: (s) => JSON.stringify([s.value, s.context.answers[id] ?? null]),
		toState: (s) => s.matches({ [link]: 'feedback' })
	});
	return paths
		.map((p): [string, number] => [labelsOf(p, q), pointsOf(p.state.context.answers, id) ?? -1])
		.sort(([a], [b]) => a.localeCompare(b));
}

describe('every way through one question, and the points each earns', () => {
	it('a question with a hint: 10 right, −3 for the hint, 5 on the retry, 2 for retry + hint', () => {
		expect(waysThrough(toMudAsking, 'q-numeric', 'mud')).toEqual([
			['hint right', 7],
			['hint wrong retry right', 2],
			['hint wrong retry wrong', 0],
			['hint wrong reveal', 0],
			['right', 10],
			['wrong retry hint right', 2],
			['wrong retry hint wrong', 0],
			['wrong retry right', 5],
			['wrong retry wrong', 0],
			['wrong reveal', 0]
		]);
	});

	it('a question without a hint: right, or wrong then retried or revealed', () => {
		expect(waysThrough(toRainAsking, 'q-choice', 'rain')).toEqual([
			['right', 10],
			['wrong retry right', 5],
			['wrong retry wrong', 0],
			['wrong reveal', 0]
		]);
	});

	it('a partly right first try keeps its partial credit when revealed, and is capped at 5 when retried', () => {
		// The reverse of x, y, z keeps y in place: a third right.
		expect(wrongResponse(question('q-order'))).toEqual(['z', 'y', 'x']);
		expect(waysThrough(toOrderAsking, 'q-order', 'rain')).toEqual([
			['right', 10],
			['wrong retry right', 5],
			['wrong retry wrong', 2],
			['wrong reveal', 3]
		]);
	});
});

// ---------------------------------------------------------------------------------------------
// Step by step with transition()

describe('starting', () => {
	it('begins in intro with an empty journey and runs nothing', () => {
		const [snapshot, actions] = initialTransition(machine, input);
		expect(snapshot.value).toBe('intro');
		expect(snapshot.context).toEqual({
			version: 'v1',
			questionId: null,
			answers: {},
			reviewQueue: [],
			reviewAnswers: {},
			revisitLinkId: null,
			exploration: {},
			scenarioId: null,
			judgements: {},
			startedAt: null,
			keys: {},
			receipts: {},
			pending: null,
			problem: null
		} satisfies JourneyContext);
		expect(actions).toEqual([]);
	});

	it('journey.start opens the first link`s reading with its first question selected', () => {
		const snapshot = run(begin(), [start]);
		expect(snapshot.value).toEqual({ rain: 'reading' });
		expect(snapshot.context.questionId).toBe('q-choice');
	});

	it('link.continue asks the first question; question.next moves through the link, then to the next link', () => {
		expect(run(begin(), toRainAsking).value).toEqual({ rain: 'asking' });
		const second = run(begin(), toOrderAsking);
		expect(second.value).toEqual({ rain: 'asking' });
		expect(second.context.questionId).toBe('q-order');
		const nextLink = run(begin(), [...toOrderAsking, right('q-order'), next]);
		expect(nextLink.value).toEqual({ mud: 'reading' });
		expect(nextLink.context.questionId).toBe('q-numeric');
	});
});

describe('the actions each state-changing event returns', () => {
	const summaryWithMisses = run(begin(), [...toMessAsking, wrong('q-multi'), reveal, next]);
	const cases: Array<[string, JourneySnapshot, JourneyEvent, string, string[]]> = [
		['journey.start', begin(), start, 'rain.reading', ['saveJourney', 'focusStage']],
		['link.continue', run(begin(), [start]), carryOn, 'rain.asking', ['saveJourney', 'focusStage']],
		[
			'a right answer',
			run(begin(), toRainAsking),
			right('q-choice'),
			'rain.feedback',
			['saveJourney', 'focusFeedback']
		],
		[
			'a wrong first answer',
			run(begin(), toRainAsking),
			wrong('q-choice'),
			'rain.retryOffer',
			['saveJourney', 'focusFeedback']
		],
		[
			'answer.retry',
			run(begin(), [...toRainAsking, wrong('q-choice')]),
			retry,
			'rain.asking',
			['saveJourney', 'focusStage']
		],
		[
			'answer.reveal',
			run(begin(), [...toRainAsking, wrong('q-choice')]),
			reveal,
			'rain.feedback',
			['saveJourney', 'focusFeedback']
		],
		[
			'question.next within a link',
			run(begin(), [...toRainAsking, right('q-choice')]),
			next,
			'rain.asking',
			['saveJourney', 'focusStage']
		],
		[
			'question.next at a link`s end',
			run(begin(), [...toOrderAsking, right('q-order')]),
			next,
			'mud.reading',
			['saveJourney', 'focusStage']
		],
		['hint.request', run(begin(), toMudAsking), hint, 'mud.asking', ['saveJourney']],
		[
			'question.next after the last question',
			run(begin(), [...toMessAsking, right('q-multi')]),
			next,
			'summary',
			['saveJourney', 'recordAttempt', 'focusStage']
		],
		['review.start', summaryWithMisses, review, 'review.asking', ['saveJourney', 'focusStage']],
		['link.revisit', summaryWithMisses, revisit('mud'), 'summary', ['saveJourney']],
		[
			'revisit.close',
			run(summaryWithMisses, [revisit('mud')]),
			closeRevisit,
			'summary',
			['saveJourney']
		],
		['journey.restart', summaryWithMisses, restart, 'rain.reading', ['saveJourney', 'focusStage']]
	];

	it.each(cases)('%s', (_name, from, event, to, actions) => {
		const [after, returned] = transition(machine, from, event);
		expect(stateOf(after.value)).toBe(to);
		expect(returned.map((a) => a.type)).toEqual(actions);
	});
});

describe('events the machine refuses: no transition, no actions', () => {
	const asking = run(begin(), toRainAsking);
	const cases: Array<[string, JourneySnapshot, JourneyEvent]> = [
		['a response of the wrong shape', asking, submit(1)],
		['a null response', asking, submit(null)],
		['a missing response', asking, submit(undefined)],
		['an empty response', asking, submit('')],
		['an option the question does not have', asking, submit('zz')],
		['a response shaped for another question', asking, submit(['x', 'y', 'z'])],
		['NaN to a numeric question', run(begin(), toMudAsking), submit(Number.NaN)],
		['a numeric string to a numeric question', run(begin(), toMudAsking), submit('1')],
		['an empty list to a multi question', run(begin(), toMessAsking), submit([])],
		['a repeated id to a multi question', run(begin(), toMessAsking), submit(['m', 'm'])],
		['a hint for a question without one', asking, hint],
		['a second hint', run(begin(), [...toMudAsking, hint]), hint],
		['an answer while reading', run(begin(), [start]), right('q-choice')],
		[
			'an answer at the retry offer',
			run(begin(), [...toRainAsking, wrong('q-choice')]),
			right('q-choice')
		],
		[
			'a third try',
			run(begin(), [...toRainAsking, wrong('q-choice'), retry, wrong('q-choice')]),
			right('q-choice')
		],
		['a hint at feedback', run(begin(), [...toMudAsking, wrong('q-numeric'), reveal]), hint],
		['answer.retry at feedback', run(begin(), [...toRainAsking, right('q-choice')]), retry],
		['question.next while asking', asking, next],
		['link.continue while asking', asking, carryOn],
		['journey.start once started', asking, start],
		['review.start before the summary', asking, review],
		[
			'link.revisit of the link in progress, still unanswered',
			run(begin(), [start]),
			revisit('rain')
		],
		['link.revisit of a link not reached', asking, revisit('mess')],
		['link.revisit of a link the pack does not have', asking, revisit('nowhere')]
	];

	it.each(cases)('%s', (_name, from, event) => {
		const [after, actions] = transition(machine, from, event);
		expect(after).toBe(from);
		expect(actions).toEqual([]);
	});
});

describe('scoring through the machine', () => {
	it('a right first try without a hint earns 10', () => {
		const after = run(begin(), [...toMudAsking, right('q-numeric')]);
		expect(after.value).toEqual({ mud: 'feedback' });
		expect(pointsOf(after.context.answers, 'q-numeric')).toBe(MAX_POINTS);
	});

	it('a hint lowers the question by exactly 3', () => {
		const plain = run(begin(), [...toMudAsking, right('q-numeric')]);
		const hinted = run(begin(), [...toMudAsking, hint, right('q-numeric')]);
		expect(hinted.context.answers['q-numeric']).toEqual({
			attempts: [{ response: 1, credit: 1, confidence: undefined }],
			hintUsed: true
		});
		expect(pointsOf(hinted.context.answers, 'q-numeric')).toBe(7);
		expect(
			(pointsOf(plain.context.answers, 'q-numeric') ?? 0) -
				(pointsOf(hinted.context.answers, 'q-numeric') ?? 0)
		).toBe(HINT_COST);
	});

	it('a right retry is capped at 5, and at 2 after a hint', () => {
		const retried = run(begin(), [...toMudAsking, wrong('q-numeric'), retry, right('q-numeric')]);
		expect(retried.value).toEqual({ mud: 'feedback' });
		expect(pointsOf(retried.context.answers, 'q-numeric')).toBe(RETRY_MAX_POINTS);
		const both = run(begin(), [
			...toMudAsking,
			hint,
			wrong('q-numeric'),
			retry,
			right('q-numeric')
		]);
		expect(pointsOf(both.context.answers, 'q-numeric')).toBe(RETRY_MAX_POINTS - HINT_COST);
	});

	it('a wrong first try offers one retry; a wrong retry goes to feedback with no third try', () => {
		const first = run(begin(), [...toMudAsking, wrong('q-numeric')]);
		expect(first.value).toEqual({ mud: 'retryOffer' });
		const second = run(first, [retry, wrong('q-numeric')]);
		expect(second.value).toEqual({ mud: 'feedback' });
		expect(second.context.answers['q-numeric']?.attempts.map((a) => a.credit)).toEqual([0, 0]);
		expect(pointsOf(second.context.answers, 'q-numeric')).toBe(0);
	});

	it('answer.reveal keeps the first try`s partial credit', () => {
		const partial = submit(['y', 'x', 'z']); // z in place: a third right
		const revealed = run(begin(), [...toOrderAsking, partial, reveal]);
		expect(revealed.value).toEqual({ rain: 'feedback' });
		expect(outcomeOf(revealed.context.answers['q-order'])).toEqual({
			credit: 1 / 3,
			correct: false,
			points: 3,
			maxPoints: 10
		});
	});

	it('records the confidence the learner gave with each try', () => {
		const after = run(begin(), [
			...toRainAsking,
			{ type: 'answer.submit', response: 'b', confidence: 'sure' },
			retry,
			{ type: 'answer.submit', response: 'a', confidence: 'guessing' }
		]);
		expect(after.context.answers['q-choice']).toEqual({
			attempts: [
				{ response: 'b', credit: 0, confidence: 'sure' },
				{ response: 'a', credit: 1, confidence: 'guessing' }
			],
			hintUsed: false
		});
	});

	it('answering every question right reaches summary with full marks', () => {
		const end = run(begin(), allRight(tinyPack));
		expect(end.value).toBe('summary');
		expect(scoreOf(tinyPack, end.context.answers)).toEqual({
			points: 40,
			maxPoints: 40,
			answered: 4,
			correct: 4,
			questions: 4,
			share: 1
		});
	});

	it('a scripted journey through the graph (getPathsFromEvents) ends in summary with the expected score', () => {
		const events = [
			start,
			carryOn,
			wrong('q-choice'),
			reveal,
			next,
			right('q-order'),
			next,
			carryOn,
			hint,
			right('q-numeric'),
			next,
			carryOn,
			wrong('q-multi'),
			retry,
			right('q-multi'),
			next
		];
		// The default serialisation (state value and whole context) keeps each snapshot exact.
		// getPathsFromEvents builds its default start without `input`, so it is given the start.
		const [path] = getPathsFromEvents(machine, events, {
			input,
			fromState: begin(),
			toState: (s) => s.matches('summary'),
			limit: 10_000
		});
		expect(path?.state.value).toBe('summary');
		expect(path?.steps.length).toBe(events.length + 1);
		expect(scoreOf(tinyPack, path?.state.context.answers ?? {}).points).toBe(0 + 10 + 7 + 5);
	});
});

describe('review', () => {
	/** q-order partly right and kept, q-numeric wrong twice (no hint), q-choice and q-multi right. */
	const missing = [
		...toOrderAsking,
		submit(['y', 'x', 'z']),
		reveal,
		next,
		carryOn,
		wrong('q-numeric'),
		retry,
		wrong('q-numeric'),
		next,
		carryOn,
		right('q-multi'),
		next
	];
	const summary = run(begin(), missing);

	it('is offered only after something was missed', () => {
		expect(summary.value).toBe('summary');
		expect(missedQuestionIds(tinyPack, summary.context.answers)).toEqual(['q-order', 'q-numeric']);
		const perfect = run(begin(), allRight(tinyPack));
		const [after, actions] = transition(machine, perfect, review);
		expect(after).toBe(perfect);
		expect(actions).toEqual([]);
	});

	it('re-asks exactly the missed questions, in pack order, then returns to summary', () => {
		const asked: string[] = [];
		let snapshot = run(summary, [review]);
		expect(snapshot.context.reviewQueue).toEqual(['q-order', 'q-numeric']);
		while (snapshot.matches('review')) {
			expect(snapshot.value).toEqual({ review: 'asking' });
			const id = snapshot.context.questionId ?? '';
			asked.push(id);
			snapshot = run(snapshot, [right(id), next]);
		}
		expect(asked).toEqual(['q-order', 'q-numeric']);
		expect(snapshot.value).toBe('summary');
	});

	it('records into reviewAnswers and never changes the answers or the score', () => {
		const scoreBefore = scoreOf(tinyPack, summary.context.answers);
		expect(scoreBefore.points).toBe(10 + 3 + 0 + 10);
		const after = run(summary, [
			review,
			right('q-order'),
			next,
			hint,
			wrong('q-numeric'),
			retry,
			right('q-numeric'),
			next
		]);
		expect(after.value).toBe('summary');
		expect(after.context.answers).toBe(summary.context.answers);
		expect(scoreOf(tinyPack, after.context.answers)).toEqual(scoreBefore);
		expect(after.context.reviewAnswers).toEqual({
			'q-order': {
				attempts: [{ response: ['x', 'y', 'z'], credit: 1, confidence: undefined }],
				hintUsed: false
			},
			'q-numeric': {
				attempts: [
					{ response: 2, credit: 0, confidence: undefined },
					{ response: 1, credit: 1, confidence: undefined }
				],
				hintUsed: true
			}
		});
		expect(after.context.answers['q-numeric']?.hintUsed).toBe(false);
	});

	it('keeps the retry rule in review, against review tries only', () => {
		const reviewing = run(summary, [review, right('q-order'), next]);
		expect(reviewing.context.questionId).toBe('q-numeric');
		// q-numeric already has two tries in the journey, yet review offers a retry of its own.
		const first = run(reviewing, [wrong('q-numeric')]);
		expect(first.value).toEqual({ review: 'retryOffer' });
		const second = run(first, [retry, wrong('q-numeric')]);
		expect(second.value).toEqual({ review: 'feedback' });
	});

	it('can be taken again, starting from an empty practice book', () => {
		const once = run(summary, [review, right('q-order'), next, right('q-numeric'), next]);
		const again = run(once, [review]);
		expect(again.value).toEqual({ review: 'asking' });
		expect(again.context.reviewQueue).toEqual(['q-order', 'q-numeric']);
		expect(again.context.reviewAnswers).toEqual({});
		expect(again.context.questionId).toBe('q-order');
	});
});

describe('revisiting a link', () => {
	it('opens only a link with an answer, and changes no answers', () => {
		const atMud = run(begin(), [...toOrderAsking, wrong('q-order'), reveal, next]);
		expect(atMud.value).toEqual({ mud: 'reading' });
		const [open, actions] = transition(machine, atMud, revisit('rain'));
		expect(open.value).toEqual({ mud: 'reading' });
		expect(open.context.revisitLinkId).toBe('rain');
		expect(open.context.answers).toBe(atMud.context.answers);
		expect(open.context.questionId).toBe(atMud.context.questionId);
		expect(actions.map((a) => a.type)).toEqual(['saveJourney']);

		expect(transition(machine, atMud, revisit('mud'))[0]).toBe(atMud);
		expect(transition(machine, atMud, revisit('mess'))[0]).toBe(atMud);
	});

	it('does not count a hint opened, without an answer, as a visit', () => {
		const hinted = run(begin(), [...toMudAsking, hint]);
		expect(hinted.context.answers['q-numeric']).toEqual({ attempts: [], hintUsed: true });
		const [after, actions] = transition(machine, hinted, revisit('mud'));
		expect(after).toBe(hinted);
		expect(actions).toEqual([]);
	});

	it('counts a link as visited once any of its questions has an answer', () => {
		const midRain = run(begin(), [...toRainAsking, right('q-choice')]);
		expect(run(midRain, [revisit('rain')]).context.revisitLinkId).toBe('rain');
	});

	it('does not interrupt the question in progress, and revisit.close closes it', () => {
		const asking = run(begin(), [...toMudAsking, hint]);
		const open = run(asking, [revisit('rain')]);
		expect(open.value).toEqual({ mud: 'asking' });
		expect(open.context.answers).toBe(asking.context.answers);
		const answered = run(open, [right('q-numeric')]);
		expect(pointsOf(answered.context.answers, 'q-numeric')).toBe(7);
		const closed = run(open, [closeRevisit]);
		expect(closed.context.revisitLinkId).toBeNull();
		expect(closed.value).toEqual({ mud: 'asking' });
	});
});

describe('journey.restart', () => {
	const empty: JourneyContext = {
		version: 'v1',
		questionId: 'q-choice',
		answers: {},
		reviewQueue: [],
		reviewAnswers: {},
		revisitLinkId: null,
		exploration: {},
		scenarioId: null,
		judgements: {},
		startedAt: null,
		keys: {},
		receipts: {},
		pending: null,
		problem: null
	};

	it('clears everything and goes to the first link`s reading, from a reviewed summary', () => {
		const reviewed = run(begin(), [
			...toMessAsking,
			wrong('q-multi'),
			reveal,
			next,
			revisit('rain'),
			review,
			right('q-multi'),
			next
		]);
		expect(reviewed.value).toBe('summary');
		const after = run(reviewed, [restart]);
		expect(after.value).toEqual({ rain: 'reading' });
		expect(after.context).toEqual(empty);
	});

	it('re-enters the first link when restarted inside it', () => {
		const after = run(begin(), [...toRainAsking, wrong('q-choice'), restart]);
		expect(after.value).toEqual({ rain: 'reading' });
		expect(after.context).toEqual(empty);
	});

	it('works mid-review and from the intro', () => {
		const midReview = run(begin(), [...toMessAsking, wrong('q-multi'), reveal, next, review]);
		expect(midReview.value).toEqual({ review: 'asking' });
		expect(run(midReview, [restart]).context).toEqual(empty);
		expect(run(begin(), [restart]).value).toEqual({ rain: 'reading' });
	});

	it('keeps the pack version', () => {
		const other = initialTransition(machine, { version: 'v2' })[0];
		expect(run(other, [start, carryOn, restart]).context.version).toBe('v2');
	});
});

describe('the placeholder actions, provided by the page', () => {
	it('saveJourney is replaced by .provide() and sees the journey after the change', () => {
		const save = vi.fn();
		const actor = createActor(machine.provide({ actions: { saveJourney: save } }), { input });
		actor.start();
		expect(save).not.toHaveBeenCalled();
		actor.send(start);
		actor.send(carryOn);
		actor.send(submit(42));
		expect(save).toHaveBeenCalledTimes(2);
		actor.send(right('q-choice'));
		expect(save).toHaveBeenCalledTimes(3);
		const [args] = save.mock.calls[2] ?? [];
		expect((args as { context: JourneyContext }).context.answers['q-choice']?.attempts).toEqual([
			{ response: 'a', credit: 1, confidence: undefined }
		]);
		actor.stop();
	});

	it('focusStage and focusFeedback are replaced by .provide() too', () => {
		const focusStage = vi.fn();
		const focusFeedback = vi.fn();
		const actor = createActor(machine.provide({ actions: { focusStage, focusFeedback } }), {
			input
		});
		actor.start();
		for (const event of [start, carryOn, wrong('q-choice'), retry, right('q-choice')])
			actor.send(event);
		expect(focusStage).toHaveBeenCalledTimes(3);
		expect(focusFeedback).toHaveBeenCalledTimes(2);
		actor.stop();
	});
});

describe('a persisted journey', () => {
	function persistAt(events: JourneyEvent[]) {
		const actor = createActor(machine, { input }).start();
		for (const event of events) actor.send(event);
		const stored = JSON.stringify(actor.getPersistedSnapshot());
		const live = actor.getSnapshot();
		actor.stop();
		return { stored, live };
	}

	it('resumes at the same state with the same answers after a JSON round trip', () => {
		const { stored, live } = persistAt([...toMudAsking, hint]);
		const reloaded = createJourneyMachine(tinyPack);
		const actor = createActor(reloaded, {
			snapshot: JSON.parse(stored) as JourneySnapshot,
			input
		}).start();
		expect(actor.getSnapshot().value).toEqual({ mud: 'asking' });
		expect(actor.getSnapshot().value).toEqual(live.value);
		expect(actor.getSnapshot().context).toEqual(live.context);
		actor.send(right('q-numeric'));
		expect(pointsOf(actor.getSnapshot().context.answers, 'q-numeric')).toBe(7);
		actor.stop();
	});

	it('resumed at a retry offer, still allows exactly one retry', () => {
		const { stored } = persistAt([...toMudAsking, wrong('q-numeric')]);
		const actor = createActor(machine, {
			snapshot: JSON.parse(stored) as JourneySnapshot,
			input
		}).start();
		expect(actor.getSnapshot().value).toEqual({ mud: 'retryOffer' });
		actor.send(retry);
		actor.send(wrong('q-numeric'));
		expect(actor.getSnapshot().value).toEqual({ mud: 'feedback' });
		expect(actor.getSnapshot().context.answers['q-numeric']?.attempts).toHaveLength(2);
		actor.stop();
	});

	it('resumed mid-review, keeps the queue and the practice answers apart from the score', () => {
		const { stored, live } = persistAt([
			...toOrderAsking,
			wrong('q-order'),
			reveal,
			next,
			carryOn,
			wrong('q-numeric'),
			reveal,
			next,
			carryOn,
			right('q-multi'),
			next,
			review,
			right('q-order'),
			next
		]);
		const actor = createActor(machine, {
			snapshot: JSON.parse(stored) as JourneySnapshot,
			input
		}).start();
		expect(actor.getSnapshot().value).toEqual({ review: 'asking' });
		expect(actor.getSnapshot().context).toEqual(live.context);
		expect(actor.getSnapshot().context.reviewQueue).toEqual(['q-order', 'q-numeric']);
		actor.send(right('q-numeric'));
		actor.send(next);
		expect(actor.getSnapshot().value).toBe('summary');
		expect(scoreOf(tinyPack, actor.getSnapshot().context.answers)).toEqual(
			scoreOf(tinyPack, live.context.answers)
		);
		actor.stop();
	});
});

// ---------------------------------------------------------------------------------------------
// Exploring a scenario question

describe('exploring a scenario question, one scenario at a time', () => {
	const explorer = createJourneyMachine(scenarioPack);
	const questions = questionMap(scenarioPack);
	const scenarioQ = question('q-scenario', questions);
	if (scenarioQ.type !== 'scenario') throw new Error('q-scenario is a scenario question');
	const ids = scenarioQ.scenarios.map((sc) => sc.id);
	const open = (scenarioId: string): JourneyEvent => ({ type: 'scenario.open', scenarioId });
	const check = (picks: unknown): JourneyEvent => ({ type: 'scenario.check', picks });
	const close: JourneyEvent = { type: 'scenario.close' };
	const finish: JourneyEvent = { type: 'exploration.finish' };
	const judge = (scenarioId: string, confidence: Confidence = 'think-so'): JourneyEvent => ({
		type: 'judgement.submit',
		scenarioId,
		confidence
	});
	const rightPicks = (id: string) => scenarioQ.answer[id];
	const weigh = (id: string, picks: unknown = rightPicks(id)) => [open(id), check(picks), close];
	const toChoosing = [
		start,
		carryOn,
		right('q-choice'),
		next,
		right('q-order'),
		next,
		carryOn,
		right('q-numeric'),
		next,
		carryOn
	];
	const go = (events: JourneyEvent[]) => run(begin(explorer), events, explorer);

	it('sends the link to exploring, not asking, when its question is a scenario question', () => {
		const at = go(toChoosing);
		expect(at.value).toEqual({ mess: { exploring: 'choosing' } });
		expect(at.context.questionId).toBe('q-scenario');
		expect(at.context.exploration).toEqual({});
	});

	it('reaches every scenario in any order, and judging only once each is weighed', () => {
		const orders = [ids, [...ids].reverse(), [ids[1] ?? '', ids[2] ?? '', ids[0] ?? '']];
		for (const order of orders) {
			let snapshot = go(toChoosing);
			for (const [k, id] of order.entries()) {
				snapshot = run(snapshot, [open(id)], explorer);
				expect(snapshot.value).toEqual({ mess: { exploring: 'picking' } });
				expect(snapshot.context.scenarioId).toBe(id);
				snapshot = run(snapshot, [check(rightPicks(id))], explorer);
				expect(snapshot.value).toEqual({ mess: { exploring: 'revealed' } });
				snapshot = run(snapshot, [close], explorer);
				expect(snapshot.value).toEqual({ mess: { exploring: 'choosing' } });
				expect(Object.keys(snapshot.context.exploration)).toHaveLength(k + 1);
				if (k < order.length - 1) expect(run(snapshot, [finish], explorer)).toBe(snapshot);
			}
			snapshot = run(snapshot, [finish], explorer);
			expect(snapshot.value).toEqual({ mess: 'judging' });
		}
	});

	it('focuses the menu when the exploration begins, and the closed scenario`s button on the way back', () => {
		const [, entering] = transition(explorer, go(toChoosing.slice(0, -1)), carryOn);
		expect(entering.map((a) => a.type)).toContain('focusStage');
		for (const from of [
			go([...toChoosing, open('flood')]),
			go([...toChoosing, ...weigh('flood').slice(0, 2)])
		]) {
			const [after, actions] = transition(explorer, from, close);
			expect(after.value).toEqual({ mess: { exploring: 'choosing' } });
			expect(actions.map((a) => a.type)).toEqual(['focusScenario', 'saveJourney']);
			// focusScenario runs before closeScenario, so it still sees which scenario was open.
			expect(from.context.scenarioId).toBe('flood');
			expect(after.context.scenarioId).toBeNull();
		}
	});

	it('refuses an unknown scenario, invalid picks and a check with no scenario open', () => {
		const at = go(toChoosing);
		expect(run(at, [open('storm')], explorer)).toBe(at);
		expect(run(at, [check(rightPicks('flood'))], explorer)).toBe(at);
		const picking = run(at, [open('flood')], explorer);
		for (const bad of [
			{ supports: [], against: [] },
			{ supports: ['p9'], against: [] },
			{ supports: ['p1'], against: ['p1'] },
			'p1'
		]) {
			expect(run(picking, [check(bad)], explorer)).toBe(picking);
		}
	});

	it('reopens a weighed scenario to its reveal without changing its picks; closing a pick keeps nothing', () => {
		const weighed = go([...toChoosing, ...weigh('flood', { supports: ['p1'], against: [] })]);
		const again = run(weighed, [open('flood')], explorer);
		expect(again.value).toEqual({ mess: { exploring: 'revealed' } });
		expect(run(again, [check(rightPicks('flood'))], explorer)).toBe(again);
		expect(again.context.exploration).toEqual({ flood: { supports: ['p1'], against: [] } });
		const abandoned = run(weighed, [open('drought'), close], explorer);
		expect(abandoned.context.exploration).toEqual(weighed.context.exploration);
	});

	it('records the picks as the one graded try, and the judgement apart, never graded', () => {
		const judged = ids.map((choice) =>
			go([...toChoosing, ...ids.flatMap((id) => weigh(id)), finish, judge(choice, 'sure')])
		);
		for (const [k, snapshot] of judged.entries()) {
			expect(snapshot.value).toEqual({ mess: 'feedback' });
			expect(snapshot.context.judgements).toEqual({
				'q-scenario': { scenarioId: ids[k], confidence: 'sure' }
			});
			expect(snapshot.context.answers['q-scenario']?.attempts).toEqual([
				{ response: scenarioQ.answer, credit: 1 }
			]);
			expect(pointsOf(snapshot.context.answers, 'q-scenario')).toBe(MAX_POINTS);
		}
		const judging = go([...toChoosing, ...ids.flatMap((id) => weigh(id)), finish]);
		expect(run(judging, [judge('storm')], explorer)).toBe(judging);
	});

	it('scores the evidence only: the mean of each scenario`s credit, one try, hint cost applied', () => {
		// flood: 2 right of 3 → 2/3; drought: right → 1; calm: 1 right, 1 stray of 2 → 0.
		const picks = {
			flood: { supports: ['p1', 'p3'], against: [] },
			drought: { supports: ['p2'], against: [] },
			calm: { supports: ['p4', 'p3'], against: [] }
		};
		const events = (withHint: boolean) => [
			...toChoosing,
			...(withHint ? [hint] : []),
			...ids.flatMap((id) => weigh(id, picks[id as keyof typeof picks])),
			finish
		];
		const credit = (2 / 3 + 1 + 0) / 3;
		const plain = go(events(false));
		expect(plain.value).toEqual({ mess: 'judging' });
		expect(plain.context.answers['q-scenario']?.attempts).toEqual([{ response: picks, credit }]);
		expect(pointsOf(plain.context.answers, 'q-scenario')).toBe(Math.round(credit * MAX_POINTS));
		const hinted = go(events(true));
		expect(pointsOf(hinted.context.answers, 'q-scenario')).toBe(
			Math.round(credit * (MAX_POINTS - HINT_COST))
		);
		expect(gradeResponse(scenarioQ, picks)).toEqual({ valid: true, correct: false, credit });
	});

	it('continues to the link`s next question after the judgement, then to the summary', () => {
		const judged = go([...toChoosing, ...ids.flatMap((id) => weigh(id)), finish, judge('calm')]);
		const after = run(judged, [next], explorer);
		expect(after.value).toEqual({ mess: 'asking' });
		expect(after.context.questionId).toBe('q-multi');
		expect(run(after, [right('q-multi'), next], explorer).value).toBe('summary');
	});

	it('still takes a whole response at the choosing menu, as the classroom form sends it', () => {
		const at = go(toChoosing);
		expect(run(at, [submit(scenarioQ.answer)], explorer).value).toEqual({ mess: 'feedback' });
		expect(run(at, [submit(wrongResponse(scenarioQ))], explorer).value).toEqual({
			mess: 'retryOffer'
		});
	});

	it('reaches every exploration state in a traversal, and resumes mid-exploration', () => {
		const scenarioEvents = [
			...ids.flatMap((id) => [open(id), check(rightPicks(id))]),
			close,
			finish,
			judge('flood')
		];
		const paths = getShortestPaths(explorer, {
			input,
			events: (snapshot) => {
				const q = questions.get(snapshot.context.questionId ?? '');
				return [start, carryOn, next, ...(q ? [submit(q.answer)] : []), ...scenarioEvents];
			},
			serializeState: (snapshot) =>
				JSON.stringify([
					snapshot.value,
					snapshot.context.questionId,
					Object.keys(snapshot.context.exploration),
					snapshot.context.scenarioId
				]),
			limit: 50_000
		});
		const reached = new Set(paths.map((p) => stateOf(p.state.value)));
		for (const state of [
			'mess.exploring.choosing',
			'mess.exploring.picking',
			'mess.exploring.revealed',
			'mess.judging'
		]) {
			expect(reached.has(state), state).toBe(true);
		}
		const actor = createActor(explorer, { input }).start();
		for (const event of [...toChoosing, ...weigh('drought'), open('flood')]) actor.send(event);
		const stored = JSON.parse(JSON.stringify(actor.getPersistedSnapshot())) as JourneySnapshot;
		actor.stop();
		const resumed = createActor(explorer, { snapshot: stored, input }).start();
		expect(resumed.getSnapshot().value).toEqual({ mess: { exploring: 'picking' } });
		expect(resumed.getSnapshot().context.exploration).toEqual({ drought: rightPicks('drought') });
		resumed.stop();
	});
});

describe('the attempt and its times', () => {
	it('journey.start and journey.restart stamp the time the page gives', () => {
		expect(run(begin(), [{ type: 'journey.start', at: 1000 }]).context.startedAt).toBe(1000);
		const restarted = run(begin(), [start, { type: 'journey.restart', at: 2000 }]);
		expect(restarted.context.startedAt).toBe(2000);
	});

	it('recordAttempt runs once, on first reaching the summary, not after a review', () => {
		const recordAttempt = vi.fn();
		const actor = createActor(machine.provide({ actions: { recordAttempt } }), { input }).start();
		for (const event of [...toMessAsking, wrong('q-multi'), reveal, next]) actor.send(event);
		expect(actor.getSnapshot().value).toBe('summary');
		expect(recordAttempt).toHaveBeenCalledTimes(1);
		for (const event of [review, right('q-multi'), next]) actor.send(event);
		expect(actor.getSnapshot().value).toBe('summary');
		expect(recordAttempt).toHaveBeenCalledTimes(1);
		actor.stop();
	});

	it('a review from the history starts in review, asks those questions, and records nothing', () => {
		const recordAttempt = vi.fn();
		const practice = createActor(machine.provide({ actions: { recordAttempt } }), {
			input: { version: 'v1', review: ['q-numeric', 'q-gone', 'q-choice'] }
		}).start();
		expect(practice.getSnapshot().value).toEqual({ review: 'asking' });
		expect(practice.getSnapshot().context.reviewQueue).toEqual(['q-numeric', 'q-choice']);
		expect(practice.getSnapshot().context.questionId).toBe('q-numeric');
		for (const event of [right('q-numeric'), next, wrong('q-choice'), reveal, next]) {
			practice.send(event);
		}
		expect(practice.getSnapshot().value).toBe('summary');
		expect(practice.getSnapshot().context.answers).toEqual({});
		expect(Object.keys(practice.getSnapshot().context.reviewAnswers)).toEqual([
			'q-numeric',
			'q-choice'
		]);
		expect(recordAttempt).not.toHaveBeenCalled();
		practice.stop();
	});
});

// ---------------------------------------------------------------------------------------------
// The real pack

describe('the real pack (content/mali-russia)', () => {
	const loaded = loadPack('content/mali-russia');
	/** The loaded pack; a missing or broken pack fails the test that asks for it. */
	function realPack(): Pack {
		if (!loaded.pack) throw new Error(loaded.problems.map(formatProblem).join('\n'));
		return loaded.pack;
	}

	it('loads without problems', () => {
		expect(loaded.problems.map(formatProblem)).toEqual([]);
	});

	it('derives a wrong response of valid shape for each of its questions (so the other tests mean something)', () => {
		const pack = realPack();
		for (const q of [...questionsOf(pack), ...questionsOf(tinyPack)]) {
			const grade = gradeResponse(q, wrongResponse(q));
			expect(grade, q.id).toMatchObject({ valid: true, correct: false });
		}
	});

	it('has a shortest path to summary, one step per event of a right-first-time journey', () => {
		const pack = realPack();
		const real = createJourneyMachine(pack);
		const questions = questionMap(pack);
		const rightOnly = (snapshot: JourneySnapshot): JourneyEvent[] => {
			const id = snapshot.context.questionId;
			const q = id === null ? undefined : questions.get(id);
			return [start, carryOn, next, ...(q ? [submit(q.answer)] : [])];
		};
		const paths = getShortestPaths(real, {
			input,
			events: rightOnly,
			serializeState: (s) => JSON.stringify([s.value, s.context.questionId]),
			toState: (s) => s.matches('summary'),
			limit: 10_000
		});
		expect(paths).toHaveLength(1);
		const [path] = paths;
		const count = questionsOf(pack).length;
		expect(path?.weight).toBe(1 + pack.steps.length + 2 * count);
		expect(scoreOf(pack, path?.state.context.answers ?? {}).points).toBe(count * MAX_POINTS);
	});

	it('answered right first time throughout, reaches summary with the maximum score', () => {
		const pack = realPack();
		const real = createJourneyMachine(pack);
		const count = questionsOf(pack).length;
		const end = run(begin(real), allRight(pack), real);
		expect(end.value).toBe('summary');
		const score = scoreOf(pack, end.context.answers);
		expect(score).toEqual({
			points: count * 10,
			maxPoints: count * 10,
			answered: count,
			correct: count,
			questions: count,
			share: 1
		});
		expect(transition(real, end, review)[0]).toBe(end);
	});

	it('a hint on every question that has one costs exactly 3 points each', () => {
		const pack = realPack();
		const real = createJourneyMachine(pack);
		const withHints = [
			start,
			...pack.steps.flatMap((step) => [
				carryOn,
				...step.questions.flatMap((q) => [...(q.hint ? [hint] : []), submit(q.answer), next])
			])
		];
		const hinted = questionsOf(pack).filter((q) => q.hint !== undefined).length;
		expect(hinted).toBeGreaterThan(0);
		const end = run(begin(real), withHints, real);
		expect(end.value).toBe('summary');
		expect(scoreOf(pack, end.context.answers).points).toBe(
			questionsOf(pack).length * MAX_POINTS - hinted * HINT_COST
		);
	});

	it('a right retry everywhere earns 5 a question', () => {
		const pack = realPack();
		const real = createJourneyMachine(pack);
		const retried = [
			start,
			...pack.steps.flatMap((step) => [
				carryOn,
				...step.questions.flatMap((q) => [submit(wrongResponse(q)), retry, submit(q.answer), next])
			])
		];
		const end = run(begin(real), retried, real);
		expect(end.value).toBe('summary');
		expect(scoreOf(pack, end.context.answers).points).toBe(
			questionsOf(pack).length * RETRY_MAX_POINTS
		);
	});

	it('review re-asks exactly the missed questions in pack order and leaves the score alone', () => {
		const pack = realPack();
		const real = createJourneyMachine(pack);
		const all = questionsOf(pack);
		const missedIds = all.filter((_q, i) => i % 2 === 1).map((q) => q.id);
		const journey = [
			start,
			...pack.steps.flatMap((step) => [
				carryOn,
				...step.questions.flatMap((q) =>
					missedIds.includes(q.id)
						? [submit(wrongResponse(q)), reveal, next]
						: [submit(q.answer), next]
				)
			])
		];
		const summary = run(begin(real), journey, real);
		expect(summary.value).toBe('summary');
		const score = scoreOf(pack, summary.context.answers);
		let snapshot = run(summary, [review], real);
		const asked: string[] = [];
		while (snapshot.matches('review')) {
			const id = snapshot.context.questionId ?? '';
			asked.push(id);
			snapshot = run(snapshot, [submit(question(id, questionMap(pack)).answer), next], real);
		}
		expect(asked).toEqual(missedIds);
		expect(snapshot.value).toBe('summary');
		expect(scoreOf(pack, snapshot.context.answers)).toEqual(score);
		expect(Object.keys(snapshot.context.reviewAnswers)).toEqual(missedIds);
	});
});
