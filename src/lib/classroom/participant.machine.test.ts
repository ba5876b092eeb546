import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor, fromCallback, fromPromise, initialTransition, transition } from 'xstate';
import {
	adjacencyMapToArray,
	getAdjacencyMap,
	getShortestPaths,
	getStateNodes
} from 'xstate/graph';
import type { AnswerAck, OwnAnswer, RevealedKey } from './api';
import type { PendingAnswer } from './outbox';
import {
	backoffAfter,
	type CatchUp,
	MAX_BACKOFF_MS,
	participantMachine,
	screenOf,
	type OutboxCommand,
	type ParticipantEvent,
	type ParticipantInput,
	type ParticipantSnapshot
} from './participant.machine';
import type { Pacing, SessionMode } from './session.machine';

const questionIds = ['q1', 'q2'];

/** The pacing the server sends as a teacher-paced session moves, and a self-paced one. */
const paced = {
	lobby: {
		status: 'lobby',
		mode: 'teacher-paced',
		openQuestionId: null,
		currentQuestionId: null,
		revealed: []
	},
	waiting: {
		status: 'running',
		mode: 'teacher-paced',
		openQuestionId: null,
		currentQuestionId: null,
		revealed: []
	},
	open1: {
		status: 'running',
		mode: 'teacher-paced',
		openQuestionId: 'q1',
		currentQuestionId: 'q1',
		revealed: []
	},
	revealed1: {
		status: 'running',
		mode: 'teacher-paced',
		openQuestionId: null,
		currentQuestionId: 'q1',
		revealed: ['q1']
	},
	open2: {
		status: 'running',
		mode: 'teacher-paced',
		openQuestionId: 'q2',
		currentQuestionId: 'q2',
		revealed: ['q1']
	},
	ended: {
		status: 'ended',
		mode: 'teacher-paced',
		openQuestionId: null,
		currentQuestionId: null,
		revealed: ['q1']
	}
} satisfies Record<string, Pacing>;
const self = {
	lobby: { ...paced.lobby, mode: 'self-paced' },
	running: { ...paced.waiting, mode: 'self-paced' },
	ended: { ...paced.ended, mode: 'self-paced', revealed: [] }
} satisfies Record<string, Pacing>;

const answerOf = (questionId: string): PendingAnswer => ({
	answerId: `a-${questionId}`,
	questionId,
	response: `response to ${questionId}`
});
const keyOf = (questionId: string): RevealedKey => ({
	questionId,
	answerText: `answer of ${questionId}`,
	explanation: `why ${questionId}`,
	evidence: [],
	highlights: []
});
const result = (questionId: string) => ({
	...keyOf(questionId),
	answerId: `a-${questionId}`,
	correct: true,
	credit: 1,
	points: 10,
	maxPoints: 10
});
const hiddenAck = (questionId: string): AnswerAck => ({
	revealed: false,
	answerId: `a-${questionId}`,
	questionId
});
const shownAck = (questionId: string): AnswerAck => ({ revealed: true, ...result(questionId) });
const own = (ack: AnswerAck): OwnAnswer => ({ ...ack, response: `response to ${ack.questionId}` });

const pace = (pacing: Pacing): ParticipantEvent => ({ type: 'pacing.changed', pacing });
const submit = (questionId: string): ParticipantEvent => ({
	type: 'answer.submit',
	answer: answerOf(questionId)
});
const acknowledged = (ack: AnswerAck): ParticipantEvent => ({ type: 'answer.acknowledged', ack });
const refused = (questionId: string): ParticipantEvent => ({
	type: 'answer.refused',
	answerId: `a-${questionId}`,
	message: 'This question is not open for answers.'
});
const failed = (questionId: string): ParticipantEvent => ({
	type: 'answer.failed',
	answerId: `a-${questionId}`
});
const opened: ParticipantEvent = { type: 'stream.opened' };
const dropped: ParticipantEvent = { type: 'stream.failed' };
const continued: ParticipantEvent = { type: 'feedback.continue' };
/** What the catch-up actor reports when it is done (XState's event for an invoked actor's output). */
const caughtUp = (answers: OwnAnswer[], keys: RevealedKey[] = []) =>
	({ type: 'xstate.done.actor.catchUp', output: { answers, keys } }) as unknown as ParticipantEvent;
/** The back-off's timer firing. */
const retryDue = {
	type: participantMachine.getStateNodeById('participant.outbox.retrying').after[0]!.eventType
} as unknown as ParticipantEvent;

const input = (pacing: Pacing, more: Partial<ParticipantInput> = {}): ParticipantInput => ({
	questionIds,
	pacing,
	answers: [],
	pending: [],
	keys: [],
	...more
});

/** Runs events from the start, asserting that each one changes something. */
function run(start: ParticipantInput, ...events: ParticipantEvent[]): ParticipantSnapshot {
	let [snapshot] = initialTransition(participantMachine, start);
	for (const event of events) {
		const [next] = transition(participantMachine, snapshot, event);
		expect(key(next), `${event.type} changes ${JSON.stringify(snapshot.value)}`).not.toBe(
			key(snapshot)
		);
		snapshot = next;
	}
	return snapshot;
}

const key = (snapshot: ParticipantSnapshot) =>
	JSON.stringify({ value: snapshot.value, context: snapshot.context });

/** The commands a transition gives the outbox. */
function commandsOf(actions: Array<{ type: string; params?: unknown }>): OutboxCommand[] {
	return actions
		.filter((a) => a.type === 'xstate.sendTo')
		.map((a) => (a.params as { event: OutboxCommand }).event);
}

describe('a teacher-paced participant, step by step', () => {
	it('waits in the lobby, then for the first question, then answers it', () => {
		expect(screenOf(run(input(paced.lobby)))).toBe('lobby');
		expect(screenOf(run(input(paced.lobby), pace(paced.waiting)))).toBe('waiting');
		expect(screenOf(run(input(paced.lobby), pace(paced.waiting), pace(paced.open1)))).toBe(
			'answering'
		);
	});

	it('keeps an answer on the device, then sends it, and shows it as sending', () => {
		const [answering] = initialTransition(participantMachine, input(paced.open1));
		const [sending, actions] = transition(participantMachine, answering, submit('q1'));
		expect(commandsOf(actions)).toEqual([
			{ type: 'outbox.keep', answer: answerOf('q1') },
			{ type: 'outbox.send', answer: answerOf('q1') }
		]);
		expect(screenOf(sending)).toBe('sending');
		expect(sending.matches({ outbox: 'sending' })).toBe(true);
	});

	it('refuses an answer to a question that is not on screen or not open', () => {
		const [answering] = initialTransition(participantMachine, input(paced.open1));
		expect(answering.can(submit('q2'))).toBe(false);
		for (const pacing of [paced.waiting, paced.revealed1, paced.lobby])
			expect(initialTransition(participantMachine, input(pacing))[0].can(submit('q1'))).toBe(false);
	});

	it('is sent, then revealed after the host reveals and the catch-up brings the result', () => {
		const sent = run(input(paced.open1), opened, submit('q1'), acknowledged(hiddenAck('q1')));
		expect(screenOf(sent)).toBe('sent');
		expect(sent.context.pending).toEqual([]);
		const revealing = run(
			input(paced.open1),
			opened,
			submit('q1'),
			acknowledged(hiddenAck('q1')),
			caughtUp([]),
			pace(paced.revealed1)
		);
		expect(revealing.matches({ catchUp: 'fetching' })).toBe(true);
		expect(screenOf(revealing)).toBe('sent');
		const [revealed] = transition(participantMachine, revealing, caughtUp([own(shownAck('q1'))]));
		expect(screenOf(revealed)).toBe('revealed');
		expect(revealed.matches({ catchUp: 'idle' })).toBe(true);
	});

	it('catches up when an acknowledgement without the result arrives after the reveal', () => {
		const late = run(input(paced.open1), submit('q1'), pace(paced.revealed1));
		const [after] = transition(participantMachine, late, acknowledged(hiddenAck('q1')));
		expect(after.matches({ catchUp: 'fetching' })).toBe(true);
	});

	it('retries a failed send after a back-off, and at once when the stream opens again', () => {
		const failing = run(input(paced.open1), submit('q1'), failed('q1'));
		expect(failing.matches({ outbox: 'retrying' })).toBe(true);
		expect(failing.matches({ connection: 'reconnecting' })).toBe(true);
		expect(screenOf(failing)).toBe('sending');
		for (const event of [retryDue, opened]) {
			const [again, actions] = transition(participantMachine, failing, event);
			expect(again.matches({ outbox: 'sending' })).toBe(true);
			expect(commandsOf(actions)).toEqual([{ type: 'outbox.send', answer: answerOf('q1') }]);
		}
		const back = run(input(paced.open1), submit('q1'), failed('q1'), retryDue);
		const [sent] = transition(participantMachine, back, acknowledged(hiddenAck('q1')));
		expect(sent.matches({ connection: 'live' })).toBe(true);
		expect(sent.context.retryDelayMs).toBe(0);
	});

	it('backs off 1 s, 2 s, 4 s … and never more than 15 s', () => {
		const delays = [0];
		for (let i = 0; i < 7; i++) delays.push(backoffAfter(delays.at(-1)!));
		expect(delays.slice(1)).toEqual([
			1000,
			2000,
			4000,
			8000,
			MAX_BACKOFF_MS,
			MAX_BACKOFF_MS,
			MAX_BACKOFF_MS
		]);
		const failing = run(input(paced.open1), submit('q1'), failed('q1'), retryDue, failed('q1'));
		expect(failing.context.retryDelayMs).toBe(2000);
	});

	it('says why an answer was refused, forgets it and catches up', () => {
		const refusal = run(input(paced.open1), submit('q1'), refused('q1'));
		expect(refusal.context.problem).toBe('This question is not open for answers.');
		expect(refusal.context.pending).toEqual([]);
		expect(refusal.matches({ catchUp: 'fetching' })).toBe(true);
		expect(screenOf(refusal)).toBe('answering');
	});

	it('ignores what the outbox says about an answer it is not sending', () => {
		const sending = run(input(paced.open1), submit('q1'));
		for (const event of [acknowledged(hiddenAck('q2')), failed('q2'), refused('q2')])
			expect(transition(participantMachine, sending, event)[0].context).toEqual(sending.context);
	});

	it('shows the answer of a question revealed unanswered, and a late joiner the same', () => {
		const missed = run(input(paced.open1), pace(paced.revealed1));
		expect(screenOf(missed)).toBe('missed');
		// The answer is fetched at the reveal, and kept.
		expect(missed.matches({ catchUp: 'fetching' })).toBe(true);
		const [known] = transition(participantMachine, missed, caughtUp([], [keyOf('q1')]));
		expect(known.context.keys.q1).toEqual(keyOf('q1'));
		const late = run(input(paced.revealed1, { keys: [keyOf('q1')] }));
		expect(screenOf(late)).toBe('missed');
		expect(late.context.keys.q1).toEqual(keyOf('q1'));
		// Nothing to fetch when the answer is known already.
		const again = run(input(paced.revealed1, { keys: [keyOf('q1')] }), pace(paced.open2));
		expect(again.matches({ catchUp: 'idle' })).toBe(true);
	});

	it('sends the answers kept on the device before a reload, and drops those the server has', () => {
		const [reloaded, actions] = initialTransition(
			participantMachine,
			input(paced.open2, { pending: [answerOf('q1'), answerOf('q2')] })
		);
		expect(reloaded.matches({ outbox: 'sending' })).toBe(true);
		expect(screenOf(reloaded)).toBe('sending');
		expect(commandsOf(actions)).toEqual([{ type: 'outbox.send', answer: answerOf('q1') }]);
		const [known] = initialTransition(
			participantMachine,
			input(paced.open1, { pending: [answerOf('q1')], answers: [own(hiddenAck('q1'))] })
		);
		expect(known.context.pending).toEqual([]);
		expect(screenOf(known)).toBe('sent');
	});

	it('never lets an older view take back a result already shown', () => {
		const revealed = run(input(paced.revealed1, { answers: [own(shownAck('q1'))] }), opened);
		const [after] = transition(participantMachine, revealed, caughtUp([own(hiddenAck('q1'))]));
		expect(after.context.answers.q1?.revealed).toBe(true);
		expect(screenOf(after)).toBe('revealed');
	});

	it('shows the connection lost while the stream is down, and not while joining', () => {
		const [joining] = initialTransition(participantMachine, input(paced.open1));
		expect(joining.matches({ connection: 'joining' })).toBe(true);
		expect(run(input(paced.open1), dropped).matches({ connection: 'reconnecting' })).toBe(true);
		expect(run(input(paced.open1), dropped, opened).matches({ connection: 'live' })).toBe(true);
	});

	it('ends when the session ends, catching up on every result', () => {
		const ended = run(input(paced.open1), submit('q1'), pace(paced.ended));
		expect(screenOf(ended)).toBe('ended');
		expect(ended.matches({ catchUp: 'fetching' })).toBe(true);
		// The answer on its way is still sent.
		expect(ended.matches({ outbox: 'sending' })).toBe(true);
	});
});

describe('a self-paced participant, step by step', () => {
	it('shows feedback after each answer; Continue moves to the next; then finished', () => {
		const first = run(input(self.running), submit('q1'));
		// While the first is on its way the learner goes on to the next question.
		expect(screenOf(first)).toBe('answering');
		const feedback = run(input(self.running), submit('q1'), acknowledged(shownAck('q1')));
		expect(screenOf(feedback)).toBe('revealed');
		expect(feedback.context.lingering).toBe('q1');
		const next = run(input(self.running), submit('q1'), acknowledged(shownAck('q1')), continued);
		expect(screenOf(next)).toBe('answering');
		const finished = run(
			input(self.running),
			submit('q1'),
			acknowledged(shownAck('q1')),
			continued,
			submit('q2'),
			acknowledged(shownAck('q2')),
			continued
		);
		expect(screenOf(finished)).toBe('finished');
	});

	it('refuses Continue when teacher-paced', () => {
		const revealed = run(input(paced.revealed1, { answers: [own(shownAck('q1'))] }));
		expect(screenOf(revealed)).toBe('revealed');
		expect(revealed.can(continued)).toBe(false);
	});
});

/* ----------------------------------------------------------------------- the graph */

/**
 * What the stream, the learner and the outbox can send, in a session of one question (the graph
 * grows with every question and event offered): every pacing message and every outcome of a send.
 */
const offered = (mode: SessionMode) => (): ParticipantEvent[] => [
	...(mode === 'teacher-paced'
		? [paced.lobby, paced.waiting, paced.open1, paced.revealed1, paced.ended]
		: Object.values(self)
	).map(pace),
	submit('q1'),
	// As the server acknowledges: with the result when self-paced, without when teacher-paced.
	acknowledged(mode === 'teacher-paced' ? hiddenAck('q1') : shownAck('q1')),
	refused('q1'),
	failed('q1'),
	caughtUp([own(shownAck('q1'))], [keyOf('q1')]),
	retryDue,
	opened,
	dropped,
	continued
];

const traversal = (mode: SessionMode) => ({
	input: {
		...input(mode === 'teacher-paced' ? paced.lobby : self.lobby),
		questionIds: ['q1']
	},
	events: offered(mode),
	// States that differ only in how long the next back-off lasts behave alike: one of each.
	serializeState: (snapshot: ParticipantSnapshot) =>
		JSON.stringify({
			value: snapshot.value,
			context: { ...snapshot.context, retryDelayMs: snapshot.context.retryDelayMs > 0 }
		})
});

const SCREENS = [
	'lobby',
	'waiting',
	'answering',
	'sending',
	'sent',
	'revealed',
	'missed',
	'finished',
	'ended'
];

describe('the participant machine, traversed as a graph', () => {
	const modes = ['teacher-paced', 'self-paced'] as const;
	const paths = Object.fromEntries(
		modes.map((mode) => [mode, getShortestPaths(participantMachine, traversal(mode))])
	) as Record<SessionMode, ReturnType<typeof getShortestPaths<typeof participantMachine>>>;
	const edges = Object.fromEntries(
		modes.map((mode) => [
			mode,
			adjacencyMapToArray(getAdjacencyMap(participantMachine, traversal(mode)))
		])
	) as Record<
		SessionMode,
		ReturnType<typeof adjacencyMapToArray<ParticipantSnapshot, ParticipantEvent>>
	>;
	const reached = (mode: SessionMode) => new Set(paths[mode].map((p) => screenOf(p.state)));

	it('has exactly these screens, and a routing step', () => {
		const screens = getStateNodes(participantMachine.getStateNodeById('participant.screen'))
			.filter((node) => node.type === 'atomic' || node.type === 'final')
			.map((node) => node.key);
		expect(screens.sort()).toEqual([...SCREENS, 'routing'].sort());
	});

	it('teacher-paced: reaches every screen but finished, and never rests in routing', () => {
		expect([...reached('teacher-paced')].sort()).toEqual(
			SCREENS.filter((s) => s !== 'finished').sort()
		);
	});

	it('self-paced: reaches lobby, answering, revealed, finished and ended', () => {
		expect([...reached('self-paced')].sort()).toEqual(
			['lobby', 'answering', 'revealed', 'finished', 'ended'].sort()
		);
	});

	it('reaches every state of every region between the two modes', () => {
		const all = modes.flatMap((mode) => paths[mode].map((p) => p.state));
		const leaves = getStateNodes(participantMachine.root)
			.filter((node) => (node.type === 'atomic' || node.type === 'final') && node.key !== 'routing')
			.map((node) => node.path);
		for (const path of leaves) {
			const [region, ...rest] = path;
			const value = rest.reduceRight<unknown>((inner, k) => (inner ? { [k]: inner } : k), null);
			expect(
				all.some((s) => s.matches({ [region!]: value } as never)),
				path.join('.')
			).toBe(true);
		}
	});

	for (const mode of modes) {
		const ended = mode === 'teacher-paced' ? paced.ended : self.ended;

		it(`${mode}: every path ends — the session's end reaches the ended screen from every state`, () => {
			expect(paths[mode].length).toBeGreaterThan(10);
			for (const { state } of paths[mode]) {
				const [after] = transition(participantMachine, state, pace(ended));
				expect(screenOf(after), key(state)).toBe('ended');
			}
		});

		it(`${mode}: once ended, the screen stays ended whatever comes`, () => {
			const fromEnded = edges[mode].filter((e) => screenOf(e.state) === 'ended');
			expect(fromEnded.length).toBeGreaterThan(0);
			for (const edge of fromEnded) expect(screenOf(edge.nextState)).toBe('ended');
		});

		it(`${mode}: only the question on screen, while it is open, takes an answer, kept before it is sent`, () => {
			const submits = edges[mode].filter(
				(e) => e.event.type === 'answer.submit' && e.state.can(e.event)
			);
			expect(submits.length).toBeGreaterThan(0);
			for (const edge of submits) {
				expect(screenOf(edge.state)).toBe('answering');
				const [, actions] = transition(participantMachine, edge.state, edge.event);
				expect(commandsOf(actions)[0]?.type).toBe('outbox.keep');
			}
		});

		it(`${mode}: the outbox is sending exactly when an answer is waiting and not backing off`, () => {
			for (const { state } of paths[mode]) {
				const waiting = state.context.pending.length > 0;
				expect(state.matches({ outbox: 'idle' }), key(state)).toBe(!waiting);
			}
		});
	}
});

/* ---------------------------------------------------------------- with actors provided */

describe('the machine with its actors provided by the page', () => {
	afterEach(() => vi.useRealTimers());

	it('keeps, sends, retries after the back-off and settles, with a fake outbox', async () => {
		vi.useFakeTimers();
		const log: string[] = [];
		let tries = 0;
		const actor = createActor(
			participantMachine.provide({
				actors: {
					outbox: fromCallback<OutboxCommand>(({ receive, sendBack }) =>
						receive((command) => {
							log.push(`${command.type} ${command.answer.answerId}`);
							if (command.type !== 'outbox.send') return;
							tries += 1;
							sendBack(
								tries < 3
									? failed(command.answer.questionId)
									: acknowledged(hiddenAck(command.answer.questionId))
							);
						})
					),
					catchUp: fromPromise(async (): Promise<CatchUp> => ({ answers: [], keys: [] }))
				}
			}),
			{ input: input(paced.open1) }
		).start();
		actor.send(submit('q1'));
		expect(actor.getSnapshot().matches({ outbox: 'retrying' })).toBe(true);
		await vi.advanceTimersByTimeAsync(1000);
		expect(actor.getSnapshot().matches({ outbox: 'retrying' })).toBe(true);
		await vi.advanceTimersByTimeAsync(2000);
		expect(screenOf(actor.getSnapshot())).toBe('sent');
		expect(log).toEqual([
			'outbox.keep a-q1',
			'outbox.send a-q1',
			'outbox.send a-q1',
			'outbox.send a-q1'
		]);
		actor.stop();
	});

	it('follows the stream and fetches the results once revealed', async () => {
		let push: (event: ParticipantEvent) => void = () => {};
		const actor = createActor(
			participantMachine.provide({
				actors: {
					stream: fromCallback<ParticipantEvent>(({ sendBack }) => {
						push = sendBack;
					}),
					catchUp: fromPromise(async () => ({
						answers: [own(shownAck('q1'))],
						keys: [keyOf('q1')]
					}))
				}
			}),
			{ input: input(paced.open1, { answers: [own(hiddenAck('q1'))] }) }
		).start();
		expect(screenOf(actor.getSnapshot())).toBe('sent');
		push(pace(paced.revealed1));
		await vi.waitFor(() => expect(screenOf(actor.getSnapshot())).toBe('revealed'));
		actor.stop();
	});
});
