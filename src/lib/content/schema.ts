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

const DatedEvent = v.strictObject({ date: Text, text: Text });

export const StepSchema = v.strictObject({
	id: Id,
	title: Text,
	claim: v.picklist(CLAIMS, `must be one of ${CLAIMS.join(', ')}`),
	summary: Text,
	/** The passage the learner reads before the link's questions, verbatim from the article. */
	keyPassage: Text,
	/** One sentence: how this link causes the next. */
	leadsTo: Text,
	events: v.optional(v.array(DatedEvent), []),
	questions: v.pipe(v.array(QuestionSchema), v.minLength(3, 'needs at least 3 questions'))
});
export type Step = v.InferOutput<typeof StepSchema>;

export const ScenarioFileSchema = v.strictObject({
	id: Id,
	title: Text,
	summary: Text,
	/** File name of the article, beside scenario.yaml. */
	article: Text,
	/** The causal chain: link ids in the order the learner walks them. Steps must follow it exactly. */
	chain: Ids(1),
	steps: v.array(StepSchema)
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
