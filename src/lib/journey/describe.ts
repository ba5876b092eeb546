/**
 * Puts a response into words, for feedback ("the answer was …") and the summary ("you said …").
 * Pure, and total: a response of the wrong shape is described as such, never thrown on.
 */
import type { Question } from '$lib/content/pack';
import type { QuestionOf, ResponseOf, ScenarioPicks, Source } from '$lib/content/schema';
import { gradeResponse } from '$lib/grading/score';

const textOf = (items: ReadonlyArray<{ id: string; text: string }>, id: string) =>
	items.find((item) => item.id === id)?.text ?? id;

/** The response in words, using option texts and source names rather than ids. */
export function describeResponse(
	question: Question,
	response: unknown,
	sources: readonly Source[]
): string {
	const grade = gradeResponse(question, response);
	if (!grade.valid) return 'no valid answer';
	switch (question.type) {
		case 'choice':
		case 'evidence':
			return textOf(question.options, response as string);
		case 'source':
			return sources.find((s) => s.id === response)?.name ?? (response as string);
		case 'multi':
			return (response as string[]).map((id) => textOf(question.options, id)).join('; ');
		case 'order':
			return (response as string[])
				.map((id, i) => `${i + 1}. ${textOf(question.items, id)}`)
				.join(' ');
		case 'match':
			return question.left
				.map(
					(l) =>
						`${l.text} → ${textOf(question.right, (response as Record<string, string>)[l.id] ?? '')}`
				)
				.join('; ');
		case 'numeric':
			return `${(response as number).toLocaleString('en')} ${question.unit}`;
		case 'scenario':
			return question.scenarios
				.map(
					(s) =>
						`${s.title}: ${describePicks(question, (response as ResponseOf<'scenario'>)[s.id])}`
				)
				.join(' · ');
	}
}

/** One scenario's picks in words: what supports it, what cuts against it. */
export function describePicks(
	question: QuestionOf<'scenario'>,
	picks: ScenarioPicks | undefined
): string {
	const quote = (ids: readonly string[]) =>
		ids.map((id) => `“${textOf(question.passages, id)}”`).join(' ');
	if (!picks) return 'not weighed';
	const against = picks.against.length > 0 ? quote(picks.against) : 'nothing';
	return `for ${quote(picks.supports)}, against ${against}`;
}

/** The question's own answer in words. */
export function describeAnswer(question: Question, sources: readonly Source[]): string {
	return describeResponse(question, question.answer, sources);
}

/**
 * A passage of the article in quotation marks. A passage that itself opens with the article's
 * own quotation mark keeps it: the text stays exactly as the article gives it.
 */
export function quoted(passage: string): string {
	return `“${passage}”`;
}
