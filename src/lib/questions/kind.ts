/**
 * What a question type is: everything the app needs to know about one type, declared once in the
 * type's folder (`src/lib/questions/<type>/kind.ts`) and listed in `registry.ts`. Its answer form
 * and projected form are `Form.svelte` and `Projected.svelte` beside it (see `components.ts`).
 * Nothing here imports Svelte: the content check runs these files under plain Node.
 */
import * as v from 'valibot';
import { commonFields } from './fields.ts';

/** An outlet the article cites, as questions name it (the frontmatter's `sources`). */
export interface Source {
	id: string;
	name: string;
}

/** The outcome of grading one response. `credit` is the share of the question earned, 0..1. */
export type Grade =
	{ valid: true; correct: boolean; credit: number } | { valid: false; error: string };

export const invalid = (error: string): Grade => ({ valid: false, error });
export const graded = (credit: number): Grade => ({ valid: true, correct: credit === 1, credit });

/** Fields a learner never sees before answering. */
export type Secret = 'answer' | 'explanation' | 'evidence' | 'hint';

type Entries<
	T extends string,
	E extends v.ObjectEntries,
	R extends v.GenericSchema
> = typeof commonFields & { type: v.LiteralSchema<T, undefined> } & E & { answer: R };
/** A type's question schema: the common fields, its `type` literal, its own fields, its `answer`. */
export type KindSchema<
	T extends string,
	E extends v.ObjectEntries,
	R extends v.GenericSchema
> = v.StrictObjectSchema<Entries<T, E, R>, undefined>;

/** The list a learner picks from, for types whose answer is one or more of a list of options. */
export interface ChoiceList {
	options: ReadonlyArray<{ id: string; text: string }>;
	/** Tick boxes (any number) rather than radio buttons (one). */
	multiple: boolean;
	/** The options are the article's own sentences, shown in quotation marks. */
	quote: boolean;
	/** The response a picked option id stands for, when it is not the id itself. */
	response?(id: string): unknown;
}

/** Where the content check reports what is wrong with a question's answer. */
export interface AnswerCheck {
	/** The ids of the article's sources, when its frontmatter loaded. */
	sourceIds: readonly string[] | undefined;
	/** Reports a problem at `path`, relative to the question (`answer`, `options[2]`). */
	add(path: string, message: string): void;
}

/** The xAPI 1.0.3 interaction types (cmi.interaction). */
export type XapiInteraction =
	| 'true-false'
	| 'choice'
	| 'fill-in'
	| 'long-fill-in'
	| 'matching'
	| 'performance'
	| 'sequencing'
	| 'likert'
	| 'numeric'
	| 'other';

/**
 * One question type. Q is its question, R its response (the shape of its `answer`), P the
 * question as presented to a learner. Callbacks are methods so that a kind of one type can be
 * used where a kind of any type is expected (`registry.ts` dispatches on `question.type`).
 */
export interface QuestionKind<T extends string, Q, R, P> {
	type: T;
	schema: v.GenericSchema<unknown, Q>;
	response: v.GenericSchema<unknown, R>;
	/** Grades a response already of the response schema's shape. */
	grade(question: Q, response: R): Grade;
	/** Refuses what the response schema lets through but must not; runs before the schema. */
	refuse?(question: Q, response: unknown): Grade | undefined;
	/** The response in words, for feedback, the summary, the dashboard, the report and the CSV. */
	describe(question: Q, response: R, sources: readonly Source[]): string;
	/** What the learner is asked to do: the form's legend and the projector's instruction. */
	instruction(question: P): string;
	/** The question without its secrets as a learner sees it before answering. */
	present(question: Omit<Q, Secret>, answer: R): P;
	/** The xAPI interaction type, and the response as an xAPI string when not the default. */
	xapi: { interaction: XapiInteraction; response?(response: R): string };
	/** Whether two responses listing the same ids in another order differ (dashboard grouping). */
	orderMatters: boolean;
	/** For types answered by picking from a list: that list, as the learner sees it. */
	choices?(question: P, sources: readonly Source[]): ChoiceList;
	/** The folder whose Form.svelte and Projected.svelte show this type; its own by default. */
	components: string;
}

/**
 * What the content check verifies of a type beyond its schema. Kept out of the kind, in a table
 * of its own in registry.ts, so that the browser's bundle (which never runs the check) drops it.
 */
export interface ContentRules<K extends { schema: v.GenericSchema }> {
	/** The answer names only what the question offers, and grades fully correct. */
	checkAnswer(question: v.InferOutput<K['schema']>, check: AnswerCheck): void;
	/** List fields whose items' `text` are passages of the article, checked and located as quotes. */
	quotedLists?: readonly string[];
}

type QuestionFrom<
	T extends string,
	E extends v.ObjectEntries,
	R extends v.GenericSchema
> = v.InferOutput<KindSchema<T, E, R>>;

/** What a type's folder declares; `defineKind` fills in the defaults and builds the schema. */
export type KindSpec<
	T extends string,
	E extends v.ObjectEntries,
	R extends v.GenericSchema,
	P
> = Omit<
	QuestionKind<T, QuestionFrom<T, E, R>, v.InferOutput<R>, P>,
	'schema' | 'response' | 'present' | 'orderMatters' | 'components'
> & {
	/** The type's own fields, beside the common ones, `type` and `answer`. */
	fields: E;
	/** The shape of a response, which is also the shape of the question's `answer`. */
	response: R;
	present?(question: Omit<QuestionFrom<T, E, R>, Secret>, answer: v.InferOutput<R>): P;
	orderMatters?: boolean;
	components?: string;
};

/** Declares a question type: its schema is the common fields, `type`, its fields and `answer`. */
export function defineKind<
	const T extends string,
	E extends v.ObjectEntries,
	R extends v.GenericSchema,
	P = Omit<QuestionFrom<T, E, R>, Secret>
>({
	fields,
	...spec
}: KindSpec<T, E, R, P>): QuestionKind<T, QuestionFrom<T, E, R>, v.InferOutput<R>, P> & {
	schema: KindSchema<T, E, R>;
	response: R;
} {
	const schema = v.strictObject({
		...commonFields,
		type: v.literal(spec.type),
		...fields,
		answer: spec.response
	}) as KindSchema<T, E, R>;
	return {
		present: (question) => question as P,
		orderMatters: false,
		components: spec.type,
		...spec,
		schema
	};
}

/** The text of the item with `id`, or the id itself when there is none. */
export const textOf = (items: ReadonlyArray<{ id: string; text: string }>, id: string) =>
	items.find((item) => item.id === id)?.text ?? id;

export function unknownIds(ids: readonly string[], known: readonly string[]): string[] {
	return ids.filter((id) => !known.includes(id));
}
