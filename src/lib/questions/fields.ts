/**
 * The building blocks of question schemas: ids, texts, option lists and the fields every question
 * has. Each type's folder builds its own schema from these; `content/schema.ts` joins them.
 * Imports stay relative: tsx runs the content check outside Vite and knows no `$lib`.
 */
import * as v from 'valibot';

/** Skills a question exercises; mastery is reported per skill. */
export const SKILLS = [
	'recall',
	'cause-effect',
	'sequence',
	'numbers',
	'sources',
	'critical-reading',
	'scenario'
] as const;
export type Skill = (typeof SKILLS)[number];

export const Id = v.pipe(
	v.string('must be a string'),
	v.regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes')
);
export const Text = v.pipe(
	v.string('must be a string'),
	v.check((s) => s.trim().length > 0, 'must not be empty')
);
export const Option = v.strictObject({ id: Id, text: Text });
export type Option = v.InferOutput<typeof Option>;

export function uniqueIds<T>(key: (item: T) => string, what: string) {
	return v.check<T[], string>(
		(items) => new Set(items.map(key)).size === items.length,
		`${what} must be unique`
	);
}
export const Options = (min: number) =>
	v.pipe(
		v.array(Option),
		v.minLength(min, `needs at least ${min} options`),
		uniqueIds((o: Option) => o.id, 'option ids')
	);
export const Ids = (min: number) =>
	v.pipe(
		v.array(Id, 'must be a list of ids'),
		v.minLength(min, `must name at least ${min}`),
		v.check((ids) => new Set(ids).size === ids.length, 'must not repeat an id')
	);

/** Fields every question has, whatever its type. */
export const commonFields = {
	id: Id,
	prompt: Text,
	/** Passages copied verbatim from the article that prove the answer. */
	evidence: v.pipe(
		v.array(Text, 'must be a list of passages'),
		v.minLength(1, 'needs at least one passage')
	),
	explanation: Text,
	hint: v.optional(Text),
	skill: v.picklist(SKILLS, `must be one of ${SKILLS.join(', ')}`)
};
