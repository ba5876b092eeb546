/**
 * The host's downloads: answers and totals as CSV, statements as xAPI. Built from the report so
 * that every export says the same thing the report page shows.
 */
import { toCsv } from '$lib/classroom/csv';
import { SKILLS } from '$lib/content/schema';
import type { LoadedSession } from './classroom';
import { reportOf } from './classroom';
import { sessionStatements, type Statement } from './xapi';

/** One row per answer. */
export async function answersCsv(session: LoadedSession): Promise<string> {
	const { report } = await reportOf(session);
	return toCsv(
		[
			'session',
			'participant',
			'question',
			'link',
			'skill',
			'response',
			'correct',
			'points',
			'max_points',
			'answered_at',
			'seconds'
		],
		report.rows.map((r) => [
			session.row.code,
			r.nickname,
			r.questionId,
			r.linkId,
			r.skill,
			r.responseText,
			r.correct,
			r.points,
			r.maxPoints,
			r.answeredAt,
			r.seconds
		])
	);
}

/** What a totals cell says for a link or skill the session did not ask: never a 0. */
export const NOT_ASKED = 'not asked';

/** One row per participant: totals, then points per link and per skill ("not asked" when none was). */
export async function totalsCsv(session: LoadedSession): Promise<string> {
	const { report } = await reportOf(session);
	const links = session.pack.steps.map((s) => s.id);
	return toCsv(
		[
			'session',
			'participant',
			'answered',
			'correct',
			'points',
			'max_points',
			...links.map((id) => `link:${id}`),
			...SKILLS.map((skill) => `skill:${skill}`)
		],
		report.participants.map((p) => [
			session.row.code,
			p.nickname,
			p.answered,
			p.correct,
			p.points,
			p.maxPoints,
			...links.map((id) => p.byLink[id]?.points ?? NOT_ASKED),
			...SKILLS.map((skill) => p.bySkill[skill]?.points ?? NOT_ASKED)
		])
	);
}

/** The session's xAPI statements. */
export async function statementsOf(session: LoadedSession, origin: string): Promise<Statement[]> {
	const { report, participants, endedAt } = await reportOf(session);
	return sessionStatements({
		origin,
		code: session.row.code,
		pack: session.pack,
		participants,
		report,
		endedAt
	});
}

/** A download response with a file name. */
export function download(body: string, type: string, filename: string): Response {
	return new Response(body, {
		headers: {
			'content-type': type,
			'content-disposition': `attachment; filename="${filename}"`,
			'cache-control': 'no-store'
		}
	});
}
