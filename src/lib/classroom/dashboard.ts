/**
 * The live dashboard's figures, computed from the stored answers: how each question was
 * answered, how the class reads each causal link, who has answered the open question. Pure, so
 * the host page and the tests see exactly what the server sends.
 */
import type { Pack } from '$lib/content/pack';
import { describeAnswer, describeResponse } from '$lib/journey/describe';
import { kindOf } from '$lib/questions/registry';
import { addToTotals, noTotals, type Totals } from './totals';

export interface DashboardAnswer {
	participantId: string;
	questionId: string;
	response: unknown;
	correct: boolean;
	points: number;
	/** When it was given (ISO); the dashboard shows how long since each student's last answer. */
	answeredAt?: string;
}

export interface DashboardParticipant {
	id: string;
	nickname: string;
	/** When they joined (ISO): a student with no answer yet is measured from there. */
	joinedAt?: string;
}

/** One student's row: how far they are, how well they do, and since when they have been still. */
export interface ParticipantFigures {
	id: string;
	nickname: string;
	answered: number;
	correct: number;
	points: number;
	/**
	 * The first question of the session they have not answered, with its link: where a student
	 * going at their own pace is; null once they have answered every question.
	 */
	on: { questionId: string; linkId: string } | null;
	/** Their last answer (or their joining, before any answer), ISO; null when unknown. */
	lastActiveAt: string | null;
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
	participants: ParticipantFigures[];
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

interface QuestionTally {
	questionId: string;
	linkId: string;
	prompt: string;
	explanation: string;
	ordered: boolean;
	question: Pack['steps'][number]['questions'][number];
	correct: number;
	/** Who has answered, so a second answer from the same person is not counted again. */
	answeredBy: Set<string>;
	/** Each distinct response (by its canonical key), with how often it was given. */
	responses: Map<string, { label: string; count: number; correct: boolean }>;
}

/**
 * Each link's totals, summed over the given question figures (all of them, or, for a projector,
 * only those already revealed to the class).
 */
export function linkFigures(
	links: ReadonlyArray<{ linkId: string; title: string }>,
	questions: readonly QuestionFigures[]
): Dashboard['links'] {
	return links.map(({ linkId, title }) => {
		const figures = questions.filter((q) => q.linkId === linkId);
		const answered = figures.reduce((n, q) => n + q.answered, 0);
		const correct = figures.reduce((n, q) => n + q.correct, 0);
		return { linkId, title, answered, correct, correctShare: share(correct, answered) };
	});
}

/**
 * The dashboard's running totals for one session, kept up to date answer by answer: a class of
 * hundreds sends thousands of answers, and the host's dashboard is refreshed many times a minute,
 * so it must not be rebuilt from every stored answer each time.
 */
export class DashboardTally {
	readonly #pack: Pick<Pack, 'steps' | 'article'>;
	readonly #questions = new Map<string, QuestionTally>();
	readonly #nicknames = new Map<string, string>();
	readonly #scores = new Map<string, Totals & { lastActiveAt: string | null }>();

	constructor(pack: Pick<Pack, 'steps' | 'article'>) {
		this.#pack = pack;
		for (const step of pack.steps)
			for (const question of step.questions)
				this.#questions.set(question.id, {
					questionId: question.id,
					linkId: step.id,
					prompt: question.prompt,
					explanation: question.explanation,
					ordered: kindOf(question).orderMatters,
					question,
					correct: 0,
					answeredBy: new Set(),
					responses: new Map()
				});
	}

	/**
	 * Adds someone who joined; joining twice changes nothing. Their answers may have been counted
	 * before (a server process can hear of an answer before it reads the join): those are kept.
	 */
	addParticipant(participant: DashboardParticipant): void {
		if (this.#nicknames.has(participant.id)) return;
		this.#nicknames.set(participant.id, participant.nickname);
		const joinedAt = participant.joinedAt ?? null;
		const score = this.#scores.get(participant.id);
		if (!score) this.#scores.set(participant.id, { ...noTotals(), lastActiveAt: joinedAt });
		else if (joinedAt && (score.lastActiveAt ?? '') < joinedAt) score.lastActiveAt = joinedAt;
	}

	/**
	 * Counts an answer. An answer to a question the pack does not have, or a second answer from
	 * the same person to the same question, is not counted; returns whether this one was.
	 */
	addAnswer(answer: DashboardAnswer): boolean {
		const tally = this.#questions.get(answer.questionId);
		if (!tally || tally.answeredBy.has(answer.participantId)) return false;
		tally.answeredBy.add(answer.participantId);
		if (answer.correct) tally.correct += 1;
		// Grouped by what was answered, not by how it prints: 1 and 1.0001 may print alike.
		const key = canonicalResponse(answer.response, tally.ordered);
		const entry = tally.responses.get(key);
		if (entry) entry.count += 1;
		else
			tally.responses.set(key, {
				label: describeResponse(tally.question, answer.response, this.#pack.article.sources),
				count: 1,
				correct: answer.correct
			});
		const score = this.#scores.get(answer.participantId) ?? { ...noTotals(), lastActiveAt: null };
		addToTotals(score, answer);
		if (answer.answeredAt && (score.lastActiveAt ?? '') < answer.answeredAt)
			score.lastActiveAt = answer.answeredAt;
		this.#scores.set(answer.participantId, score);
		return true;
	}

	/** Each question's and each link's figures as they stand, without the participants' rows. */
	figures(): Pick<Dashboard, 'questions' | 'links'> {
		const questions: QuestionFigures[] = [...this.#questions.values()].map((tally) => {
			const distribution = [...tally.responses.values()]
				.map((d) => ({ ...d }))
				.sort((x, y) => y.count - x.count || x.label.localeCompare(y.label));
			const wrong = distribution.find((d) => !d.correct);
			const answered = tally.answeredBy.size;
			// Nobody right: the right answer is listed all the same, with 0, last. It is what a class
			// that missed it must see on the wall once revealed.
			if (answered > 0 && !distribution.some((d) => d.correct))
				distribution.push({
					label: describeAnswer(tally.question, this.#pack.article.sources),
					count: 0,
					correct: true
				});
			return {
				questionId: tally.questionId,
				linkId: tally.linkId,
				prompt: tally.prompt,
				answered,
				correct: tally.correct,
				correctShare: share(tally.correct, answered),
				distribution,
				commonWrong: wrong
					? { label: wrong.label, count: wrong.count, explanation: tally.explanation }
					: null
			};
		});

		const links = linkFigures(
			this.#pack.steps.map((step) => ({ linkId: step.id, title: step.title })),
			questions
		);
		return { questions, links };
	}

	/** The dashboard as it stands, with `openQuestionId` as the question the class is on. */
	view(openQuestionId: string | null): Dashboard {
		const { questions, links } = this.figures();
		const people = [...this.#nicknames];
		const done = openQuestionId === null ? undefined : this.#questions.get(openQuestionId);
		const open =
			openQuestionId === null
				? null
				: {
						questionId: openQuestionId,
						answered: people.filter(([id]) => done?.answeredBy.has(id)).map(([, n]) => n),
						waiting: people.filter(([id]) => !done?.answeredBy.has(id)).map(([, n]) => n)
					};

		const tallies = [...this.#questions.values()];
		return {
			participants: people.map(([id, nickname]) => {
				const score = this.#scores.get(id);
				const next = tallies.find((t) => !t.answeredBy.has(id));
				return {
					id,
					nickname,
					answered: score?.answered ?? 0,
					correct: score?.correct ?? 0,
					points: score?.points ?? 0,
					on: next ? { questionId: next.questionId, linkId: next.linkId } : null,
					lastActiveAt: score?.lastActiveAt ?? null
				};
			}),
			questions,
			links,
			open
		};
	}
}

/** The dashboard of a session, from its pack, participants and answers. */
export function buildDashboard(
	pack: Pick<Pack, 'steps' | 'article'>,
	participants: readonly DashboardParticipant[],
	answers: readonly DashboardAnswer[],
	openQuestionId: string | null
): Dashboard {
	const tally = new DashboardTally(pack);
	for (const p of participants) tally.addParticipant(p);
	for (const a of answers) tally.addAnswer(a);
	return tally.view(openQuestionId);
}
