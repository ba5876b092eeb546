/**
 * The one definition of Causeway content. The loader validates packs with it and the machine and
 * the grader read its inferred types. Each question type's schema lives in its folder under
 * src/lib/questions/ and is listed in the registry there; this file joins them into packs.
 * Imports stay relative: tsx runs the content check outside Vite and knows no `$lib`.
 */
import * as v from 'valibot';
import { Id, Ids, SKILLS, Text, uniqueIds, type Skill } from '../questions/fields.ts';
import { QUESTION_TYPES, questionSchemas } from '../questions/registry.ts';

export { SKILLS, type Skill };

/** How each skill is named to learners and teachers. */
export const SKILL_NAMES: Record<Skill, string> = {
	recall: 'Remembering what the article says',
	'cause-effect': 'Cause and effect',
	sequence: 'Order of events',
	numbers: 'Numbers and figures',
	sources: 'Who reported what',
	'critical-reading': 'Critical reading',
	scenario: 'Weighing scenarios'
};

/** How firmly the article establishes a causal link. */
export const CLAIMS = ['stated', 'inferred', 'hypothetical'] as const;
export type Claim = (typeof CLAIMS)[number];

/**
 * A question of any type: the schemas of the types listed in the question-type registry
 * (src/lib/questions/registry.ts), told apart by `type`.
 */
export const QuestionSchema = v.variant(
	'type',
	questionSchemas,
	`must have a type: one of ${QUESTION_TYPES.join(', ')}`
);
export type { Question, QuestionOf, QuestionType, ResponseOf } from '../questions/registry.ts';
export type { ScenarioPicks } from '../questions/scenario/kind.ts';

const DatedEvent = v.strictObject({
	/** The date in the article's own words ("last July"). */
	date: Text,
	/**
	 * The same date as a sortable year or year-month, so that the timeline follows time rather
	 * than the order of telling. Where the article leaves the year implicit, `text` says so.
	 */
	when: v.pipe(
		v.string('must be a string'),
		v.regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, 'must be a year or a year-month such as 2024-09')
	),
	text: Text
});

/** One causal relation: this link causes `link`, as `because` (a sentence of the article) shows. */
const Cause = v.strictObject({
	/** The id of the link this one causes; may come earlier in the telling than this one. */
	link: Id,
	/** The article's words that make the relation causal, verbatim. */
	because: Text,
	/**
	 * How firmly the article makes this relation causal, which can differ from how firmly it
	 * states the link itself: a stated fact can be an inferred cause.
	 */
	claim: v.optional(v.picklist(CLAIMS, `must be one of ${CLAIMS.join(', ')}`), 'stated')
});
export type Cause = v.InferOutput<typeof Cause>;

export const StepSchema = v.strictObject({
	id: Id,
	title: Text,
	claim: v.picklist(CLAIMS, `must be one of ${CLAIMS.join(', ')}`),
	summary: Text,
	/** The passage the learner reads before the link's questions, verbatim from the article. */
	keyPassage: Text,
	/**
	 * One sentence from this link to the next one in the telling: how it causes the next, or that
	 * the next explains it. The causal arrows themselves are `causes`.
	 */
	leadsTo: Text,
	/** The links this one causes, in time and not in the order of telling; may be none. */
	causes: v.optional(v.array(Cause), []),
	events: v.optional(v.array(DatedEvent), []),
	questions: v.pipe(v.array(QuestionSchema), v.minLength(3, 'needs at least 3 questions'))
});
export type Step = v.InferOutput<typeof StepSchema>;

const GlossaryEntry = v.strictObject({
	/** The word as it usually appears; matched whole-word, ignoring letter case. */
	term: Text,
	/** Other forms of the same word that get the same definition ("jihadists", "Sahelian"). */
	also: v.optional(v.array(Text, 'must be a list of words'), []),
	definition: v.pipe(Text, v.maxLength(200, 'must be short: at most 200 characters'))
});
export type GlossaryEntry = v.InferOutput<typeof GlossaryEntry>;

export const ScenarioFileSchema = v.strictObject({
	id: Id,
	title: Text,
	summary: Text,
	/** File name of the article, beside scenario.yaml. */
	article: Text,
	/** The causal chain: link ids in the order the learner walks them. Steps must follow it exactly. */
	chain: Ids(1),
	steps: v.array(StepSchema),
	/** Words a 14-year-old may not know, defined wherever the pack's text shows them. */
	glossary: v.optional(
		v.pipe(
			v.array(GlossaryEntry),
			uniqueIds((g: GlossaryEntry) => g.term.toLowerCase(), 'glossary terms')
		),
		[]
	)
});
export type ScenarioFile = v.InferOutput<typeof ScenarioFileSchema>;

const Source = v.strictObject({ id: Id, name: Text, description: Text });
export type Source = v.InferOutput<typeof Source>;

export const ArticleFrontmatterSchema = v.strictObject({
	title: Text,
	language: v.pipe(
		v.string(),
		v.regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a language tag such as en')
	),
	/** Outlets and organisations the article cites; `source` questions name them by id. */
	sources: v.pipe(
		v.array(Source),
		v.minLength(1),
		uniqueIds((s: Source) => s.id, 'source ids')
	),
	/** sha256 of the article body, so that an edited text flags the questions that quote it. */
	sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be a sha256 in lowercase hex'))
});
export type ArticleFrontmatter = v.InferOutput<typeof ArticleFrontmatterSchema>;
