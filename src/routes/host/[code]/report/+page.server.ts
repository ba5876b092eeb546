import { fail, redirect } from '@sveltejs/kit';
import { SKILL_NAMES } from '$lib/content/schema';
import { normalizeJoinCode } from '$lib/server/auth';
import { deleteSession } from '$lib/server/classroom';
import { hostedPage } from '$lib/server/guard';
import { comparedSessions, reportOf } from '$lib/server/results';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const session = await hostedPage(event);
	const { report } = await reportOf(session);
	const compared = await comparedSessions(session);
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
		const session = await hostedPage(event);
		const form = await event.request.formData();
		if (normalizeJoinCode(String(form.get('confirm') ?? '')) !== session.row.code) {
			return fail(400, { message: `Type the code ${session.row.code} to confirm.` });
		}
		await deleteSession(session);
		redirect(303, '/teacher?deleted=' + session.row.code);
	}
};
