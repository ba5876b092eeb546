/** One answer from a list of options. */
import { Id, Options, type Option } from '../fields.ts';
import { checkOne } from '../check.ts';
import {
	defineKind,
	graded,
	invalid,
	textOf,
	type AnswerCheck,
	type ContentRules
} from '../kind.ts';

/** Grades one id picked from `known`; shared by every type answered with one option. */
export function gradeOne(known: readonly string[], answer: string, response: string) {
	if (!known.includes(response)) return invalid(`There is no option "${response}".`);
	return graded(response === answer ? 1 : 0);
}

interface OneOfOptions {
	options: Option[];
	answer: string;
}

/** Grading and words of a type answered with one of its `options`. */
export const oneOfOptions = {
	grade: (question: OneOfOptions, response: string) =>
		gradeOne(
			question.options.map((o) => o.id),
			question.answer,
			response
		),
	describe: (question: OneOfOptions, response: string) => textOf(question.options, response)
};

/** The content check of a type answered with one of its `options`. */
export const checkOneOfOptions = (question: OneOfOptions, check: AnswerCheck) =>
	checkOne(
		check,
		'answer',
		question.answer,
		question.options.map((o) => o.id),
		'option of this question'
	);

export const choice = defineKind({
	type: 'choice',
	fields: { options: Options(2) },
	response: Id,
	...oneOfOptions,
	instruction: () => 'Choose one answer',
	xapi: { interaction: 'choice' },
	choices: (question) => ({ options: question.options, multiple: false, quote: false })
});

export const choiceContent: ContentRules<typeof choice> = { checkAnswer: checkOneOfOptions };
