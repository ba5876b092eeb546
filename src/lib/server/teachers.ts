/**
 * Teachers without accounts: a teacher is a random key, shown once, stored only as a hash. The
 * browser that hosts a session remembers the key in a cookie; typing it on another device lists
 * the same sessions there and makes that device their host too.
 */
import { randomUUID } from 'node:crypto';
import type { Cookies, RequestEvent } from '@sveltejs/kit';
import {
	bearerToken,
	hashToken,
	newTeacherKey,
	normalizeTeacherKey,
	setTokenCookie,
	TEACHER_COOKIE
} from './auth';
import { database, write, type TeacherRow } from './db';
import { secureCookies } from './origin';

/** A new teacher and their key (the only time the key exists in clear). */
export async function createTeacher(): Promise<{ teacher: TeacherRow; key: string }> {
	const key = newTeacherKey();
	const teacher: TeacherRow = {
		id: randomUUID(),
		key_hash: hashToken(key),
		created_at: new Date().toISOString()
	};
	const db = database();
	await write((tx) => tx.all(db.insertInto('teachers').values(teacher)));
	return { teacher, key };
}

/** The teacher a key belongs to, if any. */
export async function teacherByKey(input: string): Promise<TeacherRow | undefined> {
	const key = normalizeTeacherKey(input);
	if (!key) return undefined;
	return database()
		.selectFrom('teachers')
		.selectAll()
		.where('key_hash', '=', hashToken(key))
		.executeTakeFirst();
}

/** The teacher of a request: a bearer teacher key, or the browser's teacher cookie. */
export async function teacherOf(
	event: Pick<RequestEvent, 'request' | 'cookies'>
): Promise<TeacherRow | undefined> {
	const key = bearerToken(event.request) ?? event.cookies.get(TEACHER_COOKIE);
	return key ? teacherByKey(key) : undefined;
}

/** Remembers a teacher's key in this browser. */
export function rememberTeacher(cookies: Cookies, url: URL, key: string): void {
	setTokenCookie(cookies, TEACHER_COOKIE, key, secureCookies(url));
}

/** A teacher's sessions, newest first, with how many joined and answered. */
export async function sessionsOfTeacher(teacherId: string) {
	return database()
		.selectFrom('sessions')
		.leftJoin('participants', 'participants.session_code', 'sessions.code')
		.select((eb) => [
			'sessions.code',
			'sessions.title',
			'sessions.scenario_id',
			'sessions.mode',
			'sessions.created_at',
			'sessions.ended_at',
			eb.fn.count<number>('participants.id').as('participants')
		])
		.where('sessions.teacher_id', '=', teacherId)
		.groupBy('sessions.code')
		.orderBy('sessions.created_at', 'desc')
		.execute();
}
