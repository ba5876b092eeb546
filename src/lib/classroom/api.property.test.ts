/**
 * Property-based tests of the classroom API's body schemas: on anything a client can send, parsing
 * never throws, never lets an unknown key through (so a client-sent score, `__proto__` or
 * `constructor` is dropped), and never pollutes a prototype.
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { AnswerBody, ControlBody, CreateSessionBody, JoinBody, LrsBody } from './api';

const RUNS = 300;
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf'];

const schemas = {
	CreateSessionBody: {
		schema: CreateSessionBody,
		keys: ['scenario', 'mode', 'title'],
		valid: { scenario: 'mali-russia', mode: 'self-paced', title: 'A class' }
	},
	JoinBody: { schema: JoinBody, keys: ['nickname'], valid: { nickname: 'Ada' } },
	AnswerBody: {
		schema: AnswerBody,
		keys: ['answerId', 'questionId', 'response'],
		valid: {
			answerId: '6f1c2c3e-8a4b-4c7d-9e2f-0a1b2c3d4e5f',
			questionId: 'q1',
			response: ['a', 'b']
		}
	},
	ControlBody: {
		schema: ControlBody,
		keys: ['action', 'questionId'],
		valid: { action: 'open', questionId: 'q1' }
	},
	LrsBody: {
		schema: LrsBody,
		keys: ['endpoint', 'username', 'password'],
		valid: { endpoint: 'https://lrs.example/xapi', username: 'u', password: 'p' }
	}
} as const;

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
		withBoxedValues: true
	}),
	fc.jsonValue(),
	fc.constantFrom('x'.repeat(1_000_000), { nickname: 'x'.repeat(1_000_000) }, null, [])
);

/** A body as the server sees it: text parsed with JSON.parse, so `__proto__` is an own key. */
function parsedBody(base: Record<string, unknown>, extra: Record<string, unknown>): unknown {
	const own = JSON.stringify(base).slice(1, -1);
	const more = Object.entries(extra)
		.map(([k, val]) => `${JSON.stringify(k)}:${JSON.stringify(val ?? null)}`)
		.join(',');
	return JSON.parse(`{${[more, own].filter(Boolean).join(',')}}`) as unknown;
}

function expectOnlyKnownKeys(output: unknown, keys: readonly string[]): void {
	expect(typeof output).toBe('object');
	for (const key of Reflect.ownKeys(output as object)) expect(keys).toContain(key);
	expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
}

describe.each(Object.entries(schemas))('%s (properties)', (_name, { schema, keys, valid }) => {
	it('accepts its valid example', () => {
		const parsed = v.safeParse(schema, valid);
		expect(parsed.success).toBe(true);
	});

	it('never throws on garbage; on success lets no unknown key through', () => {
		fc.assert(
			fc.property(garbage, (body) => {
				const parsed = v.safeParse(schema, body);
				if (parsed.success) expectOnlyKnownKeys(parsed.output, keys);
				else expect(parsed.issues.length).toBeGreaterThan(0);
			}),
			{ numRuns: RUNS }
		);
	});

	it('drops unknown and prototype-pollution keys beside a valid body; pollutes nothing', () => {
		fc.assert(
			fc.property(
				fc.dictionary(
					fc.oneof(
						fc.constantFrom(...POLLUTION_KEYS, 'score', 'points', 'correct', 'credit', 'role'),
						fc.string({ maxLength: 20 })
					),
					fc.jsonValue(),
					{ maxKeys: 6 }
				),
				(extra) => {
					for (const key of keys) delete extra[key];
					const body = parsedBody(valid, extra);
					const parsed = v.safeParse(schema, body);
					expect(parsed.success).toBe(true);
					if (parsed.success) {
						expectOnlyKnownKeys(parsed.output, keys);
						for (const key of Object.keys(valid)) expect(key in parsed.output).toBe(true);
					}
					expect(({} as Record<string, unknown>).polluted).toBeUndefined();
					expect(Object.keys(Object.prototype)).toEqual([]);
				}
			),
			{ numRuns: RUNS }
		);
	});

	it('refuses each known field with a wrong type or a huge string, without throwing', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...Object.keys(valid)),
				fc.oneof(
					fc.integer(),
					fc.boolean(),
					fc.constant(null),
					fc.array(fc.string()),
					fc.object(),
					fc.constant('x'.repeat(200_000))
				),
				(key, wrong) => {
					const body = { ...valid, [key]: wrong };
					const parsed = v.safeParse(schema, body);
					// AnswerBody.response is anything by design: the grader judges it.
					if (key === 'response') expect(parsed.success).toBe(true);
					else if (parsed.success) expectOnlyKnownKeys(parsed.output, keys);
					else expect(parsed.issues.length).toBeGreaterThan(0);
				}
			),
			{ numRuns: RUNS }
		);
	});
});
