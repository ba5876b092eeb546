import { fail, redirect } from '@sveltejs/kit';
import { SKILL_NAMES } from '$lib/content/schema';
import { normalizeJoinCode } from '$lib/server/auth';
import { hostedSessionFromUrl } from '$lib/server/http';
import { deleteSession, loadSession, reportOf } from '$lib/server/classroom';
import { database } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const session = await hostedSessionFromUrl(event);
	const { report } = await reportOf(session);
	// Class A beside class B: the same teacher's other sessions of this scenario.
	const siblings = session.row.teacher_id
		? await database()
				.selectFrom('sessions')
				.select(['code', 'title', 'created_at'])
				.where('teacher_id', '=', session.row.teacher_id)
				.where('scenario_id', '=', session.pack.id)
				.where('code', '!=', session.row.code)
				.orderBy('created_at', 'desc')
				.limit(5)
				.execute()
		: [];
	const compared = await Promise.all(
		siblings.map(async (s) => ({
			code: s.code,
			title: s.title,
			links: (await reportOf(await loadSession(s.code))).report.links
		}))
	);
	return {
		code: session.row.code,
		title: session.row.title,
		scenario: session.pack.title,
		createdAt: session.row.created_at,
		questionCount: report.questions.length,
		skills: Object.entries(SKILL_NAMES).map(([id, name]) => ({ id, name })),
		report: { participants: report.participants, questions: report.questions, links: report.links },
		compared
	};
};

export const actions: Actions = {
	/** Deletes the session and every answer in it, once the teacher has confirmed. */
	delete: async (event) => {
		const session = await hostedSessionFromUrl(event);
		const form = await event.request.formData();
		if (normalizeJoinCode(String(form.get('confirm') ?? '')) !== session.row.code) {
			return fail(400, { message: `Type the code ${session.row.code} to confirm.` });
		}
		await deleteSession(session);
		redirect(303, '/teacher?deleted=' + session.row.code);
	}
};
