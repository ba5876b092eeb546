import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { CreateSessionBody } from '$lib/classroom/api';
import { hostCookie, setTokenCookie } from '$lib/server/auth';
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
			title: form.get('title') || undefined
		});
		if (!parsed.success) return fail(400, { message: parsed.issues[0].message });
		const { code, hostToken } = await createSession(parsed.output);
		setTokenCookie(cookies, hostCookie(code), hostToken, secureCookies(url));
		redirect(303, `/host/${code}`);
	}
};
