import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { CreateSessionBody } from '$lib/classroom/api';
import { shortLabel } from '$lib/classroom/presenter';
import { oneQuestionPerLink } from '$lib/classroom/session-pack';
import { hostCookie, setTokenCookie } from '$lib/server/auth';
import { createTeacher, rememberTeacher, teacherOf } from '$lib/server/teachers';
import { createSession } from '$lib/server/classroom';
import { allPacks, findPack } from '$lib/server/content';
import { sessionCreationRefusal } from '$lib/server/http';
import { secureCookies } from '$lib/server/origin';
import { answerKeyMode } from '$lib/server/study';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({
	answerKeys: answerKeyMode(),
	scenarios: allPacks().map((p) => ({
		id: p.id,
		title: p.title,
		links: p.steps.map((s, i) => ({
			id: s.id,
			number: i + 1,
			title: s.title,
			questions: s.questions.map((q) => ({ id: q.id, label: shortLabel(q.prompt) }))
		})),
		quick: oneQuestionPerLink(p)
	}))
});

/** Which of the scenario's questions the form asks for: all, one per link, or those ticked. */
function chosenQuestions(form: FormData, scenario: string): string[] | undefined {
	const length = form.get('length');
	if (length === 'quick') {
		const pack = findPack(scenario);
		return pack ? oneQuestionPerLink(pack) : undefined;
	}
	if (length === 'chosen') return form.getAll('questionIds').map(String);
	return undefined;
}

export const actions: Actions = {
	/** Starts a session and makes this browser its host. */
	default: async (event) => {
		const { request, cookies, url } = event;
		const form = await request.formData();
		const scenario = String(form.get('scenario') ?? '');
		const questionIds = chosenQuestions(form, scenario);
		if (questionIds?.length === 0)
			return fail(400, { message: 'Tick at least one question, or choose another length.' });
		const parsed = v.safeParse(CreateSessionBody, {
			scenario,
			mode: form.get('mode'),
			title: form.get('title') || undefined,
			closedBook: form.get('closedBook') === 'on',
			questionIds
		});
		if (!parsed.success) return fail(400, { message: parsed.issues[0].message });
		// Before a teacher is made: a refused request leaves nothing behind.
		const refusal = await sessionCreationRefusal(event);
		if (refusal) {
			event.setHeaders({ 'retry-after': refusal.headers.get('retry-after') ?? '3600' });
			return fail(429, (await refusal.json()) as { message: string });
		}
		// The first session from this browser makes its teacher; their key is shown once, here.
		let teacher = await teacherOf({ request, cookies });
		let teacherKey: string | null = null;
		if (!teacher) {
			const created = await createTeacher();
			teacher = created.teacher;
			teacherKey = created.key;
			rememberTeacher(cookies, url, created.key);
		}
		const { code, hostToken } = await createSession(parsed.output, teacher.id);
		setTokenCookie(cookies, hostCookie(code), hostToken, secureCookies(url));
		// A new teacher reads their key before going on; it never reaches the session's pages.
		if (teacherKey) return { created: { code, teacherKey } };
		redirect(303, `/host/${code}`);
	}
};
