/** A statement; the learner says whether the article supports it. The prompt is the statement. */
import * as v from 'valibot';
import { defineKind, graded, type ContentRules } from '../kind.ts';

const SAYS = { yes: 'The article supports it', no: 'The article does not support it' };

export const truefalse = defineKind({
	type: 'truefalse',
	fields: {},
	/** `true`: the article supports the statement. */
	response: v.boolean('must be true or false'),
	grade: (question, response) => graded(response === question.answer ? 1 : 0),
	describe: (_question, response) => (response ? SAYS.yes : SAYS.no),
	instruction: () => 'Say whether the article supports the statement',
	xapi: { interaction: 'true-false' },
	choices: () => ({
		options: [
			{ id: 'yes', text: SAYS.yes },
			{ id: 'no', text: SAYS.no }
		],
		multiple: false,
		quote: false,
		response: (id) => id === 'yes'
	}),
	components: 'choice'
});

export const truefalseContent: ContentRules<typeof truefalse> = {
	// Either answer is one the question offers: nothing to cross-check.
	checkAnswer: () => {}
};
