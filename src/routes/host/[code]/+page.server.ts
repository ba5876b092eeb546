import { error } from '@sveltejs/kit';
import { renderSVG } from 'uqr';
import { NEW_TEACHER_KEY_COOKIE } from '$lib/server/auth';
import { questionsOf } from '$lib/content/pack';
import { presentQuestion } from '$lib/content/present';
import { dashboardOf, identify, pacingOf } from '$lib/server/classroom';
import { publicOrigin, sessionFromUrl } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const session = await sessionFromUrl(event);
	const { code } = session.row;
	const caller = await identify(event, session);
	if (!caller.host) {
		error(
			403,
			`This browser is not the host of session ${code}. Open the host link on the device that started it.`
		);
	}
	const joinUrl = `${publicOrigin(event.url)}/join/${code}`;
	// Shown once: the cookie that carried it here goes now.
	const newTeacherKey = event.cookies.get(NEW_TEACHER_KEY_COOKIE);
	if (newTeacherKey) event.cookies.delete(NEW_TEACHER_KEY_COOKIE, { path: '/' });
	return {
		code,
		newTeacherKey,
		title: session.row.title,
		scenario: { id: session.pack.id, title: session.pack.title },
		joinUrl,
		// Drawn here from our own URL: no QR service, no script on the page.
		qrSvg: renderSVG(joinUrl, { border: 2 }),
		links: session.pack.steps.map((s) => ({
			id: s.id,
			title: s.title,
			questionIds: s.questions.map((q) => q.id)
		})),
		// As the phones get them, without answer keys: the projector shows them to the class.
		questions: questionsOf(session.pack).map(presentQuestion),
		sources: session.pack.article.sources,
		pacing: pacingOf(session),
		dashboard: dashboardOf(session)
	};
};
