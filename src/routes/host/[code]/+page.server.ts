import { error } from '@sveltejs/kit';
import { renderSVG } from 'uqr';
import { normalizeJoinCode } from '$lib/server/auth';
import { dashboardOf, identify, loadSession, pacingOf } from '$lib/server/classroom';
import { publicOrigin } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const code = normalizeJoinCode(event.params.code);
	if (!code) error(404, 'That is not a join code.');
	const session = await loadSession(code);
	const caller = await identify(event, session);
	if (!caller.host) {
		error(
			403,
			`This browser is not the host of session ${code}. Open the host link on the device that started it.`
		);
	}
	const joinUrl = `${publicOrigin(event.url)}/join/${code}`;
	return {
		code,
		title: session.row.title,
		scenario: { id: session.pack.id, title: session.pack.title },
		joinUrl,
		// Drawn here from our own URL: no QR service, no script on the page.
		qrSvg: renderSVG(joinUrl, { border: 2 }),
		links: session.pack.steps.map((s) => ({
			id: s.id,
			title: s.title,
			questions: s.questions.map((q) => ({ id: q.id, prompt: q.prompt }))
		})),
		pacing: pacingOf(session),
		dashboard: await dashboardOf(session)
	};
};
