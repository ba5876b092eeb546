/**
 * The live dashboard's figures, computed from the stored answers: how each question was
 * answered, how the class reads each causal link, who has answered the open question. Pure, so
 * the host page and the tests see exactly what the server sends.
 */
import type { Pack } from '$lib/content/pack';
import { describeResponse } from '$lib/journey/describe';

export interface DashboardAnswer {
	participantId: string;
	questionId: string;
	response: unknown;
	correct: boolean;
	points: number;
}

export interface DashboardParticipant {
	id: string;
	nickname: string;
}

export interface QuestionFigures {
	questionId: string;
	linkId: string;
	prompt: string;
	answered: number;
	correct: number;
	/** correct / answered; null before any answer. */
	correctShare: number | null;
	/** Each distinct response, most given first. */
	distribution: Array<{ label: string; count: number; correct: boolean }>;
	/** The wrong response given most often, with the explanation to discuss. */
	commonWrong: { label: string; count: number; explanation: string } | null;
}

export interface Dashboard {
	participants: Array<{ id: string; nickname: string; answered: number; points: number }>;
	questions: QuestionFigures[];
	links: Array<{
		linkId: string;
		title: string;
		answered: number;
		correct: number;
		correctShare: number | null;
	}>;
	/** For the open question: who has answered and who has not, by nickname. */
	open: { questionId: string; answered: string[]; waiting: string[] } | null;
}

/**
 * A key that is the same for responses that mean the same: lists of ids compare as sets where
 * order carries no meaning (ticked options, scenario passages), objects by their keys in order.
 * An `order` response keeps its order, since there the order is the answer.
 */
export function canonicalResponse(response: unknown, ordered = false): string {
	if (Array.isArray(response)) {
		const items = response.map((item) => canonicalResponse(item));
		return `[${(ordered ? items : [...items].sort()).join(',')}]`;
	}
	if (response && typeof response === 'object') {
		const entries = Object.entries(response as Record<string, unknown>).sort(([a], [b]) =>
			a.localeCompare(b)
		);
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalResponse(v)}`).join(',')}}`;
	}
	return JSON.stringify(response) ?? 'undefined';
}

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** The dashboard of a session, from its pack, participants and answers. */
export function buildDashboard(
	pack: Pick<Pack, 'steps' | 'article'>,
	participants: readonly DashboardParticipant[],
	answers: readonly DashboardAnswer[],
	openQuestionId: string | null
): Dashboard {
	const byQuestion = new Map<string, DashboardAnswer[]>();
	const byParticipant = new Map<string, { answered: number; points: number }>();
	for (const a of answers) {
		const list = byQuestion.get(a.questionId);
		if (list) list.push(a);
		else byQuestion.set(a.questionId, [a]);
		const own = byParticipant.get(a.participantId) ?? { answered: 0, points: 0 };
		own.answered += 1;
		own.points += a.points;
		byParticipant.set(a.participantId, own);
	}

	const questions: QuestionFigures[] = pack.steps.flatMap((step) =>
		step.questions.map((question) => {
			const given = byQuestion.get(question.id) ?? [];
			// Grouped by what was answered, not by how it prints: 1 and 1.0001 may print alike.
			const tally = new Map<string, { label: string; count: number; correct: boolean }>();
			for (const a of given) {
				const key = canonicalResponse(a.response, question.type === 'order');
				const entry = tally.get(key) ?? {
					label: describeResponse(question, a.response, pack.article.sources),
					count: 0,
					correct: a.correct
				};
				entry.count += 1;
				tally.set(key, entry);
			}
			const distribution = [...tally.values()].sort(
				(x, y) => y.count - x.count || x.label.localeCompare(y.label)
			);
			const wrong = distribution.find((d) => !d.correct);
			const correct = given.filter((a) => a.correct).length;
			return {
				questionId: question.id,
				linkId: step.id,
				prompt: question.prompt,
				answered: given.length,
				correct,
				correctShare: share(correct, given.length),
				distribution,
				commonWrong: wrong
					? { label: wrong.label, count: wrong.count, explanation: question.explanation }
					: null
			};
		})
	);

	const links = pack.steps.map((step) => {
		const figures = questions.filter((q) => q.linkId === step.id);
		const answered = figures.reduce((n, q) => n + q.answered, 0);
		const correct = figures.reduce((n, q) => n + q.correct, 0);
		return {
			linkId: step.id,
			title: step.title,
			answered,
			correct,
			correctShare: share(correct, answered)
		};
	});

	const open =
		openQuestionId === null
			? null
			: (() => {
					const done = new Set((byQuestion.get(openQuestionId) ?? []).map((a) => a.participantId));
					return {
						questionId: openQuestionId,
						answered: participants.filter((p) => done.has(p.id)).map((p) => p.nickname),
						waiting: participants.filter((p) => !done.has(p.id)).map((p) => p.nickname)
					};
				})();

	return {
		participants: participants.map((p) => ({
			id: p.id,
			nickname: p.nickname,
			...(byParticipant.get(p.id) ?? { answered: 0, points: 0 })
		})),
		questions,
		links,
		open
	};
}
