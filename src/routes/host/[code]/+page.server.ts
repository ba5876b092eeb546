import { hostedPage } from '$lib/server/guard';
import { hostBasics } from '$lib/server/host-view';
import { dashboardOf } from '$lib/server/live-dashboard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const session = await hostedPage(event);
	return {
		...hostBasics(event, session),
		joiningLocked: session.row.joining_locked === 1,
		dashboard: await dashboardOf(session)
	};
};
