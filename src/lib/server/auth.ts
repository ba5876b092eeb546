/**
 * Join codes and tokens. Tokens are 128 random bits, stored only as SHA-256 hashes and compared
 * in constant time; they travel as `Authorization: Bearer …` (scripts) or as HttpOnly,
 * SameSite=Lax cookies set by the host and join pages (browsers).
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Cookies } from '@sveltejs/kit';

/** Letters and digits nobody confuses when reading a projector: no 0/O, 1/I/L. */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;

/** A fresh join code. */
export function newJoinCode(): string {
	return Array.from(
		{ length: JOIN_CODE_LENGTH },
		() => JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)]
	).join('');
}

/** A code as typed (any case, spaces or dashes) in canonical form, or null if it cannot be one. */
export function normalizeJoinCode(input: string): string | null {
	const code = input.toUpperCase().replace(/[\s-]/g, '');
	return code.length === JOIN_CODE_LENGTH && [...code].every((c) => JOIN_CODE_ALPHABET.includes(c))
		? code
		: null;
}

/** A fresh 128-bit token, URL-safe. */
export function newToken(): string {
	return randomBytes(16).toString('base64url');
}

/** The stored form of a token. */
export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** Whether `token` is the one whose hash is stored, in time that does not depend on where they differ. */
export function tokenMatches(token: string, storedHash: string): boolean {
	const given = createHash('sha256').update(token).digest();
	const stored = Buffer.from(storedHash, 'hex');
	return stored.length === given.length && timingSafeEqual(given, stored);
}

/** Cookie names, one per session, so that a browser can host or join several sessions. */
export const hostCookie = (code: string) => `cw_host_${code}`;
export const participantCookie = (code: string) => `cw_part_${code}`;

const COOKIE_OPTIONS = {
	path: '/',
	httpOnly: true,
	sameSite: 'lax',
	maxAge: 60 * 60 * 24 * 30
} as const;

/** Sets a session cookie: HttpOnly, SameSite=Lax, Secure when the site is served over https. */
export function setTokenCookie(
	cookies: Cookies,
	name: string,
	token: string,
	secure: boolean
): void {
	cookies.set(name, token, { ...COOKIE_OPTIONS, secure });
}

/** The bearer token of a request, if it has one. */
export function bearerToken(request: Request): string | undefined {
	return bearerOf(request.headers.get('authorization'));
}

/** The bearer token in an Authorization header's value, if it holds one. */
export function bearerOf(authorization: string | null | undefined): string | undefined {
	const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
	return match?.[1];
}

/** The cookie that remembers a teacher in this browser. */
export const TEACHER_COOKIE = 'cw_teacher';
const TEACHER_KEY_LENGTH = 26;

/**
 * A fresh teacher key: 26 characters of the join-code alphabet (about 128 bits), shown in groups
 * of five so that it can be copied by hand from one device to another.
 */
export function newTeacherKey(): string {
	const chars = Array.from(
		{ length: TEACHER_KEY_LENGTH },
		() => JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)]
	);
	return chars.join('').replace(/(.{5})(?=.)/g, '$1-');
}

/** A teacher key as typed (any case, spaces, dashes) in canonical form, or null. */
export function normalizeTeacherKey(input: string): string | null {
	const plain = input.toUpperCase().replace(/[\s-]/g, '');
	if (
		plain.length !== TEACHER_KEY_LENGTH ||
		![...plain].every((c) => JOIN_CODE_ALPHABET.includes(c))
	)
		return null;
	return plain.replace(/(.{5})(?=.)/g, '$1-');
}
