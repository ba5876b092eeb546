/**
 * What both of the host's pages (the pacing page and the presenter) start from: the join
 * details, the session's links and questions as the phones get them (no answer keys), and the
 * live figures. One module, so the two pages cannot drift apart.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { renderSVG } from 'uqr';
import { shortLabel } from '$lib/classroom/presenter';
import { questionsOf } from '$lib/content/pack';
import { presentQuestion } from '$lib/content/present';
import { publicOrigin } from './origin';
import type { LoadedSession } from './session-store';
import { pacingOf } from './session-views';

/** The session's join details, links and questions, keyless. */
export function hostBasics(event: Pick<RequestEvent, 'url'>, session: LoadedSession) {
	const { code } = session.row;
	const joinUrl = `${publicOrigin(event.url)}/join/${code}`;
	const steps = session.pack.steps;
	return {
		code,
		title: session.row.title,
		scenario: { id: session.pack.id, title: session.pack.title },
		joinUrl,
		// Drawn here from our own URL: no QR service, no script on the page.
		qrSvg: renderSVG(joinUrl, { border: 2 }),
		/** The links the session asks, numbered as in the whole scenario. */
		links: steps.flatMap((s, i) =>
			s.questions.length === 0
				? []
				: [
						{
							id: s.id,
							number: i + 1,
							title: s.title,
							questions: s.questions.map((q) => ({ id: q.id, label: shortLabel(q.prompt) }))
						}
					]
		),
		// As the phones get them, without answer keys: the projector shows them to the class.
		questions: questionsOf(session.pack).map(presentQuestion),
		sources: session.pack.article.sources,
		pacing: pacingOf(session)
	};
}
