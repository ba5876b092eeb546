import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { CreateSessionBody } from '$lib/classroom/api';
import { hostCookie, NEW_TEACHER_KEY_COOKIE, setTokenCookie } from '$lib/server/auth';
import { createTeacher, rememberTeacher, teacherOf } from '$lib/server/teachers';
import { createSession } from '$lib/server/classroom';
import { allPacks } from '$lib/server/content';
import { secureCookies } from '$lib/server/http';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({
	scenarios: allPacks().map((p) => ({
		id: p.id,
		title: p.title,
		questions: p.steps.reduce((n, s) => n + s.questions.length, 0)
	}))
});

export const actions: Actions = {
	/** Starts a session and makes this browser its host. */
	default: async ({ request, cookies, url }) => {
		const form = await request.formData();
		const parsed = v.safeParse(CreateSessionBody, {
			scenario: form.get('scenario'),
			mode: form.get('mode'),
			title: form.get('title') || undefined,
			closedBook: form.get('closedBook') === 'on'
		});
		if (!parsed.success) return fail(400, { message: parsed.issues[0].message });
		// The first session from this browser makes its teacher; their key is shown once, next.
		let teacher = await teacherOf({ request, cookies });
		if (!teacher) {
			const created = await createTeacher();
			teacher = created.teacher;
			rememberTeacher(cookies, url, created.key);
			cookies.set(NEW_TEACHER_KEY_COOKIE, created.key, {
				path: '/',
				httpOnly: true,
				sameSite: 'lax',
				maxAge: 300,
				secure: secureCookies(url)
			});
		}
		const { code, hostToken } = await createSession(parsed.output, teacher.id);
		setTokenCookie(cookies, hostCookie(code), hostToken, secureCookies(url));
		redirect(303, `/host/${code}`);
	}
};
