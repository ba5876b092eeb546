/**
 * Property-based tests of the grader over the real pack: whatever a client sends (random JSON,
 * wrong types, huge strings, prototype-pollution keys), `gradeResponse` never throws, gives the
 * same grade twice, keeps credit within 0..1, changes neither the question nor the response, and
 * never lets garbage beside a right answer earn anything it would not earn alone.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadPack } from '$lib/content/loader';
import type { Question } from '$lib/content/pack';
import { gradeResponse, pointsFor } from './score';

const { pack, problems } = loadPack(join(process.cwd(), 'content', 'mali-russia'));
if (!pack) throw new Error(`content/mali-russia does not load: ${JSON.stringify(problems)}`);
const questions: Question[] = pack.steps.flatMap((s) => s.questions);
const RUNS = 300;

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** A JSON object parsed from text, so that `__proto__` is an own key as it is in a request body. */
const parsedWithKey = (value: unknown, key: string, extra: unknown): unknown => {
	const text = JSON.stringify(value);
	if (!text.startsWith('{')) return value;
	const inner = text.slice(1, -1);
	return JSON.parse(
		`{${JSON.stringify(key)}:${JSON.stringify(extra ?? null)}${inner ? `,${inner}` : ''}}`
	) as unknown;
};

/** Anything a client could send, and worse: every JS value shape, huge strings, odd keys. */
const garbage = fc.oneof(
	fc.anything({
		key: fc.oneof(fc.string(), fc.constantFrom(...POLLUTION_KEYS)),
		withNullPrototype: true,
		withBigInt: true,
		withDate: true,
		withMap: true,
		withSet: true,
		withTypedArray: true,
		withSparseArray: true,
		withBoxedValues: true,
		withObjectString: true
	}),
	fc.jsonValue(),
	fc.constantFrom(
		'x'.repeat(1_000_000),
		['x'.repeat(100_000)],
		{ ['x'.repeat(100_000)]: 'y' },
		Number.NaN,
		Infinity,
		-0,
		1e308,
		Array.from({ length: 10_000 }, (_, i) => `o${i}`)
	)
);

const questionArb = fc.constantFrom(...questions);

/** The question's own answer, or a near-miss built from its ids (more likely to be valid). */
function shapedLike(q: Question): fc.Arbitrary<unknown> {
	const ids = JSON.stringify(q)
		.match(/"id":"([^"]+)"/g)
		?.map((m) => m.slice(6, -1)) ?? ['x'];
	const id = fc.oneof(fc.constantFrom(...ids), fc.string());
	return fc.oneof(
		fc.constant(structuredClone(q.answer)),
		id,
		fc.array(id, { maxLength: 12 }),
		fc.dictionary(id, id, { maxKeys: 8 }),
		fc.dictionary(id, fc.record({ supports: fc.array(id), against: fc.array(id) }), {
			maxKeys: 6
		}),
		fc.double({ noNaN: false })
	);
}

function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
		Object.freeze(value);
		for (const key of Reflect.ownKeys(value))
			deepFreeze((value as Record<PropertyKey, unknown>)[key]);
	}
	return value;
}

function expectSane(q: Question, response: unknown): void {
	const first = gradeResponse(q, response);
	const again = gradeResponse(q, response);
	expect(again).toEqual(first);
	if (first.valid) {
		expect(first.credit).toBeGreaterThanOrEqual(0);
		expect(first.credit).toBeLessThanOrEqual(1);
		expect(Number.isFinite(first.credit)).toBe(true);
		expect(first.correct).toBe(first.credit === 1);
		const points = pointsFor(first.credit, { attempt: 1, hintUsed: false });
		expect(Number.isInteger(points) && points >= 0 && points <= 10).toBe(true);
	} else {
		expect(typeof first.error).toBe('string');
		expect(first.error.length).toBeGreaterThan(0);
	}
}

describe('gradeResponse (properties, real pack)', () => {
	it('gives every question’s own answer full credit, deterministically', () => {
		for (const q of questions) {
			const grade = gradeResponse(q, structuredClone(q.answer));
			expect(grade, q.id).toEqual({ valid: true, correct: true, credit: 1 });
			expect(gradeResponse(q, JSON.parse(JSON.stringify(q.answer))), q.id).toEqual(grade);
		}
	});

	it('never throws on garbage; same grade twice; credit in 0..1', () => {
		fc.assert(
			fc.property(questionArb, garbage, (q, response) => {
				expectSane(q, response);
			}),
			{ numRuns: RUNS * 2 }
		);
	});

	it('never throws on near-misses of the right shape; same grade twice; credit in 0..1', () => {
		fc.assert(
			fc.property(
				questionArb.chain((q) => fc.tuple(fc.constant(q), shapedLike(q))),
				([q, response]) => {
					expectSane(q, response);
				}
			),
			{ numRuns: RUNS * 2 }
		);
	});

	it('changes neither the question nor the response, and pollutes no prototype', () => {
		const frozen = questions.map((q) => deepFreeze(structuredClone(q)));
		fc.assert(
			fc.property(fc.constantFrom(...frozen), fc.jsonValue(), (q, response) => {
				const before = JSON.stringify(response);
				expect(() => gradeResponse(q, deepFreeze(response))).not.toThrow();
				expect(JSON.stringify(response)).toBe(before);
				expect(({} as Record<string, unknown>).polluted).toBeUndefined();
			}),
			{ numRuns: RUNS }
		);
		expect(Object.keys(Object.prototype)).toEqual([]);
	});

	it('garbage keys beside a right answer never earn full credit for a record answer, nor crash', () => {
		fc.assert(
			fc.property(
				questionArb,
				fc.constantFrom(...POLLUTION_KEYS, 'score', 'correct', 'credit'),
				fc.jsonValue(),
				(q, key, extra) => {
					const response = parsedWithKey(q.answer, key, extra);
					expectSane(q, response);
					const grade = gradeResponse(q, response);
					if (q.type === 'match' || q.type === 'scenario') {
						// A stray key is refused (invalid), never graded as the answer.
						expect(grade.valid, `${q.id} with ${key}`).toBe(false);
					} else {
						// Other answers are not objects: the key cannot attach, so the grade is the answer's.
						expect(grade).toEqual(gradeResponse(q, q.answer));
					}
				}
			),
			{ numRuns: RUNS }
		);
	});
});
