import { fail, redirect } from '@sveltejs/kit';
import { normalizeTeacherKey, TEACHER_COOKIE } from '$lib/server/auth';
import { findPack } from '$lib/server/content';
import { rememberTeacher, sessionsOfTeacher, teacherByKey, teacherOf } from '$lib/server/teachers';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const teacher = await teacherOf(event);
	if (!teacher) return { known: false as const, sessions: [] };
	const sessions = await sessionsOfTeacher(teacher.id);
	return {
		known: true as const,
		deleted: event.url.searchParams.get('deleted'),
		sessions: sessions.map((s) => ({
			code: s.code,
			title: s.title,
			scenario: findPack(s.scenario_id)?.title ?? s.scenario_id,
			mode: s.mode,
			createdAt: s.created_at,
			ended: s.ended_at !== null,
			participants: Number(s.participants)
		}))
	};
};

export const actions: Actions = {
	/**
	 * Shows this browser's teacher key, on request only: never on a page that may be on a
	 * projector, and not even here until the teacher asks.
	 */
	show: async ({ cookies }) => {
		const key = cookies.get(TEACHER_COOKIE);
		if (!key || !(await teacherByKey(key)))
			return fail(400, { message: 'This browser does not hold a teacher key.' });
		return { shownKey: normalizeTeacherKey(key) ?? key };
	},
	/** Adds this device with a teacher key typed from another one. */
	add: async ({ request, cookies, url }) => {
		const key = normalizeTeacherKey(String((await request.formData()).get('key') ?? ''));
		const teacher = key ? await teacherByKey(key) : undefined;
		if (!key || !teacher)
			return fail(400, { message: 'That key does not match any teacher. Check it and try again.' });
		rememberTeacher(cookies, url, key);
		redirect(303, '/teacher');
	}
};
