/**
 * xAPI 1.0.3 statements for a session, for a school's learning record store: an `answered`
 * statement per answer, and per participant a `completed` and a `passed` or `failed`. The actor
 * is an account (the site as homePage, a name made from the session code and nickname), never an
 * e-mail. The `completed` and `passed`/`failed` statements come once the session has ended. Statement ids are name-based UUIDs of what they state, so exporting a session twice
 * gives the same ids and an LRS never stores a statement twice.
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import type { Pack, Question } from '$lib/content/pack';
import type { ReportParticipant, SessionReport } from '$lib/classroom/report';
import { kindOf } from '$lib/questions/registry';

/** Share of the points a participant needs for `passed`. */
export const PASS_SHARE = 0.6;

const VERBS = {
	answered: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered' } },
	completed: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
	passed: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-US': 'passed' } },
	failed: { id: 'http://adlnet.gov/expapi/verbs/failed', display: { 'en-US': 'failed' } }
} as const;

/** A fixed namespace for Causeway's name-based UUIDs (itself a random v4 UUID). */
const NAMESPACE = '6f0b7c1e-53a4-4c39-9a0e-2d4b8f51c7a2';

const NAMESPACE_BYTES = Buffer.from(NAMESPACE.replace(/-/g, ''), 'hex');

/** An RFC 4122 version-5 UUID (SHA-1, name-based) of `name` in Causeway's namespace. */
export function nameUuid(name: string): string {
	const hash = createHash('sha1').update(NAMESPACE_BYTES).update(name, 'utf8').digest();
	hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
	hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
	const hex = hash.subarray(0, 16).toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

type LanguageMap = Record<string, string>;

export interface Statement {
	id: string;
	actor: { objectType: 'Agent'; name: string; account: { homePage: string; name: string } };
	verb: { id: string; display: LanguageMap };
	object: {
		objectType: 'Activity';
		id: string;
		definition: {
			name: LanguageMap;
			description?: LanguageMap;
			type: string;
			interactionType?: string;
		};
	};
	result?: {
		success?: boolean;
		completion?: boolean;
		response?: string;
		score?: { scaled: number; raw: number; min: number; max: number };
	};
	context: {
		registration: string;
		contextActivities: { parent: Array<{ objectType: 'Activity'; id: string }> };
		extensions?: Record<string, unknown>;
	};
	timestamp: string;
	version: '1.0.3';
}

/**
 * A response in xAPI's string form: as its question type writes it (a matching's `left[.]right`
 * pairs), else ids joined by `[,]`, a number or id as it is, anything else as JSON.
 */
export function responseString(question: Question, response: unknown): string {
	const kind = kindOf(question);
	if (kind.xapi.response && v.is(kind.response, response)) return kind.xapi.response(response);
	if (Array.isArray(response)) return response.map(String).join('[,]');
	if (typeof response === 'string' || typeof response === 'number') return String(response);
	return JSON.stringify(response);
}

export interface StatementsInput {
	/** The site's public origin: the account homePage and the root of activity ids. */
	origin: string;
	code: string;
	pack: Pick<Pack, 'id' | 'title' | 'steps'>;
	participants: readonly ReportParticipant[];
	report: SessionReport;
	/**
	 * When the session ended, or null while it runs: only an ended session has `completed` and
	 * `passed`/`failed` statements, since their scores must never change under the same id.
	 */
	endedAt: string | null;
}

/**
 * Every statement of a session, in a stable order, one at a time: thousands can be written or
 * sent as they are made, never all held at once.
 */
export function* eachStatement({
	origin,
	code,
	pack,
	participants,
	report,
	endedAt
}: StatementsInput): Generator<Statement> {
	const scenarioId = `${origin}/xapi/activities/${encodeURIComponent(pack.id)}`;
	const registration = nameUuid(`session:${code}`);
	const questions = new Map(pack.steps.flatMap((s) => s.questions).map((q) => [q.id, q]));
	const context = {
		registration,
		contextActivities: { parent: [{ objectType: 'Activity' as const, id: scenarioId }] },
		extensions: { [`${origin}/xapi/extensions/session-code`]: code }
	};
	const actorOf = (nickname: string) => ({
		objectType: 'Agent' as const,
		name: nickname,
		account: { homePage: origin, name: `${code}/${nickname}` }
	});
	const joined = new Map(participants.map((p) => [p.id, p.nickname]));

	for (const row of report.rows) {
		const question = questions.get(row.questionId);
		const nickname = joined.get(row.participantId);
		if (!question || nickname === undefined) continue;
		yield {
			id: nameUuid(`answered:${row.answerId}`),
			actor: actorOf(nickname),
			verb: VERBS.answered,
			object: {
				objectType: 'Activity',
				id: `${scenarioId}/questions/${encodeURIComponent(question.id)}`,
				definition: {
					name: { 'en-US': question.prompt },
					type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
					interactionType: kindOf(question).xapi.interaction
				}
			},
			result: {
				success: row.correct,
				response: responseString(question, row.response),
				score: {
					scaled: row.maxPoints ? row.points / row.maxPoints : 0,
					raw: row.points,
					min: 0,
					max: row.maxPoints
				}
			},
			context,
			timestamp: new Date(row.answeredAt).toISOString(),
			version: '1.0.3'
		};
	}

	if (endedAt === null) return;
	for (const p of report.participants) {
		const scaled = p.maxPoints ? p.points / p.maxPoints : 0;
		const score = { scaled, raw: p.points, min: 0, max: p.maxPoints };
		const object: Statement['object'] = {
			objectType: 'Activity',
			id: scenarioId,
			definition: {
				name: { 'en-US': pack.title },
				type: 'http://adlnet.gov/expapi/activities/assessment'
			}
		};
		const timestamp = new Date(endedAt).toISOString();
		const passed = scaled >= PASS_SHARE;
		yield {
			id: nameUuid(`completed:${code}:${p.id}`),
			actor: actorOf(p.nickname),
			verb: VERBS.completed,
			object,
			result: { completion: true, score },
			context,
			timestamp,
			version: '1.0.3'
		};
		yield {
			id: nameUuid(`${passed ? 'passed' : 'failed'}:${code}:${p.id}`),
			actor: actorOf(p.nickname),
			verb: passed ? VERBS.passed : VERBS.failed,
			object,
			result: { success: passed, score },
			context,
			timestamp,
			version: '1.0.3'
		};
	}
}
