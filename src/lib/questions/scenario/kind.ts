/**
 * Scenarios weighed against passages of the article: for each scenario, the passages that support
 * it and those that cut against it. Which scenario the learner finds likeliest is never graded.
 */
import * as v from 'valibot';
import { Id, Ids, Options, Text, uniqueIds } from '../fields.ts';
import { checkEach, namesNo, quotedIds, sameSet } from '../check.ts';
import {
	defineKind,
	graded,
	invalid,
	textOf,
	unknownIds,
	type Grade,
	type ContentRules
} from '../kind.ts';
import { refuseRecordShape } from '../record.ts';
import { quoted } from '../../content/text.ts';

/** The passages a learner picks for one scenario; a passage cannot be on both sides. */
const ScenarioPicks = v.pipe(
	v.strictObject({ supports: Ids(1), against: Ids(0) }),
	v.check(
		({ supports, against }) => !supports.some((id) => against.includes(id)),
		'must not list a passage as both supporting and cutting against a scenario'
	)
);
export type ScenarioPicks = v.InferOutput<typeof ScenarioPicks>;

/**
 * For every scenario of the question, the passages picked as supporting it and as cutting
 * against it. At least one supporting passage each: a scenario left blank is not an answer.
 */
const Picks = v.pipe(
	v.record(Id, ScenarioPicks, 'must map each scenario id to its supporting and opposing passages'),
	v.check((picks) => Object.keys(picks).length > 0, 'must weigh at least one scenario')
);

/** What grading a scenario question reads of it. */
interface Weighed {
	id: string;
	scenarios: ReadonlyArray<{ id: string; supports: string[]; against: string[] }>;
	passages: ReadonlyArray<{ id: string; text: string }>;
}

const Scenario = v.strictObject({
	id: Id,
	title: Text,
	description: Text,
	/** Ids of the question's passages that support this scenario. */
	supports: Ids(1),
	/** Ids of the question's passages that cut against it; may be none. */
	against: v.optional(Ids(0), [])
});

export const scenario = defineKind({
	type: 'scenario',
	fields: {
		scenarios: v.pipe(
			v.array(Scenario),
			v.minLength(2, 'needs at least 2 scenarios'),
			uniqueIds((s: v.InferOutput<typeof Scenario>) => s.id, 'scenario ids')
		),
		/** Passages of the article, verbatim, that the learner weighs. */
		passages: Options(2)
	},
	response: Picks,
	refuse: (question, response) =>
		refuseRecordShape(question, response, Picks, (key) => `There is no scenario "${key}".`),
	/** Every scenario weighed, none the question lacks; the credit is the mean of each scenario's. */
	grade: (question, response) => {
		const stray = unknownIds(
			Object.keys(response),
			question.scenarios.map((s) => s.id)
		);
		if (stray.length > 0) return invalid(`There is no scenario "${stray[0]}".`);
		const open = question.scenarios.filter((s) => !response[s.id]);
		if (open.length > 0) return invalid(`Weigh every scenario first (${open.length} left).`);
		let total = 0;
		for (const { id } of question.scenarios) {
			const grade = gradeScenarioPicks(question, id, response[id]);
			if (!grade.valid) return grade;
			total += grade.credit;
		}
		return graded(total / question.scenarios.length);
	},
	describe: (question, response) =>
		question.scenarios
			.map((s) => `${s.title}: ${describePicks(question, response[s.id])}`)
			.join(' · '),
	// The rule the answer is checked against, said before it is sent, not after.
	instruction: () =>
		'Mark each passage for each scenario. Every scenario needs at least one passage that supports it.',
	/** No scenario's supporting or opposing passages: they are the answer. */
	present: (question) => ({
		...question,
		scenarios: question.scenarios.map(({ id, title, description }) => ({ id, title, description }))
	}),
	xapi: { interaction: 'other' }
});

export type ScenarioQuestion = v.InferOutput<typeof scenario.schema>;

/** Whether a question is a scenario question (the self-study player lets a learner explore those). */
export function isScenario(question: { type: string } | undefined): question is ScenarioQuestion {
	return question?.type === scenario.type;
}

/**
 * Grades the passages picked for one scenario of a scenario question: each passage put on the
 * side the question puts it (supporting, or cutting against) counts, each passage put on a side
 * it does not belong to takes one back. The self-study player checks scenarios one at a time
 * with this; the grader averages it over every scenario.
 */
export function gradeScenarioPicks(question: Weighed, scenarioId: string, picks: unknown): Grade {
	const found = question.scenarios.find((s) => s.id === scenarioId);
	if (!found) return invalid(`There is no scenario "${scenarioId}".`);
	const parsed = v.safeParse(Picks, { [scenarioId]: picks });
	if (!parsed.success) {
		return invalid(`Response to ${question.id} (scenario) ${parsed.issues[0].message}.`);
	}
	const { supports, against } = parsed.output[scenarioId] as ScenarioPicks;
	const missing = unknownIds(
		[...supports, ...against],
		question.passages.map((p) => p.id)
	);
	if (missing.length > 0) return invalid(`There is no passage "${missing[0]}".`);
	const right =
		supports.filter((id) => found.supports.includes(id)).length +
		against.filter((id) => found.against.includes(id)).length;
	const stray = supports.length + against.length - right;
	const possible = found.supports.length + found.against.length;
	return graded(Math.max(0, (right - stray) / possible));
}

/** One scenario's picks in words: what supports it, what cuts against it. */
export function describePicks(
	question: Pick<Weighed, 'passages'>,
	picks: ScenarioPicks | undefined
): string {
	const quote = (ids: readonly string[]) =>
		ids.map((id) => quoted(textOf(question.passages, id))).join(' ');
	if (!picks) return 'not weighed';
	const against = picks.against.length > 0 ? quote(picks.against) : 'nothing';
	return `for ${quote(picks.supports)}, against ${against}`;
}

export const scenarioContent: ContentRules<typeof scenario> = {
	checkAnswer: (question, check) => {
		const passageIds = question.passages.map((p) => p.id);
		const scenarioIds = question.scenarios.map((s) => s.id);
		const what = 'passage of this question';
		question.scenarios.forEach((s, i) => {
			checkEach(check, `scenarios[${i}].supports`, s.supports, passageIds, what);
			checkEach(check, `scenarios[${i}].against`, s.against, passageIds, what);
			const both = s.supports.filter((id) => s.against.includes(id));
			if (both.length > 0)
				check.add(
					`scenarios[${i}].against`,
					`lists ${quotedIds(both)} as both supporting and cutting against the scenario`
				);
		});
		for (const [key, picks] of Object.entries(question.answer)) {
			checkEach(check, `answer.${key}.supports`, picks.supports, passageIds, what);
			checkEach(check, `answer.${key}.against`, picks.against, passageIds, what);
			const s = question.scenarios.find((s) => s.id === key);
			if (!s) check.add(`answer.${key}`, namesNo('scenario of this question', key, scenarioIds));
			else if (!sameSet(picks.supports, s.supports) || !sameSet(picks.against, s.against))
				check.add(
					`answer.${key}`,
					`must be exactly the passages that scenario ${JSON.stringify(key)} lists as supporting (${quotedIds(s.supports)}) and cutting against (${quotedIds(s.against)}), so that the answer grades fully correct`
				);
		}
		const unweighed = scenarioIds.filter((id) => !question.answer[id]);
		if (unweighed.length > 0)
			check.add('answer', `must weigh every scenario; it leaves out ${quotedIds(unweighed)}`);
	},
	quotedLists: ['passages']
};
