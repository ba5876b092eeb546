/**
 * What a session came to, for its host: every participant's answers and totals (`/results`), and
 * the report that the report page, the CSV files and the xAPI statements are all made from. Read
 * a page of answers at a time (`answerPages`), the event loop free in between.
 */
import {
	ReportBuilder,
	type ReportAnswer,
	type ReportParticipant,
	type SessionReport
} from '$lib/classroom/report';
import { askedQuestions, statusOf } from '$lib/classroom/session.machine';
import { maxPointsOver, totalsOf } from '$lib/classroom/totals';
import { database, yieldToOthers } from './db';
import { answerPages, loadSession, participantsOf, type LoadedSession } from './session-store';

/** Every participant with each answer and their totals (hosts only). */
export async function sessionResults(session: LoadedSession) {
	const participants = await participantsOf(session.row.code);
	const answersBy = new Map<string, ReportAnswer[]>(participants.map((p) => [p.id, []]));
	for await (const page of answerPages(session.row.code))
		for (const a of page) answersBy.get(a.participantId)?.push(a);
	// Over the questions asked, as the report and the participant's own screen count.
	const maxPoints = maxPointsOver(askedQuestions(session.snapshot).length);
	return {
		code: session.row.code,
		scenario: session.pack.id,
		status: statusOf(session.snapshot),
		maxPoints,
		participants: participants.map((p) => {
			const own = answersBy.get(p.id) ?? [];
			return {
				participantId: p.id,
				nickname: p.nickname,
				joinedAt: p.joinedAt,
				answers: own.map((a) => ({
					answerId: a.answerId,
					questionId: a.questionId,
					response: a.response,
					correct: a.correct,
					points: a.points,
					maxPoints: a.maxPoints,
					answeredAt: a.answeredAt
				})),
				totals: { ...totalsOf(own), maxPoints }
			};
		})
	};
}

type BuiltReport = {
	report: SessionReport;
	participants: ReportParticipant[];
	endedAt: string | null;
};

/** Reports being built, by session: a second request while one is built waits for the same one. */
const reportsInProgress = new Map<string, Promise<BuiltReport>>();

/**
 * The session's report: every answer with its link, skill and time, totals and mastery. Built a
 * page of answers at a time, the event loop free in between (`answerPages`); requests that come
 * while it is being built (a host downloading every export at once) share it, so that a class of
 * 2,000 costs one build, not one per download.
 */
export function reportOf(session: LoadedSession): Promise<BuiltReport> {
	const { code } = session.row;
	let building = reportsInProgress.get(code);
	if (!building) {
		building = buildReportOf(session).finally(() => reportsInProgress.delete(code));
		reportsInProgress.set(code, building);
	}
	return building;
}

async function buildReportOf(session: LoadedSession): Promise<BuiltReport> {
	const participants = await participantsOf(session.row.code);
	const builder = new ReportBuilder(session.pack, participants, askedQuestions(session.snapshot));
	for await (const page of answerPages(session.row.code)) builder.add(page);
	const finishing = builder.finishing();
	for (;;) {
		const step = finishing.next();
		if (step.done) return { report: step.value, participants, endedAt: session.row.ended_at };
		await yieldToOthers();
	}
}

/** Sessions set beside this one in its report. */
const COMPARED_KEPT = 5;

/**
 * Class A beside class B: each link's figures in the same teacher's latest other sessions of
 * this scenario.
 */
export async function comparedSessions(session: LoadedSession) {
	const { teacher_id: teacherId, code } = session.row;
	const siblings = teacherId
		? await database()
				.selectFrom('sessions')
				.select(['code', 'title', 'created_at'])
				.where('teacher_id', '=', teacherId)
				.where('scenario_id', '=', session.pack.id)
				.where('code', '!=', code)
				.orderBy('created_at', 'desc')
				.limit(COMPARED_KEPT)
				.execute()
		: [];
	return Promise.all(
		siblings.map(async (s) => ({
			code: s.code,
			title: s.title,
			links: (await reportOf(await loadSession(s.code))).report.links
		}))
	);
}
