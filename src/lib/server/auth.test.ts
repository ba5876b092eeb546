import { createHash } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import {
	bearerToken,
	hashToken,
	hostCookie,
	JOIN_CODE_ALPHABET,
	JOIN_CODE_LENGTH,
	newJoinCode,
	newToken,
	normalizeJoinCode,
	participantCookie,
	setTokenCookie,
	tokenMatches
} from './auth';

describe('join codes', () => {
	const codes = Array.from({ length: 5000 }, () => newJoinCode());

	it('use an alphabet without the characters people confuse on a projector', () => {
		expect(JOIN_CODE_ALPHABET).toBe('ABCDEFGHJKMNPQRSTUVWXYZ23456789');
		for (const ambiguous of ['0', 'O', '1', 'I', 'L'])
			expect(JOIN_CODE_ALPHABET).not.toContain(ambiguous);
		expect(new Set(JOIN_CODE_ALPHABET).size).toBe(JOIN_CODE_ALPHABET.length);
	});

	it('are 6 characters, all from the alphabet', () => {
		expect(JOIN_CODE_LENGTH).toBe(6);
		const bad = codes.filter(
			(c) => c.length !== 6 || [...c].some((ch) => !JOIN_CODE_ALPHABET.includes(ch))
		);
		expect(bad).toEqual([]);
	});

	it('draw on the whole alphabet, in every position', () => {
		for (let i = 0; i < JOIN_CODE_LENGTH; i++) {
			const seen = new Set(codes.map((c) => c[i]));
			expect(seen.size, `position ${i}`).toBe(JOIN_CODE_ALPHABET.length);
		}
	});

	it('are their own canonical form', () => {
		expect(codes.filter((c) => normalizeJoinCode(c) !== c)).toEqual([]);
	});
});

describe('normalizeJoinCode', () => {
	it('takes any case, spaces and dashes', () => {
		expect(normalizeJoinCode('ABC234')).toBe('ABC234');
		expect(normalizeJoinCode('abc234')).toBe('ABC234');
		expect(normalizeJoinCode('aBc-234')).toBe('ABC234');
		expect(normalizeJoinCode('  abc 234 ')).toBe('ABC234');
		expect(normalizeJoinCode('a-b-c 2-3-4')).toBe('ABC234');
		expect(normalizeJoinCode('abc\t234\n')).toBe('ABC234');
	});

	it('refuses the ambiguous characters instead of guessing', () => {
		for (const typed of ['ABC0OO', 'ABC11I', 'abclll', 'OOOOOO', 'ABC23O', 'abc23i'])
			expect(normalizeJoinCode(typed), typed).toBeNull();
	});

	it('refuses the wrong length and other characters', () => {
		for (const typed of ['', '-', 'ABC23', 'ABC2345', 'ABC 2345', 'ABC23!', 'ABC23_', 'ÄBC234'])
			expect(normalizeJoinCode(typed), typed).toBeNull();
	});
});

describe('tokens', () => {
	const tokens = Array.from({ length: 10_000 }, () => newToken());

	it('are 22 URL-safe base64 characters: 128 bits', () => {
		expect(tokens.filter((t) => !/^[A-Za-z0-9_-]{22}$/.test(t))).toEqual([]);
		for (const token of tokens.slice(0, 100))
			expect(Buffer.from(token, 'base64url')).toHaveLength(16);
	});

	it('are unique', () => {
		expect(new Set(tokens).size).toBe(tokens.length);
	});

	it('are stored as their SHA-256, in hex', () => {
		const token = tokens[0]!;
		const hash = hashToken(token);
		expect(hash).toMatch(/^[0-9a-f]{64}$/);
		expect(hash).toBe(createHash('sha256').update(token).digest('hex'));
		expect(hash).not.toContain(token);
		expect(hashToken('abc')).toBe(
			'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
		);
	});
});

describe('tokenMatches', () => {
	const token = newToken();
	const stored = hashToken(token);

	it('is true for the token whose hash is stored', () => {
		expect(tokenMatches(token, stored)).toBe(true);
		// Hex is case-insensitive when decoded.
		expect(tokenMatches(token, stored.toUpperCase())).toBe(true);
	});

	it('is false for any other token', () => {
		expect(tokenMatches(newToken(), stored)).toBe(false);
		expect(tokenMatches('', stored)).toBe(false);
		expect(tokenMatches(`${token} `, stored)).toBe(false);
		expect(tokenMatches(token.slice(0, -1), stored)).toBe(false);
		expect(tokenMatches(stored, stored)).toBe(false);
	});

	it('is false, without throwing, for a malformed stored hash', () => {
		for (const bad of [
			'',
			'zz',
			'abc',
			'not a hash',
			'g'.repeat(64),
			stored.slice(0, 62),
			`${stored}00`
		])
			expect(() => tokenMatches(token, bad)).not.toThrow();
		for (const bad of [
			'',
			'zz',
			'abc',
			'not a hash',
			'g'.repeat(64),
			stored.slice(0, 62),
			`${stored}00`
		])
			expect(tokenMatches(token, bad), JSON.stringify(bad)).toBe(false);
	});
});

describe('bearerToken', () => {
	const request = (authorization?: string) =>
		new Request('http://localhost/api/sessions/ABC234', {
			headers: authorization === undefined ? {} : { authorization }
		});

	it('reads the token of a Bearer header, whatever the scheme`s case and spacing', () => {
		expect(bearerToken(request('Bearer abc_DEF-123'))).toBe('abc_DEF-123');
		expect(bearerToken(request('bearer abc'))).toBe('abc');
		expect(bearerToken(request('BEARER   abc'))).toBe('abc');
		expect(bearerToken(request('Bearer\tabc'))).toBe('abc');
		// Fetch trims a header value's surrounding whitespace.
		expect(bearerToken(request('  Bearer abc  '))).toBe('abc');
	});

	it('is undefined without a header, with another scheme or with more than one token', () => {
		expect(bearerToken(request())).toBeUndefined();
		expect(bearerToken(request(''))).toBeUndefined();
		expect(bearerToken(request('Bearer'))).toBeUndefined();
		expect(bearerToken(request('Bearer '))).toBeUndefined();
		expect(bearerToken(request('Basic YWxhZGRpbjpvcGVuc2VzYW1l'))).toBeUndefined();
		expect(bearerToken(request('Bearer abc def'))).toBeUndefined();
		expect(bearerToken(request('Bearerabc'))).toBeUndefined();
		expect(bearerToken(request('Token abc'))).toBeUndefined();
	});
});

describe('token cookies', () => {
	it('are named per session and role', () => {
		expect(hostCookie('ABC234')).toBe('cw_host_ABC234');
		expect(participantCookie('ABC234')).toBe('cw_part_ABC234');
	});

	it('are HttpOnly, SameSite=Lax, site-wide, kept 30 days, and Secure only when asked', () => {
		const set: Array<{ name: string; value: string; options: unknown }> = [];
		const cookies = {
			set: (name: string, value: string, options: unknown) =>
				void set.push({ name, value, options })
		} as unknown as Cookies;
		setTokenCookie(cookies, 'cw_host_ABC234', 'tok', false);
		setTokenCookie(cookies, 'cw_part_ABC234', 'tok2', true);
		const base = { path: '/', httpOnly: true, sameSite: 'lax', maxAge: 60 * 60 * 24 * 30 };
		expect(set).toEqual([
			{ name: 'cw_host_ABC234', value: 'tok', options: { ...base, secure: false } },
			{ name: 'cw_part_ABC234', value: 'tok2', options: { ...base, secure: true } }
		]);
	});
});
