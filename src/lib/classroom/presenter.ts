/**
 * What the projector shows, worked out from the host's live figures: pure, so that the presenter
 * page's first render (on the server) and every live update (in the browser) go through the same
 * filter, and the tests can prove that nothing about an answer passes before the reveal.
 */
import type { Pacing } from './api';
import type { Dashboard, ParticipantFigures } from './dashboard';

/** How far a prompt is cut to label it in a list of questions. */
const SHORT_LABEL_CHARACTERS = 48;

/** A prompt cut at a word near `max` characters, with an ellipsis when cut. */
export function shortLabel(prompt: string, max = SHORT_LABEL_CHARACTERS): string {
	const flat = prompt.replace(/\s+/g, ' ').trim();
	if (flat.length <= max) return flat;
	const cut = flat.slice(0, max + 1);
	const space = cut.lastIndexOf(' ');
	return `${(space > max / 2 ? cut.slice(0, space) : flat.slice(0, max)).replace(/[\s,;:.]+$/, '')}…`;
}

/** How many places a leaderboard shows at most. */
export const LEADERBOARD_PLACES = 5;

/**
 * The leaderboard as the class may see it: the top five by points, and never anyone in last
 * place (those on the lowest score are left out, so with everyone level nobody is listed).
 */
export function leaders(
	participants: ReadonlyArray<Pick<ParticipantFigures, 'id' | 'nickname' | 'points'>>
): Array<{ id: string; nickname: string; points: number; place: number }> {
	if (participants.length === 0) return [];
	const lowest = Math.min(...participants.map((p) => p.points));
	const ranked = participants
		.filter((p) => p.points > lowest)
		.sort((a, b) => b.points - a.points || a.nickname.localeCompare(b.nickname));
	// Equal points share a place: 1, 2, 2, 4.
	return ranked.slice(0, LEADERBOARD_PLACES).map((p) => ({
		id: p.id,
		nickname: p.nickname,
		points: p.points,
		place: ranked.findIndex((q) => q.points === p.points) + 1
	}));
}

/** The question on the wall: how many have answered and, only once revealed, how they answered. */
export interface ProjectedFigures {
	questionId: string;
	revealed: boolean;
	answered: number;
	/** Empty before the reveal: which answer is right must not reach the page before then. */
	distribution: Array<{ label: string; count: number; correct: boolean }>;
}

export interface PresenterView {
	status: Pacing['status'];
	mode: Pacing['mode'];
	/** Nicknames in the order they joined. */
	joined: string[];
	/** Teacher-paced: the question on everyone's screen; null between questions or self-paced. */
	current: ProjectedFigures | null;
	/** Self-paced: answers in so far, and how many have answered every question. */
	progress: { answers: number; finished: number };
}

/** The projector's view of the session. */
export function presenterView(
	dashboard: Pick<Dashboard, 'participants' | 'questions'>,
	pacing: Pick<Pacing, 'status' | 'mode' | 'currentQuestionId' | 'revealed'>
): PresenterView {
	const figures = dashboard.questions.find((q) => q.questionId === pacing.currentQuestionId);
	const revealed = figures !== undefined && pacing.revealed.includes(figures.questionId);
	return {
		status: pacing.status,
		mode: pacing.mode,
		joined: dashboard.participants.map((p) => p.nickname),
		current: figures
			? {
					questionId: figures.questionId,
					revealed,
					answered: figures.answered,
					distribution: revealed ? figures.distribution.map((d) => ({ ...d })) : []
				}
			: null,
		progress: {
			answers: dashboard.participants.reduce((n, p) => n + p.answered, 0),
			finished: dashboard.participants.filter((p) => p.on === null).length
		}
	};
}
