/**
 * The journey machine with server grading (ANSWER_KEYS=server), step by step with `transition()`:
 * it holds questions without keys, asks the page-supplied `askServer` actor about every answer,
 * hint, give-up and scenario check, and takes the verdicts (made here with the one grader, as the
 * server makes them) as they come back.
 */
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, initialTransition, transition } from 'xstate';
import type { Pack, Question } from '$lib/content/pack';
import { publicPack } from '$lib/content/public-pack';
import type { StudyBody, StudyVerdict } from '$lib/content/study-api';
import { gradeResponse, gradeScenarioPicks, MAX_ATTEMPTS } from '$lib/grading/score';
import { scenarioPack, tinyPack } from './fixture';
import {
	createJourneyMachine,
	type JourneyEvent,
	type JourneyMachine,
	type JourneySnapshot
} from './journey.machine';
import { serverGrading } from './journey.server-grading';
import { outcomeOf } from './journey.progress';

const input = { version: 'v1' };
const machineFor = (pack: Pack) => createJourneyMachine(publicPack(pack), serverGrading);
const questionOf = (pack: Pack, id: string): Question =>
	pack.steps.flatMap((s) => s.questions).find((q) => q.id === id)!;

const start: JourneyEvent = { type: 'journey.start' };
const carryOn: JourneyEvent = { type: 'link.continue' };
const next: JourneyEvent = { type: 'question.next' };
const submit = (response: unknown): JourneyEvent => ({ type: 'answer.submit', response });
const done = (output: StudyVerdict) =>
	({ type: 'xstate.done.actor.askServer', output }) as unknown as JourneyEvent;
const failed = (message: string) =>
	({ type: 'xstate.error.actor.askServer', error: new Error(message) }) as unknown as JourneyEvent;

/** Sends events one by one; returns the last snapshot and every action of the last step. */
type Actions = ReadonlyArray<{ type: string; params?: unknown }>;
function run(machine: JourneyMachine, snapshot: JourneySnapshot, events: JourneyEvent[]) {
	let actions: Actions = [];
	for (const event of events) [snapshot, actions] = transition(machine, snapshot, event);
	return { snapshot, actions };
}

/** What the machine asked the server for in the last step, if anything. */
function askedFor(actions: Actions): StudyBody | undefined {
	const spawn = actions.find((a) => a.type === 'xstate.spawnChild') as
		{ params?: { input?: StudyBody } } | undefined;
	return spawn?.params?.input;
}

/** The server's verdict on an answer, as src/lib/server/study.ts makes it. */
function verdict(
	question: Question,
	response: unknown,
	tries: number,
	receipt = 'r'
): StudyVerdict {
	const grade = gradeResponse(question, response);
	if (!grade.valid) throw new Error(grade.error);
	const finished = grade.correct || tries >= MAX_ATTEMPTS;
	return { credit: grade.credit, receipt, ...(finished ? { question, anchors: {} } : {}) };
}

describe('server grading: answers', () => {
	const machine = machineFor(tinyPack);
	const choice = questionOf(tinyPack, 'q-choice');
	const begin = () => run(machine, initialTransition(machine, input)[0], [start, carryOn]).snapshot;

	it('holds no answer key and asks the server to grade the answer', () => {
		const asking = begin();
		const held = JSON.stringify(asking.context);
		expect(held).not.toContain('answer":');
		const { snapshot, actions } = run(machine, asking, [submit('a')]);
		expect(snapshot.value).toEqual({ rain: 'grading' });
		expect(askedFor(actions)).toEqual({
			questionId: 'q-choice',
			receipt: undefined,
			request: { kind: 'answer', response: 'a' }
		});
		expect(snapshot.context.answers).toEqual({});
	});

	it('a right answer: the server`s credit is the try, the revealed question is kept, feedback', () => {
		const { snapshot, actions } = run(machine, begin(), [
			submit('a'),
			done(verdict(choice, 'a', 1, 'r1'))
		]);
		expect(snapshot.value).toEqual({ rain: 'feedback' });
		expect(outcomeOf(snapshot.context.answers['q-choice'])?.points).toBe(10);
		expect(snapshot.context.keys['q-choice']?.question).toEqual(choice);
		expect(snapshot.context.receipts['answers:q-choice']).toBe('r1');
		expect(actions.map((a) => a.type)).toContain('saveJourney');
	});

	it('a wrong first try: retry offer without the key; the retry sends the receipt back', () => {
		const { snapshot } = run(machine, begin(), [submit('b'), done(verdict(choice, 'b', 1, 'r1'))]);
		expect(snapshot.value).toEqual({ rain: 'retryOffer' });
		expect(snapshot.context.keys['q-choice']?.question).toBeUndefined();
		const retried = run(machine, snapshot, [{ type: 'answer.retry' }, submit('a')]);
		expect(askedFor(retried.actions)?.receipt).toBe('r1');
	});

	it('giving up asks the server for the answer, then shows the feedback', () => {
		const { snapshot } = run(machine, begin(), [submit('b'), done(verdict(choice, 'b', 1, 'r1'))]);
		const revealing = run(machine, snapshot, [{ type: 'answer.reveal' }]);
		expect(revealing.snapshot.value).toEqual({ rain: 'revealing' });
		expect(askedFor(revealing.actions)?.request).toEqual({ kind: 'reveal' });
		const after = run(machine, revealing.snapshot, [done({ receipt: 'r2', question: choice })]);
		expect(after.snapshot.value).toEqual({ rain: 'feedback' });
		expect(after.snapshot.context.keys['q-choice']?.question).toEqual(choice);
	});

	it('a failed request goes back to the question with the reason, and records nothing', () => {
		const { snapshot } = run(machine, begin(), [submit('a'), failed('Not graded: try again.')]);
		expect(snapshot.value).toEqual({ rain: 'asking' });
		expect(snapshot.context.problem).toBe('Not graded: try again.');
		expect(snapshot.context.answers).toEqual({});
	});

	it('a hint is asked of the server; its text is kept and its cost counts', () => {
		const hinted = questionOf(tinyPack, 'q-numeric');
		const toNumeric = run(machine, begin(), [
			submit('a'),
			done(verdict(choice, 'a', 1)),
			next,
			submit(['x', 'y', 'z']),
			done(verdict(questionOf(tinyPack, 'q-order'), ['x', 'y', 'z'], 1)),
			next,
			carryOn
		]).snapshot;
		expect(toNumeric.context.questionId).toBe('q-numeric');
		const asked = run(machine, toNumeric, [{ type: 'hint.request' }]);
		expect(asked.snapshot.value).toEqual({ mud: 'hinting' });
		expect(askedFor(asked.actions)?.request).toEqual({ kind: 'hint' });
		const shown = run(machine, asked.snapshot, [done({ receipt: 'h1', hint: hinted.hint })]);
		expect(shown.snapshot.value).toEqual({ mud: 'asking' });
		expect(shown.snapshot.context.keys['q-numeric']?.hint).toBe(hinted.hint);
		expect(shown.snapshot.context.answers['q-numeric']?.hintUsed).toBe(true);
		const again = run(machine, shown.snapshot, [{ type: 'hint.request' }]);
		expect(again.snapshot.value).toEqual({ mud: 'asking' });
		const graded = run(machine, shown.snapshot, [
			submit(hinted.type === 'numeric' && hinted.answer)
		]);
		expect(askedFor(graded.actions)?.receipt).toBe('h1');
	});
});

describe('server grading: a scenario exploration', () => {
	const machine = machineFor(scenarioPack);
	const scenario = questionOf(scenarioPack, 'q-scenario');
	if (scenario.type !== 'scenario') throw new Error('the fixture has a scenario question');
	const toExploring = () => {
		let snapshot = initialTransition(machine, input)[0];
		const right = (q: Question) => q.answer;
		for (const step of scenarioPack.steps.slice(0, 2)) {
			snapshot = run(machine, snapshot, [
				step === scenarioPack.steps[0] ? start : next,
				carryOn
			]).snapshot;
			for (const [i, q] of step.questions.entries()) {
				snapshot = run(machine, snapshot, [
					...(i > 0 ? [next] : []),
					submit(right(q)),
					done(verdict(q, right(q), 1))
				]).snapshot;
			}
		}
		return run(machine, snapshot, [next, carryOn]).snapshot;
	};

	it('checks each scenario`s picks with the server, then has the whole exploration graded', () => {
		let snapshot = toExploring();
		expect(snapshot.value).toEqual({ mess: { exploring: 'choosing' } });
		for (const s of scenario.scenarios) {
			const picks = scenario.answer[s.id]!;
			const checked = run(machine, snapshot, [
				{ type: 'scenario.open', scenarioId: s.id },
				{ type: 'scenario.check', picks }
			]);
			expect(checked.snapshot.value).toEqual({ mess: { exploring: 'checking' } });
			expect(askedFor(checked.actions)?.request).toEqual({
				kind: 'picks',
				scenarioId: s.id,
				picks
			});
			expect(gradeScenarioPicks(scenario, s.id, picks).valid).toBe(true);
			const revealed = run(machine, checked.snapshot, [
				done({ receipt: `p-${s.id}`, scenario: { supports: s.supports, against: s.against } })
			]).snapshot;
			expect(revealed.value).toEqual({ mess: { exploring: 'revealed' } });
			expect(revealed.context.keys['q-scenario']?.scenarios?.[s.id]?.supports).toEqual(s.supports);
			snapshot = run(machine, revealed, [{ type: 'scenario.close' }]).snapshot;
		}
		const grading = run(machine, snapshot, [{ type: 'exploration.finish' }]);
		expect(grading.snapshot.value).toEqual({ mess: { exploring: 'grading' } });
		expect(askedFor(grading.actions)?.request).toEqual({
			kind: 'answer',
			response: scenario.answer
		});
		const judged = run(machine, grading.snapshot, [
			done({ receipt: 'g', credit: 1, question: scenario })
		]).snapshot;
		expect(judged.value).toEqual({ mess: 'judging' });
		expect(outcomeOf(judged.context.answers['q-scenario'])?.correct).toBe(true);
		expect(judged.context.exploration).toEqual({});
	});

	it('picks the server refuses are dropped, with its reason, back at the picking', () => {
		const snapshot = run(machine, toExploring(), [
			{ type: 'scenario.open', scenarioId: 'flood' },
			{ type: 'scenario.check', picks: { supports: ['zz'], against: [] } },
			failed('There is no passage "zz".')
		]).snapshot;
		expect(snapshot.value).toEqual({ mess: { exploring: 'picking' } });
		expect(snapshot.context.exploration).toEqual({});
		expect(snapshot.context.problem).toBe('There is no passage "zz".');
	});
});

describe('server grading: the review', () => {
	it('re-asks a missed question as practice, without the journey`s receipt', () => {
		const machine = machineFor(tinyPack);
		let snapshot = run(machine, initialTransition(machine, input)[0], [start]).snapshot;
		for (const [s, step] of tinyPack.steps.entries()) {
			snapshot = run(machine, snapshot, [...(s > 0 ? [next] : []), carryOn]).snapshot;
			for (const [i, q] of step.questions.entries()) {
				// Everything right but the first question, which is wrong twice.
				const response = q.id === 'q-choice' ? 'b' : q.answer;
				snapshot = run(machine, snapshot, [
					...(i > 0 ? [next] : []),
					submit(response),
					done(verdict(q, response, 1, `j-${q.id}`)),
					...(q.id === 'q-choice'
						? [
								{ type: 'answer.retry' } as const,
								submit('b'),
								done(verdict(q, 'b', 2, 'j2-q-choice'))
							]
						: [])
				]).snapshot;
			}
		}
		snapshot = run(machine, snapshot, [next]).snapshot;
		expect(snapshot.value).toBe('summary');
		const reviewing = run(machine, snapshot, [{ type: 'review.start' }, submit('a')]);
		expect(reviewing.snapshot.value).toEqual({ review: 'grading' });
		expect(askedFor(reviewing.actions)).toEqual({
			questionId: 'q-choice',
			receipt: undefined,
			request: { kind: 'answer', response: 'a' }
		});
		const practised = run(machine, reviewing.snapshot, [
			done(verdict(questionOf(tinyPack, 'q-choice'), 'a', 1, 'p1'))
		]).snapshot;
		expect(practised.value).toEqual({ review: 'feedback' });
		expect(practised.context.receipts['reviewAnswers:q-choice']).toBe('p1');
		expect(outcomeOf(practised.context.answers['q-choice'])?.correct).toBe(false);
	});
});

describe('server grading: the outbox', () => {
	it('an answer waiting for the server is saved, and a reload sends it again', async () => {
		const machine = machineFor(tinyPack);
		const choice = questionOf(tinyPack, 'q-choice');
		const offline = createActor(
			machine.provide({
				actors: { askServer: fromPromise<StudyVerdict, StudyBody>(() => new Promise(() => {})) }
			}),
			{ input }
		);
		offline.start();
		for (const event of [start, carryOn, submit('a')]) offline.send(event);
		const saved = JSON.parse(JSON.stringify(offline.getPersistedSnapshot()));
		offline.stop();
		expect(saved.value).toEqual({ rain: 'grading' });
		expect(saved.context.pending).toEqual({ response: 'a' });
		const sent: StudyBody[] = [];
		const online = createActor(
			machine.provide({
				actors: {
					askServer: fromPromise(async ({ input: body }: { input: StudyBody }) => {
						sent.push(body);
						return verdict(choice, 'a', 1);
					})
				}
			}),
			{ input, snapshot: saved }
		);
		online.start();
		await new Promise((resolve) => setTimeout(resolve, 0));
		expect(sent.map((b) => b.request)).toEqual([{ kind: 'answer', response: 'a' }]);
		expect(online.getSnapshot().value).toEqual({ rain: 'feedback' });
		expect(outcomeOf(online.getSnapshot().context.answers['q-choice'])?.correct).toBe(true);
	});
});
