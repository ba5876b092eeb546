/** Every right answer ticked from a list of options. */
import { Ids, Options } from '../fields.ts';
import { checkEach } from '../check.ts';
import { defineKind, graded, invalid, textOf, unknownIds, type ContentRules } from '../kind.ts';

export const multi = defineKind({
	type: 'multi',
	fields: { options: Options(3) },
	response: Ids(1),
	/** Set equality: right only when exactly the correct options are chosen. */
	grade: (question, response) => {
		const missing = unknownIds(
			response,
			question.options.map((o) => o.id)
		);
		if (missing.length > 0) return invalid(`There is no option "${missing[0]}".`);
		const same =
			response.length === question.answer.length &&
			response.every((id) => question.answer.includes(id));
		return graded(same ? 1 : 0);
	},
	describe: (question, response) => response.map((id) => textOf(question.options, id)).join('; '),
	instruction: () => 'Tick every answer that is right',
	xapi: { interaction: 'choice' },
	choices: (question) => ({ options: question.options, multiple: true, quote: false }),
	components: 'choice'
});

export const multiContent: ContentRules<typeof multi> = {
	checkAnswer: (question, check) =>
		checkEach(
			check,
			'answer',
			question.answer,
			question.options.map((o) => o.id),
			'option of this question'
		)
};
