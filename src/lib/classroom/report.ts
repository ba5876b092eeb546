/**
 * A finished (or running) session's results, shaped for reports and exports: every answer with
 * its question's link and skill, each participant's totals and mastery per link and per skill,
 * and each question's figures including the time participants took. Pure: the server feeds it
 * rows, the tests feed it fixtures.
 */
import type { Pack, Question } from '$lib/content/pack';
import type { Skill } from '$lib/content/schema';
import { describeResponse } from '$lib/journey/describe';
import { MAX_POINTS } from '$lib/grading/score';
import { DashboardTally } from './dashboard';
import { maxPointsOver, totalsOf } from './totals';

export interface ReportParticipant {
	id: string;
	nickname: string;
	joinedAt: string;
}

export interface ReportAnswer {
	answerId: string;
	participantId: string;
	questionId: string;
	response: unknown;
	correct: boolean;
	credit: number;
	points: number;
	maxPoints: number;
	answeredAt: string;
}

/** One answer, with what a spreadsheet or an LRS needs to read it alone. */
export interface ReportRow extends ReportAnswer {
	nickname: string;
	linkId: string;
	skill: Skill;
	/** The response in words. */
	responseText: string;
	/** Seconds since this participant's previous answer (or since they joined). */
	seconds: number;
}

interface Share {
	points: number;
	maxPoints: number;
	correct: number;
	questions: number;
}

export interface ParticipantReport {
	id: string;
	nickname: string;
	answered: number;
	correct: number;
	points: number;
	/**
	 * Points possible over the questions the class was asked: a session ended early is not scored
	 * on what it never asked (the participant's own screen counts the same way).
	 */
	maxPoints: number;
	/** Over the questions asked; a link or skill with none asked has no entry ("not asked"). */
	byLink: Record<string, Share>;
	bySkill: Partial<Record<Skill, Share>>;
}

export interface QuestionReport {
	questionId: string;
	linkId: string;
	skill: Skill;
	prompt: string;
	/** Whether the class was asked it: a question not asked is "not asked", never 0 %. */
	asked: boolean;
	answered: number;
	correctShare: number | null;
	commonWrong: { label: string; count: number } | null;
	/** Median seconds participants took over the question; null before any answer. */
	medianSeconds: number | null;
}

export interface SessionReport {
	rows: ReportRow[];
	participants: ParticipantReport[];
	questions: QuestionReport[];
	links: Array<{
		linkId: string;
		title: string;
		/** Whether any of the link's questions was asked. */
		asked: boolean;
		correctShare: number | null;
		answered: number;
	}>;
}

function median(values: number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2
		? (sorted[mid] ?? null)
		: ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * Builds a session's report from its pack (narrowed to the session's questions), participants
 * and answers. `asked` lists the questions the class was asked (all of them when left out).
 */
export function buildReport(
	pack: Pick<Pack, 'steps' | 'article'>,
	participants: readonly ReportParticipant[],
	answers: readonly ReportAnswer[],
	asked?: readonly string[]
): SessionReport {
	const builder = new ReportBuilder(pack, participants, asked);
	builder.add(
		[...answers].sort(
			(a, b) => a.answeredAt.localeCompare(b.answeredAt) || a.answerId.localeCompare(b.answerId)
		)
	);
	return builder.finish();
}

/** Participants summed up between two yields of `ReportBuilder.finishing`: a few ms of work. */
const PARTICIPANTS_PER_SLICE = 100;

/**
 * A report built a batch of answers at a time, so that a server can build the report of a class
 * of thousands in slices and answer other requests in between. Every step is linear in the
 * answers: nothing is looked up by scanning them all again.
 */
export class ReportBuilder {
	readonly #pack: Pick<Pack, 'steps' | 'article'>;
	readonly #participants: readonly ReportParticipant[];
	readonly #questions: Array<{ question: Question; linkId: string }>;
	readonly #byId: Map<string, { question: Question; linkId: string }>;
	readonly #nicknames: Map<string, ReportParticipant>;
	readonly #rows: ReportRow[] = [];
	/** Each participant's rows, in the order they answered. */
	readonly #rowsOf = new Map<string, ReportRow[]>();
	/** When each participant last answered (or joined), in milliseconds. */
	readonly #lastTime = new Map<string, number>();
	readonly #tally: DashboardTally;
	readonly #asked: ReadonlySet<string> | null;
	/** Points possible for each participant: over the questions asked. */
	readonly #maxPoints: number;

	/** `asked`: the questions the class was asked (all of the pack's when left out). */
	constructor(
		pack: Pick<Pack, 'steps' | 'article'>,
		participants: readonly ReportParticipant[],
		asked?: readonly string[]
	) {
		this.#pack = pack;
		this.#asked = asked ? new Set(asked) : null;
		this.#participants = participants;
		this.#questions = pack.steps.flatMap((step) =>
			step.questions.map((q) => ({ question: q, linkId: step.id }))
		);
		this.#byId = new Map(this.#questions.map((entry) => [entry.question.id, entry]));
		this.#maxPoints = maxPointsOver(
			this.#questions.filter((q) => this.#wasAsked(q.question.id)).length
		);
		this.#nicknames = new Map(participants.map((p) => [p.id, p]));
		this.#tally = new DashboardTally(pack);
		for (const p of participants)
			this.#tally.addParticipant({ id: p.id, nickname: p.nickname, joinedAt: p.joinedAt });
	}

	#wasAsked(questionId: string): boolean {
		return !this.#asked || this.#asked.has(questionId);
	}

	/** Adds answers, which must come in the order they were given (answeredAt, then answerId). */
	add(answers: readonly ReportAnswer[]): void {
		for (const answer of answers) {
			this.#tally.addAnswer(answer);
			const entry = this.#byId.get(answer.questionId);
			const participant = this.#nicknames.get(answer.participantId);
			if (!entry || !participant) continue;
			// Time on a question: from the participant's previous answer (or joining) to this answer.
			const since = this.#lastTime.get(answer.participantId) ?? Date.parse(participant.joinedAt);
			const at = Date.parse(answer.answeredAt);
			this.#lastTime.set(answer.participantId, at);
			const row: ReportRow = {
				...answer,
				nickname: participant.nickname,
				linkId: entry.linkId,
				skill: entry.question.skill,
				responseText: describeResponse(entry.question, answer.response, this.#pack.article.sources),
				seconds: Math.max(0, Math.round((at - since) / 1000))
			};
			this.#rows.push(row);
			let own = this.#rowsOf.get(answer.participantId);
			if (!own) this.#rowsOf.set(answer.participantId, (own = []));
			own.push(row);
		}
	}

	/** The report of every answer added so far. */
	finish(): SessionReport {
		const steps = this.finishing();
		for (;;) {
			const step = steps.next();
			if (step.done) return step.value;
		}
	}

	/**
	 * `finish` a slice at a time: yields between slices of participants and between questions, so
	 * that a server can let other requests in while a class of thousands is summed up.
	 */
	*finishing(): Generator<void, SessionReport> {
		const rows = this.#rows;
		const participantReports: ParticipantReport[] = [];
		for (const [i, p] of this.#participants.entries()) {
			if (i > 0 && i % PARTICIPANTS_PER_SLICE === 0) yield;
			participantReports.push(this.#participantReport(p));
		}

		const secondsByQuestion = new Map<string, number[]>();
		for (const r of rows) {
			let seconds = secondsByQuestion.get(r.questionId);
			if (!seconds) secondsByQuestion.set(r.questionId, (seconds = []));
			seconds.push(r.seconds);
		}
		yield;
		const dashboard = this.#tally.figures();
		const questions: QuestionReport[] = [];
		for (const q of dashboard.questions) {
			yield;
			questions.push({
				questionId: q.questionId,
				linkId: q.linkId,
				skill: this.#entry(q.questionId).question.skill,
				prompt: q.prompt,
				asked: this.#wasAsked(q.questionId),
				answered: q.answered,
				correctShare: q.correctShare,
				commonWrong: q.commonWrong
					? { label: q.commonWrong.label, count: q.commonWrong.count }
					: null,
				medianSeconds: median(secondsByQuestion.get(q.questionId) ?? [])
			});
		}
		return {
			rows,
			participants: participantReports,
			questions,
			links: dashboard.links.map((l) => ({
				linkId: l.linkId,
				title: l.title,
				asked: this.#questions.some((q) => q.linkId === l.linkId && this.#wasAsked(q.question.id)),
				correctShare: l.correctShare,
				answered: l.answered
			}))
		};
	}

	/** A question of the report's pack with its link; the tally's figures name no other. */
	#entry(questionId: string): { question: Question; linkId: string } {
		const entry = this.#byId.get(questionId);
		if (!entry) throw new Error(`The question ${questionId} is not in this report's pack.`);
		return entry;
	}

	/** One participant's totals and shares: linear in their answers and the questions. */
	#participantReport(p: ReportParticipant): ParticipantReport {
		const own = this.#rowsOf.get(p.id) ?? [];
		// Each question's first answer, as it counts in the shares.
		const firstAnswer = new Map<string, ReportRow>();
		for (const r of own) if (!firstAnswer.has(r.questionId)) firstAnswer.set(r.questionId, r);
		const byLink: Record<string, Share> = {};
		const bySkill: Partial<Record<Skill, Share>> = {};
		for (const { question, linkId } of this.#questions) {
			if (!this.#wasAsked(question.id)) continue;
			const row = firstAnswer.get(question.id);
			for (const share of [(byLink[linkId] ??= empty()), (bySkill[question.skill] ??= empty())]) {
				share.questions += 1;
				share.maxPoints += MAX_POINTS;
				share.points += row?.points ?? 0;
				share.correct += row?.correct ? 1 : 0;
			}
		}
		return {
			id: p.id,
			nickname: p.nickname,
			...totalsOf(own),
			maxPoints: this.#maxPoints,
			byLink,
			bySkill
		};
	}
}

function empty(): Share {
	return { points: 0, maxPoints: 0, correct: 0, questions: 0 };
}
