import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import {
	adjacencyMapToArray,
	getAdjacencyMap,
	getShortestPaths,
	getStateNodes
} from 'xstate/graph';
import {
	askedQuestions,
	isQuestionOpen,
	isQuestionRevealed,
	pacingOf,
	sessionMachine,
	sessionSnapshotOf,
	statusOf,
	type SessionEvent,
	type SessionInput,
	type SessionMode,
	type SessionSnapshot
} from './session.machine';

const questionIds = ['q1', 'q2', 'q3'];
const teacher: SessionInput = { mode: 'teacher-paced', questionIds };
const self: SessionInput = { mode: 'self-paced', questionIds };

const start: SessionEvent = { type: 'session.start' };
const reveal: SessionEvent = { type: 'question.reveal' };
const next: SessionEvent = { type: 'question.next' };
const end: SessionEvent = { type: 'session.end' };
const open = (questionId: string): SessionEvent => ({ type: 'question.open', questionId });

/** Everything a host can send, including a question the session does not have. */
const offered = (): SessionEvent[] => [
	start,
	...questionIds.map(open),
	open('no-such-question'),
	reveal,
	next,
	end
];

/** The leaf state a snapshot is in, as a dotted path. */
function leafOf(snapshot: SessionSnapshot): string {
	const { value } = snapshot;
	if (typeof value === 'string') return value;
	const [parent, child] = Object.entries(value)[0] ?? ['', ''];
	return `${parent}.${String(child)}`;
}

/** State and context: what a transition may change. */
const key = (snapshot: SessionSnapshot) =>
	JSON.stringify({ value: snapshot.value, context: snapshot.context });

/** Runs events from the initial state, asserting that each is accepted. */
function run(input: SessionInput, ...events: SessionEvent[]): SessionSnapshot {
	let [snapshot] = initialTransition(sessionMachine, input);
	for (const event of events) {
		expect(snapshot.can(event), `${event.type} accepted in ${leafOf(snapshot)}`).toBe(true);
		[snapshot] = transition(sessionMachine, snapshot, event);
	}
	return snapshot;
}

/** Whether `event` leaves the snapshot exactly as it was (refused). */
function refuses(snapshot: SessionSnapshot, event: SessionEvent): boolean {
	const [after] = transition(sessionMachine, snapshot, event);
	return key(after) === key(snapshot) && !snapshot.can(event);
}

/** The server's way back from the stored JSON (classroom.ts `restore`). */
function roundTrip(snapshot: SessionSnapshot): SessionSnapshot {
	const stored = JSON.parse(JSON.stringify(sessionMachine.getPersistedSnapshot(snapshot))) as {
		value: SessionSnapshot['value'];
		context: SessionSnapshot['context'];
	};
	return sessionMachine.resolveState({ value: stored.value, context: stored.context });
}

const traversal = (input: SessionInput) => ({ input, events: offered });

const LEAVES = [
	'lobby',
	'running.selfPaced',
	'running.waiting',
	'running.open',
	'running.revealed'
];

describe('the session machine, traversed as a graph', () => {
	const reached = (mode: SessionMode) =>
		new Set(
			getShortestPaths(sessionMachine, traversal(mode === 'teacher-paced' ? teacher : self)).map(
				(p) => leafOf(p.state)
			)
		);

	it('has exactly these leaf states', () => {
		const leaves = getStateNodes(sessionMachine.root)
			.filter((node) => node.type === 'atomic' || node.type === 'final')
			.map((node) => node.path.join('.'));
		expect(leaves.sort()).toEqual([...LEAVES, 'ended'].sort());
	});

	it('reaches lobby, waiting, open, revealed and ended when teacher-paced', () => {
		expect([...reached('teacher-paced')].sort()).toEqual(
			['lobby', 'running.waiting', 'running.open', 'running.revealed', 'ended'].sort()
		);
	});

	it('reaches lobby, selfPaced and ended when self-paced', () => {
		expect([...reached('self-paced')].sort()).toEqual(
			['lobby', 'running.selfPaced', 'ended'].sort()
		);
	});

	it('reaches every leaf between the two modes', () => {
		const all = new Set([...reached('teacher-paced'), ...reached('self-paced')]);
		expect([...all].sort()).toEqual([...LEAVES, 'ended'].sort());
	});

	for (const input of [teacher, self]) {
		const edges = adjacencyMapToArray(getAdjacencyMap(sessionMachine, traversal(input)));

		it(`${input.mode}: refuses an unknown question id everywhere`, () => {
			const unknown = edges.filter(
				(e) => e.event.type === 'question.open' && e.event.questionId === 'no-such-question'
			);
			expect(unknown.length).toBeGreaterThan(0);
			for (const edge of unknown) expect(key(edge.nextState)).toBe(key(edge.state));
		});

		it(`${input.mode}: accepts nothing once ended, and ended is final`, () => {
			const fromEnded = edges.filter((e) => e.state.matches('ended'));
			// One ended state per context it can be reached with, each offered every event.
			const endedStates = new Set(fromEnded.map((e) => key(e.state)));
			expect(endedStates.size).toBeGreaterThan(0);
			expect(fromEnded.length).toBe(endedStates.size * offered().length);
			for (const edge of fromEnded) {
				expect(edge.state.status).toBe('done');
				expect(key(edge.nextState)).toBe(key(edge.state));
				expect(edge.state.can(edge.event)).toBe(false);
			}
		});

		it(`${input.mode}: ends from every state that is not ended`, () => {
			const ends = edges.filter((e) => e.event.type === 'session.end' && !e.state.matches('ended'));
			expect(ends.length).toBeGreaterThan(0);
			for (const edge of ends) {
				expect(statusOf(edge.nextState)).toBe('ended');
				expect(edge.nextState.status).toBe('done');
			}
		});

		it(`${input.mode}: next opens the question after the last one opened, only from waiting or revealed`, () => {
			const nexts = edges.filter((e) => e.event.type === 'question.next');
			expect(nexts.length).toBeGreaterThan(0);
			for (const edge of nexts) {
				const { openQuestionId } = edge.state.context;
				const following = questionIds[questionIds.indexOf(openQuestionId ?? '') + 1];
				const accepted =
					input.mode === 'teacher-paced' &&
					(edge.state.matches({ running: 'waiting' }) ||
						edge.state.matches({ running: 'revealed' })) &&
					following !== undefined;
				if (accepted) {
					expect(edge.nextState.value).toEqual({ running: 'open' });
					expect(edge.nextState.context.openQuestionId).toBe(following);
					expect(isQuestionOpen(edge.nextState, following)).toBe(true);
				} else {
					expect(key(edge.nextState)).toBe(key(edge.state));
				}
			}
		});

		it(`${input.mode}: never records a question as revealed twice`, () => {
			for (const edge of edges) {
				const { revealed } = edge.nextState.context;
				expect(new Set(revealed).size).toBe(revealed.length);
			}
		});

		it(`${input.mode}: a participant's pacing stands for its state: open and revealed agree everywhere`, () => {
			const states = new Map(edges.map((e) => [key(e.state), e.state]));
			for (const snapshot of states.values()) {
				const pacing = pacingOf(snapshot);
				const seen = sessionSnapshotOf(pacing, questionIds);
				expect(pacingOf(seen)).toEqual(pacing);
				expect(statusOf(seen)).toBe(statusOf(snapshot));
				for (const id of [...questionIds, 'no-such-question']) {
					expect(isQuestionOpen(seen, id)).toBe(isQuestionOpen(snapshot, id));
					expect(isQuestionRevealed(seen, id)).toBe(isQuestionRevealed(snapshot, id));
				}
			}
		});

		it(`${input.mode}: a persisted snapshot of every reachable state resumes identically`, () => {
			const states = new Map(edges.map((e) => [key(e.state), e.state]));
			expect(states.size).toBeGreaterThan(2);
			for (const snapshot of states.values()) {
				const restored = roundTrip(snapshot);
				expect(key(restored)).toBe(key(snapshot));
				expect(restored.status).toBe(snapshot.status);
				expect(statusOf(restored)).toBe(statusOf(snapshot));
				for (const event of offered()) {
					expect(restored.can(event)).toBe(snapshot.can(event));
					expect(key(transition(sessionMachine, restored, event)[0])).toBe(
						key(transition(sessionMachine, snapshot, event)[0])
					);
				}
				for (const id of [...questionIds, 'no-such-question']) {
					expect(isQuestionOpen(restored, id)).toBe(isQuestionOpen(snapshot, id));
					expect(isQuestionRevealed(restored, id)).toBe(isQuestionRevealed(snapshot, id));
				}
			}
		});
	}
});

describe('a teacher-paced session', () => {
	it('starts in the lobby with nothing open or revealed', () => {
		const [lobby] = initialTransition(sessionMachine, teacher);
		expect(lobby.value).toBe('lobby');
		expect(statusOf(lobby)).toBe('lobby');
		expect(lobby.context).toEqual({ ...teacher, openQuestionId: null, revealed: [], asked: [] });
		for (const id of questionIds) {
			expect(isQuestionOpen(lobby, id)).toBe(false);
			expect(isQuestionRevealed(lobby, id)).toBe(false);
		}
	});

	it('waits after start, with no question open', () => {
		const waiting = run(teacher, start);
		expect(waiting.value).toEqual({ running: 'waiting' });
		expect(statusOf(waiting)).toBe('running');
		expect(waiting.context.openQuestionId).toBeNull();
		for (const id of questionIds) expect(isQuestionOpen(waiting, id)).toBe(false);
	});

	it('refuses to start twice, and questions from the lobby', () => {
		const [lobby] = initialTransition(sessionMachine, teacher);
		for (const event of [open('q1'), reveal, next]) expect(refuses(lobby, event)).toBe(true);
		expect(refuses(run(teacher, start), start)).toBe(true);
	});

	it('opens the first question on next, then the following one after each reveal', () => {
		const first = run(teacher, start, next);
		expect(first.value).toEqual({ running: 'open' });
		expect(first.context.openQuestionId).toBe('q1');
		expect(isQuestionOpen(first, 'q1')).toBe(true);
		expect(isQuestionOpen(first, 'q2')).toBe(false);
		expect(isQuestionOpen(first, 'q3')).toBe(false);

		const second = run(teacher, start, next, reveal, next);
		expect(second.context.openQuestionId).toBe('q2');
		expect(second.context.revealed).toEqual(['q1']);
		expect(isQuestionOpen(second, 'q2')).toBe(true);
		expect(isQuestionOpen(second, 'q1')).toBe(false);

		const third = run(teacher, start, next, reveal, next, reveal, next);
		expect(third.context.openQuestionId).toBe('q3');
		expect(third.context.revealed).toEqual(['q1', 'q2']);
	});

	it('refuses next while a question is open and not yet revealed', () => {
		const open1 = run(teacher, start, next);
		expect(refuses(open1, next)).toBe(true);
		const opened = run(teacher, start, open('q2'));
		expect(refuses(opened, next)).toBe(true);
	});

	it('refuses next once the last question is revealed', () => {
		const last = run(teacher, start, open('q3'), reveal);
		expect(last.value).toEqual({ running: 'revealed' });
		expect(refuses(last, next)).toBe(true);
		// … while `end` is still accepted.
		expect(statusOf(run(teacher, start, open('q3'), reveal, end))).toBe('ended');
	});

	it('opens any known question by id, from waiting, open or revealed', () => {
		expect(run(teacher, start, open('q2')).context.openQuestionId).toBe('q2');
		expect(run(teacher, start, open('q2'), open('q3')).context.openQuestionId).toBe('q3');
		const reopened = run(teacher, start, open('q3'), reveal, open('q1'));
		expect(reopened.value).toEqual({ running: 'open' });
		expect(reopened.context.openQuestionId).toBe('q1');
		expect(isQuestionOpen(reopened, 'q1')).toBe(true);
		expect(isQuestionOpen(reopened, 'q3')).toBe(false);
	});

	it('refuses to open a question id the session does not have', () => {
		for (const snapshot of [
			run(teacher, start),
			run(teacher, start, next),
			run(teacher, start, next, reveal)
		]) {
			expect(refuses(snapshot, open('no-such-question'))).toBe(true);
			expect(refuses(snapshot, open(''))).toBe(true);
		}
	});

	it('reveals the open question once, and refuses reveal when nothing is open', () => {
		const revealed = run(teacher, start, next, reveal);
		expect(revealed.value).toEqual({ running: 'revealed' });
		expect(revealed.context.revealed).toEqual(['q1']);
		expect(isQuestionRevealed(revealed, 'q1')).toBe(true);
		expect(isQuestionRevealed(revealed, 'q2')).toBe(false);
		expect(isQuestionOpen(revealed, 'q1')).toBe(false);
		expect(refuses(revealed, reveal)).toBe(true);
		expect(refuses(run(teacher, start), reveal)).toBe(true);
		// Reopening a revealed question and revealing it again records it once.
		const again = run(teacher, start, next, reveal, open('q1'), reveal);
		expect(again.context.revealed).toEqual(['q1']);
	});

	it('ends from the lobby and from each running state, and accepts nothing after', () => {
		const endings = [
			run(teacher, end),
			run(teacher, start, end),
			run(teacher, start, next, end),
			run(teacher, start, next, reveal, end)
		];
		for (const ended of endings) {
			expect(ended.value).toBe('ended');
			expect(ended.status).toBe('done');
			expect(statusOf(ended)).toBe('ended');
			for (const event of offered()) expect(refuses(ended, event)).toBe(true);
			for (const id of questionIds) {
				expect(isQuestionOpen(ended, id)).toBe(false);
				expect(isQuestionRevealed(ended, id)).toBe(true);
			}
		}
	});

	it('keeps the last open question id in context once revealed (pacing hides it)', () => {
		const revealed = run(teacher, start, next, reveal);
		expect(revealed.context.openQuestionId).toBe('q1');
		expect(isQuestionOpen(revealed, revealed.context.openQuestionId ?? '')).toBe(false);
	});
});

describe('a self-paced session', () => {
	it('runs with every question open after start', () => {
		const running = run(self, start);
		expect(running.value).toEqual({ running: 'selfPaced' });
		expect(statusOf(running)).toBe('running');
		for (const id of questionIds) expect(isQuestionOpen(running, id)).toBe(true);
		expect(isQuestionOpen(running, 'no-such-question')).toBe(false);
	});

	it('has every question revealed, whatever the state', () => {
		const [lobby] = initialTransition(sessionMachine, self);
		for (const snapshot of [lobby, run(self, start), run(self, start, end)])
			for (const id of questionIds) expect(isQuestionRevealed(snapshot, id)).toBe(true);
	});

	it('refuses open, reveal and next: the host only ends it', () => {
		const running = run(self, start);
		for (const event of [open('q1'), open('no-such-question'), reveal, next, start])
			expect(refuses(running, event)).toBe(true);
		const ended = run(self, start, end);
		expect(statusOf(ended)).toBe('ended');
		for (const id of questionIds) expect(isQuestionOpen(ended, id)).toBe(false);
	});

	it('keeps questions closed in the lobby', () => {
		const [lobby] = initialTransition(sessionMachine, self);
		for (const id of questionIds) expect(isQuestionOpen(lobby, id)).toBe(false);
	});
});

describe('a session stored as JSON and restored the server`s way', () => {
	it('resumes a teacher-paced session mid-question and carries on identically', () => {
		const live = run(teacher, start, next, reveal, next);
		const restored = roundTrip(live);
		expect(restored.value).toEqual({ running: 'open' });
		expect(restored.context).toEqual(live.context);
		const [a] = transition(sessionMachine, live, reveal);
		const [b] = transition(sessionMachine, restored, reveal);
		expect(key(b)).toBe(key(a));
		const [c] = transition(sessionMachine, b, next);
		expect(c.context.openQuestionId).toBe('q3');
	});

	it('resumes an ended session as final', () => {
		const restored = roundTrip(run(self, start, end));
		expect(restored.status).toBe('done');
		expect(statusOf(restored)).toBe('ended');
		expect(restored.can(start)).toBe(false);
	});

	it('stores plain JSON: value and context only matter', () => {
		const persisted = sessionMachine.getPersistedSnapshot(run(teacher, start, open('q2')));
		const json = JSON.parse(JSON.stringify(persisted)) as Record<string, unknown>;
		expect(json.value).toEqual({ running: 'open' });
		expect(json.context).toEqual({ ...teacher, openQuestionId: 'q2', revealed: [], asked: ['q2'] });
	});
});

describe('the questions asked', () => {
	it('are none in the lobby, and every question once a self-paced session starts', () => {
		expect(askedQuestions(run(self))).toEqual([]);
		expect(askedQuestions(run(self, start))).toEqual(questionIds);
	});

	it('are those the host opened, in the session order, when teacher-paced', () => {
		expect(askedQuestions(run(teacher, start))).toEqual([]);
		expect(askedQuestions(run(teacher, start, open('q3'), reveal, open('q1')))).toEqual([
			'q1',
			'q3'
		]);
		expect(askedQuestions(run(teacher, start, next, reveal, next, end))).toEqual(['q1', 'q2']);
	});

	it('are read from what was open or revealed in a session stored before they were kept', () => {
		const stored = run(teacher, start, open('q2'), reveal, open('q3'));
		const old = sessionMachine.resolveState({
			value: stored.value,
			context: { ...stored.context, asked: undefined as unknown as string[] }
		});
		expect(askedQuestions(old)).toEqual(['q2', 'q3']);
	});
});
