/**
 * The learner page's server grading, loaded only when the page got a pack without answer keys
 * (ANSWER_KEYS=server): the journey machine's server-grading plug, the `askServer` request it
 * needs and the pack as far as the server has revealed it, so that a learner graded on the
 * device downloads none of them. Nothing here imports the machine's own module (the page has it
 * already): its chunk stays apart from the first screen's.
 */
import { fromPromise } from 'xstate';
import type { StudyBody, StudyVerdict } from '$lib/content/study-api';
export { serverGrading } from './journey.server-grading';
export { revealedPack } from './revealed';

/** Resolves once the browser says it is back online. */
const backOnline = () => new Promise((ok) => addEventListener('online', ok, { once: true }));

/**
 * One request about one question of pack `packId`. Offline, the answer stays in the machine
 * (`pending`) and is sent again as soon as the browser is back online.
 */
async function askServer(packId: string, input: StudyBody): Promise<StudyVerdict> {
	for (;;) {
		if (!navigator.onLine) await backOnline();
		let response: Response;
		try {
			response = await fetch(`/api/study/${encodeURIComponent(packId)}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(input)
			});
		} catch {
			// No connection (navigator.onLine can say otherwise): wait for one, then send again.
			await backOnline();
			continue;
		}
		const body: unknown = await response.json().catch(() => ({}));
		if (response.ok) return body as StudyVerdict;
		const message = (body as { message?: unknown }).message;
		throw new Error(typeof message === 'string' ? message : `The server said ${response.status}.`);
	}
}

/** The `askServer` actor for pack `packId`, graded by this site's server. */
export const askServerAbout = (packId: string) =>
	fromPromise<StudyVerdict, StudyBody>(({ input }) => askServer(packId, input));
