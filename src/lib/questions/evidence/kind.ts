/** The sentence of the article that proves a claim, picked from several of its sentences. */
import { Id, Options } from '../fields.ts';
import { checkOneOfOptions, oneOfOptions } from '../choice/kind.ts';
import { defineKind, type ContentRules } from '../kind.ts';

export const evidence = defineKind({
	type: 'evidence',
	/** `options` are sentences of the article, verbatim. */
	fields: { options: Options(2) },
	response: Id,
	...oneOfOptions,
	instruction: () => 'Choose the sentence that proves it',
	xapi: { interaction: 'choice' },
	choices: (question) => ({ options: question.options, multiple: false, quote: true }),
	components: 'choice'
});

export const evidenceContent: ContentRules<typeof evidence> = {
	checkAnswer: checkOneOfOptions,
	quotedLists: ['options']
};
