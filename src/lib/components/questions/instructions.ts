/**
 * What a learner is asked to do with each type of question, in one place: the answer form uses
 * it as its legends, and the host's projected question as its instructions, so the wall and the
 * phones always say the same thing.
 */
import type { PublicQuestion } from '$lib/content/present';
import type { Source } from '$lib/content/schema';

/** The instruction for a question, by its type. */
export function instructionFor(question: PublicQuestion): string {
	switch (question.type) {
		case 'choice':
			return 'Choose one answer';
		case 'evidence':
			return 'Choose the sentence that proves it';
		case 'source':
			return 'Choose who reported it';
		case 'multi':
			return 'Tick every answer that is right';
		case 'order':
			return 'Put them in order, first at the top';
		case 'match':
			return `Pair each ${question.leftLabel.toLowerCase()} with its ${question.rightLabel.toLowerCase()}`;
		case 'numeric':
			return `Your answer, in ${question.unit}`;
		case 'scenario':
			return 'For each scenario, mark the passages that support it and any that cut against it.';
	}
}

/** A `source` question's options as the learner sees them: the sources' names. */
export function sourceOptions(
	question: Extract<PublicQuestion, { type: 'source' }>,
	sources: readonly Source[]
): Array<{ id: string; text: string }> {
	return question.options.map((id) => ({ id, text: sources.find((s) => s.id === id)?.name ?? id }));
}
