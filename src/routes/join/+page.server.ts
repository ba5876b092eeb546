import { fail, redirect } from '@sveltejs/kit';
import { sessionByCode } from '$lib/server/http';
import type { Actions } from './$types';

export const actions: Actions = {
	/** Finds the session for a typed code and moves on to choosing a nickname. */
	default: async (event) => {
		const typed = String((await event.request.formData()).get('code') ?? '');
		try {
			const session = await sessionByCode(event, typed);
			redirect(303, `/join/${session.row.code}`);
		} catch (failure) {
			const status = (failure as { status?: number }).status;
			if (status === 404)
				return fail(404, {
					code: typed,
					message: `No session has the code “${typed.trim()}”. Check it with your teacher.`
				});
			if (status === 429)
				return fail(429, {
					code: typed,
					message: 'Too many wrong codes from this device. Wait a minute, then try again.'
				});
			throw failure;
		}
	}
};
