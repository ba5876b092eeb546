/**
 * xAPI 1.0.3 statements of a session, every one checked against the specification's rules for
 * statements (actor, verb, object, result, context, timestamp, version), their counts per answer
 * and participant, pass/fail at the PASS_SHARE boundary, and their ids: RFC 4122 version-5 UUIDs
 * (checked against Python's independent implementation), unique, and stable between builds.
 */
import { describe, expect, it } from 'vitest';
import { buildReport, type ReportAnswer, type ReportParticipant } from '$lib/classroom/report';
import type { Question } from '$lib/content/pack';
import { tinyPack } from '$lib/journey/fixture';
import { nameUuid, PASS_SHARE, responseString, eachStatement, type Statement } from './xapi';

const ORIGIN = 'https://causeway.example';
const CODE = 'ABC234';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** ISO 8601 date-time with seconds and a time zone (Z or ±hh:mm), as xAPI requires. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const INTERACTION_TYPES = [
	'true-false',
	'choice',
	'fill-in',
	'long-fill-in',
	'matching',
	'performance',
	'sequencing',
	'likert',
	'numeric',
	'other'
];
const VERB = {
	answered: 'http://adlnet.gov/expapi/verbs/answered',
	completed: 'http://adlnet.gov/expapi/verbs/completed',
	passed: 'http://adlnet.gov/expapi/verbs/passed',
	failed: 'http://adlnet.gov/expapi/verbs/failed'
};

const T = (hms: string) => `2025-03-04T${hms}Z`;

/** A session's participants and answers, with its id prefix so two sessions can differ. */
function fixture(prefix: string) {
	const participants: ReportParticipant[] = [
		{ id: `${prefix}-pia`, nickname: 'Pia', joinedAt: T('10:00:00.000') },
		{ id: `${prefix}-quin`, nickname: 'Zoë =1+1 🦊', joinedAt: T('10:00:05.000') },
		{ id: `${prefix}-rae`, nickname: 'Rae', joinedAt: T('10:00:10.000') }
	];
	let n = 0;
	const answer = (
		who: string,
		questionId: string,
		response: unknown,
		correct: boolean,
		points: number,
		at: string
	): ReportAnswer => ({
		answerId: `${prefix}0000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
		participantId: `${prefix}-${who}`,
		questionId,
		response,
		correct,
		credit: points / 10,
		points,
		maxPoints: 10,
		answeredAt: T(at)
	});
	/**
	 * Pia: 10 + 10 + 4 = 24 of 40 = exactly PASS_SHARE → passed.
	 * Zoë: 10 + 3 + 10 = 23 of 40 = 0.575 → failed. Rae answers nothing: 0 of 40 → failed.
	 */
	const answers = [
		answer('pia', 'q-choice', 'a', true, 10, '10:00:20.000'),
		answer('quin', 'q-choice', 'a', true, 10, '10:00:21.500'),
		answer('pia', 'q-order', ['x', 'y', 'z'], true, 10, '10:00:40.000'),
		answer('quin', 'q-order', ['x', 'z', 'y'], false, 3, '10:00:50.000'),
		answer('pia', 'q-multi', ['m'], false, 4, '10:01:00.000'),
		answer('quin', 'q-numeric', 1, true, 10, '10:01:10.000')
	];
	return { participants, answers };
}

function statementsOf(
	code: string,
	participants: readonly ReportParticipant[],
	answers: readonly ReportAnswer[],
	endedAt: string | null = T('10:05:00.000')
): Statement[] {
	return [
		...eachStatement({
			origin: ORIGIN,
			code,
			pack: tinyPack,
			participants,
			report: buildReport(tinyPack, participants, answers),
			endedAt
		})
	];
}

/** Whether `value` is an absolute IRI (a scheme, then something). */
function isAbsoluteIri(value: unknown): boolean {
	if (typeof value !== 'string' || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(value)) return false;
	try {
		return new URL(value).protocol.length > 1;
	} catch {
		return false;
	}
}

function isLanguageMap(value: unknown): boolean {
	return (
		value !== null &&
		typeof value === 'object' &&
		Object.keys(value).length > 0 &&
		Object.entries(value).every(
			([tag, text]) => /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag) && typeof text === 'string'
		)
	);
}

/** Every way `s` breaks the xAPI 1.0.3 rules this exporter must follow; empty when none. */
function problemsOf(s: Statement): string[] {
	const problems: string[] = [];
	const fail = (what: string) => problems.push(what);
	const allowed = ['id', 'actor', 'verb', 'object', 'result', 'context', 'timestamp', 'version'];
	for (const key of Object.keys(s)) if (!allowed.includes(key)) fail(`unexpected property ${key}`);

	if (!UUID_V5.test(s.id)) fail(`id ${s.id} is not a lower-case version-5 UUID`);

	// Actor: an Agent with exactly one inverse functional identifier, an account.
	const actor = s.actor as unknown as Record<string, unknown>;
	if (actor.objectType !== 'Agent') fail('actor.objectType is not Agent');
	const ifis = ['mbox', 'mbox_sha1sum', 'openid', 'account'].filter((k) => k in actor);
	if (ifis.length !== 1 || ifis[0] !== 'account') fail(`actor identifiers: ${ifis.join(', ')}`);
	for (const key of Object.keys(actor))
		if (!['objectType', 'name', 'account'].includes(key)) fail(`actor has ${key}`);
	const account = s.actor.account as unknown as Record<string, unknown>;
	if (Object.keys(account).sort().join() !== 'homePage,name') fail('account keys');
	if (!isAbsoluteIri(account.homePage)) fail(`account.homePage ${String(account.homePage)}`);
	if (typeof account.name !== 'string' || account.name === '') fail('account.name');
	if (typeof s.actor.name !== 'string') fail('actor.name');

	// Verb.
	if (!isAbsoluteIri(s.verb.id)) fail(`verb.id ${s.verb.id}`);
	if (!isLanguageMap(s.verb.display)) fail('verb.display');

	// Object.
	if (s.object.objectType !== 'Activity') fail('object.objectType');
	if (!isAbsoluteIri(s.object.id)) fail(`object.id ${s.object.id}`);
	if (!isLanguageMap(s.object.definition.name)) fail('object.definition.name');
	if (!isAbsoluteIri(s.object.definition.type)) fail('object.definition.type');
	const interaction = s.object.definition.interactionType;
	if (interaction !== undefined && !INTERACTION_TYPES.includes(interaction))
		fail(`interactionType ${interaction}`);

	// Result.
	if (s.result) {
		const { score, success, completion, response } = s.result;
		if (score) {
			if (!(score.scaled >= -1 && score.scaled <= 1)) fail(`score.scaled ${score.scaled}`);
			if (!(score.min <= score.raw && score.raw <= score.max))
				fail(`score.raw ${score.raw} outside ${score.min}..${score.max}`);
			if (!(score.min < score.max)) fail(`score.min ${score.min} not below max ${score.max}`);
		}
		if (success !== undefined && typeof success !== 'boolean') fail('result.success');
		if (completion !== undefined && typeof completion !== 'boolean') fail('result.completion');
		if (response !== undefined && typeof response !== 'string') fail('result.response');
	}

	// Context.
	if (!UUID.test(s.context.registration)) fail(`registration ${s.context.registration}`);
	for (const parent of s.context.contextActivities.parent)
		if (!isAbsoluteIri(parent.id)) fail(`parent ${parent.id}`);
	for (const key of Object.keys(s.context.extensions ?? {}))
		if (!isAbsoluteIri(key)) fail(`extension key ${key}`);

	// Timestamp and version.
	if (!ISO_8601.test(s.timestamp) || Number.isNaN(Date.parse(s.timestamp)))
		fail(`timestamp ${s.timestamp}`);
	if (s.version !== '1.0.3') fail(`version ${s.version}`);
	return problems;
}

const accountName = (nickname: string) => `${CODE}/${nickname}`;
const verbOf = (s: Statement) =>
	Object.entries(VERB).find(([, id]) => id === s.verb.id)?.[0] ?? s.verb.id;

describe('eachStatement', () => {
	const { participants, answers } = fixture('s1');
	const statements = statementsOf(CODE, participants, answers);

	it('follows the xAPI 1.0.3 rules in every statement', () => {
		expect(statements.length).toBeGreaterThan(0);
		for (const s of statements) expect(problemsOf(s), JSON.stringify(s, null, 1)).toEqual([]);
	});

	it('is plain JSON: nothing undefined, nothing lost in a round trip', () => {
		expect(JSON.parse(JSON.stringify(statements))).toStrictEqual(statements);
	});

	it('has one answered per answer, and one completed plus one passed-or-failed per participant', () => {
		// 6 answers + 3 participants × 2
		expect(statements).toHaveLength(12);
		expect(statements.map((s) => [verbOf(s), s.actor.account.name, s.object.id])).toEqual([
			['answered', accountName('Pia'), `${ORIGIN}/xapi/activities/tiny/questions/q-choice`],
			['answered', accountName('Zoë =1+1 🦊'), `${ORIGIN}/xapi/activities/tiny/questions/q-choice`],
			['answered', accountName('Pia'), `${ORIGIN}/xapi/activities/tiny/questions/q-order`],
			['answered', accountName('Zoë =1+1 🦊'), `${ORIGIN}/xapi/activities/tiny/questions/q-order`],
			['answered', accountName('Pia'), `${ORIGIN}/xapi/activities/tiny/questions/q-multi`],
			[
				'answered',
				accountName('Zoë =1+1 🦊'),
				`${ORIGIN}/xapi/activities/tiny/questions/q-numeric`
			],
			['completed', accountName('Pia'), `${ORIGIN}/xapi/activities/tiny`],
			['passed', accountName('Pia'), `${ORIGIN}/xapi/activities/tiny`],
			['completed', accountName('Zoë =1+1 🦊'), `${ORIGIN}/xapi/activities/tiny`],
			['failed', accountName('Zoë =1+1 🦊'), `${ORIGIN}/xapi/activities/tiny`],
			['completed', accountName('Rae'), `${ORIGIN}/xapi/activities/tiny`],
			['failed', accountName('Rae'), `${ORIGIN}/xapi/activities/tiny`]
		]);
	});

	it('names each participant by an account on the site, never by e-mail', () => {
		const pia = statements.find((s) => s.actor.name === 'Pia');
		expect(pia?.actor).toStrictEqual({
			objectType: 'Agent',
			name: 'Pia',
			account: { homePage: ORIGIN, name: 'ABC234/Pia' }
		});
		const names = new Set(statements.map((s) => s.actor.account.name));
		expect([...names]).toEqual(['ABC234/Pia', 'ABC234/Zoë =1+1 🦊', 'ABC234/Rae']);
	});

	it('states each answer exactly: success is correctness, score is the points, response a string', () => {
		const answered = statements.filter((s) => s.verb.id === VERB.answered);
		expect(
			answered.map((s) => [s.actor.name, s.result?.success, s.result?.response, s.result?.score])
		).toEqual([
			['Pia', true, 'a', { scaled: 1, raw: 10, min: 0, max: 10 }],
			['Zoë =1+1 🦊', true, 'a', { scaled: 1, raw: 10, min: 0, max: 10 }],
			['Pia', true, 'x[,]y[,]z', { scaled: 1, raw: 10, min: 0, max: 10 }],
			['Zoë =1+1 🦊', false, 'x[,]z[,]y', { scaled: 0.3, raw: 3, min: 0, max: 10 }],
			['Pia', false, 'm', { scaled: 0.4, raw: 4, min: 0, max: 10 }],
			['Zoë =1+1 🦊', true, '1', { scaled: 1, raw: 10, min: 0, max: 10 }]
		]);
		expect(answered.map((s) => s.object.definition.interactionType)).toEqual([
			'choice',
			'choice',
			'sequencing',
			'sequencing',
			'choice',
			'numeric'
		]);
		expect(answered.map((s) => s.object.definition.type)).toEqual(
			Array(6).fill('http://adlnet.gov/expapi/activities/cmi.interaction')
		);
		expect(answered[0]?.object.definition.name).toEqual({ 'en-US': 'What happened?' });
	});

	it('dates each answer at its instant and the endings at the end, in UTC', () => {
		expect(statements.filter((s) => s.verb.id === VERB.answered).map((s) => s.timestamp)).toEqual(
			answers.map((a) => a.answeredAt)
		);
		for (const s of statements.filter((x) => x.verb.id !== VERB.answered))
			expect(s.timestamp).toBe('2025-03-04T10:05:00.000Z');
		// An end given with an offset is the same instant, written in UTC.
		const shifted = statementsOf(CODE, participants, answers, '2025-03-04T12:05:00+02:00');
		expect(shifted.at(-1)?.timestamp).toBe('2025-03-04T10:05:00.000Z');
	});

	it('scores each participant over the scenario, passed iff points ÷ max ≥ PASS_SHARE', () => {
		expect(PASS_SHARE).toBe(0.6);
		const endings = statements.filter((s) => s.verb.id !== VERB.answered);
		expect(endings.map((s) => [s.actor.name, verbOf(s), s.result])).toEqual([
			['Pia', 'completed', { completion: true, score: { scaled: 0.6, raw: 24, min: 0, max: 40 } }],
			['Pia', 'passed', { success: true, score: { scaled: 0.6, raw: 24, min: 0, max: 40 } }],
			[
				'Zoë =1+1 🦊',
				'completed',
				{ completion: true, score: { scaled: 0.575, raw: 23, min: 0, max: 40 } }
			],
			[
				'Zoë =1+1 🦊',
				'failed',
				{ success: false, score: { scaled: 0.575, raw: 23, min: 0, max: 40 } }
			],
			['Rae', 'completed', { completion: true, score: { scaled: 0, raw: 0, min: 0, max: 40 } }],
			['Rae', 'failed', { success: false, score: { scaled: 0, raw: 0, min: 0, max: 40 } }]
		]);
		for (const s of endings) {
			const score = s.result!.score!;
			expect(score.scaled).toBe(score.raw / score.max);
			if (s.verb.id === VERB.passed || s.verb.id === VERB.failed)
				expect(s.result!.success).toBe(score.raw / score.max >= PASS_SHARE);
		}
		expect(endings[0]?.object).toEqual({
			objectType: 'Activity',
			id: `${ORIGIN}/xapi/activities/tiny`,
			definition: {
				name: { 'en-US': 'A tiny chain' },
				type: 'http://adlnet.gov/expapi/activities/assessment'
			}
		});
	});

	it('shares one registration (a UUID) across the session, with the scenario as parent', () => {
		const registrations = new Set(statements.map((s) => s.context.registration));
		expect(registrations.size).toBe(1);
		const [registration] = [...registrations];
		expect(registration).toMatch(UUID_V5);
		for (const s of statements) {
			expect(s.context.contextActivities).toEqual({
				parent: [{ objectType: 'Activity', id: `${ORIGIN}/xapi/activities/tiny` }]
			});
			expect(s.context.extensions).toEqual({ [`${ORIGIN}/xapi/extensions/session-code`]: CODE });
		}
	});

	it('gives every statement its own id', () => {
		expect(new Set(statements.map((s) => s.id)).size).toBe(statements.length);
	});

	it('gives the same statements, ids included, when built again from the same data', () => {
		const again = statementsOf(CODE, participants, answers);
		expect(again).toStrictEqual(statements);
		// The same data handed over in another order: the same set of statements.
		const shuffled = statementsOf(CODE, [...participants].reverse(), [...answers].reverse());
		const byId = (list: Statement[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
		expect(byId(shuffled)).toStrictEqual(byId(statements));
	});

	it('gives another session different ids and another registration', () => {
		const other = fixture('s2');
		const second = statementsOf('XYZ789', other.participants, other.answers);
		expect(second).toHaveLength(12);
		const firstIds = new Set(statements.map((s) => s.id));
		expect(second.filter((s) => firstIds.has(s.id))).toEqual([]);
		expect(second[0]?.context.registration).not.toBe(statements[0]?.context.registration);
	});

	it('gives a different answer (another answerId) a different id', () => {
		const changed = answers.map((a, i) => (i === 0 ? { ...a, answerId: `${a.answerId}x` } : a));
		const rebuilt = statementsOf(CODE, participants, changed);
		expect(rebuilt[0]?.id).not.toBe(statements[0]?.id);
		expect(rebuilt.slice(1, 6).map((s) => s.id)).toEqual(statements.slice(1, 6).map((s) => s.id));
	});

	it('has only answered statements while the session runs (endedAt null)', () => {
		const running = statementsOf(CODE, participants, answers, null);
		expect(running.map(verbOf)).toEqual(Array(6).fill('answered'));
		expect(running).toStrictEqual(statements.slice(0, 6));
	});

	/*
	 * An LRS that receives a statement id it already holds with other content answers 409
	 * Conflict (xAPI 1.0.3, "Statement ID"), and lrs.ts treats a 409 as final: an id must never
	 * name two contents, from the first export of a running session to the last of the ended one.
	 */
	it('never reuses a statement id for different content as a session gains answers and ends', () => {
		const builds = [
			statementsOf(CODE, participants, answers.slice(0, 2), null),
			statementsOf(CODE, participants, answers.slice(0, 4), null),
			statementsOf(CODE, participants, answers, null),
			statementsOf(CODE, participants, answers, T('10:05:00.000')),
			statementsOf(CODE, participants, answers, T('10:05:00.000'))
		];
		const seen = new Map<string, string>();
		const reused: string[] = [];
		for (const build of builds) {
			for (const s of build) {
				const content = JSON.stringify(s);
				if ((seen.get(s.id) ?? content) !== content) reused.push(`${verbOf(s)} ${s.actor.name}`);
				seen.set(s.id, content);
			}
		}
		expect(reused).toEqual([]);
		// 6 answered + 3 completed + 3 passed/failed, each id with one content.
		expect(seen.size).toBe(12);
	});
});

describe('eachStatement with no one', () => {
	it('gives no statements for an empty session', () => {
		expect(statementsOf(CODE, [], [])).toEqual([]);
	});

	it('gives a participant who answered nothing a completed and a failed with a valid score', () => {
		const statements = statementsOf(
			CODE,
			[{ id: 'only', nickname: 'Solo', joinedAt: T('10:00:00.000') }],
			[]
		);
		expect(statements.map(verbOf)).toEqual(['completed', 'failed']);
		for (const s of statements) expect(problemsOf(s)).toEqual([]);
	});
});

describe('nameUuid', () => {
	// Computed with Python's uuid.uuid5 (an independent implementation) in Causeway's namespace
	// 6f0b7c1e-53a4-4c39-9a0e-2d4b8f51c7a2:
	//   python3 -c "import uuid; print(uuid.uuid5(uuid.UUID('6f0b7c1e-…'), 'session:ABC234'))"
	it('matches RFC 4122 version-5 UUIDs computed independently', () => {
		expect(nameUuid('session:ABC234')).toBe('76dd1843-793a-5491-b0b6-35c588520be6');
		expect(nameUuid('answered:00000000-0000-4000-8000-000000000001')).toBe(
			'3e8b6b2a-f7e4-58e6-894e-0609e1eb88c1'
		);
		// The name is hashed as UTF-8.
		expect(nameUuid('Zoë 🦊')).toBe('3d1cef8a-dac7-56d7-9a21-8680bc8fcdc7');
		expect(nameUuid('')).toBe('5921eb7d-f487-5f81-9ce6-42f34c80ccd0');
	});

	it('sets the version nibble to 5 and the RFC 4122 variant bits', () => {
		for (const name of ['a', 'b', 'completed:ABC234:p1', '🦊'.repeat(50)]) {
			const id = nameUuid(name);
			expect(id).toMatch(UUID_V5);
			expect(id[14]).toBe('5');
			expect(['8', '9', 'a', 'b']).toContain(id[19]);
		}
	});

	it('is a function of the name alone', () => {
		expect(nameUuid('x')).toBe(nameUuid('x'));
		expect(nameUuid('x')).not.toBe(nameUuid('X'));
	});
});

describe('responseString', () => {
	const q = (type: Question['type']) => ({ type }) as Question;

	it('joins a matching as left[.]right pairs with [,]', () => {
		expect(responseString(q('match'), { payment: 'the-insider', territory: 'slate' })).toBe(
			'payment[.]the-insider[,]territory[.]slate'
		);
	});

	it('joins lists with [,], and writes single ids and numbers as they are', () => {
		expect(responseString(q('order'), ['x', 'y', 'z'])).toBe('x[,]y[,]z');
		expect(responseString(q('multi'), ['m'])).toBe('m');
		expect(responseString(q('choice'), 'a')).toBe('a');
		expect(responseString(q('numeric'), 924)).toBe('924');
		expect(responseString(q('numeric'), -3.5)).toBe('-3.5');
	});

	it('writes anything else as JSON, always a string', () => {
		const picks = { flood: { supports: ['p1'], against: [] } };
		expect(responseString(q('scenario'), picks)).toBe(JSON.stringify(picks));
		expect(responseString(q('choice'), null)).toBe('null');
		expect(typeof responseString(q('choice'), true)).toBe('string');
	});
});
