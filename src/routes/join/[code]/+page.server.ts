import { fail, redirect } from '@sveltejs/kit';
import * as v from 'valibot';
import { JoinBody } from '$lib/classroom/api';
import { participantCookie, setTokenCookie } from '$lib/server/auth';
import { identify } from '$lib/server/caller';
import { joinSession } from '$lib/server/classroom';
import { sessionFromUrl } from '$lib/server/http';
import { publicOrigin, secureCookies } from '$lib/server/origin';
import { sessionView } from '$lib/server/session-views';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const session = await sessionFromUrl(event);
	const caller = await identify(event, session);
	const view = await sessionView(
		session,
		{ host: false, participant: caller.participant },
		publicOrigin(event.url)
	);
	return { view };
};

export const actions: Actions = {
	/** Joins under a nickname and remembers this browser as that participant. */
	default: async (event) => {
		const session = await sessionFromUrl(event);
		const nickname = (await event.request.formData()).get('nickname');
		const parsed = v.safeParse(JoinBody, { nickname });
		if (!parsed.success)
			return fail(400, {
				nickname: String(nickname ?? ''),
				message: `Your ${parsed.issues[0].message}.`
			});
		try {
			const joined = await joinSession(session, parsed.output.nickname);
			setTokenCookie(
				event.cookies,
				participantCookie(session.row.code),
				joined.participantToken,
				secureCookies(event.url)
			);
		} catch (failure) {
			if ([409, 410].includes((failure as { status?: number }).status ?? 0)) {
				return fail(409, {
					nickname: parsed.output.nickname,
					message: (failure as { body: { message: string } }).body.message
				});
			}
			throw failure;
		}
		redirect(303, `/join/${session.row.code}`);
	}
};
