/**
 * Every question type, listed once. The content schema, the grader, the words for a response,
 * the content check, what a participant is shown, the dashboard, xAPI and the two forms all
 * dispatch through this table, so a type is added here and in its own folder and nowhere else
 * (see docs/CONTENT.md). The `satisfies` clause makes the compiler reject a table that misses a
 * type of QUESTION_TYPES, or files a kind under another type's name.
 */
import type * as v from 'valibot';
import { choice, choiceContent } from './choice/kind.ts';
import { evidence, evidenceContent } from './evidence/kind.ts';
import type { ContentRules, QuestionKind } from './kind.ts';
import { match, matchContent } from './match/kind.ts';
import { multi, multiContent } from './multi/kind.ts';
import { numeric, numericContent } from './numeric/kind.ts';
import { order, orderContent } from './order/kind.ts';
import { scenario, scenarioContent } from './scenario/kind.ts';
import { source, sourceContent } from './source/kind.ts';
import { truefalse, truefalseContent } from './truefalse/kind.ts';

/** The question types, in the order content authors are told about them. */
export const QUESTION_TYPES = [
	'choice',
	'multi',
	'order',
	'match',
	'numeric',
	'evidence',
	'source',
	'scenario',
	'truefalse'
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const registry = {
	choice,
	multi,
	order,
	match,
	numeric,
	evidence,
	source,
	scenario,
	truefalse
} satisfies { [T in QuestionType]: QuestionKind<T, unknown, unknown, unknown> };

type Registry = typeof registry;

/**
 * What the content check verifies of each type beyond its schema. Only the loader reads this
 * table, so the browser's bundle leaves it (and the checks) out.
 */
export const contentRules = {
	choice: choiceContent,
	multi: multiContent,
	order: orderContent,
	match: matchContent,
	numeric: numericContent,
	evidence: evidenceContent,
	source: sourceContent,
	scenario: scenarioContent,
	truefalse: truefalseContent
} satisfies { [T in QuestionType]: ContentRules<Registry[T]> };

/** The content rules of a question's type, as the loader sees them: for any question. */
export function contentRulesOf(
	type: QuestionType
): ContentRules<{ schema: v.GenericSchema<unknown, Question> }> {
	return contentRules[type] as ContentRules<{ schema: v.GenericSchema<unknown, Question> }>;
}
export type QuestionOf<T extends QuestionType> = v.InferOutput<Registry[T]['schema']>;
export type ResponseOf<T extends QuestionType> = v.InferOutput<Registry[T]['response']>;
export type PublicOf<T extends QuestionType> = ReturnType<Registry[T]['present']>;
/** Any question. */
export type Question = { [T in QuestionType]: QuestionOf<T> }[QuestionType];
/** Any question as a learner sees it before answering: no answer key. */
export type PublicQuestion = { [T in QuestionType]: PublicOf<T> }[QuestionType];

/** A kind as the dispatching code sees it: for any question of its type, any response. */
export type AnyKind = QuestionKind<QuestionType, Question, unknown, PublicQuestion>;

/** The kind of a question (or of a question as presented). */
export function kindOf(question: { type: QuestionType }): AnyKind {
	return registry[question.type] as AnyKind;
}

/** Whether a raw value (content before validation) names a registered type. */
export function isQuestionType(type: unknown): type is QuestionType {
	return typeof type === 'string' && Object.hasOwn(registry, type);
}

/** Each type's question schema, in QUESTION_TYPES order, as `v.variant` needs them: a tuple. */
export const questionSchemas = QUESTION_TYPES.map(
	(type) => registry[type].schema
) as unknown as SchemasOf<typeof QUESTION_TYPES>;
type SchemasOf<Types extends readonly QuestionType[]> = {
	[I in keyof Types]: Registry[Types[I] & QuestionType]['schema'];
};

/**
 * A question of one type for the tests, with a response that grades fully right and one of the
 * right shape that does not. Each type's folder has one (`fixture.ts`), listed in `fixtures.ts`.
 */
export interface Fixture<T extends QuestionType> {
	question: QuestionOf<T>;
	right: ResponseOf<T>;
	wrong: ResponseOf<T>;
}
