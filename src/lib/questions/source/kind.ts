/** Who reported something: one of the sources listed in the article's frontmatter. */
import { Id, Ids } from '../fields.ts';
import { checkEach, checkOne } from '../check.ts';
import { gradeOne } from '../choice/kind.ts';
import { defineKind, type Source, type ContentRules } from '../kind.ts';

const nameOf = (sources: readonly Source[], id: string) =>
	sources.find((s) => s.id === id)?.name ?? id;

export const source = defineKind({
	type: 'source',
	/** `options` are ids of sources listed in the article's frontmatter. */
	fields: { options: Ids(2) },
	response: Id,
	grade: (question, response) => gradeOne(question.options, question.answer, response),
	describe: (_question, response, sources) => nameOf(sources, response),
	instruction: () => 'Choose who reported it',
	xapi: { interaction: 'choice' },
	/** The options as the learner sees them: the sources' names. */
	choices: (question, sources) => ({
		options: question.options.map((id) => ({ id, text: nameOf(sources, id) })),
		multiple: false,
		quote: false
	}),
	components: 'choice'
});

export const sourceContent: ContentRules<typeof source> = {
	checkAnswer: (question, check) => {
		if (check.sourceIds)
			checkEach(
				check,
				'options',
				question.options,
				check.sourceIds,
				"source in the article's frontmatter"
			);
		checkOne(check, 'answer', question.answer, question.options, 'option of this question');
	}
};
