import { dashboardOf } from '$lib/server/classroom';
import { hostBasics } from '$lib/server/host-view';
import { hostedSessionFromUrl } from '$lib/server/http';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const session = await hostedSessionFromUrl(event);
	return {
		...hostBasics(event, session),
		joiningLocked: session.row.joining_locked === 1,
		dashboard: dashboardOf(session)
	};
};
