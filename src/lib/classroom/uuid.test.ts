import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { AnswerBody } from './api';
import { uuidV4 } from './uuid';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidV4', () => {
	const ids = Array.from({ length: 10_000 }, () => uuidV4());

	it('makes 10,000 different ids', () => {
		expect(new Set(ids).size).toBe(10_000);
	});

	it('makes lower-case version-4, RFC 4122 variant ids', () => {
		const malformed = ids.filter((id) => !V4.test(id));
		expect(malformed).toEqual([]);
	});

	it('makes ids valibot`s uuid() accepts, so the answers endpoint takes them', () => {
		const schema = v.pipe(v.string(), v.uuid());
		expect(ids.filter((id) => !v.is(schema, id))).toEqual([]);
		expect(v.is(AnswerBody, { answerId: ids[0], questionId: 'q1', response: 'a' })).toBe(true);
	});

	it('uses the random bits it does not fix: every hex digit appears in every free position', () => {
		const hex = ids.map((id) => id.replace(/-/g, ''));
		const fixed = new Set([12]); // the version nibble
		for (let i = 0; i < 32; i++) {
			const seen = new Set(hex.map((h) => h[i]));
			if (fixed.has(i)) expect(seen).toEqual(new Set(['4']));
			else if (i === 16) expect([...seen].sort()).toEqual(['8', '9', 'a', 'b']);
			else expect(seen.size).toBe(16);
		}
	});

	it('does not depend on crypto.randomUUID (absent outside secure contexts)', () => {
		const original = crypto.randomUUID;
		Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
		try {
			expect(V4.test(uuidV4())).toBe(true);
		} finally {
			Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
		}
	});
});
