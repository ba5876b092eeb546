/**
 * The one definition of Causeway content. The loader validates packs with it, the machine and the
 * grader read its inferred types, the server validates responses with `responseSchemas`, and the
 * UI switches on `Question['type']`. Add a question type here and TypeScript shows every place
 * that must handle it.
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

const Id = v.pipe(
	v.string('must be a string'),
	v.regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes')
);
const Text = v.pipe(
	v.string('must be a string'),
	v.check((s) => s.trim().length > 0, 'must not be empty')
);
const Option = v.strictObject({ id: Id, text: Text });
export type Option = v.InferOutput<typeof Option>;

function uniqueIds<T>(key: (item: T) => string, what: string) {
	return v.check<T[], string>(
		(items) => new Set(items.map(key)).size === items.length,
		`${what} must be unique`
	);
}
const Options = (min: number) =>
	v.pipe(
		v.array(Option),
		v.minLength(min, `needs at least ${min} options`),
		uniqueIds((o: Option) => o.id, 'option ids')
	);
const Ids = (min: number) =>
	v.pipe(
		v.array(Id, 'must be a list of ids'),
		v.minLength(min, `must name at least ${min}`),
		v.check((ids) => new Set(ids).size === ids.length, 'must not repeat an id')
	);

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
 * The shape of each type's `answer`, which is also the shape of a learner's response: sending a
 * question's `answer` as the response grades fully correct everywhere.
 */
export const responseSchemas = {
	choice: Id,
	multi: Ids(1),
	order: Ids(2),
	match: v.pipe(
		v.record(Id, Id, 'must map each left id to a right id'),
		v.check((pairs) => Object.keys(pairs).length > 0, 'must pair at least one item')
	),
	numeric: v.pipe(v.number('must be a number'), v.finite('must be a finite number')),
	evidence: Id,
	source: Id,
	/**
	 * For every scenario of the question, the passages picked as supporting it and as cutting
	 * against it. At least one supporting passage each: a scenario left blank is not an answer.
	 */
	scenario: v.pipe(
		v.record(
			Id,
			ScenarioPicks,
			'must map each scenario id to its supporting and opposing passages'
		),
		v.check((picks) => Object.keys(picks).length > 0, 'must weigh at least one scenario')
	)
} as const;

export type QuestionType = keyof typeof responseSchemas;
export type ResponseOf<T extends QuestionType> = v.InferOutput<(typeof responseSchemas)[T]>;

/** Fields every question has, whatever its type. */
const common = {
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

const Scenario = v.strictObject({
	id: Id,
	title: Text,
	description: Text,
	/** Ids of the question's passages that support this scenario. */
	supports: Ids(1),
	/** Ids of the question's passages that cut against it; may be none. */
	against: v.optional(Ids(0), [])
});

export const QuestionSchema = v.variant(
	'type',
	[
		v.strictObject({
			...common,
			type: v.literal('choice'),
			options: Options(2),
			answer: responseSchemas.choice
		}),
		v.strictObject({
			...common,
			type: v.literal('multi'),
			options: Options(3),
			answer: responseSchemas.multi
		}),
		v.strictObject({
			...common,
			type: v.literal('order'),
			items: Options(2),
			answer: responseSchemas.order
		}),
		v.strictObject({
			...common,
			type: v.literal('match'),
			leftLabel: Text,
			rightLabel: Text,
			left: Options(2),
			right: Options(2),
			answer: responseSchemas.match
		}),
		v.strictObject({
			...common,
			type: v.literal('numeric'),
			unit: Text,
			tolerance: v.pipe(v.number('must be a number'), v.minValue(0, 'must not be negative')),
			answer: responseSchemas.numeric
		}),
		v.strictObject({
			...common,
			type: v.literal('evidence'),
			/** Sentences of the article, verbatim. */
			options: Options(2),
			answer: responseSchemas.evidence
		}),
		v.strictObject({
			...common,
			type: v.literal('source'),
			/** Ids of sources listed in the article's frontmatter. */
			options: Ids(2),
			answer: responseSchemas.source
		}),
		v.strictObject({
			...common,
			type: v.literal('scenario'),
			scenarios: v.pipe(
				v.array(Scenario),
				v.minLength(2, 'needs at least 2 scenarios'),
				uniqueIds((s: v.InferOutput<typeof Scenario>) => s.id, 'scenario ids')
			),
			/** Passages of the article, verbatim, that the learner weighs. */
			passages: Options(2),
			answer: responseSchemas.scenario
		})
	],
	`must have a type: one of ${Object.keys(responseSchemas).join(', ')}`
);
export type Question = v.InferOutput<typeof QuestionSchema>;
export type QuestionOf<T extends QuestionType> = Extract<Question, { type: T }>;

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
